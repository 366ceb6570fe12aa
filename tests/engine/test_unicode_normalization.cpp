// normalize_utf8 (engine/common/unicode_normalization.h) against Python's unicodedata.normalize
// (Unicode 14.0) and, for UnicodeVersion::v9_0, Hugging Face tokenizers' normalizers:
// tests/data/golden/unicode_normalization.txt, written by tests/make_unicode_golden.py in the layout of
// UAX #15's NormalizationTest.txt. Every code point some form changes, alone, and ~1,400 sequences
// (reordering, blocked and unblocked composition, Hangul, singletons, exclusions, random mixes). For each,
// the conformance invariants of NormalizationTest.txt:
//   NFC:  c2 == toNFC(c1) == toNFC(c2) == toNFC(c3);   c4 == toNFC(c4) == toNFC(c5)
//   NFD:  c3 == toNFD(c1) == toNFD(c2) == toNFD(c3);   c5 == toNFD(c4) == toNFD(c5)
//   NFKC: c4 == toNFKC(c1) == … == toNFKC(c5)
//   NFKD: c5 == toNFKD(c1) == … == toNFKD(c5)
// Also: ASCII and broken UTF-8 pass through, and long runs of marks.
#include <QtTest/QTest>

#include <array>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/unicode_normalization.h"

using namespace hearth;

namespace {

using CodePoints = std::u32string;

struct Case {
    int line = 0;
    std::string section, comment;
    std::array<CodePoints, 5> fields;  // source, NFC, NFD, NFKC, NFKD
};

CodePoints parse_field(const std::string& field) {
    CodePoints out;
    std::istringstream in(field);
    std::string hex;
    while (in >> hex) out += static_cast<char32_t>(std::stoul(hex, nullptr, 16));
    return out;
}

std::vector<Case> load_golden() {
    const std::string path = HEARTH_TEST_DATA_DIR "/golden/unicode_normalization.txt";
    std::ifstream in(path);
    if (!in) qFatal("missing %s", path.c_str());
    std::vector<Case> cases;
    std::string section, text;
    for (int number = 1; std::getline(in, text); ++number) {
        if (text.empty() || text[0] == '#') continue;
        if (text[0] == '@') {
            section = text.substr(1);
            continue;
        }
        Case c;
        c.line = number;
        c.section = section;
        if (const auto hash = text.find('#'); hash != std::string::npos) {
            c.comment = text.substr(hash + 2);
            text.resize(hash);
        }
        std::size_t begin = 0;
        for (auto& field : c.fields) {
            const std::size_t end = text.find(';', begin);
            if (end == std::string::npos) qFatal("%s:%d: expected 5 fields", path.c_str(), number);
            field = parse_field(text.substr(begin, end - begin));
            begin = end + 1;
        }
        cases.push_back(std::move(c));
    }
    return cases;
}

const std::vector<Case>& golden() {
    static const std::vector<Case> cases = load_golden();
    return cases;
}

std::string to_utf8(const CodePoints& text) {
    std::string out;
    for (const char32_t c : text) {
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

// Code points of well-formed UTF-8 (what normalize_utf8 returns for well-formed input), for messages.
QString hex_of_utf8(const std::string& text) {
    QString out;
    for (const char32_t c : QString::fromStdString(text).toUcs4()) out += QString::asprintf("%04X ", static_cast<unsigned>(c));
    return out.trimmed();
}

QString hex_of(const CodePoints& text) { return hex_of_utf8(to_utf8(text)); }

constexpr std::array<NormalizationForm, 4> k_forms = {NormalizationForm::nfc, NormalizationForm::nfd, NormalizationForm::nfkc,
                                                      NormalizationForm::nfkd};
constexpr std::array<const char*, 4> k_form_names = {"NFC", "NFD", "NFKC", "NFKD"};

// Collects mismatches; the message names the first few readably.
struct Mismatches {
    int count = 0;
    QStringList first;
    void check(const Case& c, int form, const CodePoints& input, const std::string& got, const CodePoints& expected,
               UnicodeVersion version = UnicodeVersion::v14_0) {
        if (got == to_utf8(expected)) return;
        if (++count > 12) return;
        first << QStringLiteral("line %1 (%2%3): %4%5(%6) = %7, expected %8")
                     .arg(c.line)
                     .arg(QString::fromStdString(c.section), c.comment.empty() ? QString() : ", " + QString::fromStdString(c.comment),
                          QString(k_form_names[static_cast<std::size_t>(form)]),
                          version == UnicodeVersion::v9_0 ? QStringLiteral(" v9_0") : QString(), hex_of(input), hex_of_utf8(got),
                          hex_of(expected));
    }
    QString message(std::size_t checks) const {
        return QStringLiteral("%1 of %2 checks differ:\n  %3").arg(count).arg(checks).arg(first.join(QStringLiteral("\n  ")));
    }
};

}  // namespace

class TestUnicodeNormalization : public QObject {
    Q_OBJECT

private slots:
    void goldenCoversWhatItShould() {
        std::map<std::string, int> per_section;
        for (const Case& c : golden()) ++per_section[c.section];
        QVERIFY2(per_section["code_points"] > 16000, "every code point some form changes");
        QVERIFY(per_section["sequences"] > 1000);
        QVERIFY(per_section["tokenizers"] > 100);
        QCOMPARE(per_section.size(), std::size_t{3});
    }

    // Python's unicodedata (Unicode 14.0), with NormalizationTest.txt's invariants.
    void matchesUnicodedata() {
        Mismatches mismatches;
        std::size_t checks = 0;
        for (const Case& c : golden()) {
            if (c.section == "tokenizers") continue;
            const auto& f = c.fields;
            // Which fields each form is applied to, and the field it must give.
            const std::array<std::pair<std::vector<int>, int>, 6> rules = {{
                {{0, 1, 2}, 1}, {{3, 4}, 3},        // NFC
                {{0, 1, 2}, 2}, {{3, 4}, 4},        // NFD
                {{0, 1, 2, 3, 4}, 3},               // NFKC
                {{0, 1, 2, 3, 4}, 4},               // NFKD
            }};
            constexpr std::array<int, 6> form_of_rule = {0, 0, 1, 1, 2, 3};
            for (std::size_t r = 0; r < rules.size(); ++r) {
                const int form = form_of_rule[r];
                for (const int input : rules[r].first) {
                    const std::string got = normalize_utf8(to_utf8(f[static_cast<std::size_t>(input)]), k_forms[static_cast<std::size_t>(form)]);
                    mismatches.check(c, form, f[static_cast<std::size_t>(input)], got, f[static_cast<std::size_t>(rules[r].second)]);
                    ++checks;
                }
            }
        }
        QVERIFY2(mismatches.count == 0, qPrintable(mismatches.message(checks)));
        QVERIFY(checks > 200000);
    }

    // UnicodeVersion::v9_0 gives what `tokenizers` gives: its results where they differ, else unicodedata's.
    void v9MatchesTokenizers() {
        std::map<CodePoints, const Case*> theirs;
        for (const Case& c : golden())
            if (c.section == "tokenizers") theirs[c.fields[0]] = &c;
        Mismatches mismatches;
        std::size_t checks = 0;
        std::set<CodePoints> used;
        for (const Case& c : golden()) {
            if (c.section == "tokenizers") continue;
            const auto it = theirs.find(c.fields[0]);
            const Case& expected = it != theirs.end() ? *it->second : c;
            if (it != theirs.end()) used.insert(c.fields[0]);
            for (int form = 0; form < 4; ++form) {
                const std::string got = normalize_utf8(to_utf8(c.fields[0]), k_forms[static_cast<std::size_t>(form)], UnicodeVersion::v9_0);
                mismatches.check(expected, form, c.fields[0], got, expected.fields[static_cast<std::size_t>(form) + 1], UnicodeVersion::v9_0);
                ++checks;
            }
        }
        QVERIFY2(mismatches.count == 0, qPrintable(mismatches.message(checks)));
        QCOMPARE(used.size(), theirs.size());  // every tokenizers line belongs to a case
    }

    void asciiComesBackUnchanged() {
        const std::string ascii = "The quick brown fox jumps over the lazy dog. 0123456789 ~!@#$%^&*()_+`-={}|[]\\:\";'<>?,./\t\n\r";
        for (const auto form : k_forms) {
            QCOMPARE(normalize_utf8(ascii, form), ascii);
            QCOMPARE(normalize_utf8("", form), std::string());
        }
        std::string all;
        for (int c = 0; c < 0x80; ++c) all += static_cast<char>(c);
        for (const auto form : k_forms) QCOMPARE(normalize_utf8(all, form), all);
        QVERIFY(is_ascii(""));
        QVERIFY(is_ascii(all));
        // is_ascii reads eight bytes a step: a non-ASCII byte anywhere, including the tail, is seen.
        for (std::size_t at = 0; at < 19; ++at) {
            std::string text(19, 'x');
            text[at] = '\x80';
            QVERIFY2(!is_ascii(text), qPrintable(QString::number(at)));
            QVERIFY(is_ascii(std::string_view(text).substr(at + 1)));
        }
    }

    // A byte that does not begin a well-formed character is copied as it is and ends the run: "e", a broken
    // byte, then U+0301 do not compose.
    void brokenUtf8PassesThrough_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("nfc");
        QTest::addColumn<QByteArray>("nfd");
        QTest::newRow("stray byte between runs") << QByteArray("a\xFF" "e\xCC\x81") << QByteArray("a\xFF\xC3\xA9") << QByteArray("a\xFF" "e\xCC\x81");
        QTest::newRow("breaks a composition") << QByteArray("e\xFF\xCC\x81") << QByteArray("e\xFF\xCC\x81") << QByteArray("e\xFF\xCC\x81");
        QTest::newRow("continuation byte") << QByteArray("\x80\xC3\xA9") << QByteArray("\x80\xC3\xA9") << QByteArray("\x80" "e\xCC\x81");
        QTest::newRow("overlong") << QByteArray("\xC0\x80\xC3\xA9") << QByteArray("\xC0\x80\xC3\xA9") << QByteArray("\xC0\x80" "e\xCC\x81");
        QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80x") << QByteArray("\xED\xA0\x80x") << QByteArray("\xED\xA0\x80x");
        QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << QByteArray("\xF4\x90\x80\x80") << QByteArray("\xF4\x90\x80\x80");
        QTest::newRow("cut off at the end") << QByteArray("\xC3\xA9\xE1\x84") << QByteArray("\xC3\xA9\xE1\x84") << QByteArray("e\xCC\x81\xE1\x84");
        QTest::newRow("marks out of order around a broken byte")
            << QByteArray("q\xCC\x87\xCC\xA3\xFEq\xCC\x87\xCC\xA3") << QByteArray("q\xCC\xA3\xCC\x87\xFEq\xCC\xA3\xCC\x87")
            << QByteArray("q\xCC\xA3\xCC\x87\xFEq\xCC\xA3\xCC\x87");
        QTest::newRow("Hangul jamo split by a broken byte")
            << QByteArray("\xE1\x84\x80\xFF\xE1\x85\xA1") << QByteArray("\xE1\x84\x80\xFF\xE1\x85\xA1") << QByteArray("\xE1\x84\x80\xFF\xE1\x85\xA1");
    }
    void brokenUtf8PassesThrough() {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, nfc);
        QFETCH(QByteArray, nfd);
        const std::string text = input.toStdString();
        QCOMPARE(QByteArray::fromStdString(normalize_utf8(text, NormalizationForm::nfc)), nfc);
        QCOMPARE(QByteArray::fromStdString(normalize_utf8(text, NormalizationForm::nfkc)), nfc);
        QCOMPARE(QByteArray::fromStdString(normalize_utf8(text, NormalizationForm::nfd)), nfd);
        QCOMPARE(QByteArray::fromStdString(normalize_utf8(text, NormalizationForm::nfkd)), nfd);
    }

    // 100,000 marks after one letter: sorted by class (the below marks first) and, in NFC, the first acute
    // composes with the "a" (each below mark has a lower class than the acute, so nothing blocks it) while
    // every later acute is blocked by the one before it. A quadratic sort would take minutes here.
    void longRunsOfMarks() {
        CodePoints input = U"a";
        for (int i = 0; i < 50000; ++i) input += U"\u0301\u0316";
        const CodePoints below(50000, U'\u0316');
        const auto started = std::chrono::steady_clock::now();
        QCOMPARE(normalize_utf8(to_utf8(input), NormalizationForm::nfd), to_utf8(U"a" + below + CodePoints(50000, U'\u0301')));
        QCOMPARE(normalize_utf8(to_utf8(input), NormalizationForm::nfc), to_utf8(U"\u00E1" + below + CodePoints(49999, U'\u0301')));
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        QVERIFY2(seconds < 10, qPrintable(QString::number(seconds)));
    }

    // Long text with an accent now and then: the ASCII between is copied, the accents composed.
    void longMixedText() {
        std::string input, expected;
        for (int i = 0; i < 2000; ++i) {
            input += "Cafe\xCC\x81 au lait, s'il vous pla\xC3\xAEt. ";
            expected += "Caf\xC3\xA9 au lait, s'il vous pla\xC3\xAEt. ";
        }
        QCOMPARE(normalize_utf8(input, NormalizationForm::nfc), expected);
        QCOMPARE(normalize_utf8(expected, NormalizationForm::nfc), expected);
        QCOMPARE(normalize_utf8(expected, NormalizationForm::nfd).size(), input.size() + 2000);
    }
};

QTEST_GUILESS_MAIN(TestUnicodeNormalization)
#include "test_unicode_normalization.moc"
