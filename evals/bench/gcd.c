#include "bench.h"

static int64_t gcd(int64_t a, int64_t b) {
    while (b != 0) { int64_t t = a % b; a = b; b = t; }
    return a;
}

int main(int argc, char **argv) {
    int64_t size = bench_size(argc, argv, 100000);
    double start = bench_now();
    int64_t acc = 0;
    for (int64_t k = 1; k <= size; k++)
        acc += gcd(k * 7919 % 1000003 + 1, k * 104729 % 999983 + 1);
    double elapsed = bench_now() - start;
    printf("%lld\n", (long long)acc);
    bench_report(elapsed);
    return 0;
}
