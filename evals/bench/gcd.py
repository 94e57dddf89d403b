import sys, time


def gcd(a, b):
    while b != 0:
        a, b = b, a % b
    return a


def total(size):
    acc = 0
    for k in range(1, size + 1):
        acc += gcd(k * 7919 % 1000003 + 1, k * 104729 % 999983 + 1)
    return acc


size = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
start = time.perf_counter()
result = total(size)
elapsed = time.perf_counter() - start
print(result)
print(f"inproc_ms {elapsed * 1e3:.3f}", file=sys.stderr)
