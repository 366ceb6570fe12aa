#include "backend/cpu/kv_convert.h"

#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include "backend/cpu/quant/row_kernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HEARTH_KV_F16C 1
#endif

namespace hearth::backend::cpu {
namespace {

std::uint32_t bits_of(float x) {
    std::uint32_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
}
float float_of(std::uint32_t b) {
    float x;
    std::memcpy(&x, &b, sizeof x);
    return x;
}

// FP8 with `man` mantissa bits and exponent bias `bias`, rounded to nearest even; finite values beyond
// `max_code` (the largest finite magnitude) saturate to it. `inf_code` is what ±inf becomes, NaN gives 0x7F.
template <int man, int bias>
std::uint8_t encode_fp8(float x, std::uint8_t max_code, std::uint8_t inf_code) {
    const std::uint32_t b = bits_of(x);
    const auto sign = static_cast<std::uint8_t>((b >> 24) & 0x80u);
    const std::uint32_t a = b & 0x7FFFFFFFu;
    if (a > 0x7F800000u) return static_cast<std::uint8_t>(sign | 0x7F);
    if (a == 0x7F800000u) return static_cast<std::uint8_t>(sign | inf_code);
    constexpr std::uint32_t min_normal = static_cast<std::uint32_t>(127 + 1 - bias) << 23;
    if (a >= min_normal) {
        // Round the f32 mantissa to `man` bits (a carry moves into the exponent, as it should), then re-bias.
        constexpr int shift = 23 - man;
        const std::uint32_t rounded = (a + ((1u << (shift - 1)) - 1) + ((a >> shift) & 1u)) >> shift;
        const std::uint32_t code = rounded - (static_cast<std::uint32_t>(127 - bias) << man);
        return static_cast<std::uint8_t>(sign | (code > max_code ? max_code : code));
    }
    // Subnormal range: the code is |x| in units of the smallest subnormal, 2^(1 - bias - man). The scaling is
    // exact; nearbyint rounds half to even (the default rounding mode). 2^man means the smallest normal,
    // which is exactly that code.
    const float units = std::nearbyint(float_of(a) * std::ldexp(1.0f, bias - 1 + man));
    return static_cast<std::uint8_t>(sign | static_cast<std::uint8_t>(units));
}

float decode_e4m3(std::uint8_t c) {
    const int e = (c >> 3) & 0xF, m = c & 7;
    float v;
    if (e == 15 && m == 7) v = std::numeric_limits<float>::quiet_NaN();
    else if (e == 0) v = std::ldexp(static_cast<float>(m), -9);
    else v = std::ldexp(1.0f + static_cast<float>(m) / 8.0f, e - 7);
    return (c & 0x80) ? -v : v;
}

float decode_e5m2(std::uint8_t c) {
    const int e = (c >> 2) & 0x1F, m = c & 3;
    float v;
    if (e == 31) v = m == 0 ? std::numeric_limits<float>::infinity() : std::numeric_limits<float>::quiet_NaN();
    else if (e == 0) v = std::ldexp(static_cast<float>(m), -16);
    else v = std::ldexp(1.0f + static_cast<float>(m) / 4.0f, e - 15);
    return (c & 0x80) ? -v : v;
}

template <float (*decode)(std::uint8_t)>
std::array<float, 256> make_table() {
    std::array<float, 256> t{};
    for (int c = 0; c < 256; ++c) t[static_cast<std::size_t>(c)] = decode(static_cast<std::uint8_t>(c));
    return t;
}
const std::array<float, 256> e4m3_table = make_table<decode_e4m3>();
const std::array<float, 256> e5m2_table = make_table<decode_e5m2>();

// The per-head scale of an E4M3 row: max|x| / 448 over the finite values, 1 where that is 0 (a row of zeros
// or of non-finite values only, or one so tiny that the scale underflows).
float e4m3_scale(const float* x, std::int32_t n) {
    float max_abs = 0.0f;
    for (std::int32_t i = 0; i < n; ++i) {
        const float a = std::fabs(x[i]);
        if (a > max_abs && a <= std::numeric_limits<float>::max()) max_abs = a;  // NaN and inf fail a test
    }
    const float scale = max_abs / fp8_e4m3_max;
    return scale > 0.0f ? scale : 1.0f;
}

void encode_row_scalar(TensorType type, const float* x, std::int32_t n_heads, std::int32_t head_dim, void* dst,
                       float* scales) {
    const std::int64_t n = static_cast<std::int64_t>(n_heads) * head_dim;
    switch (type) {
    case TensorType::F32: std::memcpy(dst, x, static_cast<std::size_t>(n) * sizeof(float)); return;
    case TensorType::F16: {
        auto* out = static_cast<std::uint16_t*>(dst);
        for (std::int64_t i = 0; i < n; ++i) out[i] = f32_to_f16(x[i]);
        return;
    }
    case TensorType::BF16: {
        auto* out = static_cast<std::uint16_t*>(dst);
        for (std::int64_t i = 0; i < n; ++i) out[i] = f32_to_bf16(x[i]);
        return;
    }
    case TensorType::F8_E5M2: {
        auto* out = static_cast<std::uint8_t*>(dst);
        for (std::int64_t i = 0; i < n; ++i) out[i] = f32_to_fp8_e5m2(x[i]);
        return;
    }
    case TensorType::F8_E4M3: {
        auto* out = static_cast<std::uint8_t*>(dst);
        for (std::int32_t h = 0; h < n_heads; ++h) {
            const float* xh = x + static_cast<std::int64_t>(h) * head_dim;
            std::uint8_t* oh = out + static_cast<std::int64_t>(h) * head_dim;
            const float scale = e4m3_scale(xh, head_dim);
            scales[h] = scale;
            // NOTE: a true division, as the contract says (stored = value / scale); x · (1/scale) would round
            // differently now and then.
            for (std::int32_t i = 0; i < head_dim; ++i) oh[i] = f32_to_fp8_e4m3(xh[i] / scale);
        }
        return;
    }
    default: return;
    }
}

#ifdef HEARTH_KV_F16C
__attribute__((target("avx,f16c"))) void encode_f16_f16c(const float* x, std::int64_t n, std::uint16_t* out) {
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), h);
    }
    for (; i < n; ++i) out[i] = f32_to_f16(x[i]);
}

bool has_f16c() {
    // row_kernels picks its AVX2 table only where AVX2, FMA and F16C are all there (and the OS saves YMM).
    static const bool yes = std::strcmp(hearth::cpu::row_kernels_isa(), "avx2") == 0;
    return yes;
}
#endif

}  // namespace

bool kv_type_supported(TensorType type) {
    switch (type) {
    case TensorType::F32:
    case TensorType::F16:
    case TensorType::BF16:
    case TensorType::F8_E4M3:
    case TensorType::F8_E5M2: return true;
    default: return false;
    }
}

std::uint16_t f32_to_f16(float x) {
    const std::uint32_t b = bits_of(x);
    const auto sign = static_cast<std::uint16_t>((b >> 16) & 0x8000u);
    const std::uint32_t a = b & 0x7FFFFFFFu;
    // NaN: quiet, with the top payload bits (what F16C writes).
    if (a > 0x7F800000u) return static_cast<std::uint16_t>(sign | 0x7E00u | ((a >> 13) & 0x1FFu));
    if (a >= 0x477FF000u) return static_cast<std::uint16_t>(sign | 0x7C00u);  // ≥ 65520 (the midpoint): inf
    if (a >= 0x38800000u) {                                                    // ≥ 2^-14: normal
        const std::uint32_t rounded = (a + 0xFFFu + ((a >> 13) & 1u)) >> 13;
        return static_cast<std::uint16_t>(sign | (rounded - (112u << 10)));
    }
    // Subnormal: units of 2^-24, rounded half to even (1024 units is the smallest normal's code).
    const float units = std::nearbyint(float_of(a) * 16777216.0f);
    return static_cast<std::uint16_t>(sign | static_cast<std::uint16_t>(units));
}

std::uint16_t f32_to_bf16(float x) {
    const std::uint32_t b = bits_of(x);
    if ((b & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<std::uint16_t>((b >> 16) | 0x40u);  // quiet NaN
    // Round half to even; past the largest finite value the carry reaches the exponent and gives inf.
    return static_cast<std::uint16_t>((b + 0x7FFFu + ((b >> 16) & 1u)) >> 16);
}

std::uint8_t f32_to_fp8_e4m3(float x) { return encode_fp8<3, 7>(x, 0x7E, 0x7F); }
std::uint8_t f32_to_fp8_e5m2(float x) { return encode_fp8<2, 15>(x, 0x7B, 0x7C); }

float f16_to_f32(std::uint16_t h) {
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t e = (h >> 10) & 0x1Fu;
    const std::uint32_t m = h & 0x3FFu;
    if (e == 0x1F) return float_of(sign | 0x7F800000u | (m << 13));
    if (e == 0) {
        const float v = std::ldexp(static_cast<float>(m), -24);  // exact
        return sign ? -v : v;
    }
    return float_of(sign | ((e + 112) << 23) | (m << 13));
}

float bf16_to_f32(std::uint16_t b) { return float_of(static_cast<std::uint32_t>(b) << 16); }
float fp8_e4m3_to_f32(std::uint8_t code) { return e4m3_table[code]; }
float fp8_e5m2_to_f32(std::uint8_t code) { return e5m2_table[code]; }

const float* fp8_table(TensorType type) {
    if (type == TensorType::F8_E4M3) return e4m3_table.data();
    if (type == TensorType::F8_E5M2) return e5m2_table.data();
    return nullptr;
}

void encode_kv_row_scalar(TensorType type, const float* x, std::int32_t n_heads, std::int32_t head_dim, void* dst,
                          float* scales) {
    encode_row_scalar(type, x, n_heads, head_dim, dst, scales);
}

void encode_kv_row(TensorType type, const float* x, std::int32_t n_heads, std::int32_t head_dim, void* dst,
                   float* scales) {
#ifdef HEARTH_KV_F16C
    if (type == TensorType::F16 && has_f16c()) {
        encode_f16_f16c(x, static_cast<std::int64_t>(n_heads) * head_dim, static_cast<std::uint16_t*>(dst));
        return;
    }
#endif
    encode_row_scalar(type, x, n_heads, head_dim, dst, scales);
}

void decode_kv_row(TensorType type, const void* src, const float* scales, std::int32_t n_heads,
                   std::int32_t head_dim, float* out) {
    const std::int64_t n = static_cast<std::int64_t>(n_heads) * head_dim;
    const auto* u16 = static_cast<const std::uint16_t*>(src);
    const auto* u8 = static_cast<const std::uint8_t*>(src);
    switch (type) {
    case TensorType::F32: std::memcpy(out, src, static_cast<std::size_t>(n) * sizeof(float)); return;
    case TensorType::F16:
        for (std::int64_t i = 0; i < n; ++i) out[i] = f16_to_f32(u16[i]);
        return;
    case TensorType::BF16:
        for (std::int64_t i = 0; i < n; ++i) out[i] = bf16_to_f32(u16[i]);
        return;
    case TensorType::F8_E5M2:
        for (std::int64_t i = 0; i < n; ++i) out[i] = e5m2_table[u8[i]];
        return;
    case TensorType::F8_E4M3:
        for (std::int64_t i = 0; i < n; ++i) out[i] = e4m3_table[u8[i]] * scales[i / head_dim];
        return;
    default: return;
    }
}

}  // namespace hearth::backend::cpu
