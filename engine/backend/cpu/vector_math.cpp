#include "backend/cpu/vector_math.h"

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

HEARTH_VECTOR_CLONES float dot_f32(const float* a, const float* b, std::int32_t n) {
    v8 acc0 = {}, acc1 = {};
    std::int32_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 += load8(a + i) * load8(b + i);
        acc1 += load8(a + i + 8) * load8(b + i + 8);
    }
    const v8 acc = acc0 + acc1;
    float sum = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (; i < n; ++i) sum += a[i] * b[i];
    return sum;
}

HEARTH_VECTOR_CLONES void dot_rows_f32(const float* q, const float* rows, std::int64_t stride, std::int32_t count,
                                       std::int32_t n, float scale, float* scores) {
    for (std::int32_t j = 0; j < count; ++j) scores[j] = dot_f32(q, rows + j * stride, n) * scale;
}

HEARTH_VECTOR_CLONES void accumulate_rows_f32(const float* rows, std::int64_t stride, const float* weights,
                                              std::int32_t count, std::int32_t n, float* acc) {
    // 64 columns at a time stay in eight vector registers while every row streams past.
    for (std::int32_t c = 0; c < n; c += 64) {
        const std::int32_t lanes = (n - c >= 64 ? 64 : n - c) / 8;
        v8 a[8];
        for (std::int32_t k = 0; k < lanes; ++k) a[k] = load8(acc + c + 8 * k);
        for (std::int32_t j = 0; j < count; ++j) {
            const float w = weights[j];
            const v8 wv = {w, w, w, w, w, w, w, w};
            const float* row = rows + j * stride + c;
            for (std::int32_t k = 0; k < lanes; ++k) a[k] += wv * load8(row + 8 * k);
        }
        for (std::int32_t k = 0; k < lanes; ++k) std::memcpy(acc + c + 8 * k, &a[k], sizeof(v8));
    }
}

HEARTH_VECTOR_CLONES void axpy_f32(float alpha, const float* x, float* y, std::int32_t n) {
    std::int32_t i = 0;
    const v8 a = {alpha, alpha, alpha, alpha, alpha, alpha, alpha, alpha};
    for (; i + 8 <= n; i += 8) {
        const v8 r = load8(y + i) + a * load8(x + i);
        std::memcpy(y + i, &r, sizeof r);
    }
    for (; i < n; ++i) y[i] += alpha * x[i];
}

}  // namespace hearth::backend::cpu
