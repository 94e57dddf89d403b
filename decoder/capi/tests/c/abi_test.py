"""Drives the C ABI from Python through ctypes, as a Python sampler would.
Usage: python3 abi_test.py PATH/TO/libsynoema.so ; prints "ok"."""
import ctypes
import sys

lib = ctypes.CDLL(sys.argv[1])
u32p = ctypes.POINTER(ctypes.c_uint32)
lib.synoema_last_error.restype = ctypes.c_char_p

VOCAB, EOS = 257, 256
words = [bytes([i]) for i in range(256)] + [b"<|end|>"]
tokens = (ctypes.c_char_p * VOCAB)(*words)
lengths = (ctypes.c_size_t * VOCAB)(*[len(w) for w in words])
special = (ctypes.c_uint8 * VOCAB)(*([0] * 256 + [1]))

grammar = ctypes.c_void_p()
assert lib.synoema_grammar_from_vocab(tokens, lengths, special, ctypes.c_size_t(VOCAB), ctypes.c_uint32(EOS), ctypes.byref(grammar)) == 0, lib.synoema_last_error()
constraint = ctypes.c_void_p()
assert lib.synoema_constraint_new(grammar, 2, b"double : Int -> Int", 0, ctypes.byref(constraint)) == 0, lib.synoema_last_error()

for b in b"double n = n * ":
    assert lib.synoema_constraint_commit(constraint, ctypes.c_uint32(b)) == 0, (chr(b), lib.synoema_last_error())
words_n = (VOCAB + 31) // 32
mask = (ctypes.c_uint32 * words_n)()
assert lib.synoema_constraint_mask(constraint, mask, ctypes.c_size_t(words_n)) == 0
allowed = lambda t: (mask[t // 32] >> (t % 32)) & 1
assert allowed(ord("2")) and allowed(ord("n")), "a number or n may follow"
assert not allowed(ord('"')), "a string cannot be multiplied by an Int"
assert not allowed(EOS)
assert lib.synoema_constraint_commit(constraint, ctypes.c_uint32(ord("2"))) == 0
done = ctypes.c_int32(-1)
assert lib.synoema_constraint_is_complete(constraint, ctypes.byref(done)) == 0 and done.value == 1
assert lib.synoema_constraint_commit(constraint, ctypes.c_uint32(ord(")"))) == 4
assert b"not allowed" in lib.synoema_last_error()
lib.synoema_constraint_free(constraint)
lib.synoema_grammar_free(grammar)
print("ok")
