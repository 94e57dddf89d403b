#include <stdio.h>
#include <stdint.h>
static int64_t steps(int64_t n) {
    int64_t acc = 0;
    while (n != 1) { n = n % 2 == 0 ? n / 2 : 3 * n + 1; acc++; }
    return acc;
}
int main(void) {
    int64_t total = 0;
    for (int64_t k = 1; k <= 10000; k++) total += steps(k);
    printf("%lld\n", (long long)total);
    return 0;
}
