#include <string.h>
#include "bench.h"

int main(int argc, char **argv) {
    int64_t size = bench_size(argc, argv, 200000);
    double start = bench_now();
    size_t cap = 16, len = 0;
    char *s = malloc(cap);
    for (int64_t i = 1; i <= size; i++) {
        char part[24];
        int m = snprintf(part, sizeof part, "%sk%lld", i > 1 ? "," : "", (long long)i);
        while (len + (size_t)m + 1 > cap) { cap *= 2; s = realloc(s, cap); }
        memcpy(s + len, part, (size_t)m);
        len += (size_t)m;
    }
    s[len] = '\0';
    double elapsed = bench_now() - start;
    printf("%zu\n%s\n", len, s + (len >= 14 ? len - 14 : 0));
    free(s);
    bench_report(elapsed);
    return 0;
}
