#include "bench.h"

#define LEN 1000000

static int64_t key(int64_t i) { return 3 * i * i + 7 * i; }

static int64_t lower(int64_t v, int64_t lo, int64_t hi) {
    while (lo < hi) {
        int64_t mid = (lo + hi) / 2;
        if (key(mid) < v) lo = mid + 1; else hi = mid;
    }
    return lo;
}

int main(int argc, char **argv) {
    int64_t size = bench_size(argc, argv, 100000);
    double start = bench_now();
    int64_t acc = 0;
    for (int64_t k = 1; k <= size; k++) acc += lower(k * 2654435761 % key(LEN), 0, LEN);
    double elapsed = bench_now() - start;
    printf("%lld\n", (long long)acc);
    bench_report(elapsed);
    return 0;
}
