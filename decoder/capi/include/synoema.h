/* The Synoema constraint C ABI: grammar and type masks for constrained
 * decoding. Generated from decoder/capi/src/lib.rs by cbindgen; do not edit.
 * Link with -lsynoema. Every function returns a SynoemaStatus;
 * on failure synoema_last_error() gives the message. */

#ifndef SYNOEMA_H
#define SYNOEMA_H

#include <stddef.h>
#include <stdint.h>

// Constraint modes, as `int32_t`.
#define SYNOEMA_MODE_NONE 0

#define SYNOEMA_MODE_GRAMMAR 1

#define SYNOEMA_MODE_TYPES 2

// The outcome of a call.
typedef enum SynoemaStatus {
  SYNOEMA_STATUS_OK = 0,
  // A null pointer, text that is not UTF-8, a buffer that is too short,
  // an unknown mode or a token id outside the vocabulary.
  SYNOEMA_STATUS_INVALID_ARGUMENT = 1,
  // The tokenizer could not be found or loaded, or the grammar not built.
  SYNOEMA_STATUS_LOAD = 2,
  // The requested signature does not parse.
  SYNOEMA_STATUS_BAD_REQUEST = 3,
  // The token is not allowed here (commit), or more tokens were rolled
  // back than committed.
  SYNOEMA_STATUS_REJECTED = 4,
  // A bug: an internal error or a caught panic. The handle may be left in
  // any state; free it.
  SYNOEMA_STATUS_INTERNAL = 5,
} SynoemaStatus;

// One generation's constraint.
typedef struct SynoemaConstraint SynoemaConstraint;

// The grammar compiled for one vocabulary.
typedef struct SynoemaGrammar SynoemaGrammar;

// The message of the last failed call on this thread (empty after a
// successful one). Valid until the next call on this thread.
const char *synoema_last_error(void);

// Compiles the grammar for a tokenizer: a name of the model cache
// (`smollm2`, `llama3`, `qwen3`, `gemma3`, `o200k`, `cl100k`) or a path to a
// `tokenizer.json`.
//
// # Safety
// `tokenizer` is a NUL-terminated string; `out` is valid for one write.
enum SynoemaStatus synoema_grammar_new(const char *tokenizer, struct SynoemaGrammar **out);

// Compiles the grammar for the host's own vocabulary: `n_tokens` byte
// strings (`tokens[i]` of `lengths[i]` bytes is token `i`), `special[i]`
// non-zero for control tokens (never part of program text; may be null
// when none is), and the EOS token id.
//
// # Safety
// `tokens`, `lengths` (and `special` unless null) point to `n_tokens`
// elements; each `tokens[i]` to `lengths[i]` readable bytes (or is null
// when `lengths[i]` is 0); `out` is valid for one write.
enum SynoemaStatus synoema_grammar_from_vocab(const uint8_t *const *tokens,
                                              const size_t *lengths,
                                              const uint8_t *special,
                                              size_t n_tokens,
                                              uint32_t eos,
                                              struct SynoemaGrammar **out);

// The number of tokens of the grammar's vocabulary (0 for a null handle).
//
// # Safety
// `grammar` is null or a live grammar handle.
uint32_t synoema_grammar_vocab_size(const struct SynoemaGrammar *grammar);

// The EOS token id of the grammar's vocabulary (`UINT32_MAX` for a null
// handle).
//
// # Safety
// `grammar` is null or a live grammar handle.
uint32_t synoema_grammar_eos(const struct SynoemaGrammar *grammar);

// Frees a grammar (null is ignored). Constraints made from it stay valid.
//
// # Safety
// `grammar` is null or a live grammar handle, not used after this call.
void synoema_grammar_free(struct SynoemaGrammar *grammar);

// Starts a constraint at an empty program. `mode` is one of the
// `SYNOEMA_MODE_*` constants; `require` is null or a signature the
// program must define (`"solve : [Int] -> Int"`); `require_main` non-zero
// when the program must define `main`. The request binds in types mode.
//
// # Safety
// `grammar` is a live grammar handle; `require` is null or a
// NUL-terminated string; `out` is valid for one write.
enum SynoemaStatus synoema_constraint_new(const struct SynoemaGrammar *grammar,
                                          int32_t mode,
                                          const char *require,
                                          int32_t require_main,
                                          struct SynoemaConstraint **out);

// Writes the mask of allowed next tokens into `mask`, a bit per token:
// token `t` is allowed when bit `t % 32` of `mask[t / 32]` is set. EOS is
// set exactly when the program is complete. `mask_words` must be at least
// `(vocab_size + 31) / 32`.
//
// # Safety
// `constraint` is a live handle; `mask` is valid for `mask_words` writes.
enum SynoemaStatus synoema_constraint_mask(struct SynoemaConstraint *constraint,
                                           uint32_t *mask,
                                           size_t mask_words);

// Sets `*allowed` to 1 when `token` may follow the prefix, else 0.
//
// # Safety
// `constraint` is a live handle; `allowed` is valid for one write.
enum SynoemaStatus synoema_constraint_check(struct SynoemaConstraint *constraint,
                                            uint32_t token,
                                            int32_t *allowed);

// Appends `token` to the prefix; [`SynoemaStatus::Rejected`] (and no
// change) when it is not allowed.
//
// # Safety
// `constraint` is a live handle.
enum SynoemaStatus synoema_constraint_commit(struct SynoemaConstraint *constraint, uint32_t token);

// Removes the last `n` committed tokens; [`SynoemaStatus::Rejected`]
// (and no change) when fewer were committed.
//
// # Safety
// `constraint` is a live handle.
enum SynoemaStatus synoema_constraint_rollback(struct SynoemaConstraint *constraint, size_t n);

// Sets `*complete` to 1 when the prefix is a complete program meeting the
// request (EOS is allowed), else 0.
//
// # Safety
// `constraint` is a live handle; `complete` is valid for one write.
enum SynoemaStatus synoema_constraint_is_complete(struct SynoemaConstraint *constraint,
                                                  int32_t *complete);

// Frees a constraint (null is ignored).
//
// # Safety
// `constraint` is null or a live handle, not used after this call.
void synoema_constraint_free(struct SynoemaConstraint *constraint);

#endif  /* SYNOEMA_H */
