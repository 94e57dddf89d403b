from benchlib import measure


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


measure(lambda n: total(build(0, n)), 200000)
