// Shim for CGMP: the one header Swift imports for this C library.
//
// GMP exposes most of its API as macros (`#define mpz_add __gmpz_add`) and some as inline
// macros over the struct fields (mpz_sgn, mpz_odd_p). Swift imports neither, so every function
// the Swift side needs gets a `static inline` wrapper here, prefixed `cgmp_`.
#pragma once
#include <gmp.h>
#include <string.h>

// Lifecycle.
/// mpz_init: a new integer with value 0.
static inline void cgmp_init(mpz_ptr x) { mpz_init(x); }
/// mpz_clear: frees the limbs (call cgmp_wipe first for secrets).
static inline void cgmp_clear(mpz_ptr x) { mpz_clear(x); }
/// Overwrites every allocated limb with zeros through mpz_limbs_modify, so the value does not
/// linger in freed heap memory. Leaves x with value 0.
static inline void cgmp_wipe(mpz_ptr x) {
    size_t alloc = (size_t)x->_mp_alloc;
    if (alloc == 0) return;
    mp_limb_t *limbs = mpz_limbs_modify(x, (mp_size_t)alloc);
    volatile unsigned char *v = (volatile unsigned char *)limbs;
    for (size_t i = 0; i < alloc * sizeof(mp_limb_t); i++) v[i] = 0;
    mpz_limbs_finish(x, 0);
}

// Assignment and conversion.
/// mpz_set.
static inline void cgmp_set(mpz_ptr r, mpz_srcptr a) { mpz_set(r, a); }
/// mpz_set_si.
static inline void cgmp_set_si(mpz_ptr r, long v) { mpz_set_si(r, v); }
/// mpz_import of big-endian bytes (most significant byte first).
static inline void cgmp_import_be(mpz_ptr r, const unsigned char *bytes, size_t count) {
    mpz_import(r, count, 1, 1, 1, 0, bytes);
}
/// mpz_export as big-endian bytes into `out`, which must hold cgmp_byte_length(a) bytes. Returns bytes written.
static inline size_t cgmp_export_be(unsigned char *out, mpz_srcptr a) {
    size_t written = 0;
    mpz_export(out, &written, 1, 1, 1, 0, a);
    return written;
}
/// Number of bytes of |a| (0 for a == 0).
static inline size_t cgmp_byte_length(mpz_srcptr a) {
    return mpz_sgn(a) == 0 ? 0 : (mpz_sizeinbase(a, 2) + 7) / 8;
}
/// Bit length of |a| (0 for a == 0).
static inline size_t cgmp_bit_length(mpz_srcptr a) { return mpz_sgn(a) == 0 ? 0 : mpz_sizeinbase(a, 2); }
/// mpz_sgn (a macro in gmp.h).
static inline int cgmp_sgn(mpz_srcptr a) { return mpz_sgn(a); }
/// mpz_tstbit.
static inline int cgmp_tstbit(mpz_srcptr a, unsigned long bit) { return mpz_tstbit(a, bit); }
/// mpz_setbit.
static inline void cgmp_setbit(mpz_ptr r, unsigned long bit) { mpz_setbit(r, bit); }

// Arithmetic.
/// mpz_add.
static inline void cgmp_add(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_add(r, a, b); }
/// mpz_sub.
static inline void cgmp_sub(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_sub(r, a, b); }
/// mpz_mul.
static inline void cgmp_mul(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_mul(r, a, b); }
/// mpz_neg.
static inline void cgmp_neg(mpz_ptr r, mpz_srcptr a) { mpz_neg(r, a); }
/// mpz_abs.
static inline void cgmp_abs(mpz_ptr r, mpz_srcptr a) { mpz_abs(r, a); }
/// mpz_mul_2exp (shift left).
static inline void cgmp_mul_2exp(mpz_ptr r, mpz_srcptr a, unsigned long bits) { mpz_mul_2exp(r, a, bits); }
/// mpz_fdiv_q_2exp (floor shift right).
static inline void cgmp_fdiv_q_2exp(mpz_ptr r, mpz_srcptr a, unsigned long bits) { mpz_fdiv_q_2exp(r, a, bits); }
/// mpz_mod: remainder in [0, |m|).
static inline void cgmp_mod(mpz_ptr r, mpz_srcptr a, mpz_srcptr m) { mpz_mod(r, a, m); }
/// mpz_fdiv_q: floor division.
static inline void cgmp_fdiv_q(mpz_ptr r, mpz_srcptr a, mpz_srcptr d) { mpz_fdiv_q(r, a, d); }
/// mpz_fdiv_ui: a mod d for a small d (sieving).
static inline unsigned long cgmp_fdiv_ui(mpz_srcptr a, unsigned long d) { return mpz_fdiv_ui(a, d); }
/// mpz_divexact: a / d when d divides a.
static inline void cgmp_divexact(mpz_ptr r, mpz_srcptr a, mpz_srcptr d) { mpz_divexact(r, a, d); }
/// mpz_powm: variable time in the exponent; public exponents only.
static inline void cgmp_powm(mpz_ptr r, mpz_srcptr b, mpz_srcptr e, mpz_srcptr m) { mpz_powm(r, b, e, m); }
/// mpz_powm_sec: side-channel silent exponentiation (needs e > 0 and m odd).
static inline void cgmp_powm_sec(mpz_ptr r, mpz_srcptr b, mpz_srcptr e, mpz_srcptr m) { mpz_powm_sec(r, b, e, m); }
/// mpz_invert: returns non-zero when the inverse exists.
static inline int cgmp_invert(mpz_ptr r, mpz_srcptr a, mpz_srcptr m) { return mpz_invert(r, a, m); }
/// mpz_gcd.
static inline void cgmp_gcd(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_gcd(r, a, b); }
/// mpz_jacobi.
static inline int cgmp_jacobi(mpz_srcptr a, mpz_srcptr n) { return mpz_jacobi(a, n); }
/// mpz_probab_prime_p (with reps <= 24 GMP 6.2 runs Baillie-PSW only and draws no randomness).
static inline int cgmp_probab_prime_p(mpz_srcptr n, int reps) { return mpz_probab_prime_p(n, reps); }
/// mpz_cmp.
static inline int cgmp_cmp(mpz_srcptr a, mpz_srcptr b) { return mpz_cmp(a, b); }
/// mpz_cmp_si.
static inline int cgmp_cmp_si(mpz_srcptr a, long b) { return mpz_cmp_si(a, b); }
/// mpz_cmpabs.
static inline int cgmp_cmpabs(mpz_srcptr a, mpz_srcptr b) { return mpz_cmpabs(a, b); }
/// mpz_set_str / parsing from a NUL-terminated string in `base`; returns 0 on success.
static inline int cgmp_set_str(mpz_ptr r, const char *s, int base) { return mpz_set_str(r, s, base); }

// Constant-time fixed-base exponentiation (cgmp_fb_*): see fixed_base.h.
#include "fixed_base.h"
