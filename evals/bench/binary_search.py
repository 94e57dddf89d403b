from benchlib import measure

LEN = 1000000


def key(i):
    return 3 * i * i + 7 * i


def lower(v, lo, hi):
    while lo < hi:
        mid = (lo + hi) // 2
        if key(mid) < v:
            lo = mid + 1
        else:
            hi = mid
    return lo


def total(size):
    acc = 0
    for k in range(1, size + 1):
        acc += lower(k * 2654435761 % key(LEN), 0, LEN)
    return acc


measure(total, 100000)
