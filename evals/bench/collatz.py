import sys, time


def steps(n):
    acc = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        acc += 1
    return acc


size = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
start = time.perf_counter()
result = sum(steps(k) for k in range(1, size + 1))
elapsed = time.perf_counter() - start
print(result)
print(f"inproc_ms {elapsed * 1e3:.3f}", file=sys.stderr)
