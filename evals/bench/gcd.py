from benchlib import measure


def gcd(a, b):
    while b != 0:
        a, b = b, a % b
    return a


def total(size):
    acc = 0
    for k in range(1, size + 1):
        acc += gcd(k * 7919 % 1000003 + 1, k * 104729 % 999983 + 1)
    return acc


measure(total, 100000)
