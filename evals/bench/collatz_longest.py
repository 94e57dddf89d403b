from benchlib import measure


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


measure(longest, 300000, render=lambda r: f"({r[0]}, {r[1]})")
