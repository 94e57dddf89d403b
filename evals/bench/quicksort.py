from benchlib import measure
from sortinput import gen, check


def qsort(xs):
    if not xs:
        return []
    p, rest = xs[0], xs[1:]
    return qsort([x for x in rest if x < p]) + [p] + qsort([x for x in rest if x >= p])


measure(lambda n: check(qsort(gen(n))), 100000)
