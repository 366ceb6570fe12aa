// The tokenizers of the two real models against transformers' (tests/data/tokenizer/<model>.json, written
// by tests/make_tokenizer_golden.py from tests/data/tokenizer/corpus.json): every corpus entry, with and
// without control-token parsing, exactly. Also, on the same texts: decode(encode(x)) == x, and the
// streaming decoder fed one token at a time gives decode(all) and never half a character.
#include <QtTest/QTest>

#include <algorithm>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "hearth/tokenizer.h"
#include "tokenizer_test_support.h"

using namespace hearth;
using hearth::test::corpus;
using hearth::test::load_json;
using nlohmann::json;

namespace {

const char* const k_goldens[] = {"smollm2-135m-instruct.q4_1.json", "gemma-3-270m-q4_k_m.json"};


const json& golden(const QString& name) {
    static std::map<QString, json> cache;
    auto it = cache.find(name);
    if (it == cache.end()) it = cache.emplace(name, load_json(HEARTH_TEST_DATA_DIR "/tokenizer/" + name.toStdString())).first;
    return it->second;
}

// One tokenizer per model file, loaded on first use.
const Tokenizer& tokenizer_for(const QString& golden_name) {
    static std::map<QString, Tokenizer> cache;
    auto it = cache.find(golden_name);
    if (it == cache.end()) {
        const std::string path = std::string(HEARTH_MODELS_DIR) + "/" + golden(golden_name).at("file").get<std::string>();
        auto loaded = Tokenizer::from_gguf(path);
        if (!loaded) qFatal("%s", loaded.error().message.c_str());
        it = cache.emplace(golden_name, std::move(loaded).value()).first;
    }
    return it->second;
}

std::vector<TokenId> ids(const json& array) { return array.get<std::vector<TokenId>>(); }

void add_rows() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("entry");
    for (const char* name : k_goldens) {
        const json& g = golden(name);
        QVERIFY2(g.at("cases").size() == corpus().size(), "golden and corpus differ in length: regenerate the goldens");
        const QString model = QString::fromStdString(g.at("file").get<std::string>()).section('.', 0, 0);
        for (std::size_t i = 0; i < corpus().size(); ++i) {
            QVERIFY(g.at("cases")[i].at("name") == corpus()[i].at("name"));
            const std::string row = model.toStdString() + "/" + corpus()[i].at("name").get<std::string>();
            QTest::newRow(row.c_str()) << QString(name) << static_cast<int>(i);
        }
    }
}

}  // namespace

class TestTokenizerGolden : public QObject {
    Q_OBJECT

private slots:
    void plainText_data() { add_rows(); }
    void plainText() {
        QFETCH(QString, model);
        QFETCH(int, entry);
        const std::string text = corpus()[entry].at("text");
        const auto got = tokenizer_for(model).encode(text, {.add_bos = false, .parse_special = false});
        const QString difference = test::id_difference(got, ids(golden(model).at("cases")[entry].at("plain")));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
    }

    void parsingSpecialTokens_data() { add_rows(); }
    void parsingSpecialTokens() {
        QFETCH(QString, model);
        QFETCH(int, entry);
        const std::string text = corpus()[entry].at("text");
        const auto got = tokenizer_for(model).encode(text, {.add_bos = false, .parse_special = true});
        const QString difference = test::id_difference(got, ids(golden(model).at("cases")[entry].at("special")));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
    }

    void decodeRoundTrips_data() { add_rows(); }
    void decodeRoundTrips() {
        QFETCH(QString, model);
        QFETCH(int, entry);
        const Tokenizer& tokenizer = tokenizer_for(model);
        const std::string text = corpus()[entry].at("text");
        for (const bool parse_special : {false, true}) {
            const auto encoded = tokenizer.encode(text, {.add_bos = false, .parse_special = parse_special});
            QCOMPARE(tokenizer.decode(encoded), text);
        }
    }

    void streamingDecoderMatchesDecode_data() { add_rows(); }
    void streamingDecoderMatchesDecode() {
        QFETCH(QString, model);
        QFETCH(int, entry);
        const Tokenizer& tokenizer = tokenizer_for(model);
        const auto encoded = tokenizer.encode(corpus()[entry].at("text").get<std::string>(), {.parse_special = true});
        StreamingDecoder stream(tokenizer);
        std::string streamed;
        for (std::size_t i = 0; i < encoded.size(); ++i) {
            const std::string piece = stream.push(encoded[i]);
            QVERIFY2(is_valid_utf8(piece), qPrintable(QStringLiteral("invalid UTF-8 after token %1").arg(i)));
            streamed += piece;
        }
        streamed += stream.finish();
        QCOMPARE(streamed, tokenizer.decode(encoded));
    }

    void addsBosAsTheFileSays_data() {
        QTest::addColumn<QString>("model");
        for (const char* name : k_goldens) QTest::newRow(name) << QString(name);
    }
    void addsBosAsTheFileSays() {
        QFETCH(QString, model);
        const json& case_ = golden(model).at("with_bos");
        std::string text;
        for (const auto& c : corpus()) if (c.at("name") == case_.at("name")) text = c.at("text");
        const auto got = tokenizer_for(model).encode(text, {.add_bos = true, .parse_special = false});
        const QString difference = test::id_difference(got, ids(case_.at("ids")));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
    }

    // Text a user typed that looks like a control token stays text unless the caller asks otherwise.
    void typedControlTokenTextStaysText_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("control");
        QTest::newRow("SmolLM2 <|im_start|>") << QString(k_goldens[0]) << "<|im_start|>";
        QTest::newRow("SmolLM2 <|im_end|>") << QString(k_goldens[0]) << "<|im_end|>";
        QTest::newRow("Gemma 3 <start_of_turn>") << QString(k_goldens[1]) << "<start_of_turn>";
        QTest::newRow("Gemma 3 <bos>") << QString(k_goldens[1]) << "<bos>";
    }
    void typedControlTokenTextStaysText() {
        QFETCH(QString, model);
        QFETCH(QString, control);
        const Tokenizer& tokenizer = tokenizer_for(model);
        const auto id = tokenizer.find(control.toStdString());
        QVERIFY(id.has_value());
        QVERIFY(tokenizer.is_control(*id));
        const std::string text = "before " + control.toStdString() + "user\nafter";
        const auto plain = tokenizer.encode(text);
        for (const TokenId t : plain) QVERIFY2(!tokenizer.is_control(t), qPrintable(QStringLiteral("control token %1").arg(t)));
        QCOMPARE(tokenizer.decode(plain), text);
        const auto parsed = tokenizer.encode(text, {.parse_special = true});
        QCOMPARE(std::count(parsed.begin(), parsed.end(), *id), 1);
        QCOMPARE(tokenizer.decode(parsed), text);
    }

    void describesItself() {
        const Tokenizer& smollm = tokenizer_for(k_goldens[0]);
        QCOMPARE(smollm.kind(), TokenizerKind::byte_level_bpe);
        QCOMPARE(smollm.size(), std::size_t{49152});
        QCOMPARE(smollm.pre_tokenizer(), std::string_view("smollm"));
        QCOMPARE(smollm.bos(), std::optional<TokenId>(1));
        QCOMPARE(smollm.eos(), std::optional<TokenId>(2));
        QVERIFY(!smollm.adds_bos());
        QCOMPARE(smollm.token_text(1), std::string_view("<|im_start|>"));
        const Tokenizer& gemma = tokenizer_for(k_goldens[1]);
        QCOMPARE(gemma.kind(), TokenizerKind::sentencepiece_bpe);
        QCOMPARE(gemma.size(), std::size_t{262144});
        QCOMPARE(gemma.bos(), std::optional<TokenId>(2));
        QCOMPARE(gemma.eos(), std::optional<TokenId>(1));
        QVERIFY(gemma.adds_bos());
        QCOMPARE(gemma.kind_of(248), TokenKind::byte);  // <0x0A>
        QCOMPARE(gemma.token_text(248), std::string_view("<0x0A>"));
    }
};

QTEST_GUILESS_MAIN(TestTokenizerGolden)
#include "test_tokenizer_golden.moc"
