import sys, time


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


size = int(sys.argv[1]) if len(sys.argv) > 1 else 30
start = time.perf_counter()
result = fib(size)
elapsed = time.perf_counter() - start
print(result)
print(f"inproc_ms {elapsed * 1e3:.3f}", file=sys.stderr)
