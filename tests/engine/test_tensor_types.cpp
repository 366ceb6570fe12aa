// The tensor type table against the PyPI gguf package's GGML_QUANT_SIZES (tests/data/golden/ggml_types.json,
// written by tests/make_gguf_golden.py): every GGML type's id and block layout must agree.
#include <QtTest/QTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "hearth/tensor_type.h"

using namespace hearth;

class TestTensorTypes : public QObject {
    Q_OBJECT

private slots:
    void matchesTheGgufPackage() {
        std::ifstream in(HEARTH_TEST_DATA_DIR "/golden/ggml_types.json");
        QVERIFY2(in, "tests/data/golden/ggml_types.json is missing");
        const auto golden = nlohmann::json::parse(in);
        int checked = 0;
        for (const auto& [type_name, row] : golden.items()) {
            const auto id = row.at("id").get<std::uint32_t>();
            const auto type = tensor_type_from_ggml(id);
            QVERIFY2(type, qPrintable(QString("gguf knows type %1 (id %2); Hearth does not")
                                          .arg(QString::fromStdString(type_name)).arg(id)));
            QCOMPARE(std::string(name(*type)), type_name);
            QCOMPARE(traits(*type).block_elements, row.at("block_elements").get<std::int64_t>());
            // NOTE: gguf-py still lists Q8_1 with two f32 scales (40 bytes); ggml's block_q8_1 has held two f16
            // scales (36 bytes, static_assert in ggml-common.h) since 2023. Q8_1 is an in-memory type for dot
            // products that no converter writes to files, so Hearth follows ggml here.
            const auto expected_bytes = type_name == "Q8_1" ? 36 : row.at("block_bytes").get<std::int64_t>();
            QCOMPARE(traits(*type).block_bytes, expected_bytes);
            ++checked;
        }
        // And the other way: every type Hearth reads from GGUF is one the oracle knows.
        for (std::uint32_t id = 0; id < 256; ++id) {
            if (auto type = tensor_type_from_ggml(id)) {
                QVERIFY2(golden.contains(std::string(name(*type))), std::string(name(*type)).c_str());
            }
        }
        QVERIFY(checked >= 30);
    }

    void safetensorsDtypes_data() {
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<int>("bytes");
        for (auto [dtype, bytes] : std::initializer_list<std::pair<const char*, int>>{
                 {"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"F8_E4M3", 1}, {"F8_E5M2", 1}, {"I64", 8},
                 {"I32", 4}, {"I16", 2}, {"I8", 1}, {"U8", 1}, {"BOOL", 1}}) {
            QTest::newRow(dtype) << dtype << bytes;
        }
    }
    void safetensorsDtypes() {
        QFETCH(QString, dtype);
        QFETCH(int, bytes);
        const auto type = tensor_type_from_safetensors(dtype.toStdString());
        QVERIFY(type);
        QCOMPARE(bytes_for(*type, 10).value(), std::uint64_t(10 * bytes));
    }

    void quantizedNamesAreNotSafetensorsDtypes() {
        QVERIFY(!tensor_type_from_safetensors("Q4_0"));
        QVERIFY(!tensor_type_from_safetensors("f32"));
        QVERIFY(!tensor_type_from_safetensors(""));
    }

    void bytesForChecksBlocksAndOverflow() {
        QCOMPARE(bytes_for(TensorType::Q4_K, 512).value(), std::uint64_t{288});
        QVERIFY(!bytes_for(TensorType::Q4_K, 100));              // not whole blocks
        QVERIFY(!bytes_for(TensorType::F64, 1ull << 62));        // overflows 63 bits
    }
};

QTEST_GUILESS_MAIN(TestTensorTypes)
#include "test_tensor_types.moc"
