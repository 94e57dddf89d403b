import sys, time
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


size = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
start = time.perf_counter()
result = check(msort(gen(size)))
elapsed = time.perf_counter() - start
print(result)
print(f"inproc_ms {elapsed * 1e3:.3f}", file=sys.stderr)
