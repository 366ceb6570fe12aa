// The GGUF reader on well-formed files: every value type, nested arrays, alignment, tensor placement.
#include <QtTest/QTest>

#include <cmath>

#include "format/gguf_reader.h"
#include "gguf_builder.h"
#include "hearth/model_info.h"
#include "temp_files.h"

using namespace hearth;
using namespace hearth::format;
using namespace hearth::test;

class TestGgufReader : public QObject {
    Q_OBJECT

    static GgufFile parse(const std::vector<char>& bytes) {
        return GgufFile::parse(std::as_bytes(std::span(bytes)), "test.gguf");
    }

private slots:
    void readsEveryValueType() {
        GgufBuilder b;
        b.kv("u8", U8, [](Bytes& w) { w.put<std::uint8_t>(200); });
        b.kv("i8", I8, [](Bytes& w) { w.put<std::int8_t>(-100); });
        b.kv("u16", U16, [](Bytes& w) { w.put<std::uint16_t>(60000); });
        b.kv("i16", I16, [](Bytes& w) { w.put<std::int16_t>(-30000); });
        b.kv("u32", U32, [](Bytes& w) { w.put<std::uint32_t>(4000000000u); });
        b.kv("i32", I32, [](Bytes& w) { w.put<std::int32_t>(-2000000000); });
        b.kv("u64", U64, [](Bytes& w) { w.put<std::uint64_t>(1ull << 40); });
        b.kv("i64", I64, [](Bytes& w) { w.put<std::int64_t>(-(1ll << 40)); });
        b.kv("f32", F32, [](Bytes& w) { w.put<float>(0.5f); });
        b.kv("f64", F64, [](Bytes& w) { w.put<double>(-2.25); });
        b.kv("bool", BOOL, [](Bytes& w) { w.put<std::uint8_t>(1); });
        b.kv_string("string", "héllo ✓");
        b.kv_strings("strings", {"a", "", "ccc"});
        b.kv_i32s("ints", {1, -2, 3});
        // An array of arrays: [[1.5, 2.5], []] of F32.
        b.kv("nested", ARRAY, [](Bytes& w) {
            w.put<std::uint32_t>(ARRAY);
            w.put<std::uint64_t>(2);
            w.put<std::uint32_t>(F32);
            w.put<std::uint64_t>(2);
            w.put<float>(1.5f);
            w.put<float>(2.5f);
            w.put<std::uint32_t>(F32);
            w.put<std::uint64_t>(0);
        });
        const auto file = parse(b.build());

        QCOMPARE(file.metadata().size(), std::size_t{15});
        QCOMPARE(file.find("u8")->as_integer().value(), 200);
        QCOMPARE(file.find("i8")->as_integer().value(), -100);
        QCOMPARE(file.find("u16")->as_integer().value(), 60000);
        QCOMPARE(file.find("i16")->as_integer().value(), -30000);
        QCOMPARE(file.find("u32")->as_integer().value(), 4000000000ll);
        QCOMPARE(file.find("i32")->as_integer().value(), -2000000000ll);
        QCOMPARE(file.find("u64")->as_integer().value(), 1ll << 40);
        QCOMPARE(file.find("i64")->as_integer().value(), -(1ll << 40));
        QCOMPARE(file.find("f32")->as_number().value(), 0.5);
        QCOMPARE(file.find("f64")->as_number().value(), -2.25);
        QCOMPARE(file.find("bool")->as_bool().value(), true);
        QCOMPARE(std::string(file.find("string")->as_string().value()), std::string("héllo ✓"));
        QCOMPARE(file.find("u32")->type, GgufType::u32);
        QCOMPARE(name(file.find("f64")->type), std::string_view("FLOAT64"));

        const auto* strings = file.find("strings")->as_array();
        QVERIFY(strings);
        QCOMPARE(strings->count, std::uint64_t{3});
        QCOMPARE(std::string(strings->strings[2]), std::string("ccc"));
        QVERIFY(strings->strings[1].empty());
        const auto* ints = file.find("ints")->as_array();
        QCOMPARE(ints->integer(1).value(), -2);
        QVERIFY(!ints->integer(3));  // out of range
        QVERIFY(!strings->integer(1));  // not numbers (fuzz_gguf found this offsetting a null pointer)
        QVERIFY(!strings->number(2));
        const auto* nested = file.find("nested")->as_array();
        QCOMPARE(nested->arrays.size(), std::size_t{2});
        QCOMPARE(nested->arrays[0].as_array()->number(1).value(), 2.5);
        QCOMPARE(nested->arrays[1].as_array()->count, std::uint64_t{0});
        QVERIFY(!file.find("missing"));
    }

    void typedLookupsNameKeyAndType() {
        GgufBuilder b;
        b.kv_string("llama.block_count", "many");
        const auto file = parse(b.build());
        try {
            (void)file.get_integer("llama.block_count");
            QFAIL("expected an error");
        } catch (const std::exception& e) {
            const QString message = e.what();
            QVERIFY2(message.contains("test.gguf") && message.contains("'llama.block_count'") &&
                         message.contains("integer") && message.contains("STRING"),
                     qPrintable(message));
        }
    }

    void placesTensorsAtAlignedAbsoluteOffsets_data() {
        QTest::addColumn<quint32>("version");
        QTest::addColumn<quint64>("alignment");
        QTest::newRow("v3, default alignment") << 3u << quint64(32);
        QTest::newRow("v2, default alignment") << 2u << quint64(32);
        QTest::newRow("v3, alignment 64") << 3u << quint64(64);
        QTest::newRow("v3, alignment 1") << 3u << quint64(1);
    }
    void placesTensorsAtAlignedAbsoluteOffsets() {
        QFETCH(quint32, version);
        QFETCH(quint64, alignment);
        GgufBuilder b;
        b.version = version;
        b.alignment = alignment;
        if (alignment != 32) b.kv_u32("general.alignment", static_cast<std::uint32_t>(alignment));
        b.tensor_f32("a", {3});
        b.tensor_f32("b", {4, 2});
        b.tensor({"q", 8, {64, 2}, UINT64_MAX, 2 * 2 * 34});  // Q8_0: 2 rows of 2 blocks
        const auto bytes = b.build();
        const auto file = parse(bytes);
        QCOMPARE(file.version(), version);
        QCOMPARE(file.alignment(), alignment);
        QCOMPARE(file.data_offset() % alignment, quint64(0));
        QCOMPARE(file.tensors().size(), std::size_t{3});
        const auto& a = file.tensors()[0];
        const auto& bb = file.tensors()[1];
        const auto& q = file.tensors()[2];
        QCOMPARE(a.offset, file.data_offset());
        QCOMPARE(a.n_bytes, std::uint64_t{12});
        QCOMPARE(bb.ne, (std::vector<std::int64_t>{4, 2}));
        QCOMPARE(bb.n_elements, std::uint64_t{8});
        QCOMPARE(bb.offset, file.data_offset() + (12 + alignment - 1) / alignment * alignment);
        QCOMPARE(q.type, TensorType::Q8_0);
        QCOMPARE(q.n_bytes, std::uint64_t{136});
        QCOMPARE(q.offset + q.n_bytes, static_cast<std::uint64_t>(bytes.size()));
    }

    void modelInfoFromGgufReversesShapesAndSumsParameters() {
        GgufBuilder b;
        b.llama_metadata(1);
        b.kv_string("tokenizer.ggml.model", "gpt2");
        b.kv_strings("tokenizer.ggml.tokens", {"a", "b", "c", "d"});
        b.kv_u32("tokenizer.ggml.eos_token_id", 3);
        b.kv_string("tokenizer.chat_template", "{{ messages }}");
        b.kv_u32("general.file_type", 7);
        b.tensor_f32("token_embd.weight", {8, 4});
        b.tensor({"blk.0.attn_q.weight", 8, {32, 8}, UINT64_MAX, 8 * 34});
        QTemporaryDir dir;
        const auto path = write_file(dir, "tiny.gguf", b.build());
        auto info = inspect(path);
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QCOMPARE(info->architecture, std::string("llama"));
        QCOMPARE(info->n_layers, 1);
        QCOMPARE(info->hidden_size, 8);
        QCOMPARE(info->n_heads, 2);
        QCOMPARE(info->n_kv_heads, 1);
        QCOMPARE(info->head_dim, 4);
        QCOMPARE(info->context_length, 128);
        QCOMPARE(info->vocab_size, 4);
        QCOMPARE(info->n_params, std::uint64_t{32 + 256});
        QCOMPARE(info->tensors[0].shape, (std::vector<std::int64_t>{4, 8}));
        QCOMPARE(info->tensors[1].shape, (std::vector<std::int64_t>{8, 32}));
        QVERIFY(info->tied_embeddings);
        QCOMPARE(info->quantization.method, std::string("gguf"));
        QCOMPARE(info->quantization.scheme, std::string("Q8_0"));
        QCOMPARE(info->quantization.bits, 8);
        QCOMPARE(info->tokenizer.kind, std::string("bpe-byte-level"));
        QCOMPARE(info->tokenizer.n_tokens, 4);
        QVERIFY(info->tokenizer.has_chat_template);
        QCOMPARE(info->stored_dtypes.front().type, TensorType::Q8_0);  // most bytes first
        QCOMPARE(info->stored_dtypes.size(), std::size_t{2});
    }

    void rejectsSplitFilesWithAnExplanation() {
        GgufBuilder b;
        b.llama_metadata();
        b.kv("split.count", U16, [](Bytes& w) { w.put<std::uint16_t>(3); });
        QTemporaryDir dir;
        auto info = inspect(write_file(dir, "model-00001-of-00003.gguf", b.build()));
        QVERIFY(!info.ok());
        QVERIFY2(QString::fromStdString(info.error().message).contains("split into 3 files"),
                 info.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestGgufReader)
#include "test_gguf_reader.moc"
