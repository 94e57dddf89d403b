#include "bench.h"

static int64_t steps(int64_t n) {
    int64_t acc = 0;
    while (n != 1) { n = n % 2 == 0 ? n / 2 : 3 * n + 1; acc++; }
    return acc;
}

int main(int argc, char **argv) {
    int64_t size = bench_size(argc, argv, 300000);
    double start = bench_now();
    int64_t best = 1, length = 0;
    for (int64_t k = 1; k <= size; k++) {
        int64_t s = steps(k);
        if (s > length) { best = k; length = s; }
    }
    double elapsed = bench_now() - start;
    printf("(%lld, %lld)\n", (long long)best, (long long)length);
    bench_report(elapsed);
    return 0;
}
