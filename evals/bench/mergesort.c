#include "sortinput.h"

static void msort(int64_t *xs, int64_t *tmp, int64_t n) {
    if (n <= 1) return;
    int64_t mid = n / 2;
    msort(xs, tmp, mid);
    msort(xs + mid, tmp, n - mid);
    int64_t i = 0, j = mid, k = 0;
    while (i < mid && j < n) tmp[k++] = xs[i] <= xs[j] ? xs[i++] : xs[j++];
    while (i < mid) tmp[k++] = xs[i++];
    while (j < n) tmp[k++] = xs[j++];
    for (int64_t m = 0; m < n; m++) xs[m] = tmp[m];
}

int main(int argc, char **argv) {
    int64_t size = bench_size(argc, argv, 100000);
    double start = bench_now();
    int64_t *xs = gen(size);
    int64_t *tmp = malloc(sizeof(int64_t) * (size_t)(size > 0 ? size : 1));
    msort(xs, tmp, size);
    check(xs, size);
    double elapsed = bench_now() - start;
    free(tmp);
    free(xs);
    bench_report(elapsed);
    return 0;
}
