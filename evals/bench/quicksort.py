import sys, time
from sortinput import gen, check


def qsort(xs):
    if not xs:
        return []
    p, rest = xs[0], xs[1:]
    return qsort([x for x in rest if x < p]) + [p] + qsort([x for x in rest if x >= p])


size = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
start = time.perf_counter()
result = check(qsort(gen(size)))
elapsed = time.perf_counter() - start
print(result)
print(f"inproc_ms {elapsed * 1e3:.3f}", file=sys.stderr)
