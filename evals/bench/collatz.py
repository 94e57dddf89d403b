from benchlib import measure


def steps(n):
    acc = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        acc += 1
    return acc


measure(lambda n: sum(steps(k) for k in range(1, n + 1)), 10000)
