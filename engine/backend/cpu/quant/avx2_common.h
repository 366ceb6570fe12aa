#pragma once
// Helpers shared by the AVX2 kernels. Every function that touches a 256-bit intrinsic carries
// HEARTH_AVX2 (a per-function target), so the rest of the binary stays baseline x86-64; callers must
// check the CPU first (row_kernels.cpp does, once).

#include <immintrin.h>

#include <cstdint>

#include "backend/cpu/avx2_float.h"
#include "backend/cpu/quant/block_layouts.h"

#define HEARTH_AVX2 __attribute__((target("avx2,fma,f16c")))
#define HEARTH_AVX2_INLINE __attribute__((target("avx2,fma,f16c"), always_inline)) inline
// The same plus AVX-VNNI (vpdpwssd: int16 pair products and their add in one instruction), for the int16
// kernels row_kernels.cpp picks on CPUs that have it (Intel since Alder Lake and Sapphire Rapids, AMD Zen 5).
// HEARTH_AVX2_INLINE helpers inline into these functions (their target is a subset); not the other way.
#define HEARTH_AVXVNNI __attribute__((target("avx2,fma,f16c,avxvnni")))
#define HEARTH_AVXVNNI_INLINE __attribute__((target("avx2,fma,f16c,avxvnni"), always_inline)) inline

namespace hearth::cpu::quant {
// Σ over one block of w·x for weights `lo` (elements 0..15) and `hi` (16..31) as int16 against the block's
// 32 int16 activations at xs: 8 int32 lanes. Two vpmaddwd and an add, or two vpdpwssd.
HEARTH_AVX2_INLINE __m256i int16_block_dot(__m256i lo, __m256i hi, const std::uint8_t* xs) {
    return _mm256_add_epi32(_mm256_madd_epi16(lo, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xs))),
                            _mm256_madd_epi16(hi, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xs + 32))));
}
HEARTH_AVXVNNI_INLINE __m256i int16_block_dot_vnni(__m256i lo, __m256i hi, const std::uint8_t* xs) {
    const __m256i first = _mm256_madd_epi16(lo, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xs)));
    return _mm256_dpwssd_avx_epi32(first, hi, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xs + 32)));
}

// For the eight-row group kernels: activation pair `pair` of a block (the two int16 at xs + 4·pair) in every
// 32-bit lane, and acc + the pair products of w and x summed into int32 lanes (vpmaddwd + vpaddd, or one
// vpdpwssd).
HEARTH_AVX2_INLINE __m256i broadcast_pair(const std::uint8_t* xs, int pair) {
    return _mm256_set1_epi32(static_cast<int>(load_u32(xs + 4 * pair)));
}
HEARTH_AVX2_INLINE __m256i madd_add(__m256i acc, __m256i w, __m256i x) {
    return _mm256_add_epi32(acc, _mm256_madd_epi16(w, x));
}
HEARTH_AVXVNNI_INLINE __m256i madd_add_vnni(__m256i acc, __m256i w, __m256i x) {
    return _mm256_dpwssd_avx_epi32(acc, w, x);
}
}  // namespace hearth::cpu::quant

namespace hearth::cpu::quant::avx2 {

using hearth::backend::cpu::avx2::hsum;

HEARTH_AVX2_INLINE int hsum_i32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtsi128_si32(s);
}

HEARTH_AVX2_INLINE float f16_hw(const std::uint8_t* p) { return _cvtsh_ss(load_u16(p)); }

// The 32 nibbles of 16 packed bytes in GGML order: low nibbles (elements 0..15), then high (16..31).
HEARTH_AVX2_INLINE __m256i nibbles_32(const std::uint8_t* qs) {
    const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(qs));
    const __m256i both = _mm256_set_m128i(_mm_srli_epi16(packed, 4), packed);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
}

// Byte i = 0xFF where bit i of the little-endian u32 at p is set, else 0.
HEARTH_AVX2_INLINE __m256i bits_to_bytes_32(const std::uint8_t* p) {
    // Spread byte k of the u32 over bytes 8k..8k+7, set every bit except bit (i % 8) in byte i: the byte
    // is all ones exactly when that one bit was set.
    const __m256i spread = _mm256_shuffle_epi8(
        _mm256_set1_epi32(static_cast<int>(load_u32(p))),
        _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0x0000000000000000));
    const __m256i others = _mm256_set1_epi64x(0x7FBFDFEFF7FBFDFE);
    return _mm256_cmpeq_epi8(_mm256_or_si256(spread, others), _mm256_set1_epi64x(-1));
}

// ---- Activation quantizers (activation_quant_avx2.cpp, int16_avx2*.cpp) ----

// Quantizes 8·k floats with one scale d = max|x| / qmax: q[i] gets 8 int32, x·(1/d) rounded half to even
// (cvtps2dq under the default MXCSR) — the scalar quantizers' operations in their order. Returns d.
template <int k>
HEARTH_AVX2_INLINE float quantize_vectors(const float* x, float qmax, __m256i* q) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 v[k];
    __m256 amax = _mm256_setzero_ps();
    for (int i = 0; i < k; ++i) {
        v[i] = _mm256_loadu_ps(x + 8 * i);
        amax = _mm256_max_ps(amax, _mm256_andnot_ps(sign, v[i]));
    }
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    const float d = _mm_cvtss_f32(m) / qmax;
    const __m256 id = _mm256_set1_ps(d != 0.0f ? 1.0f / d : 0.0f);
    for (int i = 0; i < k; ++i) q[i] = _mm256_cvtps_epi32(_mm256_mul_ps(v[i], id));
    return d;
}

// Stores 4 vectors of int32 in int16 range as 32 little-endian int16 in element order. packs works within
// 128-bit lanes ([q0 lo, q1 lo | q0 hi, q1 hi]); the permute restores the order.
HEARTH_AVX2_INLINE void store_i16x32(const __m256i* q, std::uint8_t* out) {
    for (int i = 0; i < 2; ++i) {
        const __m256i packed = _mm256_packs_epi32(q[2 * i], q[2 * i + 1]);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 32 * i), _mm256_permute4x64_epi64(packed, 0xD8));
    }
}

// Σ of the 32 int32 in 4 vectors.
HEARTH_AVX2_INLINE int sum_i32x32(const __m256i* q) {
    return hsum_i32(_mm256_add_epi32(_mm256_add_epi32(q[0], q[1]), _mm256_add_epi32(q[2], q[3])));
}

// ---- Dot products of the 32-element blocks (dot_avx2_legacy.cpp, int16_avx2.cpp) ----

// Runs `kernel.fma(i, acc)` over blocks 0..nb−1 on two accumulators; adds kernel.extra() at the end. Blocks
// alternate between the accumulators so consecutive FMAs do not wait on each other.
template <typename Kernel>
HEARTH_AVX2_INLINE float run_blocks(Kernel& kernel, std::int64_t nb) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 2 <= nb; i += 2) {
        acc0 = kernel.fma(i, acc0);
        acc1 = kernel.fma(i + 1, acc1);
    }
    if (i < nb) acc0 = kernel.fma(i, acc0);
    return hsum(_mm256_add_ps(acc0, acc1)) + kernel.extra();
}

// Q4_1 / Q5_1 against activations with [d, s]: one f16 pair conversion of the weight block's [dw, m] and one
// multiply by the activation block's [dx, s] (two f32) give [dw·dx, m·s]; lane 0 scales the block's
// integer dot, lane 1 belongs to the offsets' sum.
HEARTH_AVX2_INLINE __m128 affine_scales(const std::uint8_t* w_dm, const std::uint8_t* a_ds) {
    const __m128 dm = _mm_cvtph_ps(_mm_cvtsi32_si128(static_cast<int>(load_u32(w_dm))));
    const __m128 ds = _mm_castsi128_ps(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(a_ds)));
    return _mm_mul_ps(dm, ds);
}

// ---- K-quant super-blocks (dot_avx2_k.cpp, int16_avx2_k.cpp) ----

// Chunk c of a Q4_K / Q5_K super-block as unsigned bytes: lo = group 2c (low nibbles), hi = group 2c + 1
// (high nibbles). For Q5_K, qh (the block's qh, loaded once) supplies bit g of qh[l] for group g and moves
// down one bit per group (7 steps at most, so bit 0 of each byte is always that byte's own bit).
template <bool five_bit>
HEARTH_AVX2_INLINE void k45_chunk(const std::uint8_t* qs32, __m256i& qh, __m256i& lo, __m256i& hi) {
    const __m256i m4 = _mm256_set1_epi8(0xF);
    const __m256i qs = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qs32));
    lo = _mm256_and_si256(qs, m4);
    hi = _mm256_and_si256(_mm256_srli_epi16(qs, 4), m4);
    if constexpr (five_bit) {
        const __m256i m1 = _mm256_set1_epi8(1);
        lo = _mm256_or_si256(lo, _mm256_slli_epi16(_mm256_and_si256(qh, m1), 4));
        qh = _mm256_srli_epi16(qh, 1);
        hi = _mm256_or_si256(hi, _mm256_slli_epi16(_mm256_and_si256(qh, m1), 4));
        qh = _mm256_srli_epi16(qh, 1);
    }
}

// The unsigned 6-bit quants u (q = u − 32) of half h of a Q6_K super-block, 32 elements per vector:
// u[k] holds elements 128h + 32k + l, nibble k/2 of ql[64h + 32(k%2) + l] with bits 2k..2k+1 of qh[32h + l]
// moved to bits 4..5.
HEARTH_AVX2_INLINE void q6_k_half(const block_q6_k& b, int h, __m256i u[4]) {
    const __m256i m4 = _mm256_set1_epi8(0xF);
    const __m256i m30 = _mm256_set1_epi8(0x30);
    const __m256i ql0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.ql + 64 * h));
    const __m256i ql1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.ql + 64 * h + 32));
    const __m256i qh = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qh + 32 * h));
    u[0] = _mm256_or_si256(_mm256_and_si256(ql0, m4), _mm256_and_si256(_mm256_slli_epi16(qh, 4), m30));
    u[1] = _mm256_or_si256(_mm256_and_si256(ql1, m4), _mm256_and_si256(_mm256_slli_epi16(qh, 2), m30));
    u[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), m4), _mm256_and_si256(qh, m30));
    u[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), m4), _mm256_and_si256(_mm256_srli_epi16(qh, 2), m30));
}

// Σ over pairs of u·s (u unsigned bytes, s signed bytes) widened to 8 int32 lanes; each lane sums 4 products.
// maddubs saturates its int16 pair sums: callers keep 2·max|u|·max|s| ≤ 32767 (u ≤ 128 with |s| ≤ 127).
HEARTH_AVX2_INLINE __m256i dot_u8_i8(__m256i u, __m256i s) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
}

// Σ w·s for signed bytes w in [−128, 127] and s in [−127, 127]: |w| as unsigned, w's sign moved onto s.
HEARTH_AVX2_INLINE __m256i dot_i8_i8(__m256i w, __m256i s) {
    return dot_u8_i8(_mm256_sign_epi8(w, w), _mm256_sign_epi8(s, w));
}

// out[0..7] = scale · float(q) + add for 8 int32 q. Two roundings, as the scalar dequantizers do.
HEARTH_AVX2_INLINE void store_affine_i32(__m256i q, __m256 scale, __m256 add, float* out) {
    _mm256_storeu_ps(out, _mm256_add_ps(_mm256_mul_ps(scale, _mm256_cvtepi32_ps(q)), add));
}
HEARTH_AVX2_INLINE void store_scaled_i32(__m256i q, __m256 scale, float* out) {
    _mm256_storeu_ps(out, _mm256_mul_ps(scale, _mm256_cvtepi32_ps(q)));
}

// 16 signed bytes → 16 floats scale·q (+ add when `affine`).
template <bool affine>
HEARTH_AVX2_INLINE void store_i8x16(__m128i q, float scale, float add, float* out) {
    const __m256 vs = _mm256_set1_ps(scale);
    const __m256i lo = _mm256_cvtepi8_epi32(q);
    const __m256i hi = _mm256_cvtepi8_epi32(_mm_unpackhi_epi64(q, q));
    if constexpr (affine) {
        const __m256 va = _mm256_set1_ps(add);
        store_affine_i32(lo, vs, va, out);
        store_affine_i32(hi, vs, va, out + 8);
    } else {
        store_scaled_i32(lo, vs, out);
        store_scaled_i32(hi, vs, out + 8);
    }
}

// 32 signed bytes → 32 floats.
template <bool affine>
HEARTH_AVX2_INLINE void store_i8x32(__m256i q, float scale, float add, float* out) {
    store_i8x16<affine>(_mm256_castsi256_si128(q), scale, add, out);
    store_i8x16<affine>(_mm256_extracti128_si256(q, 1), scale, add, out + 16);
}

}  // namespace hearth::cpu::quant::avx2
