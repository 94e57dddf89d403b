#include "bench.h"

typedef struct Node { struct Node *left, *right; int64_t value; } Node;

static Node *build(int64_t lo, int64_t hi) {
    if (lo >= hi) return NULL;
    int64_t mid = (lo + hi) / 2;
    Node *n = malloc(sizeof(Node));
    n->left = build(lo, mid);
    n->value = mid * 7919 % 10007;
    n->right = build(mid + 1, hi);
    return n;
}

static int64_t total(const Node *t) { return t ? total(t->left) + t->value + total(t->right) : 0; }

static void release(Node *t) {
    if (!t) return;
    release(t->left);
    release(t->right);
    free(t);
}

int main(int argc, char **argv) {
    int64_t size = bench_size(argc, argv, 200000);
    double start = bench_now();
    Node *t = build(0, size);
    int64_t result = total(t);
    release(t);
    double elapsed = bench_now() - start;
    printf("%lld\n", (long long)result);
    bench_report(elapsed);
    return 0;
}
