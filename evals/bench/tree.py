import sys, time


# A node is (left, value, right); a leaf is None.
def build(lo, hi):
    if lo >= hi:
        return None
    mid = (lo + hi) // 2
    return (build(lo, mid), mid * 7919 % 10007, build(mid + 1, hi))


def total(t):
    if t is None:
        return 0
    left, v, right = t
    return total(left) + v + total(right)


size = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
start = time.perf_counter()
result = total(build(0, size))
elapsed = time.perf_counter() - start
print(result)
print(f"inproc_ms {elapsed * 1e3:.3f}", file=sys.stderr)
