// Activation blocks back to f32: what the split 8+8-bit matmul path needs to quantize the remainder
// x − d·q a second time. Scalar is plenty: one row of activations per token, against a whole matrix of
// weights.
#include <cstddef>

#include "backend/cpu/quant/block_layouts.h"
#include "backend/cpu/quant/row_kernels.h"

namespace hearth::cpu {

void dequantize_activations(TensorType activation_type, const void* x_quantized, float* out, std::int64_t n) {
    const auto* bytes = static_cast<const std::uint8_t*>(x_quantized);
    if (activation_type == TensorType::Q8_0) {
        for (std::int64_t b = 0; b < n / 32; ++b) {
            const auto* block = reinterpret_cast<const quant::act_q8_0*>(bytes + b * sizeof(quant::act_q8_0));
            const float d = quant::load_f32(block->d);
            for (int i = 0; i < 32; ++i) out[b * 32 + i] = d * static_cast<float>(block->qs[i]);
        }
    } else if (activation_type == TensorType::Q8_1) {
        for (std::int64_t b = 0; b < n / 32; ++b) {
            const auto* block = reinterpret_cast<const quant::act_q8_1*>(bytes + b * sizeof(quant::act_q8_1));
            const float d = quant::load_f32(block->d);
            for (int i = 0; i < 32; ++i) out[b * 32 + i] = d * static_cast<float>(block->qs[i]);
        }
    } else if (activation_type == TensorType::Q8_K) {
        for (std::int64_t b = 0; b < n / 256; ++b) {
            const auto* block = reinterpret_cast<const quant::act_q8_k*>(bytes + b * sizeof(quant::act_q8_k));
            const float d = quant::load_f32(block->d);
            for (int i = 0; i < 256; ++i) out[b * 256 + i] = d * static_cast<float>(block->qs[i]);
        }
    }
}

void dequantize_activations16(Activation16 format, const void* x_quantized, float* out, std::int64_t n) {
    if (format == Activation16::none) return;
    if (format == Activation16::q16_1s) {
        const quant::act_q16_1s_row a = quant::act_q16_1s_row::at(x_quantized, n);
        for (std::int64_t b = 0; b < a.nb; ++b) {
            const float d = quant::load_f32(a.d + 4 * b);
            for (int i = 0; i < quant::qk_legacy; ++i)
                out[b * quant::qk_legacy + i] = d * static_cast<float>(quant::load_i16(a.qs + 64 * b + 2 * i));
        }
        return;
    }
    const std::size_t block_bytes = format == Activation16::q16_0   ? sizeof(quant::act_q16_0)
                                    : format == Activation16::q16_1 ? sizeof(quant::act_q16_1)
                                                                    : sizeof(quant::act_q16_k);
    const std::size_t qs_offset = format == Activation16::q16_0   ? offsetof(quant::act_q16_0, qs)
                                  : format == Activation16::q16_1 ? offsetof(quant::act_q16_1, qs)
                                                                  : offsetof(quant::act_q16_k, qs);
    const int per_block = format == Activation16::q16_k ? quant::qk_k : quant::qk_legacy;
    const auto* bytes = static_cast<const std::uint8_t*>(x_quantized);
    for (std::int64_t b = 0; b < n / per_block; ++b) {
        const std::uint8_t* block = bytes + static_cast<std::size_t>(b) * block_bytes;
        const float d = quant::load_f32(block);
        for (int i = 0; i < per_block; ++i)
            out[b * per_block + i] = d * static_cast<float>(quant::load_i16(block + qs_offset + 2 * static_cast<std::size_t>(i)));
    }
}

}  // namespace hearth::cpu
