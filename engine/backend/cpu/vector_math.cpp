#include "backend/cpu/vector_math.h"

#include "backend/cpu/quant/row_kernels.h"

#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HEARTH_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define HEARTH_VECTOR_CLONES
#endif

namespace hearth::backend::cpu {
namespace {
typedef float v8 __attribute__((vector_size(32)));
inline v8 load8(const float* p) {
    v8 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
}  // namespace

HEARTH_VECTOR_CLONES void dot_rows_f32(const float* q, const float* rows, std::int64_t stride, std::int32_t count,
                                       std::int32_t n, float scale, float* scores) {
    std::int32_t j = 0;
    if (n % 16 == 0) {
        // Four keys at a time: each slice of q is loaded once for four rows, and the four sums stay apart
        // until the end, so no horizontal add sits inside the loop.
        for (; j + 4 <= count; j += 4) {
            const float* r0 = rows + j * stride;
            const float* r1 = r0 + stride;
            const float* r2 = r1 + stride;
            const float* r3 = r2 + stride;
            v8 a0 = {}, a1 = {}, a2 = {}, a3 = {};
            for (std::int32_t i = 0; i < n; i += 8) {
                const v8 qv = load8(q + i);
                a0 += qv * load8(r0 + i);
                a1 += qv * load8(r1 + i);
                a2 += qv * load8(r2 + i);
                a3 += qv * load8(r3 + i);
            }
            const v8* acc[4] = {&a0, &a1, &a2, &a3};
            for (int k = 0; k < 4; ++k) {
                const v8& a = *acc[k];
                scores[j + k] = (((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]))) * scale;
            }
        }
    }
    static const hearth::cpu::DotF32Fn dot = hearth::cpu::row_kernels(TensorType::F32)->dot_f32;
    for (; j < count; ++j) scores[j] = dot(rows + j * stride, q, n) * scale;
}

namespace {
// acc[0..8·lanes) += Σ_j weights[j] · rows[j·stride + …], with `lanes` known at compile time so the eight
// accumulators live in registers.
template <int lanes>
inline void accumulate_chunk(const float* rows, std::int64_t stride, const float* weights, std::int32_t count,
                             float* acc) {
    v8 a[lanes];
    for (int k = 0; k < lanes; ++k) a[k] = load8(acc + 8 * k);
    for (std::int32_t j = 0; j < count; ++j) {
        const float w = weights[j];
        const v8 wv = {w, w, w, w, w, w, w, w};
        const float* row = rows + j * stride;
        for (int k = 0; k < lanes; ++k) a[k] += wv * load8(row + 8 * k);
    }
    for (int k = 0; k < lanes; ++k) std::memcpy(acc + 8 * k, &a[k], sizeof(v8));
}
}  // namespace

HEARTH_VECTOR_CLONES void accumulate_rows_f32(const float* rows, std::int64_t stride, const float* weights,
                                              std::int32_t count, std::int32_t n, float* acc) {
    std::int32_t c = 0;
    for (; c + 64 <= n; c += 64) accumulate_chunk<8>(rows + c, stride, weights, count, acc + c);
    for (; c + 8 <= n; c += 8) accumulate_chunk<1>(rows + c, stride, weights, count, acc + c);
    for (; c < n; ++c)
        for (std::int32_t j = 0; j < count; ++j) acc[c] += weights[j] * rows[j * stride + c];
}

}  // namespace hearth::backend::cpu
