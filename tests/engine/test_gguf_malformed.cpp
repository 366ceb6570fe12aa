// Malformed GGUF files: each must give a clear error naming the file and what was expected, and none may
// crash, hang or allocate what the file does not contain. The files are built byte by byte here.
#include <QtTest/QTest>

#include <functional>

#include "format/format_error.h"
#include "format/gguf_reader.h"
#include "gguf_builder.h"
#include "hearth/model_info.h"
#include "temp_files.h"

using namespace hearth;
using namespace hearth::test;

namespace {

// A small valid model: some metadata, three tensors (one quantized).
GgufBuilder valid_model() {
    GgufBuilder b;
    b.llama_metadata(1);
    b.kv_strings("tokenizer.ggml.tokens", {"a", "b"});
    b.tensor_f32("token_embd.weight", {8, 2});
    b.tensor({"blk.0.attn_q.weight", 2, {32, 8}, UINT64_MAX, 8 * 18});  // Q4_0
    b.tensor_f32("output_norm.weight", {8});
    return b;
}

std::vector<char> with_version(std::uint32_t version) {
    auto b = valid_model();
    b.version = version;
    return b.build();
}

struct Case {
    const char* name;
    std::function<std::vector<char>()> make;
    std::vector<const char*> expected;  // fragments the error message must contain
};

const std::vector<Case>& cases() {
    static const std::vector<Case> k_cases = {
        {"empty file", [] { return std::vector<char>{}; }, {"empty"}},
        {"wrong magic", [] { auto v = valid_model().build(); v[3] = 'L'; return v; }, {"not a GGUF file", "GGUL"}},
        {"version 1", [] { return with_version(1); }, {"version 1", "not supported"}},
        {"version 4", [] { return with_version(4); }, {"unsupported GGUF version 4"}},
        {"big-endian", [] { return with_version(0x03000000); }, {"big-endian"}},
        {"2^60 metadata entries", [] { auto b = valid_model(); b.claimed_kv_count = 1ull << 60; return b.build(); },
         {"1152921504606846976 metadata entries", "room for at most"}},
        {"2^60 tensors", [] { auto b = valid_model(); b.claimed_tensor_count = 1ull << 60; return b.build(); },
         {"1152921504606846976 tensors"}},
        {"key length 2^62", [] {
             GgufBuilder b;
             auto v = b.build();  // header with no entries; now add one whose key length lies
             v.resize(24);  // drop the padding after the header
             Bytes w; w.data = v;
             w.data[16] = 1;  // n_kv = 1
             w.put<std::uint64_t>(1ull << 62);
             w.data.insert(w.data.end(), 20, 'k');
             return w.data; },
         {"the key of metadata entry 0", "claims to be 4611686018427387904 bytes long"}},
        {"array of 2^60 UINT64", [] {
             GgufBuilder b;
             b.kv("big", ARRAY, [](Bytes& w) { w.put<std::uint32_t>(U64); w.put<std::uint64_t>(1ull << 60); });
             return b.build(); },
         {"metadata 'big'", "claims 1152921504606846976 elements of type UINT64"}},
        {"string array of 2^60 strings", [] {
             GgufBuilder b;
             b.kv("tokens", ARRAY, [](Bytes& w) { w.put<std::uint32_t>(STRING); w.put<std::uint64_t>(1ull << 60); });
             return b.build(); },
         {"metadata 'tokens'", "1152921504606846976 elements"}},
        {"unknown value type", [] { GgufBuilder b; b.kv("x", 13, [](Bytes& w) { w.put<std::uint32_t>(0); }); return b.build(); },
         {"metadata 'x'", "value type 13"}},
        {"non-UTF-8 key", [] { GgufBuilder b; b.kv_u32("bad\xff\xfekey", 1); return b.build(); },
         {"not valid UTF-8", "bad\\xff\\xfekey"}},
        {"empty key", [] { GgufBuilder b; b.kv_u32("", 1); return b.build(); }, {"key of metadata entry 0 is empty"}},
        {"duplicate key", [] { GgufBuilder b; b.kv_u32("a.b", 1); b.kv_u32("a.b", 2); return b.build(); },
         {"duplicate metadata key 'a.b'"}},
        {"bool stored as 2", [] { GgufBuilder b; b.kv("flag", BOOL, [](Bytes& w) { w.put<std::uint8_t>(2); }); return b.build(); },
         {"metadata 'flag'", "expected 0 or 1"}},
        {"arrays nested 9 deep", [] {
             GgufBuilder b;
             b.kv("deep", ARRAY, [](Bytes& w) {
                 for (int i = 0; i < 9; ++i) { w.put<std::uint32_t>(ARRAY); w.put<std::uint64_t>(1); }
                 w.put<std::uint32_t>(U8); w.put<std::uint64_t>(0);
             });
             return b.build(); },
         {"nests arrays more than 8 deep"}},
        {"alignment 48", [] { auto b = valid_model(); b.kv_u32("general.alignment", 48); return b.build(); },
         {"'general.alignment' must be a UINT32 power of two", "48"}},
        {"alignment as a string", [] { auto b = valid_model(); b.kv_string("general.alignment", "32"); return b.build(); },
         {"'general.alignment'", "found STRING"}},
        {"5 dimensions", [] { GgufBuilder b; b.tensor({"t", 0, {1, 1, 1, 1, 2}, UINT64_MAX, 8}); return b.build(); },
         {"tensor 't' has 5 dimensions; expected 1 to 4"}},
        {"0 dimensions", [] { GgufBuilder b; b.tensor({"t", 0, {}, UINT64_MAX, 4}); return b.build(); },
         {"tensor 't' has 0 dimensions"}},
        {"zero-element tensor", [] { GgufBuilder b; b.tensor({"empty", 0, {4, 0}, UINT64_MAX, 0}); return b.build(); },
         {"tensor 'empty' has a zero-length dimension 1"}},
        {"element count overflow", [] { GgufBuilder b; b.tensor({"huge", 0, {1ull << 32, 1ull << 32}, UINT64_MAX, 0}); return b.build(); },
         {"tensor 'huge'", "overflows 63 bits"}},
        {"byte count overflow", [] { GgufBuilder b; b.tensor({"huge", 0, {1ull << 31, 1ull << 31}, UINT64_MAX, 0}); return b.build(); },
         {"tensor 'huge'", "overflows"}},
        {"unknown ggml type", [] { GgufBuilder b; b.tensor({"t", 99, {4}, UINT64_MAX, 16}); return b.build(); },
         {"tensor 't' has ggml type 99", "known types: F32, F16"}},
        {"retired ggml type", [] { GgufBuilder b; b.tensor({"t", 4, {32}, UINT64_MAX, 20}); return b.build(); },
         {"ggml type 4 (Q4_2"}},
        {"row not a whole number of blocks", [] { GgufBuilder b; b.tensor({"t", 2, {33, 2}, UINT64_MAX, 64}); return b.build(); },
         {"tensor 't' of type Q4_0 has rows of 33 elements", "multiple"}},
        {"misaligned offset", [] { GgufBuilder b; b.tensor({"t", 0, {4}, 4, 16}); return b.build(); },
         {"tensor 't' data offset 4 is not a multiple of the alignment (32)"}},
        {"offset past the end", [] {
             GgufBuilder b = valid_model();
             b.tensor({"far", 0, {8}, 1ull << 20, 32, false});  // its data is not in the file
             return b.build(); },
         {"tensor 'far' data ends at byte", "past the end of the file"}},
        {"offset overflows", [] { GgufBuilder b; b.tensor({"t", 0, {8}, UINT64_MAX - 31, 32, false}); return b.build(); },
         {"tensor 't'", "overflows"}},
        {"overlapping tensors", [] {
             GgufBuilder b;
             b.tensor({"first", 0, {16}, 0, 64});
             b.tensor({"second", 0, {8}, 32, 32});
             return b.build(); },
         {"tensors 'first'", "'second'", "overlap"}},
        {"duplicate tensor names", [] { GgufBuilder b; b.tensor_f32("w", {4}); b.tensor_f32("w", {4}); return b.build(); },
         {"duplicate tensor name 'w'"}},
        {"non-UTF-8 tensor name", [] { GgufBuilder b; b.tensor_f32("w\xc3\x28", {4}); return b.build(); },
         {"tensor info 0", "not valid UTF-8"}},
        {"empty tensor name", [] { GgufBuilder b; b.tensor_f32("", {4}); return b.build(); },
         {"the name of tensor info 0 is empty"}},
        {"no architecture", [] { GgufBuilder b; b.tensor_f32("w", {4}); return b.build(); },
         {"'general.architecture' is missing"}},
        {"block count is a string", [] {
             GgufBuilder b; b.kv_string("general.architecture", "llama"); b.kv_string("llama.block_count", "2");
             return b.build(); },
         {"'llama.block_count' must be an integer, found STRING"}},
        {"negative head count", [] {
             GgufBuilder b; b.kv_string("general.architecture", "llama"); b.kv_i32("llama.attention.head_count", -4);
             return b.build(); },
         {"'llama.attention.head_count' is -4", "non-negative"}},
        // Found by fuzz_gguf: a per-layer table sized from an unchecked block count.
        {"2^32 layers with a sliding window", [] {
             GgufBuilder b; b.kv_string("general.architecture", "gemma3"); b.kv_u32("gemma3.block_count", 0xffffffffu);
             b.kv_u32("gemma3.attention.sliding_window", 1);
             return b.build(); },
         {"'gemma3.block_count' is 4294967295; Hearth accepts at most 4096 layers"}},
        {"sliding pattern of the wrong length", [] {
             GgufBuilder b; b.llama_metadata(2); b.kv_u32("llama.attention.sliding_window", 4);
             b.kv("llama.attention.sliding_window_pattern", ARRAY, [](Bytes& w) {
                 w.put<std::uint32_t>(BOOL); w.put<std::uint64_t>(3); w.put<std::uint8_t>(1); w.put<std::uint8_t>(0); w.put<std::uint8_t>(1); });
             return b.build(); },
         {"'llama.attention.sliding_window_pattern' must hold one BOOL per layer (2), found 3 of BOOL"}},
        {"tokens not strings", [] {
             GgufBuilder b; b.kv_string("general.architecture", "llama"); b.kv_i32s("tokenizer.ggml.tokens", {1, 2});
             return b.build(); },
         {"'tokenizer.ggml.tokens' must be an array of strings"}},
    };
    return k_cases;
}

QString error_for(const std::vector<char>& bytes, const QString& file_name = "broken.gguf") {
    QTemporaryDir dir;
    auto info = inspect(write_file(dir, file_name, bytes));
    return info.ok() ? QString() : QString::fromStdString(info.error().message);
}

}  // namespace

class TestGgufMalformed : public QObject {
    Q_OBJECT

private slots:
    void validModelIsAccepted() {
        const QString error = error_for(valid_model().build());
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void clearErrorForEachDefect_data() {
        QTest::addColumn<int>("index");
        for (std::size_t i = 0; i < cases().size(); ++i) QTest::newRow(cases()[i].name) << static_cast<int>(i);
    }
    void clearErrorForEachDefect() {
        QFETCH(int, index);
        const Case& c = cases()[static_cast<std::size_t>(index)];
        const QString error = error_for(c.make());
        QVERIFY2(!error.isEmpty(), "the malformed file was accepted");
        QVERIFY2(error.startsWith("broken.gguf: "), qPrintable(error));
        for (const char* fragment : c.expected) {
            QVERIFY2(error.contains(QString::fromUtf8(fragment)),
                     qPrintable(QString("expected '%1' in: %2").arg(fragment, error)));
        }
    }

    void truncationAtEverySectionBoundary_data() {
        QTest::addColumn<int>("cut");
        auto b = valid_model();
        const auto bytes = b.build();
        for (const auto& [label, end] : b.boundaries) {
            // Cut just before each section ends, and exactly at each boundary but the last.
            QTest::newRow(("inside " + label).c_str()) << static_cast<int>(end - 1);
            if (end < bytes.size()) QTest::newRow(("after " + label).c_str()) << static_cast<int>(end);
        }
    }
    void truncationAtEverySectionBoundary() {
        QFETCH(int, cut);
        auto bytes = valid_model().build();
        bytes.resize(static_cast<std::size_t>(cut));
        const QString error = error_for(bytes);
        QVERIFY2(!error.isEmpty(), "a truncated file was accepted");
        QVERIFY2(error.startsWith("broken.gguf: "), qPrintable(error));
        QVERIFY2(error.contains("truncated") || error.contains("past the end") || error.contains("empty") ||
                     error.contains("not a GGUF file") || error.contains("claims"),
                 qPrintable(error));
    }

    void truncationAtEveryByteNeverSucceeds() {
        const auto full = valid_model().build();
        for (std::size_t cut = 0; cut < full.size(); ++cut) {
            std::vector<char> bytes(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(cut));
            try {
                (void)format::GgufFile::parse(std::as_bytes(std::span(bytes)), "cut.gguf");
                QFAIL(qPrintable(QString("a file cut at byte %1 of %2 was accepted").arg(cut).arg(full.size())));
            } catch (const format::FormatError& e) {
                QVERIFY(QString(e.what()).startsWith("cut.gguf: "));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestGgufMalformed)
#include "test_gguf_malformed.moc"
