/* Drives the C ABI as a C host would: builds a grammar over a small
 * vocabulary given by the host (every byte plus an EOS token), then runs
 * a constraint in types mode through masks, checks, commits, rollbacks
 * and completion, and the error paths. Prints "ok" and exits 0 when every
 * expectation holds; otherwise names the first failed one and exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "synoema.h"

static int failures = 0;
#define EXPECT(cond) do { if (!(cond)) { fprintf(stderr, "line %d: expected %s (last error: %s)\n", __LINE__, #cond, synoema_last_error()); failures++; } } while (0)

#define VOCAB 257
#define EOS 256

static int allowed(uint32_t *mask, uint32_t t) { return (mask[t / 32] >> (t % 32)) & 1; }

static void commit_text(SynoemaConstraint *c, const char *text) {
    for (const char *p = text; *p; p++) EXPECT(synoema_constraint_commit(c, (unsigned char)*p) == SYNOEMA_STATUS_OK);
}

int main(void) {
    static uint8_t bytes[VOCAB][8];
    const uint8_t *tokens[VOCAB];
    size_t lengths[VOCAB];
    uint8_t special[VOCAB];
    for (int i = 0; i < 256; i++) { bytes[i][0] = (uint8_t)i; tokens[i] = bytes[i]; lengths[i] = 1; special[i] = 0; }
    memcpy(bytes[EOS], "<|end|>", 7); tokens[EOS] = bytes[EOS]; lengths[EOS] = 7; special[EOS] = 1;

    SynoemaGrammar *g = NULL;
    EXPECT(synoema_grammar_from_vocab(tokens, lengths, special, VOCAB, EOS, &g) == SYNOEMA_STATUS_OK);
    if (!g) return 1;
    EXPECT(synoema_grammar_vocab_size(g) == VOCAB);
    EXPECT(synoema_grammar_eos(g) == EOS);

    SynoemaConstraint *c = NULL;
    EXPECT(synoema_constraint_new(g, SYNOEMA_MODE_TYPES, NULL, 1, &c) == SYNOEMA_STATUS_OK);
    if (!c) return 1;
    commit_text(c, "main = 1 + ");

    uint32_t mask[(VOCAB + 31) / 32];
    EXPECT(synoema_constraint_mask(c, mask, (VOCAB + 31) / 32) == SYNOEMA_STATUS_OK);
    EXPECT(allowed(mask, '2'));
    EXPECT(!allowed(mask, '"'));   /* a string cannot be added to a number */
    EXPECT(!allowed(mask, ')'));
    EXPECT(!allowed(mask, EOS));
    for (uint32_t t = 0; t < VOCAB; t++) {  /* the mask and the single check agree */
        int ok = -1;
        EXPECT(synoema_constraint_check(c, t, &ok) == SYNOEMA_STATUS_OK);
        EXPECT(ok == allowed(mask, t));
    }

    EXPECT(synoema_constraint_commit(c, '"') == SYNOEMA_STATUS_REJECTED);
    EXPECT(strstr(synoema_last_error(), "not allowed") != NULL);
    commit_text(c, "2");
    int complete = -1;
    EXPECT(synoema_constraint_is_complete(c, &complete) == SYNOEMA_STATUS_OK && complete == 1);
    EXPECT(strcmp(synoema_last_error(), "") == 0);
    EXPECT(synoema_constraint_rollback(c, 1) == SYNOEMA_STATUS_OK);
    EXPECT(synoema_constraint_is_complete(c, &complete) == SYNOEMA_STATUS_OK && complete == 0);
    EXPECT(synoema_constraint_rollback(c, 1000) == SYNOEMA_STATUS_REJECTED);

    /* Error paths: short buffer, token out of range, null pointers, bad mode and request. */
    EXPECT(synoema_constraint_mask(c, mask, 1) == SYNOEMA_STATUS_INVALID_ARGUMENT);
    EXPECT(synoema_constraint_check(c, VOCAB, &complete) == SYNOEMA_STATUS_INVALID_ARGUMENT);
    EXPECT(synoema_constraint_check(NULL, 0, &complete) == SYNOEMA_STATUS_INVALID_ARGUMENT);
    EXPECT(synoema_constraint_check(c, 0, NULL) == SYNOEMA_STATUS_INVALID_ARGUMENT);
    SynoemaConstraint *bad = NULL;
    EXPECT(synoema_constraint_new(g, 7, NULL, 1, &bad) == SYNOEMA_STATUS_INVALID_ARGUMENT && bad == NULL);
    EXPECT(synoema_constraint_new(g, SYNOEMA_MODE_TYPES, "solve : [Int] ->", 0, &bad) == SYNOEMA_STATUS_BAD_REQUEST);
    EXPECT(strstr(synoema_last_error(), "does not parse") != NULL);
    SynoemaGrammar *missing = NULL;
    EXPECT(synoema_grammar_new(NULL, &missing) == SYNOEMA_STATUS_INVALID_ARGUMENT && missing == NULL);
    EXPECT(synoema_grammar_new("llama3", NULL) == SYNOEMA_STATUS_INVALID_ARGUMENT);
    EXPECT(synoema_grammar_new("no-such-tokenizer", &missing) == SYNOEMA_STATUS_LOAD && missing == NULL);
    EXPECT(strstr(synoema_last_error(), "unknown tokenizer") != NULL);

    /* A request for a definition: EOS only once it is defined. */
    SynoemaConstraint *r = NULL;
    EXPECT(synoema_constraint_new(g, SYNOEMA_MODE_TYPES, "solve : [Int] -> Int", 0, &r) == SYNOEMA_STATUS_OK);
    commit_text(r, "solve xs = length xs\n");
    EXPECT(synoema_constraint_is_complete(r, &complete) == SYNOEMA_STATUS_OK && complete == 1);

    synoema_constraint_free(r);
    synoema_constraint_free(c);
    synoema_constraint_free(NULL);
    synoema_grammar_free(g);
    synoema_grammar_free(NULL);
    if (failures) { fprintf(stderr, "%d expectation(s) failed\n", failures); return 1; }
    puts("ok");
    return 0;
}
