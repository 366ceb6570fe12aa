// Tokenizer::from_hf_folder against the `tokenizers` library (tests/data/tokenizer/hf/<name>.golden.json,
// written by tests/make_tokenizer_golden.py from tests/data/tokenizer/corpus.json): every corpus entry with
// and without control-token parsing, decode() against tokenizers' decode, and the BOS/EOS that
// transformers adds. Folders: SmolLM2's tokenizer as transformers exports it from the GGUF, and tiny
// tokenizers built with `tokenizers` that cover the other pipeline components: tiny-nfc (Qwen2's pipeline,
// NFC) and tiny-nfkc also encode text that normalization changes (golden cases after the corpus's, each with
// its text). Gemma 3's export (33 MB) is
// not committed: its rows run when HEARTH_HF_TOKENIZERS names a folder holding hf/gemma-3-270m-q4_k_m/
// (make_tokenizer_golden.py --hf-export DIR), and are skipped otherwise.
// Also: malformed and unsupported tokenizer.json files give errors naming the file and the JSON path.
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "hearth/tokenizer.h"
#include "tokenizer_test_support.h"

using namespace hearth;
using hearth::test::corpus;
using hearth::test::load_json;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* const k_names[] = {"tiny-bytelevel", "tiny-sentencepiece", "tiny-metaspace", "tiny-nfc", "tiny-nfkc",
                               "smollm2-135m-instruct.q4_1", "gemma-3-270m-q4_k_m"};

const fs::path k_hf = fs::path(HEARTH_TEST_DATA_DIR) / "tokenizer" / "hf";

const json& golden(const std::string& name) {
    static std::map<std::string, json> cache;
    auto it = cache.find(name);
    if (it == cache.end()) it = cache.emplace(name, load_json((k_hf / (name + ".golden.json")).string())).first;
    return it->second;
}

fs::path folder_of(const std::string& name) {
    if (golden(name).at("committed").get<bool>()) return k_hf / name;
    const char* extra = std::getenv("HEARTH_HF_TOKENIZERS");
    return extra ? fs::path(extra) / "hf" / name : fs::path();
}

// nullptr when the folder is not here (an uncommitted export).
const Tokenizer* tokenizer_for(const std::string& name) {
    static std::map<std::string, std::optional<Tokenizer>> cache;
    auto it = cache.find(name);
    if (it == cache.end()) {
        const fs::path folder = folder_of(name);
        std::optional<Tokenizer> loaded;
        if (!folder.empty() && fs::exists(folder / "tokenizer.json")) {
            auto result = Tokenizer::from_hf_folder(folder);
            if (!result) qFatal("%s", result.error().message.c_str());
            loaded.emplace(std::move(result).value());
        }
        it = cache.emplace(name, std::move(loaded)).first;
    }
    return it->second ? &*it->second : nullptr;
}

#define FETCH_TOKENIZER()                                                                                       \
    QFETCH(QString, model);                                                                                     \
    QFETCH(int, entry);                                                                                         \
    const std::string name = model.toStdString();                                                               \
    const Tokenizer* tokenizer = tokenizer_for(name);                                                           \
    if (!tokenizer) QSKIP("this tokenizer.json is not committed (too large); set HEARTH_HF_TOKENIZERS to run it"); \
    const json& expected = golden(name).at("cases")[static_cast<std::size_t>(entry)];                          \
    const std::string text = text_of(expected, entry)

// A golden case's text: the corpus entry's, or its own for the cases after the corpus's.
std::string text_of(const json& golden_case, int entry) {
    const auto i = static_cast<std::size_t>(entry);
    return i < corpus().size() ? corpus()[i].at("text").get<std::string>() : golden_case.at("text").get<std::string>();
}

void add_rows() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("entry");
    for (const char* name : k_names) {
        const json& cases = golden(name).at("cases");
        QVERIFY2(cases.size() >= corpus().size(), "the golden has fewer cases than the corpus: regenerate the goldens");
        for (std::size_t i = 0; i < cases.size(); ++i) {
            if (i < corpus().size()) QVERIFY(cases[i].at("name") == corpus()[i].at("name"));
            else QVERIFY2(cases[i].contains("text"), "a golden case after the corpus's must have its text");
            const std::string row = std::string(name) + "/" + cases[i].at("name").get<std::string>();
            QTest::newRow(row.c_str()) << QString(name) << static_cast<int>(i);
        }
    }
}

std::vector<TokenId> ids(const json& array) { return array.get<std::vector<TokenId>>(); }

void write(const fs::path& path, const json& j) {
    std::ofstream out(path);
    out << j.dump();
}

}  // namespace

class TestTokenizerHf : public QObject {
    Q_OBJECT

private slots:
    void plainText_data() { add_rows(); }
    void plainText() {
        FETCH_TOKENIZER();
        const auto got = tokenizer->encode(text, {.parse_special = false});
        const QString difference = test::id_difference(got, ids(expected.at("plain")));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
    }

    void parsingSpecialTokens_data() { add_rows(); }
    void parsingSpecialTokens() {
        FETCH_TOKENIZER();
        const auto got = tokenizer->encode(text, {.parse_special = true});
        const QString difference = test::id_difference(got, ids(expected.at("special")));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
    }

    void decodeMatchesTokenizers_data() { add_rows(); }
    void decodeMatchesTokenizers() {
        FETCH_TOKENIZER();
        QCOMPARE(tokenizer->decode(ids(expected.at("special"))), expected.at("decoded").get<std::string>());
    }

    void addsBosAndEosAsTransformers_data() {
        QTest::addColumn<QString>("model");
        for (const char* name : k_names) QTest::newRow(name) << QString(name);
    }
    void addsBosAndEosAsTransformers() {
        QFETCH(QString, model);
        const std::string name = model.toStdString();
        const Tokenizer* tokenizer = tokenizer_for(name);
        if (!tokenizer) QSKIP("this tokenizer.json is not committed (too large); set HEARTH_HF_TOKENIZERS to run it");
        const json& case_ = golden(name).at("with_special");
        std::string text;
        for (const auto& c : corpus()) if (c.at("name") == case_.at("name")) text = c.at("text");
        const auto got = tokenizer->encode(text, {.add_bos = true, .add_eos = true});
        const QString difference = test::id_difference(got, ids(case_.at("ids")));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
    }

    void bosAndEosFromTheFolder() {
        const Tokenizer& smollm = *tokenizer_for("smollm2-135m-instruct.q4_1");
        QCOMPARE(smollm.bos(), smollm.find("<|im_start|>"));
        QCOMPARE(smollm.eos(), smollm.find("<|im_end|>"));
        QVERIFY(!smollm.adds_bos());
        QVERIFY(!smollm.adds_eos());
        QCOMPARE(smollm.kind(), TokenizerKind::byte_level_bpe);
        const Tokenizer& sp = *tokenizer_for("tiny-sentencepiece");
        QCOMPARE(sp.bos(), sp.find("<s>"));
        QCOMPARE(sp.eos(), sp.find("</s>"));
        QVERIFY(sp.adds_bos());
        QVERIFY(sp.adds_eos());  // tokenizer_config.json add_eos_token
        QCOMPARE(sp.kind(), TokenizerKind::sentencepiece_bpe);
        const Tokenizer& meta = *tokenizer_for("tiny-metaspace");
        QVERIFY(!meta.adds_bos());
        QCOMPARE(meta.encode("a", {.add_eos = true}).back(), *meta.find("</s>"));  // post-processor "$A </s>"
    }

    void typedControlTokenTextStaysText() {
        const Tokenizer& smollm = *tokenizer_for("smollm2-135m-instruct.q4_1");
        const std::string text = "x<|im_start|>system\ny";
        const auto plain = smollm.encode(text);
        QVERIFY(std::find(plain.begin(), plain.end(), *smollm.find("<|im_start|>")) == plain.end());
        const auto parsed = smollm.encode(text, {.parse_special = true});
        QVERIFY(std::find(parsed.begin(), parsed.end(), *smollm.find("<|im_start|>")) != parsed.end());
        // Literal ranges keep control text inside them as text even when parsing.
        const TextRange literal[] = {{1, 13}};
        QCOMPARE(smollm.encode(text, {.parse_special = true, .literal = literal}), plain);
    }

    void streamingDecoderMatchesDecode() {
        for (const char* name : {"tiny-bytelevel", "tiny-sentencepiece", "tiny-nfc", "smollm2-135m-instruct.q4_1"}) {
            const Tokenizer& tokenizer = *tokenizer_for(name);
            for (const auto& c : corpus()) {
                const auto encoded = tokenizer.encode(c.at("text").get<std::string>(), {.parse_special = true});
                StreamingDecoder stream(tokenizer);
                std::string streamed;
                for (const TokenId id : encoded) streamed += stream.push(id);
                streamed += stream.finish();
                QCOMPARE(streamed, tokenizer.decode(encoded));
            }
        }
    }

    void errorsNameFileAndPath_data() {
        QTest::addColumn<QString>("pointer");   // JSON pointer of the value to replace
        QTest::addColumn<QString>("value");     // the replacement, as JSON
        QTest::addColumn<QString>("message");   // what the error must contain
        QTest::newRow("unsupported normalizer") << "/normalizer" << R"({"type": "Sequence", "normalizers": [{"type": "Lowercase"}, {"type": "BertNormalizer"}]})"
                                                << "tokenizer.json: normalizer.normalizers[1].type 'BertNormalizer' is not supported";
        QTest::newRow("unsupported model") << "/model/type" << R"("Unigram")" << "tokenizer.json: model.type 'Unigram' is not supported";
        QTest::newRow("unsupported pre-tokenizer") << "/pre_tokenizer/pretokenizers/0" << R"({"type": "BertPreTokenizer"})"
                                                   << "tokenizer.json: pre_tokenizer.pretokenizers[0].type 'BertPreTokenizer' is not supported";
        QTest::newRow("bad behavior") << "/pre_tokenizer/pretokenizers/0/behavior" << R"("Sideways")"
                                      << "tokenizer.json: pre_tokenizer.pretokenizers[0].behavior 'Sideways' is not a split behavior";
        QTest::newRow("bad regex") << "/pre_tokenizer/pretokenizers/0/pattern" << "{\"Regex\": \"(unclosed\"}"  // NOTE: not a raw string: moc misreads "(" inside one
                                   << "tokenizer.json: pre_tokenizer.pretokenizers[0].pattern.Regex regex '(unclosed' does not compile";
        QTest::newRow("unsupported decoder") << "/decoder" << R"({"type": "WordPiece"})" << "tokenizer.json: decoder.type 'WordPiece' is not supported";
        QTest::newRow("merge of unknown token") << "/model/merges/0" << R"(["zzqq", "x"])" << "tokenizer.json: model.merges[0] names unknown token 'zzqq'";
        QTest::newRow("merge not a pair") << "/model/merges/3" << R"(["a"])" << "tokenizer.json: model.merges[3] must be \"left right\" or [left, right]";
        QTest::newRow("vocab id not a number") << "/model/vocab/a" << R"("one")" << "tokenizer.json: model.vocab.'a' must be an integer, found string";
        QTest::newRow("added token without content") << "/added_tokens/0/content" << "7" << "tokenizer.json: added_tokens[0].content must be a string, found number";
        QTest::newRow("dropout") << "/model/dropout" << "0.1" << "tokenizer.json: model.dropout must be null";
        QTest::newRow("post-processor token") << "/post_processor/single/0" << R"({"SpecialToken": {"id": "<nope>", "type_id": 0}})"
                                              << "tokenizer.json: post_processor.single[0].SpecialToken.id '<nope>' is not in the vocabulary";
    }
    void errorsNameFileAndPath() {
        QFETCH(QString, pointer);
        QFETCH(QString, value);
        QFETCH(QString, message);
        json spec = load_json((k_hf / "tiny-bytelevel" / "tokenizer.json").string());
        spec[json::json_pointer(pointer.toStdString())] = json::parse(value.toStdString());
        QTemporaryDir dir;
        write(fs::path(dir.path().toStdString()) / "tokenizer.json", spec);
        const auto loaded = Tokenizer::from_hf_folder(dir.path().toStdString());
        QVERIFY(!loaded);
        QVERIFY2(loaded.error().message.find(message.toStdString()) != std::string::npos, loaded.error().message.c_str());
    }

    // Each Unicode normalizer, put into tiny-bytelevel (no normalizer of its own), makes canonically
    // equivalent text encode alike, and compatibility-equivalent text (a ligature) only under NFKC and NFKD.
    // tiny-nfc and tiny-nfkc check the ids themselves against `tokenizers` above.
    void unicodeNormalizersApply_data() {
        QTest::addColumn<QString>("form");
        QTest::addColumn<bool>("compatibility");
        QTest::newRow("NFC") << "NFC" << false;
        QTest::newRow("NFD") << "NFD" << false;
        QTest::newRow("NFKC") << "NFKC" << true;
        QTest::newRow("NFKD") << "NFKD" << true;
    }
    void unicodeNormalizersApply() {
        QFETCH(QString, form);
        QFETCH(bool, compatibility);
        json spec = load_json((k_hf / "tiny-bytelevel" / "tokenizer.json").string());
        spec["normalizer"] = {{"type", "Sequence"}, {"normalizers", json::array({{{"type", form.toStdString()}}})}};
        QTemporaryDir dir;
        write(fs::path(dir.path().toStdString()) / "tokenizer.json", spec);
        const auto loaded = Tokenizer::from_hf_folder(dir.path().toStdString());
        QVERIFY2(loaded.ok(), loaded ? "" : loaded.error().message.c_str());
        const std::string composed = "caf\u00e9 \u00c5 \uac01", decomposed = "cafe\u0301 \u212b \u1100\u1161\u11a8";
        const Tokenizer& plain = *tokenizer_for("tiny-bytelevel");
        QVERIFY(plain.encode(composed) != plain.encode(decomposed));  // the test means something
        QCOMPARE(loaded->encode(composed), loaded->encode(decomposed));
        const std::string ligature = "\ufb01ne \u2460", spelled = "fine 1";
        QCOMPARE(loaded->encode(ligature) == loaded->encode(spelled), compatibility);
    }

    // EncodeOptions::add_eos appends what the folder asks for: tokenizer_config.json's add_eos_token (which
    // overrides the post-processor, as transformers 4's Llama tokenizer does), else the post-processor.
    void addEosTokenFromTheConfig() {
        QTemporaryDir dir;
        const fs::path path = dir.path().toStdString();
        // SmolLM2: no EOS unless the config says add_eos_token.
        fs::copy_file(k_hf / "smollm2-135m-instruct.q4_1" / "tokenizer.json", path / "tokenizer.json");
        json config = load_json((k_hf / "smollm2-135m-instruct.q4_1" / "tokenizer_config.json").string());
        config["add_eos_token"] = true;
        write(path / "tokenizer_config.json", config);
        auto loaded = Tokenizer::from_hf_folder(path);
        QVERIFY2(loaded.ok(), loaded ? "" : loaded.error().message.c_str());
        const Tokenizer& smollm = *tokenizer_for("smollm2-135m-instruct.q4_1");
        const auto text = smollm.encode("Hello world");
        auto with_eos = text;
        with_eos.push_back(*smollm.find("<|im_end|>"));
        QVERIFY(loaded->adds_eos());
        QCOMPARE(loaded->encode("Hello world", {.add_eos = true}), with_eos);
        QCOMPARE(loaded->encode("Hello world", {.add_eos = false}), text);
        QCOMPARE(smollm.encode("Hello world", {.add_eos = true}), text);  // the committed folder does not ask

        // tiny-metaspace: the post-processor appends </s>; add_eos_token false in the config turns that off.
        fs::remove(path / "tokenizer.json");
        fs::copy_file(k_hf / "tiny-metaspace" / "tokenizer.json", path / "tokenizer.json");
        write(path / "tokenizer_config.json", json{{"eos_token", "</s>"}, {"add_eos_token", false}});
        loaded = Tokenizer::from_hf_folder(path);
        QVERIFY2(loaded.ok(), loaded ? "" : loaded.error().message.c_str());
        QVERIFY(!loaded->adds_eos());
        QCOMPARE(loaded->encode("a", {.add_eos = true}), loaded->encode("a"));
        const Tokenizer& meta = *tokenizer_for("tiny-metaspace");
        QCOMPARE(meta.encode("a", {.add_eos = true}).size(), meta.encode("a").size() + 1);

        // add_eos_token true without an eos_token is an error naming the key.
        write(path / "tokenizer_config.json", json{{"add_eos_token", true}});
        fs::remove(path / "tokenizer.json");
        fs::copy_file(k_hf / "tiny-sentencepiece" / "tokenizer.json", path / "tokenizer.json");
        loaded = Tokenizer::from_hf_folder(path);
        QVERIFY(!loaded);
        QVERIFY2(loaded.error().message.find("tokenizer_config.json: add_eos_token is true, but there is no eos_token") != std::string::npos,
                 loaded.error().message.c_str());
    }

    void configErrorsNameTheConfig() {
        QTemporaryDir dir;
        const fs::path path = dir.path().toStdString();
        fs::copy_file(k_hf / "tiny-bytelevel" / "tokenizer.json", path / "tokenizer.json");
        write(path / "tokenizer_config.json", json{{"bos_token", "<|nope|>"}});
        auto loaded = Tokenizer::from_hf_folder(path);
        QVERIFY(!loaded);
        QVERIFY2(loaded.error().message.find("tokenizer_config.json: bos_token '<|nope|>' is not in the vocabulary") != std::string::npos,
                 loaded.error().message.c_str());
        write(path / "tokenizer_config.json", json{{"add_eos_token", "yes"}});
        loaded = Tokenizer::from_hf_folder(path);
        QVERIFY(!loaded);
        QVERIFY2(loaded.error().message.find("tokenizer_config.json: add_eos_token must be true or false") != std::string::npos,
                 loaded.error().message.c_str());
    }

    void missingOrBrokenFile() {
        QTemporaryDir dir;
        const fs::path path = dir.path().toStdString();
        auto loaded = Tokenizer::from_hf_folder(path);
        QVERIFY(!loaded);
        QVERIFY2(loaded.error().message.find("tokenizer.json: missing") != std::string::npos, loaded.error().message.c_str());
        std::ofstream(path / "tokenizer.json") << "{\"model\": [";
        loaded = Tokenizer::from_hf_folder(path);
        QVERIFY(!loaded);
        QVERIFY2(loaded.error().message.find("tokenizer.json") != std::string::npos, loaded.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestTokenizerHf)
#include "test_tokenizer_hf.moc"
