import sys, time


def run(size):
    ys = list(map(lambda x: x * 3 + 1, range(1, size + 1)))
    zs = list(filter(lambda x: x % 2 == 0, ys))
    return sum(zs)


size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
start = time.perf_counter()
result = run(size)
elapsed = time.perf_counter() - start
print(result)
print(f"inproc_ms {elapsed * 1e3:.3f}", file=sys.stderr)
