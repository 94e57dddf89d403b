import sys, time


def run(size):
    s = ",".join(["k" + str(i) for i in range(1, size + 1)])
    return f"{len(s)}\n{s[len(s) - 14:]}"


size = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
start = time.perf_counter()
result = run(size)
elapsed = time.perf_counter() - start
print(result)
print(f"inproc_ms {elapsed * 1e3:.3f}", file=sys.stderr)
