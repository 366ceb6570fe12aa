// Tokenizers built from small GGUF vocabularies written here byte by byte (tests/support/gguf_builder.h):
// merge order, scores, byte fallback, special tokens, streaming, and malformed tokenizer metadata, each
// with an expected result worked out by hand.
#include <QtTest/QTest>

#include <functional>

#include "common/utf8.h"
#include "format/gguf_reader.h"
#include "gguf_builder.h"
#include "hearth/tokenizer.h"
#include "tokenizer/byte_level_bpe.h"
#include "tokenizer_test_support.h"

using namespace hearth;
using namespace hearth::test;

namespace {

// GPT-2's spelling of one byte, as the vocabulary stores it.
std::string spelled(unsigned char byte) {
    std::string s;
    const std::uint32_t code = tokenizer::byte_to_code_point()[byte];
    if (code < 0x80) s += static_cast<char>(code);
    else if (code < 0x800) { s += static_cast<char>(0xC0 | (code >> 6)); s += static_cast<char>(0x80 | (code & 0x3F)); }
    return s;
}

// Byte-level: 0 <|endoftext|> (control), 1 <|im_start|> (control), 2 <think> (user-defined),
// 3…258 the 256 bytes, then one token per merge result, in merge order.
struct ByteLevelVocab {
    std::vector<std::string> tokens{"<|endoftext|>", "<|im_start|>", "<think>"};
    std::vector<std::int32_t> types{3, 3, 4};
    std::vector<std::string> merges;
    ByteLevelVocab() {
        for (int b = 0; b < 256; ++b) { tokens.push_back(spelled(static_cast<unsigned char>(b))); types.push_back(1); }
    }
    void merge(const std::string& left, const std::string& right) {
        merges.push_back(left + " " + right);
        tokens.push_back(left + right);
        types.push_back(1);
    }
    TokenId id(const std::string& text) const {
        return static_cast<TokenId>(std::find(tokens.begin(), tokens.end(), text) - tokens.begin());
    }
    GgufBuilder builder(const std::string& pre = "gpt-2", bool with_special_ids = true) const {
        GgufBuilder b;
        b.kv_string("general.architecture", "llama");
        b.kv_string("tokenizer.ggml.model", "gpt2");
        b.kv_string("tokenizer.ggml.pre", pre);
        b.kv_strings("tokenizer.ggml.tokens", tokens);
        b.kv_i32s("tokenizer.ggml.token_type", types);
        b.kv_strings("tokenizer.ggml.merges", merges);
        if (with_special_ids) {
            b.kv_u32("tokenizer.ggml.bos_token_id", 0);
            b.kv_u32("tokenizer.ggml.eos_token_id", 0);
        }
        return b;
    }
};

ByteLevelVocab hello_world_vocab() {
    ByteLevelVocab v;
    v.merge("h", "e");      // rank 0
    v.merge("l", "l");      // 1
    v.merge("he", "ll");    // 2
    v.merge("hell", "o");   // 3
    v.merge("Ġ", "w");      // 4
    v.merge("o", "r");      // 5
    v.merge("Ġw", "or");    // 6
    return v;
}

// SentencePiece: 0 <unk>, 1 <s>, 2 </s>, 3 <start_of_turn> (control), 4 "\n\n" (user-defined),
// 5…260 <0x00>…<0xFF>, then normal pieces with the scores given.
struct SentencePieceVocab {
    std::vector<std::string> tokens{"<unk>", "<s>", "</s>", "<start_of_turn>", "\n\n"};
    std::vector<std::int32_t> types{2, 3, 3, 3, 4};
    std::vector<float> scores{0, 0, 0, 0, 0};
    SentencePieceVocab() {
        static const char* k_hex = "0123456789ABCDEF";
        for (int b = 0; b < 256; ++b) {
            tokens.push_back(std::string("<0x") + k_hex[b >> 4] + k_hex[b & 15] + ">");
            types.push_back(6);
            scores.push_back(0);
        }
        for (const auto& [piece, score] : std::vector<std::pair<std::string, float>>{
                 {"▁", -10}, {"h", -11}, {"e", -12}, {"l", -13}, {"o", -14}, {"w", -15}, {"r", -16}, {"d", -17},
                 {"he", -1}, {"ll", -2}, {"▁he", -3}, {"llo", -4}, {"▁h", -5}, {"▁hello", -6}, {"▁w", -7}, {"or", -8}}) {
            tokens.push_back(piece);
            types.push_back(1);
            scores.push_back(score);
        }
    }
    TokenId id(const std::string& text) const {
        return static_cast<TokenId>(std::find(tokens.begin(), tokens.end(), text) - tokens.begin());
    }
    GgufBuilder builder(bool add_space_prefix = true) const {
        GgufBuilder b;
        b.kv_string("general.architecture", "llama");
        b.kv_string("tokenizer.ggml.model", "llama");
        b.kv_strings("tokenizer.ggml.tokens", tokens);
        b.kv_i32s("tokenizer.ggml.token_type", types);
        const auto s = scores;
        b.kv("tokenizer.ggml.scores", ARRAY, [s](Bytes& out) {
            out.put<std::uint32_t>(F32);
            out.put<std::uint64_t>(s.size());
            for (float f : s) out.put(f);
        });
        b.kv_u32("tokenizer.ggml.bos_token_id", 1);
        b.kv_u32("tokenizer.ggml.eos_token_id", 2);
        b.kv_u32("tokenizer.ggml.unknown_token_id", 0);
        b.kv_bool("tokenizer.ggml.add_space_prefix", add_space_prefix);
        return b;
    }
};

Result<Tokenizer> load(GgufBuilder builder) {
    const std::vector<char> bytes = builder.build();
    const auto file = format::GgufFile::parse(std::as_bytes(std::span(bytes)), "tiny.gguf");
    return Tokenizer::from_gguf(file);
}

Tokenizer must_load(GgufBuilder builder) {
    auto loaded = load(std::move(builder));
    if (!loaded) qFatal("%s", loaded.error().message.c_str());
    return std::move(loaded).value();
}

}  // namespace

class TestTokenizerSynthetic : public QObject {
    Q_OBJECT

private slots:
    void byteLevelMergesByRank() {
        const auto v = hello_world_vocab();
        const Tokenizer t = must_load(v.builder());
        const std::vector<TokenId> expected{v.id("hello"), v.id("Ġwor"), v.id("l"), v.id("d")};
        const auto got = t.encode("hello world");
        QVERIFY2(id_difference(got, expected).isEmpty(), qPrintable(id_difference(got, expected)));
        QCOMPARE(t.decode(got), std::string("hello world"));
    }

    // The lower rank wins wherever it is in the piece: "b c" before "a b" gives a|bc, the other order ab|c.
    void byteLevelRankDecidesOverlaps() {
        ByteLevelVocab first_bc;
        first_bc.merge("b", "c");
        first_bc.merge("a", "b");
        QCOMPARE(must_load(first_bc.builder()).encode("abc"), (std::vector<TokenId>{first_bc.id("a"), first_bc.id("bc")}));
        ByteLevelVocab first_ab;
        first_ab.merge("a", "b");
        first_ab.merge("b", "c");
        QCOMPARE(must_load(first_ab.builder()).encode("abc"), (std::vector<TokenId>{first_ab.id("ab"), first_ab.id("c")}));
        // Equal pairs: the leftmost merges first, so "aaa" is aa|a.
        ByteLevelVocab aa;
        aa.merge("a", "a");
        QCOMPARE(must_load(aa.builder()).encode("aaa"), (std::vector<TokenId>{aa.id("aa"), aa.id("a")}));
    }

    // Broken UTF-8 still encodes, byte by byte, and decodes back to the same bytes.
    void byteLevelTakesAnyBytes() {
        const auto v = hello_world_vocab();
        const Tokenizer t = must_load(v.builder());
        const std::string text = "he\xff\xc3(llo \xe4\xbd";
        QCOMPARE(t.decode(t.encode(text)), text);
    }

    void controlTokensOnlyWhenAsked() {
        const auto v = hello_world_vocab();
        const Tokenizer t = must_load(v.builder());
        const std::string text = "<|im_start|>hello<think>";
        const auto plain = t.encode(text);
        QVERIFY(std::find(plain.begin(), plain.end(), 1) == plain.end());
        QCOMPARE(plain.back(), TokenId{2});  // user-defined tokens are always matched
        QCOMPARE(t.decode(plain), text);
        const auto parsed = t.encode(text, {.parse_special = true});
        QCOMPARE(parsed, (std::vector<TokenId>{1, v.id("hello"), 2}));
        QCOMPARE(t.decode(parsed), text);
        QCOMPARE(t.decode(parsed, {.skip_control = true}), std::string("hello<think>"));
    }

    void sentencePieceMergesByScore() {
        const SentencePieceVocab v;
        const Tokenizer t = must_load(v.builder());
        // "▁hello": he(-1), ll(-2), ▁he(-3), llo(-4), ▁hello(-6): one token.
        QCOMPARE(t.encode("hello"), (std::vector<TokenId>{v.id("▁hello")}));
        QCOMPARE(t.decode(t.encode("hello")), std::string("hello"));
        // "▁world": ▁w(-7), or(-8); l and d stay single.
        QCOMPARE(t.encode("hello world"), (std::vector<TokenId>{v.id("▁hello"), v.id("▁w"), v.id("or"), v.id("l"), v.id("d")}));
        QCOMPARE(t.decode(t.encode("hello world")), std::string("hello world"));
        // No prefix space asked: "hello" is he|llo.
        const Tokenizer no_prefix = must_load(v.builder(false));
        QCOMPARE(no_prefix.encode("hello"), (std::vector<TokenId>{v.id("he"), v.id("llo")}));
    }

    void sentencePieceFallsBackToBytes() {
        const SentencePieceVocab v;
        const Tokenizer t = must_load(v.builder(false));
        // 你 = E4 BD A0, not in the vocabulary.
        QCOMPARE(t.encode("\xe4\xbd\xa0"), (std::vector<TokenId>{5 + 0xE4, 5 + 0xBD, 5 + 0xA0}));
        QCOMPARE(t.decode(t.encode("\xe4\xbd\xa0h")), std::string("\xe4\xbd\xa0h"));
        // "\n\n" is user-defined: always one token; <start_of_turn> only when asked.
        QCOMPARE(t.encode("h\n\nh"), (std::vector<TokenId>{v.id("h"), 4, v.id("h")}));
        QCOMPARE(t.encode("<start_of_turn>h", {.parse_special = true}), (std::vector<TokenId>{3, v.id("h")}));
        QVERIFY(t.encode("<start_of_turn>h").size() > 2);
    }

    void addsBosWhenTheFileSays() {
        const SentencePieceVocab v;
        const Tokenizer t = must_load(v.builder(false));  // add_bos_token absent: SentencePiece adds it
        QVERIFY(t.adds_bos());
        QCOMPARE(t.encode("h", {.add_bos = true}), (std::vector<TokenId>{1, v.id("h")}));
        QCOMPARE(t.encode("h", {.add_bos = false}), (std::vector<TokenId>{v.id("h")}));
        const Tokenizer byte_level = must_load(hello_world_vocab().builder());  // absent: byte-level does not
        QVERIFY(!byte_level.adds_bos());
        QCOMPARE(byte_level.encode("he", {.add_bos = true}).size(), std::size_t{1});
    }

    void addsEosWhenTheFileSays() {
        const SentencePieceVocab v;
        const Tokenizer without = must_load(v.builder());
        QVERIFY(!without.adds_eos());  // add_eos_token absent: no EOS, as llama.cpp
        QCOMPARE(without.encode("h", {.add_eos = true}), without.encode("h"));
        GgufBuilder with_eos = v.builder();
        with_eos.kv_bool("tokenizer.ggml.add_eos_token", true);
        const Tokenizer t = must_load(with_eos);
        QVERIFY(t.adds_eos());
        const auto text = t.encode("h");
        auto expected = text;
        expected.push_back(2);
        QCOMPARE(t.encode("h", {.add_eos = true}), expected);
        QCOMPARE(t.encode("h", {.add_eos = false}), text);  // asked for by the caller only
        expected.insert(expected.begin(), 1);
        QCOMPARE(t.encode("h", {.add_bos = true, .add_eos = true}), expected);
    }

    void streamingHoldsSplitCharacters() {
        const SentencePieceVocab v;
        const Tokenizer t = must_load(v.builder(false));
        StreamingDecoder s(t);
        QCOMPARE(s.push(5 + 0xE4), std::string());
        QCOMPARE(s.push(5 + 0xBD), std::string());
        QCOMPARE(s.push(5 + 0xA0), std::string("\xe4\xbd\xa0"));
        QCOMPARE(s.push(v.id("h")), std::string("h"));
        // A byte that can never start a character comes out at once as U+FFFD.
        QCOMPARE(s.push(5 + 0xFF), std::string("\xef\xbf\xbd"));
        // A lead byte followed by something that is not a continuation: U+FFFD, then the rest.
        QCOMPARE(s.push(5 + 0xE4), std::string());
        QCOMPARE(s.push(v.id("h")), std::string("\xef\xbf\xbdh"));
        // An unfinished character at the end.
        QCOMPARE(s.push(5 + 0xF0), std::string());
        QCOMPARE(s.push(5 + 0x9F), std::string());
        QCOMPARE(s.finish(), std::string("\xef\xbf\xbd\xef\xbf\xbd"));
        QCOMPARE(s.finish(), std::string());
    }

    void streamingStripsThePrefixSpaceOnce() {
        const SentencePieceVocab v;
        const Tokenizer t = must_load(v.builder(true));
        const auto ids = t.encode("hello world");
        StreamingDecoder s(t);
        std::string out;
        for (const TokenId id : ids) out += s.push(id);
        out += s.finish();
        QCOMPARE(out, std::string("hello world"));
    }

    void malformedMetadata_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("missing tokens") << 0 << QStringList{"tiny.gguf", "tokenizer.ggml.tokens is missing"};
        QTest::newRow("merge names an unknown token") << 1 << QStringList{"tokenizer.ggml.merges[7]", "'h zz'", "unknown token 'zz'"};
        QTest::newRow("bos out of range") << 2 << QStringList{"tokenizer.ggml.bos_token_id 9999 is out of range", "266 tokens"};
        QTest::newRow("unknown model") << 3 << QStringList{"tokenizer.ggml.model 'wordpiece'", "gpt2"};
        QTest::newRow("unknown pre-tokenizer") << 4 << QStringList{"tokenizer.ggml.pre 'mystery'", "known:", "smollm", "qwen2"};
        QTest::newRow("token_type count") << 5 << QStringList{"tokenizer.ggml.token_type has 2 entries", "266"};
        QTest::newRow("tokens not strings") << 6 << QStringList{"tokenizer.ggml.tokens must be an array of strings", "INT32"};
        QTest::newRow("no merges") << 7 << QStringList{"tokenizer.ggml.merges is missing"};
        QTest::newRow("no model") << 8 << QStringList{"tokenizer.ggml.model is missing"};
        QTest::newRow("eos negative") << 9 << QStringList{"tokenizer.ggml.eos_token_id -1 is out of range"};
        QTest::newRow("bad token type") << 10 << QStringList{"tokenizer.ggml.token_type[1] is 9"};
        QTest::newRow("scores count") << 11 << QStringList{"tokenizer.ggml.scores has 1 entries"};
    }
    void malformedMetadata() {
        QFETCH(int, which);
        QFETCH(QStringList, expected);
        const auto v = hello_world_vocab();
        GgufBuilder b;
        b.kv_string("general.architecture", "llama");
        const auto common = [&](const std::string& model) { b.kv_string("tokenizer.ggml.model", model); };
        switch (which) {
        case 0: common("gpt2"); b.kv_strings("tokenizer.ggml.merges", v.merges); break;
        case 1: {
            auto broken = v;
            broken.merges.push_back("h zz");
            b = broken.builder();
            break;
        }
        case 2: b = v.builder("gpt-2", false); b.kv_u32("tokenizer.ggml.bos_token_id", 9999); break;
        case 3: common("wordpiece"); b.kv_strings("tokenizer.ggml.tokens", v.tokens); break;
        case 4: b = v.builder("mystery"); break;
        case 5: common("gpt2"); b.kv_strings("tokenizer.ggml.tokens", v.tokens); b.kv_i32s("tokenizer.ggml.token_type", {1, 1}); break;
        case 6: common("gpt2"); b.kv_i32s("tokenizer.ggml.tokens", {1, 2, 3}); break;
        case 7: common("gpt2"); b.kv_strings("tokenizer.ggml.tokens", v.tokens); break;
        case 8: b.kv_strings("tokenizer.ggml.tokens", v.tokens); break;
        case 9: b = v.builder("gpt-2", false); b.kv_i32("tokenizer.ggml.eos_token_id", -1); break;
        case 10: common("llama"); b.kv_strings("tokenizer.ggml.tokens", {"a", "b"}); b.kv_i32s("tokenizer.ggml.token_type", {1, 9}); break;
        case 11:
            common("llama");
            b.kv_strings("tokenizer.ggml.tokens", {"a", "b"});
            b.kv("tokenizer.ggml.scores", ARRAY, [](Bytes& out) { out.put<std::uint32_t>(F32); out.put<std::uint64_t>(1); out.put(0.5f); });
            break;
        }
        const auto loaded = load(b);
        QVERIFY(!loaded.ok());
        const QString message = QString::fromStdString(loaded.error().message);
        for (const QString& fragment : expected) QVERIFY2(message.contains(fragment), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestTokenizerSynthetic)
#include "test_tokenizer_synthetic.moc"
