#include "bench.h"

static int64_t fib(int64_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
    int64_t size = bench_size(argc, argv, 30);
    double start = bench_now();
    int64_t result = fib(size);
    double elapsed = bench_now() - start;
    printf("%lld\n", (long long)result);
    bench_report(elapsed);
    return 0;
}
