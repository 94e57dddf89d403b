from benchlib import measure


def run(size):
    ys = list(map(lambda x: x * 3 + 1, range(1, size + 1)))
    zs = list(filter(lambda x: x % 2 == 0, ys))
    return sum(zs)


measure(run, 1000000)
