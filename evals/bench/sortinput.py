"""The pseudo-random input and the checksum shared by the sorting benchmarks."""


def gen(n, x=42):
    # Elements in the order the Synoema version conses them: last generated first.
    out = []
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        out.append(x % 1000000)
    out.reverse()
    return out


def check(xs):
    c = 0
    for x in xs:
        c = (c * 31 + x) % 1000000007
    return f"({len(xs)}, {c})"
