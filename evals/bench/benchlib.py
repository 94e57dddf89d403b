"""Shared by the Python versions of the benchmarks (as bench.h is for C):
the size argument and the in-process timer. The result goes to standard
output, the time of the work alone to standard error."""
import sys
import time


def measure(work, default_size, render=str):
    """Runs work(size) once, size from the command line or default_size."""
    size = int(sys.argv[1]) if len(sys.argv) > 1 else default_size
    start = time.perf_counter()
    result = work(size)
    elapsed = time.perf_counter() - start
    print(render(result))
    print(f"inproc_ms {elapsed * 1e3:.3f}", file=sys.stderr)
