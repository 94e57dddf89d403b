#include "bench.h"

int main(int argc, char **argv) {
    int64_t size = bench_size(argc, argv, 1000000);
    double start = bench_now();
    size_t cap = (size_t)(size > 0 ? size : 1);
    int64_t *ys = malloc(sizeof(int64_t) * cap), *zs = malloc(sizeof(int64_t) * cap);
    for (int64_t x = 1; x <= size; x++) ys[x - 1] = x * 3 + 1;
    int64_t m = 0;
    for (int64_t i = 0; i < size; i++) if (ys[i] % 2 == 0) zs[m++] = ys[i];
    int64_t acc = 0;
    for (int64_t i = 0; i < m; i++) acc += zs[i];
    free(ys);
    free(zs);
    double elapsed = bench_now() - start;
    printf("%lld\n", (long long)acc);
    bench_report(elapsed);
    return 0;
}
