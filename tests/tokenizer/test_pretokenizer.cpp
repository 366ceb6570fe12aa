// The pre-tokenizer regexes (PCRE2) against Hugging Face tokenizers' own pre-tokenizers (Oniguruma), on
// every corpus entry: tests/data/tokenizer/pretokenizers.json, written by tests/make_tokenizer_golden.py.
// This covers the byte-level vocabularies with no real model among the test fixtures (Llama 3, Qwen 2).
#include <QtTest/QTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "tokenizer/pretokenizer.h"
#include "tokenizer_test_support.h"

using namespace hearth;
using hearth::test::corpus;
using hearth::test::load_json;
using nlohmann::json;

namespace {


const json& expected() {
    static const json k_expected = load_json(HEARTH_TEST_DATA_DIR "/tokenizer/pretokenizers.json");
    return k_expected;
}

}  // namespace

class TestPreTokenizer : public QObject {
    Q_OBJECT

private slots:
    void matchesHuggingFace_data() {
        QTest::addColumn<QString>("pre");
        QTest::addColumn<int>("entry");
        for (const auto& [pre, value] : expected().items()) {
            QVERIFY(value.at("pieces").size() == corpus().size());
            for (std::size_t i = 0; i < corpus().size(); ++i) {
                const std::string row = pre + "/" + corpus()[i].at("name").get<std::string>();
                QTest::newRow(row.c_str()) << QString::fromStdString(pre) << static_cast<int>(i);
            }
        }
    }
    void matchesHuggingFace() {
        QFETCH(QString, pre);
        QFETCH(int, entry);
        auto pre_tokenizer = tokenizer::PreTokenizer::for_gguf_pre(pre.toStdString());
        QVERIFY2(pre_tokenizer.ok(), pre_tokenizer.ok() ? "" : pre_tokenizer.error().message.c_str());
        const std::string text = corpus()[entry].at("text");
        std::vector<std::string_view> pieces;
        pre_tokenizer->split(text, pieces);
        const auto want = expected().at(pre.toStdString()).at("pieces")[entry].get<std::vector<std::string>>();
        const std::vector<std::string> got(pieces.begin(), pieces.end());
        if (got != want) {
            std::size_t at = 0;
            while (at < got.size() && at < want.size() && got[at] == want[at]) ++at;
            const auto show = [at](const std::vector<std::string>& v) {
                return at < v.size() ? QString::fromStdString(v[at]).toHtmlEscaped() : QStringLiteral("(end)");
            };
            QFAIL(qPrintable(QStringLiteral("piece %1 differs: got '%2', expected '%3'").arg(at).arg(show(got), show(want))));
        }
    }

    void unknownNameIsAnError() {
        const auto pre = tokenizer::PreTokenizer::for_gguf_pre("no-such-pre");
        QVERIFY(!pre.ok());
        QVERIFY(pre.error().message.find("'no-such-pre'") != std::string::npos);
    }

    // Broken UTF-8 never reaches PCRE2: each such byte is a piece, the rest is cut as usual.
    void brokenUtf8BytesArePiecesOfTheirOwn() {
        auto pre = tokenizer::PreTokenizer::for_gguf_pre("gpt-2");
        QVERIFY(pre.ok());
        std::vector<std::string_view> pieces;
        pre->split("ab\xff cd", pieces);
        QCOMPARE(pieces, (std::vector<std::string_view>{"ab", "\xff", " cd"}));
    }
};

QTEST_GUILESS_MAIN(TestPreTokenizer)
#include "test_pretokenizer.moc"
