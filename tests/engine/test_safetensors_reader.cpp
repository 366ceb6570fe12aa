// The safetensors reader: every dtype, metadata, zero-element tensors, and each kind of malformed header.
#include <QtTest/QTest>

#include "format/format_error.h"
#include "format/safetensors_reader.h"
#include "safetensors_builder.h"
#include "temp_files.h"

using namespace hearth;
using namespace hearth::format;
using namespace hearth::test;

namespace {

QString parse_error(const std::vector<char>& bytes) {
    try {
        (void)SafetensorsFile::parse(std::as_bytes(std::span(bytes)), "model.safetensors");
    } catch (const FormatError& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

std::vector<char> with_header(const std::string& header, std::size_t data_bytes) {
    return safetensors_file(header, data_bytes);
}

}  // namespace

class TestSafetensorsReader : public QObject {
    Q_OBJECT

private slots:
    void readsEveryDtype() {
        const std::vector<SafetensorsSpec> specs = {
            {"f64", "F64", {2}, 8},    {"f32", "F32", {2, 3}, 4}, {"f16", "F16", {3}, 2},  {"bf16", "BF16", {4}, 2},
            {"e4m3", "F8_E4M3", {5}, 1}, {"e5m2", "F8_E5M2", {5}, 1}, {"i64", "I64", {1}, 8}, {"i32", "I32", {2}, 4},
            {"i16", "I16", {2}, 2},    {"i8", "I8", {3}, 1},      {"u8", "U8", {3}, 1},    {"bool", "BOOL", {2}, 1},
            {"g_idx", "I32", {0}, 4},  // zero elements: valid (empty GPTQ tensors exist in the wild)
            {"scalar", "F32", {}, 4},
        };
        const auto bytes = safetensors_file(specs);
        const auto file = SafetensorsFile::parse(std::as_bytes(std::span(bytes)), "model.safetensors");
        QCOMPARE(file.tensors().size(), specs.size());
        for (const auto& spec : specs) {
            auto it = std::find_if(file.tensors().begin(), file.tensors().end(),
                                   [&](const auto& t) { return t.name == spec.name; });
            QVERIFY2(it != file.tensors().end(), spec.name.c_str());
            QCOMPARE(std::string(name(it->type)), spec.dtype);
            QCOMPARE(it->shape, spec.shape);
            QVERIFY(it->offset >= file.data_offset());
            QVERIFY(it->offset + it->n_bytes <= bytes.size());
        }
        // Data order is preserved and offsets are absolute.
        QCOMPARE(file.tensors().front().offset, file.data_offset());
    }

    void readsMetadata() {
        auto header = safetensors_header({{"w", "F32", {2}, 4}});
        header["__metadata__"] = {{"format", "pt"}};
        const auto bytes = with_header(header.dump(), 8);
        const auto file = SafetensorsFile::parse(std::as_bytes(std::span(bytes)), "x.safetensors");
        QCOMPARE(file.metadata().at("format"), std::string("pt"));
        QCOMPARE(file.tensors().size(), std::size_t{1});
    }

    void acceptsHeaderPaddedWithSpaces() {
        const auto header = safetensors_header({{"w", "F32", {2}, 4}}).dump() + "        ";
        QVERIFY(parse_error(with_header(header, 8)).isEmpty());
    }

    void malformed_data() {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, const std::vector<char>& bytes, const char* expected) {
            QTest::newRow(name) << QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size())) << QString(expected);
        };
        const std::string ok_header = safetensors_header({{"w", "F32", {2}, 4}}).dump();
        row("shorter than 8 bytes", {'a', 'b'}, "a safetensors file starts with an 8-byte header length");
        row("header longer than the file", safetensors_file(ok_header, 8, 1000), "header claims to be 1000 bytes long, longer than");
        row("header length 2^63", safetensors_file(ok_header, 8, 1ull << 63), "header claims to be 9223372036854775808 bytes");
        row("header not JSON", with_header("{\"w\": [", 0), "not valid JSON");
        row("header not an object", with_header("[1, 2]", 0), "must be a JSON object, found array");
        row("header not UTF-8", with_header("{\"w\xff\": 1}", 0), "not valid UTF-8");
        row("duplicate tensor names",
            with_header(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})", 8),
            "names tensor 'w' twice");
        row("unknown dtype", with_header(R"({"w": {"dtype": "Q4", "shape": [2], "data_offsets": [0, 1]}})", 1),
            "tensor 'w' has dtype 'Q4', which Hearth does not read");
        row("missing shape", with_header(R"({"w": {"dtype": "F32", "data_offsets": [0, 4]}})", 4), "tensor 'w' has no 'shape' array");
        row("negative dimension", with_header(R"({"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}})", 4),
            "tensor 'w' shape dimension 0 must be a non-negative integer, found -1");
        row("fractional dimension", with_header(R"({"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}})", 4),
            "must be a non-negative integer, found 1.5");
        row("shape disagrees with byte size", with_header(R"({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}})", 8),
            "tensor 'w' has shape and dtype F32 needing 12 bytes, but its data_offsets give 8 bytes");
        row("element count overflow",
            with_header(R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 8]}})", 8),
            "element count overflows");
        row("byte count overflow",
            with_header(R"({"w": {"dtype": "F64", "shape": [2305843009213693952], "data_offsets": [0, 8]}})", 8),
            "needing more than 2^63 bytes");
        row("offsets past the end", with_header(R"({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}})", 8),
            "tensor 'w' data ends at byte");
        row("offsets reversed", with_header(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [8, 4]}})", 8),
            "end before they begin");
        row("one offset", with_header(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0]}})", 4),
            "needs 'data_offsets' as [begin, end]");
        row("overlapping tensors",
            with_header(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})", 12),
            "tensors 'a' and 'b' overlap");
        row("header nested 100000 deep", with_header(std::string(100000, '[') + std::string(100000, ']'), 0),
            "nests JSON deeper than 64 levels");
        row("entry not an object", with_header(R"({"w": 3})", 0), "tensor 'w' must be described by an object");
        row("metadata not strings", with_header(R"({"__metadata__": {"a": 1}})", 0), "'__metadata__' entry 'a' must be a string");
    }
    void malformed() {
        QFETCH(QByteArray, file);
        QFETCH(QString, expected);
        const QString error = parse_error(std::vector<char>(file.begin(), file.end()));
        QVERIFY2(!error.isEmpty(), "the malformed file was accepted");
        QVERIFY2(error.startsWith("model.safetensors: "), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(QString("expected '%1' in: %2").arg(expected, error)));
    }

    void truncationAtEveryByteNeverSucceeds() {
        const auto full = safetensors_file({{"a", "F32", {2, 2}, 4}, {"b", "BF16", {3}, 2}});
        for (std::size_t cut = 0; cut < full.size(); ++cut) {
            const QString error = parse_error(std::vector<char>(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(cut)));
            QVERIFY2(!error.isEmpty(), qPrintable(QString("a file cut at byte %1 was accepted").arg(cut)));
        }
    }

    void openReportsMissingFile() {
        auto result = SafetensorsFile::open("/nonexistent/model.safetensors");
        QVERIFY(!result.ok());
        QVERIFY(QString::fromStdString(result.error().message).contains("/nonexistent/model.safetensors: cannot open"));
    }
};

QTEST_GUILESS_MAIN(TestSafetensorsReader)
#include "test_safetensors_reader.moc"
