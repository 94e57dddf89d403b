/* Shared by the C versions of the benchmarks: the size argument and the
   in-process timer. The size comes from the command line so that gcc cannot
   fold the computation at compile time; the time of the work alone goes to
   standard error, the result to standard output. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int64_t bench_size(int argc, char **argv, int64_t fallback) {
    return argc > 1 ? (int64_t)atoll(argv[1]) : fallback;
}

static double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void bench_report(double seconds) {
    fprintf(stderr, "inproc_ms %.3f\n", seconds * 1e3);
}
