from benchlib import measure


def run(n):
    a = [[(i * j + 1) % 7 for j in range(n)] for i in range(n)]
    b = [[(i + 2 * j) % 5 for j in range(n)] for i in range(n)]
    bt = list(zip(*b))
    product = [[sum(x * y for x, y in zip(row, col)) for col in bt] for row in a]
    c = 0
    for row in product:
        for x in row:
            c = (c * 31 + x) % 1000000007
    return c


measure(run, 100)
