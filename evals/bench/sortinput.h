/* The pseudo-random input and the checksum shared by the sorting benchmarks
   (the same generator and order as the Synoema and Python versions). */
#include "bench.h"

static int64_t *gen(int64_t n) {
    int64_t *xs = malloc(sizeof(int64_t) * (size_t)(n > 0 ? n : 1));
    int64_t x = 42;
    for (int64_t i = n - 1; i >= 0; i--) {
        x = (x * 1103515245 + 12345) % 2147483648;
        xs[i] = x % 1000000;
    }
    return xs;
}

static void check(const int64_t *xs, int64_t n) {
    int64_t c = 0;
    for (int64_t i = 0; i < n; i++) c = (c * 31 + xs[i]) % 1000000007;
    printf("(%lld, %lld)\n", (long long)n, (long long)c);
}
