#include "bench.h"

int main(int argc, char **argv) {
    int64_t n = bench_size(argc, argv, 100);
    double start = bench_now();
    size_t cells = (size_t)(n > 0 ? n * n : 1);
    int64_t *a = malloc(sizeof(int64_t) * cells), *b = malloc(sizeof(int64_t) * cells);
    int64_t *p = malloc(sizeof(int64_t) * cells);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++) {
            a[i * n + j] = (i * j + 1) % 7;
            b[i * n + j] = (i + 2 * j) % 5;
        }
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++) {
            int64_t acc = 0;
            for (int64_t k = 0; k < n; k++) acc += a[i * n + k] * b[k * n + j];
            p[i * n + j] = acc;
        }
    int64_t c = 0;
    for (int64_t i = 0; i < n * n; i++) c = (c * 31 + p[i]) % 1000000007;
    free(a);
    free(b);
    free(p);
    double elapsed = bench_now() - start;
    printf("%lld\n", (long long)c);
    bench_report(elapsed);
    return 0;
}
