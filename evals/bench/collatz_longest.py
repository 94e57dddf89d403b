import sys, time


def steps(n):
    acc = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        acc += 1
    return acc


def longest(size):
    best, length = 1, 0
    for k in range(1, size + 1):
        s = steps(k)
        if s > length:
            best, length = k, s
    return best, length


size = int(sys.argv[1]) if len(sys.argv) > 1 else 300000
start = time.perf_counter()
best, length = longest(size)
elapsed = time.perf_counter() - start
print(f"({best}, {length})")
print(f"inproc_ms {elapsed * 1e3:.3f}", file=sys.stderr)
