// Constant-time fixed-base exponentiation over GMP's side-channel-silent mpn functions (included by shim.h).
//
// One base b and one odd modulus m (n limbs) are fixed; the table holds, for every w-bit digit position j and
// every digit d < 2^w, b^(d·2^(w·j)) in Montgomery form (·R mod m, R = 2^(64n)). b^e is then the product of one
// entry per position: no squarings, one Montgomery multiplication per digit. For SECRET exponents:
// - every entry is read with mpn_sec_tabselect (the whole row is scanned, the digit only masks);
// - multiplication is mpn_sec_mul (schoolbook, no value-dependent branches) and Montgomery reduction is
//   mpn_addmul_1 rows plus mpn_cnd_sub_n, exactly as GMP's own mpn_sec_powm reduces;
// - the loops run over the positions of the exponent's LIMB COUNT (a size, public like everywhere in BigNum);
// - a signed exponent is made non-negative without a branch: e + 2^(64·L) (L = limbs of |e|) in two's
//   complement, and the result is multiplied by the precomputed b^(-2^(64·L)).
// Building the table uses only the base and the modulus; entries are wiped when the table is freed.
#pragma once
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    mp_limb_t *tab;        // positions × 2^w entries of n limbs, each < R (not fully reduced)
    mp_limb_t *mod;        // m, n limbs
    mp_limb_t *one;        // R mod m
    mp_limb_t *inv_offset; // for L = 0...max_offset_limbs: b^(-2^(64·L))·R mod m; NULL without offsets
    mp_size_t n;
    size_t positions;
    unsigned w;
    size_t max_offset_limbs;
    mp_limb_t minv;        // -1/m mod 2^64
} cgmp_fb;

static inline void cgmp_fb_wipe(mp_limb_t *p, size_t limbs) {
    volatile mp_limb_t *v = p;
    for (size_t i = 0; i < limbs; i++) v[i] = 0;
}

/// -1/m0 mod 2^64 for odd m0 (Newton: each step doubles the correct low bits, from 3).
static inline mp_limb_t cgmp_mont_minv(mp_limb_t m0) {
    mp_limb_t x = m0;
    for (int i = 0; i < 5; i++) x *= 2 - m0 * x;
    return (mp_limb_t)0 - x;
}

/// r = t / R mod m for t of 2n limbs < R·m + ... (t is destroyed); r < R. GMP's redc_1 with the final
/// conditional subtraction of mpn_sec_powm: no value-dependent branch.
static inline void cgmp_mont_redc(mp_ptr r, mp_ptr t, mp_srcptr m, mp_size_t n, mp_limb_t minv) {
    for (mp_size_t i = 0; i < n; i++) {
        mp_limb_t q = t[i] * minv;
        t[i] = mpn_addmul_1(t + i, m, n, q);
    }
    mp_limb_t cy = mpn_add_n(r, t + n, t, n);
    mpn_cnd_sub_n(cy, r, r, m, n);
}

/// r = a·b/R mod m (r may alias a or b); a, b < R; r < R. t: 2n limbs of scratch, s: mpn_sec_mul_itch(n, n).
static inline void cgmp_mont_mul(mp_ptr r, mp_srcptr a, mp_srcptr b, mp_srcptr m, mp_size_t n, mp_limb_t minv,
                                 mp_ptr t, mp_ptr s) {
    mpn_sec_mul(t, a, n, b, n, s);
    cgmp_mont_redc(r, t, m, n, minv);
}

/// r = x·R mod m for x < R (n limbs), with mpn_sec_div_r. up: 2n limbs, s: mpn_sec_div_r_itch(2n, n).
static inline void cgmp_mont_in(mp_ptr r, mp_srcptr x, mp_srcptr m, mp_size_t n, mp_ptr up, mp_ptr s) {
    for (mp_size_t i = 0; i < n; i++) { up[i] = 0; up[n + i] = x[i]; }
    mpn_sec_div_r(up, 2 * n, m, n, s);
    for (mp_size_t i = 0; i < n; i++) r[i] = up[i];
}

/// r = x/R mod m, fully reduced to [0, m). t: 2n limbs.
static inline void cgmp_mont_out(mp_ptr r, mp_srcptr x, mp_srcptr m, mp_size_t n, mp_limb_t minv, mp_ptr t) {
    for (mp_size_t i = 0; i < n; i++) { t[i] = x[i]; t[n + i] = 0; }
    cgmp_mont_redc(r, t, m, n, minv);      // ≤ m
    mp_limb_t borrow = mpn_sub_n(t, r, m, n); // t = r - m
    mpn_cnd_add_n(borrow, t, t, m, n);     // back to r when r < m
    for (mp_size_t i = 0; i < n; i++) r[i] = t[i];
}

/// Scratch for one exponentiation or table build: limbs needed.
static inline size_t cgmp_fb_scratch_limbs(mp_size_t n) {
    size_t a = (size_t)mpn_sec_mul_itch(n, n), b = (size_t)mpn_sec_div_r_itch(2 * n, n);
    return 2 * (size_t)n + (a > b ? a : b) + 1;
}

static inline void cgmp_fb_free(cgmp_fb *t) {
    if (!t) return;
    size_t entries = t->positions << t->w;
    if (t->tab) { cgmp_fb_wipe(t->tab, entries * (size_t)t->n); free(t->tab); }
    if (t->one) { cgmp_fb_wipe(t->one, (size_t)t->n); free(t->one); }
    if (t->inv_offset) { cgmp_fb_wipe(t->inv_offset, (t->max_offset_limbs + 1) * (size_t)t->n); free(t->inv_offset); }
    if (t->mod) { cgmp_fb_wipe(t->mod, (size_t)t->n); free(t->mod); }
    free(t);
}

/// Builds the table of `base` (0 ≤ base < m) for exponents of up to `max_bits` bits (after the offset, if
/// any), digit width w (1..8). m odd, > 1. With `offsets`, base must be a unit mod m (its inverse powers are
/// precomputed, by mpz_invert: base and m must then be PUBLIC). NULL on bad input or allocation failure.
static inline cgmp_fb *cgmp_fb_new(mpz_srcptr base, mpz_srcptr m, size_t max_bits, unsigned w, int offsets) {
    if (w < 1 || w > 8 || mpz_sgn(m) <= 0 || mpz_even_p(m) || mpz_cmp_ui(m, 1) <= 0) return NULL;
    if (mpz_sgn(base) < 0 || mpz_cmp(base, m) >= 0 || max_bits == 0) return NULL;
    cgmp_fb *t = calloc(1, sizeof(cgmp_fb));
    if (!t) return NULL;
    mp_size_t n = (mp_size_t)mpz_size(m);
    t->n = n; t->w = w; t->positions = (max_bits + w - 1) / w;
    size_t entries = t->positions << w, rowLimbs = ((size_t)1 << w) * (size_t)n;
    t->tab = malloc(entries * (size_t)n * sizeof(mp_limb_t));
    t->mod = malloc((size_t)n * sizeof(mp_limb_t));
    t->one = malloc((size_t)n * sizeof(mp_limb_t));
    size_t sl = cgmp_fb_scratch_limbs(n);
    mp_limb_t *scratch = malloc((sl + 2 * (size_t)n + 1) * sizeof(mp_limb_t));
    mp_limb_t *x = malloc((size_t)n * sizeof(mp_limb_t));
    if (!t->tab || !t->mod || !t->one || !scratch || !x) { free(scratch); free(x); cgmp_fb_free(t); return NULL; }
    mp_ptr tp = scratch, s = scratch + 2 * n;
    for (mp_size_t i = 0; i < n; i++) t->mod[i] = mpz_getlimbn(m, i);
    t->minv = cgmp_mont_minv(t->mod[0]);
    // R mod m = mont(1); mont(base).
    for (mp_size_t i = 0; i < n; i++) x[i] = i == 0 ? 1 : 0;
    cgmp_mont_in(t->one, x, t->mod, n, tp, s);
    for (mp_size_t i = 0; i < n; i++) x[i] = mpz_getlimbn(base, i);
    mp_limb_t *cur = malloc((size_t)n * sizeof(mp_limb_t));
    if (!cur) { free(scratch); free(x); cgmp_fb_free(t); return NULL; }
    cgmp_mont_in(cur, x, t->mod, n, tp, s);
    for (size_t j = 0; j < t->positions; j++) {
        mp_limb_t *row = t->tab + j * rowLimbs;
        memcpy(row, t->one, (size_t)n * sizeof(mp_limb_t));
        memcpy(row + n, cur, (size_t)n * sizeof(mp_limb_t));
        for (size_t d = 2; d < ((size_t)1 << w); d++)
            cgmp_mont_mul(row + d * n, row + (d - 1) * n, cur, t->mod, n, t->minv, tp, s);
        for (unsigned k = 0; k < w; k++) cgmp_mont_mul(cur, cur, cur, t->mod, n, t->minv, tp, s);
    }
    int ok = 1;
    if (offsets) {
        // b^(2^(64L)) is entry (j, 2^r) with 64L = w·j + r; its inverse through mpz (public values).
        t->max_offset_limbs = (t->positions * w - 1) / 64;
        t->inv_offset = malloc((t->max_offset_limbs + 1) * (size_t)n * sizeof(mp_limb_t));
        mpz_t v, inv;
        mpz_init(v); mpz_init(inv);
        for (size_t L = 0; ok && t->inv_offset && L <= t->max_offset_limbs; L++) {
            size_t bit = 64 * L, j = bit / w, r = bit % w;
            cgmp_mont_out(x, t->tab + j * rowLimbs + ((size_t)1 << r) * n, t->mod, n, t->minv, tp);
            mpz_import(v, (size_t)n, -1, sizeof(mp_limb_t), 0, 0, x);
            if (!mpz_invert(inv, v, m)) { ok = 0; break; }
            for (mp_size_t i = 0; i < n; i++) x[i] = mpz_getlimbn(inv, i);
            cgmp_mont_in(t->inv_offset + L * n, x, t->mod, n, tp, s);
        }
        if (!t->inv_offset) ok = 0;
        mpz_clear(v); mpz_clear(inv);
    }
    cgmp_fb_wipe(cur, (size_t)n); free(cur);
    cgmp_fb_wipe(x, (size_t)n); free(x);
    cgmp_fb_wipe(scratch, sl + 2 * (size_t)n + 1); free(scratch);
    if (!ok) { cgmp_fb_free(t); return NULL; }
    return t;
}

/// The w-bit digit of e (el limbs) at bit `bit`: positions and shifts are public, the value is not branched on.
static inline size_t cgmp_fb_digit(const mp_limb_t *e, size_t el, size_t bit, unsigned w) {
    size_t li = bit / 64, sh = bit % 64;
    mp_limb_t v = li < el ? e[li] >> sh : 0;
    if (sh + w > 64 && li + 1 < el) v |= e[li + 1] << (64 - sh);
    return (size_t)(v & (((mp_limb_t)1 << w) - 1));
}

/// acc ← acc · b^(e') where e' is |e| (offset == 0, e ≥ 0) or e + 2^(64L) (offset != 0). e' is written to
/// ebuf (cap limbs). Returns L (limbs of |e|), or -1 when e does not fit the table (or e < 0 without offset).
static inline long cgmp_fb_mul_pow(const cgmp_fb *t, mp_ptr acc, mpz_srcptr e, int offset, mp_limb_t *ebuf, size_t cap,
                                   mp_ptr sel, mp_ptr tp, mp_ptr s) {
    mp_size_t sz = e->_mp_size;
    mp_size_t sgn = sz >> (sizeof(mp_size_t) * 8 - 1);   // 0 or -1, no branch
    size_t L = (size_t)((sz ^ sgn) - sgn);               // limb count of |e|: a size, public
    size_t bits = 64 * L + (offset ? 1 : 0);
    if (L + 1 > cap || bits > t->positions * t->w || (!offset && sz < 0)) return -1;
    if (offset && L > t->max_offset_limbs) return -1;
    mp_limb_t neg = (mp_limb_t)0 - (mp_limb_t)(sgn & 1);
    const mp_limb_t *d = e->_mp_d;
    for (size_t i = 0; i < L; i++) ebuf[i] = d[i] ^ neg;
    ebuf[L] = neg;
    mp_limb_t c = neg & 1;                               // two's complement: (|e| xor -1) + 1
    for (size_t i = 0; i <= L; i++) { mp_limb_t v = ebuf[i] + c; c = v < c; ebuf[i] = v; }
    if (offset) ebuf[L] += 1;                            // + 2^(64L): in (0, 2^(64L+1))
    size_t rowLimbs = ((size_t)1 << t->w) * (size_t)t->n, pos = (bits + t->w - 1) / t->w;
    for (size_t j = 0; j < pos; j++) {
        size_t digit = cgmp_fb_digit(ebuf, L + 1, j * t->w, t->w);
        mpn_sec_tabselect(sel, t->tab + j * rowLimbs, t->n, (mp_size_t)1 << t->w, (mp_size_t)digit);
        cgmp_mont_mul(acc, acc, sel, t->mod, t->n, t->minv, tp, s);
    }
    if (offset) cgmp_mont_mul(acc, acc, t->inv_offset + L * (size_t)t->n, t->mod, t->n, t->minv, tp, s);
    return (long)L;
}

/// r = a^ea · b^eb mod m (b may be NULL: r = a^ea). Both tables over the same modulus. Signed exponents
/// when `offset` (the tables were built with offsets), else non-negative. Returns 0, or -1 if an exponent
/// does not fit (r untouched: the caller falls back to mpz_powm_sec).
static inline int cgmp_fb_pow2(mpz_ptr r, const cgmp_fb *a, mpz_srcptr ea, const cgmp_fb *b, mpz_srcptr eb, int offset) {
    mp_size_t n = a->n;
    if (b && (b->n != n || mpn_cmp(a->mod, b->mod, n) != 0)) return -1;
    size_t la = mpz_size(ea), lb = b ? mpz_size(eb) : 0, cap = (la > lb ? la : lb) + 2;
    size_t sl = cgmp_fb_scratch_limbs(n), total = sl + 2 * (size_t)n + cap;
    mp_limb_t *w = malloc(total * sizeof(mp_limb_t));
    if (!w) return -1;
    mp_ptr tp = w, s = w + 2 * n, acc = w + sl, sel = acc + n, ebuf = sel + n;
    memcpy(acc, a->one, (size_t)n * sizeof(mp_limb_t));
    int rc = 0;
    if (cgmp_fb_mul_pow(a, acc, ea, offset, ebuf, cap, sel, tp, s) < 0) rc = -1;
    if (rc == 0 && b && cgmp_fb_mul_pow(b, acc, eb, offset, ebuf, cap, sel, tp, s) < 0) rc = -1;
    if (rc == 0) {
        cgmp_mont_out(sel, acc, a->mod, n, a->minv, tp);
        mp_limb_t *out = mpz_limbs_write(r, n);
        for (mp_size_t i = 0; i < n; i++) out[i] = sel[i];
        mpz_limbs_finish(r, n);
    }
    cgmp_fb_wipe(w, total);
    free(w);
    return rc;
}
