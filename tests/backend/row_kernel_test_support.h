#pragma once
// What the row-kernel tests share: the gguf-py golden rows (tests/data/golden/quant/<TYPE>.bin, written by
// tests/make_quant_golden.py), copies at odd addresses, random activations with outliers, and the tables.
#include <QtCore/QFile>
#include <QtCore/QString>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <random>
#include <vector>

#include "backend/cpu/quant/block_layouts.h"
#include "backend/cpu/quant/row_kernels.h"

namespace row_kernel_tests {

using hearth::TensorType;
using hearth::cpu::RowKernels;
namespace q = hearth::cpu::quant;

struct Golden {
    TensorType type{};
    int n_rows = 0;
    int n_per_row = 0;
    int row_bytes = 0;
    std::vector<std::uint8_t> raw;  // n_rows · row_bytes
    std::vector<float> values;      // n_rows · n_per_row, gguf-py's dequantization
};

inline Golden load_golden(TensorType type) {
    const QString path = QStringLiteral(HEARTH_TEST_DATA_DIR "/golden/quant/%1.bin")
                             .arg(QString::fromLatin1(hearth::name(type).data(), int(hearth::name(type).size())));
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot open %s", qPrintable(path));
    const QByteArray bytes = f.readAll();
    Golden g;
    g.type = type;
    std::uint32_t header[4];
    if (bytes.size() < 24 || std::memcmp(bytes.constData(), "HQGOLD01", 8) != 0) qFatal("%s: bad header", qPrintable(path));
    std::memcpy(header, bytes.constData() + 8, sizeof header);
    if (int(header[0]) != hearth::traits(type).ggml_id) qFatal("%s: wrong ggml type", qPrintable(path));
    g.n_rows = int(header[1]);
    g.n_per_row = int(header[2]);
    g.row_bytes = int(header[3]);
    const qsizetype raw_size = qsizetype(g.n_rows) * g.row_bytes;
    const qsizetype values_size = qsizetype(g.n_rows) * g.n_per_row * 4;
    if (bytes.size() != 24 + raw_size + values_size) qFatal("%s: wrong size", qPrintable(path));
    g.raw.resize(std::size_t(raw_size));
    g.values.resize(std::size_t(g.n_rows) * std::size_t(g.n_per_row));
    std::memcpy(g.raw.data(), bytes.constData() + 24, std::size_t(raw_size));
    std::memcpy(g.values.data(), bytes.constData() + 24 + raw_size, std::size_t(values_size));
    return g;
}

// A copy of a byte range starting at an odd address (the kernels promise no alignment needs).
class OddBytes {
public:
    OddBytes(const std::uint8_t* p, std::size_t n) : storage_(n + 1) { std::memcpy(storage_.data() + 1, p, n); }
    const void* data() const { return storage_.data() + 1; }

private:
    std::vector<std::uint8_t> storage_;
};

inline std::vector<float> random_x(int n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> x(std::size_t(n), 0.0f);
    for (auto& v : x) v = u(rng);
    // Give some activation blocks a wide dynamic range (one outlier), as real hidden states have.
    for (int i = 7; i < n; i += 97) x[std::size_t(i)] *= 40.0f;
    return x;
}

// Byte offsets of a block's f16 scale fields: the first is d, the others m / dmin.
inline std::vector<std::size_t> f16_fields(TensorType t) {
    switch (t) {
    case TensorType::Q4_0: return {offsetof(q::block_q4_0, d)};
    case TensorType::Q4_1: return {offsetof(q::block_q4_1, d), offsetof(q::block_q4_1, m)};
    case TensorType::Q5_0: return {offsetof(q::block_q5_0, d)};
    case TensorType::Q5_1: return {offsetof(q::block_q5_1, d), offsetof(q::block_q5_1, m)};
    case TensorType::Q8_0: return {offsetof(q::block_q8_0, d)};
    case TensorType::Q2_K: return {offsetof(q::block_q2_k, d), offsetof(q::block_q2_k, dmin)};
    case TensorType::Q3_K: return {offsetof(q::block_q3_k, d)};
    case TensorType::Q4_K: return {offsetof(q::block_q4_k, d), offsetof(q::block_q4_k, dmin)};
    case TensorType::Q5_K: return {offsetof(q::block_q5_k, d), offsetof(q::block_q5_k, dmin)};
    case TensorType::Q6_K: return {offsetof(q::block_q6_k, d)};
    default: return {};
    }
}

// Three blocks of `t` with every byte `fill` except the f16 scales (d = 1, m / dmin = −0.5): with fills
// 0x00/0x7F/0x80/0xFF they hold the largest unsigned quants (15, 31, 63, all scale bits set), Q8_0's −128 and
// Q6_K's −128 scales, the cases where an integer path could saturate or overflow.
inline std::vector<std::uint8_t> extreme_blocks(TensorType t, std::uint8_t fill) {
    const auto& tr = hearth::traits(t);
    std::vector<std::uint8_t> raw(std::size_t(3 * tr.block_bytes), fill);
    const auto fields = f16_fields(t);
    for (int b = 0; b < 3; ++b) {
        for (std::size_t f = 0; f < fields.size(); ++f) {
            const std::uint16_t h = f == 0 ? 0x3C00 : 0xB800;
            std::memcpy(&raw[std::size_t(b * tr.block_bytes) + fields[f]], &h, 2);
        }
    }
    return raw;
}

inline QString type_name(TensorType t) { return QString::fromLatin1(hearth::name(t).data(), int(hearth::name(t).size())); }


inline const RowKernels* kernels_for(TensorType t, bool scalar) {
    return scalar ? hearth::cpu::row_kernels_scalar(t) : hearth::cpu::row_kernels(t);
}

}  // namespace row_kernel_tests
