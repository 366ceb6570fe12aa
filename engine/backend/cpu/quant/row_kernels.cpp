#include "backend/cpu/quant/row_kernels.h"

#include <array>
#include <cstdlib>

#if HEARTH_ROW_KERNELS_AVX2
#include <cpuid.h>
#endif

#include "backend/cpu/quant/block_layouts.h"
#include "backend/cpu/quant/kernels.h"

namespace hearth::cpu {
namespace {

constexpr std::size_t k_type_count = static_cast<std::size_t>(TensorType::Q1_0) + 1;
using Table = std::array<RowKernels, k_type_count>;

// One table per instruction set, built from the functions of namespace `ns`; types without kernels keep
// dequantize == nullptr and are reported unsupported.
#define HEARTH_ROW_TABLE(ns)                                                                               \
    [] {                                                                                                   \
        using namespace quant::ns;                                                                         \
        Table built{};                                                                                     \
        auto plain = [&built](TensorType type, DequantizeRowFn dq, DotF32Fn dot) {                         \
            built[static_cast<std::size_t>(type)] = {type, dq, dot, TensorType::F32, nullptr, nullptr, nullptr};        \
        };                                                                                                 \
        auto fast = [&built](TensorType type, DequantizeRowFn dq, DotF32Fn dot, TensorType act,            \
                         QuantizeActivationsFn qa, DotQuantizedFn dq8) {                                   \
            built[static_cast<std::size_t>(type)] = {type, dq, dot, act, qa, dq8, nullptr};                             \
        };                                                                                                 \
        plain(TensorType::F32, dequantize_f32, dot_f32_f32);                                               \
        plain(TensorType::F16, dequantize_f16, dot_f32_f16);                                               \
        plain(TensorType::BF16, dequantize_bf16, dot_f32_bf16);                                            \
        fast(TensorType::Q4_0, dequantize_q4_0, dot_f32_q4_0, TensorType::Q8_0, quantize_q8_0, dot_q4_0_q8_0); \
        fast(TensorType::Q4_1, dequantize_q4_1, dot_f32_q4_1, TensorType::Q8_1, quantize_q8_1, dot_q4_1_q8_1); \
        fast(TensorType::Q5_0, dequantize_q5_0, dot_f32_q5_0, TensorType::Q8_0, quantize_q8_0, dot_q5_0_q8_0); \
        fast(TensorType::Q5_1, dequantize_q5_1, dot_f32_q5_1, TensorType::Q8_1, quantize_q8_1, dot_q5_1_q8_1); \
        fast(TensorType::Q8_0, dequantize_q8_0, dot_f32_q8_0, TensorType::Q8_0, quantize_q8_0, dot_q8_0_q8_0); \
        fast(TensorType::Q2_K, dequantize_q2_k, dot_f32_q2_k, TensorType::Q8_K, quantize_q8_k, dot_q2_k_q8_k); \
        fast(TensorType::Q3_K, dequantize_q3_k, dot_f32_q3_k, TensorType::Q8_K, quantize_q8_k, dot_q3_k_q8_k); \
        fast(TensorType::Q4_K, dequantize_q4_k, dot_f32_q4_k, TensorType::Q8_K, quantize_q8_k, dot_q4_k_q8_k); \
        fast(TensorType::Q5_K, dequantize_q5_k, dot_f32_q5_k, TensorType::Q8_K, quantize_q8_k, dot_q5_k_q8_k); \
        fast(TensorType::Q6_K, dequantize_q6_k, dot_f32_q6_k, TensorType::Q8_K, quantize_q8_k, dot_q6_k_q8_k); \
        auto precise = [&built](TensorType type, Activation16 format, DotQuantizedFn dot) {               \
            RowKernels& k = built[static_cast<std::size_t>(type)];                                         \
            k.activation16 = format;                                                                       \
            k.quantize_activations16 = format == Activation16::q16_0   ? quantize_q16_0                    \
                                       : format == Activation16::q16_1 ? quantize_q16_1                    \
                                                                       : quantize_q16_k;                   \
            k.dot_quantized16 = dot;                                                                       \
        };                                                                                                 \
        precise(TensorType::Q4_0, Activation16::q16_0, dot_q4_0_q16_0);                                    \
        precise(TensorType::Q4_1, Activation16::q16_1, dot_q4_1_q16_1);                                    \
        precise(TensorType::Q5_0, Activation16::q16_0, dot_q5_0_q16_0);                                    \
        precise(TensorType::Q5_1, Activation16::q16_1, dot_q5_1_q16_1);                                    \
        precise(TensorType::Q8_0, Activation16::q16_0, dot_q8_0_q16_0);                                    \
        precise(TensorType::Q4_K, Activation16::q16_k, dot_q4_k_q16_k);                                    \
        precise(TensorType::Q5_K, Activation16::q16_k, dot_q5_k_q16_k);                                    \
        precise(TensorType::Q6_K, Activation16::q16_k, dot_q6_k_q16_k);                                    \
        return built;                                                                                      \
    }()

const Table& scalar_table() {
    static const Table table = HEARTH_ROW_TABLE(scalar);
    return table;
}

#if HEARTH_ROW_KERNELS_AVX2
bool cpu_has_avx_vnni();

const Table& avx2_table() {
    static const Table table = [] {
        Table t = HEARTH_ROW_TABLE(avx2);
        auto split = [&t](TensorType type, DotQuantizedSplitFn fn) { t[static_cast<std::size_t>(type)].dot_quantized_split = fn; };
        split(TensorType::Q4_0, quant::avx2::dot_q4_0_q8_0_split);
        split(TensorType::Q4_1, quant::avx2::dot_q4_1_q8_1_split);
        split(TensorType::Q5_0, quant::avx2::dot_q5_0_q8_0_split);
        split(TensorType::Q5_1, quant::avx2::dot_q5_1_q8_1_split);
        split(TensorType::Q8_0, quant::avx2::dot_q8_0_q8_0_split);
        if (cpu_has_avx_vnni()) {
            auto vnni = [&t](TensorType type, DotQuantizedFn fn) { t[static_cast<std::size_t>(type)].dot_quantized16 = fn; };
            vnni(TensorType::Q4_0, quant::avxvnni::dot_q4_0_q16_0);
            vnni(TensorType::Q4_1, quant::avxvnni::dot_q4_1_q16_1);
            vnni(TensorType::Q5_0, quant::avxvnni::dot_q5_0_q16_0);
            vnni(TensorType::Q5_1, quant::avxvnni::dot_q5_1_q16_1);
            vnni(TensorType::Q8_0, quant::avxvnni::dot_q8_0_q16_0);
        }
        return t;
    }();
    return table;
}

// AVX-VNNI: CPUID leaf 7, sub-leaf 1, EAX bit 4 (VEX-encoded vpdpwssd on 256-bit registers; the OS
// support check is AVX2's, the same YMM state). HEARTH_NO_AVX_VNNI=1 keeps the plain AVX2 dots, to compare
// the two on one machine.
bool cpu_has_avx_vnni() {
    static const bool yes = [] {
        const char* off = std::getenv("HEARTH_NO_AVX_VNNI");
        if (off != nullptr && *off != '\0' && *off != '0') return false;
        unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
        return __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) && (eax & (1u << 4)) != 0;
    }();
    return yes;
}

bool cpu_has_avx2() {
    // The compiler runtime's check also confirms the OS saves the YMM registers (XGETBV), not only the
    // CPUID bits. It knows no "f16c" on every compiler (clang 14), so that bit comes from CPUID leaf 1.
    __builtin_cpu_init();
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    const bool f16c = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_F16C) != 0;
    return f16c && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
const Table& avx2_table() { return scalar_table(); }  // not an x86-64 build
bool cpu_has_avx2() { return false; }
bool cpu_has_avx_vnni() { return false; }
#endif

#undef HEARTH_ROW_TABLE

bool use_avx2() {
    static const bool yes = cpu_has_avx2();
    return yes;
}

const Table& chosen_table() { return use_avx2() ? avx2_table() : scalar_table(); }

const RowKernels* lookup(const Table& table, TensorType type) {
    const auto index = static_cast<std::size_t>(type);
    if (index >= table.size() || table[index].dequantize == nullptr) return nullptr;
    return &table[index];
}

// Q4_1 in the split layout: dequantize and dot_f32 (scalar: only tests and odd callers use them) and the
// int16 path, on the instruction set chosen like the main table's.
RowKernels q4_1_split_kernels(bool avx2) {
    RowKernels k;
    k.weight_type = TensorType::Q4_1;
    k.dequantize = quant::scalar::dequantize_q4_1s;
    k.dot_f32 = quant::scalar::dot_f32_q4_1s;
    k.activation16 = Activation16::q16_1s;
#if HEARTH_ROW_KERNELS_AVX2
    if (avx2) {
        k.quantize_activations16 = quant::avx2::quantize_q16_1s;
        k.dot_quantized16 = cpu_has_avx_vnni() ? quant::avxvnni::dot_q4_1s_q16_1s : quant::avx2::dot_q4_1s_q16_1s;
        return k;
    }
#endif
    (void)avx2;
    k.quantize_activations16 = quant::scalar::quantize_q16_1s;
    k.dot_quantized16 = quant::scalar::dot_q4_1s_q16_1s;
    return k;
}

// The vector kernels exist only in x86-64 builds.
#if HEARTH_ROW_KERNELS_AVX2
#define HEARTH_IF_AVX2(f) f
#else
#define HEARTH_IF_AVX2(f) nullptr
#endif

// An eight-row layout (Q4_1 and Q5_0 against act_q16_1s; Q4_0 and Q8_0 against act_q16_0): only the int16
// path's group dot.
RowKernels rows8_kernels(TensorType type, bool avx2) {
    using Dot = DotRowsQuantizedFn;
    struct Choice {
        Dot scalar, vector, vnni;
    };
    Choice dot{};
    switch (type) {
    case TensorType::Q4_0: dot = {quant::scalar::dot_q4_0r8_q16_0, HEARTH_IF_AVX2(quant::avx2::dot_q4_0r8_q16_0),
                                  HEARTH_IF_AVX2(quant::avxvnni::dot_q4_0r8_q16_0)}; break;
    case TensorType::Q4_1: dot = {quant::scalar::dot_q4_1r8_q16_1s, HEARTH_IF_AVX2(quant::avx2::dot_q4_1r8_q16_1s),
                                  HEARTH_IF_AVX2(quant::avxvnni::dot_q4_1r8_q16_1s)}; break;
    case TensorType::Q5_0: dot = {quant::scalar::dot_q5_0r8_q16_1s, HEARTH_IF_AVX2(quant::avx2::dot_q5_0r8_q16_1s),
                                  HEARTH_IF_AVX2(quant::avxvnni::dot_q5_0r8_q16_1s)}; break;
    default: dot = {quant::scalar::dot_q8_0r8_q16_0, HEARTH_IF_AVX2(quant::avx2::dot_q8_0r8_q16_0),
                    HEARTH_IF_AVX2(quant::avxvnni::dot_q8_0r8_q16_0)}; break;
    }
    RowKernels k;
    k.weight_type = type;
    const bool sums = type == TensorType::Q4_1 || type == TensorType::Q5_0;  // activations with block sums
    k.activation16 = sums ? Activation16::q16_1s : Activation16::q16_0;
    k.group_rows = quant::rows8_group;
#if HEARTH_ROW_KERNELS_AVX2
    if (avx2) {
        k.quantize_activations16 = sums ? quant::avx2::quantize_q16_1s : quant::avx2::quantize_q16_0;
        k.dot_rows_quantized16 = cpu_has_avx_vnni() ? dot.vnni : dot.vector;
        return k;
    }
#endif
    (void)avx2;
    k.quantize_activations16 = sums ? quant::scalar::quantize_q16_1s : quant::scalar::quantize_q16_0;
    k.dot_rows_quantized16 = dot.scalar;
    return k;
}
#undef HEARTH_IF_AVX2

// The kernels of a rearranged layout, or nullptr for a type the layout is not made of.
const RowKernels* layout_kernels(TensorType type, RowLayout layout, bool avx2) {
    static const RowKernels split[2] = {q4_1_split_kernels(false), q4_1_split_kernels(true)};
    static const RowKernels q4_0_rows8[2] = {rows8_kernels(TensorType::Q4_0, false), rows8_kernels(TensorType::Q4_0, true)};
    static const RowKernels q4_1_rows8[2] = {rows8_kernels(TensorType::Q4_1, false), rows8_kernels(TensorType::Q4_1, true)};
    static const RowKernels q8_0_rows8[2] = {rows8_kernels(TensorType::Q8_0, false), rows8_kernels(TensorType::Q8_0, true)};
    static const RowKernels q5_0_rows8[2] = {rows8_kernels(TensorType::Q5_0, false), rows8_kernels(TensorType::Q5_0, true)};
    switch (layout) {
    case RowLayout::q4_1_split: return type == TensorType::Q4_1 ? &split[avx2] : nullptr;
    case RowLayout::q4_0_rows8: return type == TensorType::Q4_0 ? &q4_0_rows8[avx2] : nullptr;
    case RowLayout::q4_1_rows8: return type == TensorType::Q4_1 ? &q4_1_rows8[avx2] : nullptr;
    case RowLayout::q8_0_rows8: return type == TensorType::Q8_0 ? &q8_0_rows8[avx2] : nullptr;
    case RowLayout::q5_0_rows8: return type == TensorType::Q5_0 ? &q5_0_rows8[avx2] : nullptr;
    case RowLayout::as_stored: break;
    }
    return nullptr;
}

}  // namespace

const RowKernels* row_kernels(TensorType type) { return lookup(chosen_table(), type); }

const RowKernels* row_kernels_scalar(TensorType type) { return lookup(scalar_table(), type); }

RowLayout preferred_row_layout(TensorType type, std::int64_t rows) {
    // Only where it pays: the AVX2 kernels (the scalar ones gain nothing from the layouts).
    const bool groupable =
        type == TensorType::Q4_0 || type == TensorType::Q4_1 || type == TensorType::Q5_0 || type == TensorType::Q8_0;
    if (!groupable || !use_avx2()) return RowLayout::as_stored;
    // HEARTH_NO_ROWS8=1 keeps rows apart (to measure what the groups give).
    static const bool no_groups = [] {
        const char* v = std::getenv("HEARTH_NO_ROWS8");
        return v != nullptr && *v != '\0' && *v != '0';
    }();
    const bool groups = !no_groups && rows % quant::rows8_group == 0;
    if (type == TensorType::Q8_0) return groups ? RowLayout::q8_0_rows8 : RowLayout::as_stored;
    if (type == TensorType::Q4_0) return groups ? RowLayout::q4_0_rows8 : RowLayout::as_stored;
    if (type == TensorType::Q5_0) return groups ? RowLayout::q5_0_rows8 : RowLayout::as_stored;
    return groups ? RowLayout::q4_1_rows8 : RowLayout::q4_1_split;
}

std::int64_t layout_group_rows(RowLayout layout) {
    switch (layout) {
    case RowLayout::q4_0_rows8:
    case RowLayout::q4_1_rows8:
    case RowLayout::q5_0_rows8:
    case RowLayout::q8_0_rows8: return quant::rows8_group;
    case RowLayout::as_stored:
    case RowLayout::q4_1_split: break;
    }
    return 1;
}

const RowKernels* row_kernels(TensorType type, RowLayout layout) {
    return layout == RowLayout::as_stored ? row_kernels(type) : layout_kernels(type, layout, use_avx2());
}

const RowKernels* row_kernels_scalar(TensorType type, RowLayout layout) {
    return layout == RowLayout::as_stored ? row_kernels_scalar(type) : layout_kernels(type, layout, false);
}

void repack_row(RowLayout layout, const void* row, void* out, std::int64_t n) {
    switch (layout) {
    case RowLayout::q4_1_split: quant::repack_q4_1_split(row, out, n); return;
    case RowLayout::q4_0_rows8:
    case RowLayout::q4_1_rows8:
    case RowLayout::q5_0_rows8:
    case RowLayout::q8_0_rows8:
    case RowLayout::as_stored: break;
    }
}

void repack_rows(RowLayout layout, const void* rows, std::size_t row_bytes, void* out, std::int64_t n) {
    if (layout == RowLayout::q4_1_rows8) {
        quant::repack_q4_1_rows8(rows, row_bytes, out, n);
        return;
    }
    if (layout == RowLayout::q8_0_rows8) {
        quant::repack_q8_0_rows8(rows, row_bytes, out, n);
        return;
    }
    if (layout == RowLayout::q4_0_rows8) {
        quant::repack_q4_0_rows8(rows, row_bytes, out, n);
        return;
    }
    if (layout == RowLayout::q5_0_rows8) {
        quant::repack_q5_0_rows8(rows, row_bytes, out, n);
        return;
    }
    repack_row(layout, rows, out, n);
}

const char* row_kernels_isa() { return use_avx2() ? "avx2" : "scalar"; }

bool row_kernels_use_avx_vnni() { return use_avx2() && cpu_has_avx_vnni(); }

std::size_t activation_row_bytes(TensorType activation_type, std::int64_t n) {
    switch (activation_type) {
    case TensorType::Q8_0: return static_cast<std::size_t>(n / quant::qk_legacy) * sizeof(quant::act_q8_0);
    case TensorType::Q8_1: return static_cast<std::size_t>(n / quant::qk_legacy) * sizeof(quant::act_q8_1);
    case TensorType::Q8_K: return static_cast<std::size_t>(n / quant::qk_k) * sizeof(quant::act_q8_k);
    default: return 0;
    }
}

std::size_t activation16_row_bytes(Activation16 format, std::int64_t n) {
    switch (format) {
    case Activation16::q16_0: return static_cast<std::size_t>(n / quant::qk_legacy) * sizeof(quant::act_q16_0);
    case Activation16::q16_1:
    case Activation16::q16_1s: return static_cast<std::size_t>(n / quant::qk_legacy) * sizeof(quant::act_q16_1);
    case Activation16::q16_k: return static_cast<std::size_t>(n / quant::qk_k) * sizeof(quant::act_q16_k);
    case Activation16::none: return 0;
    }
    return 0;
}

}  // namespace hearth::cpu
