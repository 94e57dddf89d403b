#include "sortinput.h"

/* In place, first element as pivot (Lomuto partition). */
static void qsort_range(int64_t *xs, int64_t lo, int64_t hi) {
    while (lo < hi) {
        int64_t p = xs[lo], m = lo;
        for (int64_t i = lo + 1; i <= hi; i++)
            if (xs[i] < p) { m++; int64_t t = xs[m]; xs[m] = xs[i]; xs[i] = t; }
        int64_t t = xs[lo]; xs[lo] = xs[m]; xs[m] = t;
        qsort_range(xs, lo, m - 1);
        lo = m + 1;
    }
}

int main(int argc, char **argv) {
    int64_t size = bench_size(argc, argv, 100000);
    double start = bench_now();
    int64_t *xs = gen(size);
    qsort_range(xs, 0, size - 1);
    check(xs, size);
    double elapsed = bench_now() - start;
    free(xs);
    bench_report(elapsed);
    return 0;
}
