// AVX2 integer dot products of the K-quant super-blocks with Q8_K activations. Per super-block the weights
// are unpacked 32 at a time to unsigned bytes u, maddubs(u, qx) gives 16 int16 pair sums (two groups of
// 16 elements: lanes 0..7 and 8..15), madd with the matching group scales gives int32, and the integer
// total meets the float scales once per 256 elements. Offsets are taken out with Q8_K's bsums (Σ qx per
// 16 elements): q = u − bias for Q3_K (4) and Q6_K (32), w = d·sc·q − dmin·mn for Q2_K, Q4_K, Q5_K.
//
// int32 headroom: per lane at most 8 madd results of 4·63·127·128 (Q6_K, the widest), about 3.3e7 < 2^31.

#include "backend/cpu/quant/avx2_common.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu::quant::avx2 {
namespace {

HEARTH_AVX2_INLINE __m256i load256(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
HEARTH_AVX2_INLINE __m128i load128(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }

// For 16 int8 scales s: the int16 vector [s[g] ×8 | s[g+1] ×8], the scales of one maddubs output.
// `pick` holds the byte pattern [g ×8, g+1 ×8]; callers step it by 2 between group pairs.
HEARTH_AVX2_INLINE __m256i group_pair_scales(__m128i scales_i8, __m128i pick) {
    return _mm256_cvtepi8_epi16(_mm_shuffle_epi8(scales_i8, pick));
}
HEARTH_AVX2_INLINE __m128i first_pick() { return _mm_set_epi64x(0x0101010101010101, 0); }

// Σ_g scale_g · bsum_g over the 16 groups (scales as 16 int8).
HEARTH_AVX2_INLINE __m256i scaled_bsums(__m128i scales_i8, const act_q8_k& a) {
    return _mm256_madd_epi16(_mm256_cvtepi8_epi16(scales_i8), load256(a.bsums));
}

// Kept in registers: going through memory would make a 16-byte load of two 8-byte stores, which the CPU
// cannot forward (a stall of a dozen cycles per super-block).
HEARTH_AVX2_INLINE __m128i from_words(const Bytes16& b) {
    return _mm_set_epi64x(static_cast<long long>(b.hi), static_cast<long long>(b.lo));
}

// Σ over the 8 groups of 32 of mn_g · (bsum_2g + bsum_2g+1), mn as 8 uint8 in a word.
HEARTH_AVX2_INLINE int min_sum_8(std::uint64_t mins, const act_q8_k& a) {
    const __m256i bsums = load256(a.bsums);
    const __m128i pair_sums = _mm_hadd_epi16(_mm256_castsi256_si128(bsums), _mm256_extracti128_si256(bsums, 1));
    const __m128i mn = _mm_cvtepu8_epi16(_mm_cvtsi64_si128(static_cast<long long>(mins)));
    __m128i s = _mm_madd_epi16(mn, pair_sums);
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtsi128_si32(s);
}

}  // namespace

HEARTH_AVX2 float dot_q2_k_q8_k(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q2_k*>(row);
    const auto* a = static_cast<const act_q8_k*>(xq);
    const __m256i m3 = _mm256_set1_epi8(3);
    __m256 acc = _mm256_setzero_ps();
    float acc_min = 0.0f;
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const float dx = load_f32(a[b].d);
        const __m128i packed = load128(w[b].scales);
        const __m128i sc = _mm_and_si128(packed, _mm_set1_epi8(0xF));
        const __m128i mn = _mm_and_si128(_mm_srli_epi16(packed, 4), _mm_set1_epi8(0xF));
        const int sum_min = hsum_i32(scaled_bsums(mn, a[b]));
        __m256i sumi = _mm256_setzero_si256();
        __m128i pick = first_pick();
        for (int h = 0; h < 2; ++h) {
            __m256i qs = load256(w[b].qs + 32 * h);
            for (int j = 0; j < 4; ++j) {
                // bits 2j..2j+1; shifting the whole word by 2 each step never brings a neighbour's bit
                // into the two low bits of a byte within the 3 steps.
                const __m256i u = _mm256_and_si256(qs, m3);
                qs = _mm256_srli_epi16(qs, 2);
                const __m256i p = _mm256_maddubs_epi16(u, load256(a[b].qs + 128 * h + 32 * j));
                sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(p, group_pair_scales(sc, pick)));
                pick = _mm_add_epi8(pick, _mm_set1_epi8(2));
            }
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(f16_hw(w[b].d) * dx), _mm256_cvtepi32_ps(sumi), acc);
        acc_min += f16_hw(w[b].dmin) * dx * static_cast<float>(sum_min);
    }
    return hsum(acc) - acc_min;
}

HEARTH_AVX2 float dot_q3_k_q8_k(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q3_k*>(row);
    const auto* a = static_cast<const act_q8_k*>(xq);
    const __m256i m3 = _mm256_set1_epi8(3);
    const __m256i m1 = _mm256_set1_epi8(1);
    __m256 acc = _mm256_setzero_ps();
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const Bytes16 biased = q3_k_scales_biased_16(w[b].scales);
        const __m128i sc = _mm_sub_epi8(from_words(biased), _mm_set1_epi8(32));  // [−32, 31]
        // q = u − 4 with u = low | hbit << 2 in [0, 7]: Σ sc·q·x = Σ sc·u·x − 4·Σ_g sc_g·bsum_g.
        __m256i sumi = _mm256_slli_epi32(scaled_bsums(sc, a[b]), 2);
        sumi = _mm256_sub_epi32(_mm256_setzero_si256(), sumi);
        __m256i hmask = load256(w[b].hmask);
        __m128i pick = first_pick();
        for (int h = 0; h < 2; ++h) {
            __m256i qs = load256(w[b].qs + 32 * h);
            for (int j = 0; j < 4; ++j) {
                const __m256i low = _mm256_and_si256(qs, m3);
                const __m256i high = _mm256_slli_epi16(_mm256_and_si256(hmask, m1), 2);  // bit 4h + j
                qs = _mm256_srli_epi16(qs, 2);
                hmask = _mm256_srli_epi16(hmask, 1);
                const __m256i p = _mm256_maddubs_epi16(_mm256_or_si256(low, high), load256(a[b].qs + 128 * h + 32 * j));
                sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(p, group_pair_scales(sc, pick)));
                pick = _mm_add_epi8(pick, _mm_set1_epi8(2));
            }
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(f16_hw(w[b].d) * load_f32(a[b].d)), _mm256_cvtepi32_ps(sumi), acc);
    }
    return hsum(acc);
}

namespace {

// The 4- or 5-bit K types: 8 groups of 32, each chunk of 32 qs bytes holding groups 2c (low nibbles) and
// 2c + 1 (high nibbles).
template <typename Block, bool five_bit>
HEARTH_AVX2_INLINE float dot_q45_k(const Block* w, const act_q8_k* a, std::int64_t nb) {
    __m256 acc = _mm256_setzero_ps();
    float acc_min = 0.0f;
    for (std::int64_t b = 0; b < nb; ++b) {
        const Bytes16 sc_mn = k_scales_min_16(w[b].scales);
        const float dx = load_f32(a[b].d);
        acc_min += f16_hw(w[b].dmin) * dx * static_cast<float>(min_sum_8(sc_mn.hi, a[b]));
        // The 8 scales as int16 in both 128-bit lanes; shuffles pick one group's scale for a whole lane.
        const __m128i sc8 = _mm_cvtsi64_si128(static_cast<long long>(sc_mn.lo));
        const __m256i sc16 = _mm256_broadcastsi128_si256(_mm_cvtepu8_epi16(sc8));
        __m256i pick = _mm256_set1_epi16(0x0100);  // bytes (0, 1): int16 element 0
        const __m256i next = _mm256_set1_epi16(0x0202);
        __m256i qh = _mm256_setzero_si256();
        if constexpr (five_bit) qh = load256(w[b].qh);
        __m256i sumi = _mm256_setzero_si256();
        for (int c = 0; c < 4; ++c) {
            __m256i lo, hi;
            k45_chunk<five_bit>(w[b].qs + 32 * c, qh, lo, hi);
            const __m256i p_lo = _mm256_maddubs_epi16(lo, load256(a[b].qs + 64 * c));
            const __m256i p_hi = _mm256_maddubs_epi16(hi, load256(a[b].qs + 64 * c + 32));
            const __m256i s_lo = _mm256_shuffle_epi8(sc16, pick);
            pick = _mm256_add_epi8(pick, next);
            const __m256i s_hi = _mm256_shuffle_epi8(sc16, pick);
            pick = _mm256_add_epi8(pick, next);
            sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(_mm256_madd_epi16(p_lo, s_lo), _mm256_madd_epi16(p_hi, s_hi)));
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(f16_hw(w[b].d) * dx), _mm256_cvtepi32_ps(sumi), acc);
    }
    return hsum(acc) - acc_min;
}

}  // namespace

HEARTH_AVX2 float dot_q4_k_q8_k(const void* row, const void* xq, std::int64_t n) {
    return dot_q45_k<block_q4_k, false>(static_cast<const block_q4_k*>(row), static_cast<const act_q8_k*>(xq), n / qk_k);
}

HEARTH_AVX2 float dot_q5_k_q8_k(const void* row, const void* xq, std::int64_t n) {
    return dot_q45_k<block_q5_k, true>(static_cast<const block_q5_k*>(row), static_cast<const act_q8_k*>(xq), n / qk_k);
}

HEARTH_AVX2 float dot_q6_k_q8_k(const void* row, const void* xq, std::int64_t n) {
    const auto* w = static_cast<const block_q6_k*>(row);
    const auto* a = static_cast<const act_q8_k*>(xq);
    __m256 acc = _mm256_setzero_ps();
    for (std::int64_t b = 0; b < n / qk_k; ++b) {
        const __m128i sc = load128(w[b].scales);
        // q = u − 32 with u in [0, 63]: Σ sc·q·x = Σ sc·u·x − 32·Σ_g sc_g·bsum_g.
        __m256i sumi = _mm256_sub_epi32(_mm256_setzero_si256(), _mm256_slli_epi32(scaled_bsums(sc, a[b]), 5));
        __m128i pick = first_pick();
        for (int h = 0; h < 2; ++h) {
            __m256i u[4];
            q6_k_half(w[b], h, u);
            for (int k = 0; k < 4; ++k) {
                const __m256i p = _mm256_maddubs_epi16(u[k], load256(a[b].qs + 128 * h + 32 * k));
                sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(p, group_pair_scales(sc, pick)));
                pick = _mm_add_epi8(pick, _mm_set1_epi8(2));
            }
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(f16_hw(w[b].d) * load_f32(a[b].d)), _mm256_cvtepi32_ps(sumi), acc);
    }
    return hsum(acc);
}

}  // namespace hearth::cpu::quant::avx2
