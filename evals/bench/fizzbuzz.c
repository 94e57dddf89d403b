#include <string.h>
#include "bench.h"

/* Writes the line for n into buf (at least 21 bytes). */
static const char *fizz(int64_t n, char *buf) {
    if (n % 15 == 0) return "FizzBuzz";
    if (n % 3 == 0) return "Fizz";
    if (n % 5 == 0) return "Buzz";
    snprintf(buf, 21, "%lld", (long long)n);
    return buf;
}

int main(int argc, char **argv) {
    int64_t size = bench_size(argc, argv, 300000);
    double start = bench_now();
    char buf[21];
    int64_t acc = 0;
    for (int64_t n = 1; n <= size; n++) acc += (int64_t)strlen(fizz(n, buf));
    double elapsed = bench_now() - start;
    printf("%lld\n", (long long)acc);
    bench_report(elapsed);
    return 0;
}
