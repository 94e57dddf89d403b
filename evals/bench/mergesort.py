from benchlib import measure
from sortinput import gen, check


def merge(a, b):
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    out.extend(a[i:])
    out.extend(b[j:])
    return out


def msort(xs):
    if len(xs) <= 1:
        return xs
    mid = len(xs) // 2
    return merge(msort(xs[:mid]), msort(xs[mid:]))


measure(lambda n: check(msort(gen(n))), 100000)
