// Stop strings over streamed text: what each feed emits, hand-checked on the awkward cases, then random
// texts cut at random places against a brute-force reference that sees the whole text at once.

#include <QtTest/QTest>

#include <random>
#include <string>
#include <vector>

#include "runtime/stop_strings.h"

using hearth::runtime::StopStringMatcher;

using Strings = std::vector<std::string>;
Q_DECLARE_METATYPE(Strings)

namespace {

// Strict UTF-8 check (no overlongs, no surrogates, nothing above U+10FFFF).
bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if (b < 0x80) { ++i; continue; }
        if ((b & 0xE0) == 0xC0) { len = 2; cp = b & 0x1F; }
        else if ((b & 0xF0) == 0xE0) { len = 3; cp = b & 0x0F; }
        else if ((b & 0xF8) == 0xF0) { len = 4; cp = b & 0x07; }
        else return false;
        if (i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        const std::uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

struct Reference {
    std::string output;  // what the user should see in total
    bool stopped = false;
    int matched = -1;
};

// The whole text at once: the first end position where some stop string completes; among those ending
// there, the one starting first.
Reference reference(const std::string& text, const Strings& stops) {
    for (std::size_t end = 1; end <= text.size(); ++end) {
        int best = -1;
        for (std::size_t i = 0; i < stops.size(); ++i) {
            const std::string& s = stops[i];
            if (s.empty() || s.size() > end || text.compare(end - s.size(), s.size(), s) != 0) continue;
            if (best < 0 || s.size() > stops[static_cast<std::size_t>(best)].size()) best = static_cast<int>(i);
        }
        if (best >= 0) return {text.substr(0, end - stops[static_cast<std::size_t>(best)].size()), true, best};
    }
    return {text, false, -1};
}

// How much of `text` may not be shown yet: its longest tail that is a proper prefix of a stop string.
std::size_t must_hold(const std::string& text, const Strings& stops) {
    std::size_t hold = 0;
    for (const std::string& s : stops) {
        for (std::size_t len = 1; len < s.size() && len <= text.size(); ++len) {
            if (text.compare(text.size() - len, len, s, 0, len) == 0) hold = std::max(hold, len);
        }
    }
    return hold;
}

}  // namespace

class TestStopStrings : public QObject {
    Q_OBJECT

private slots:
    void feed_data() {
        QTest::addColumn<Strings>("stops");
        QTest::addColumn<Strings>("pieces");
        QTest::addColumn<Strings>("emits");   // one per piece; pieces after the stop emit nothing
        QTest::addColumn<int>("stopped_at");  // index of the piece that completed a stop string, -1 for none
        QTest::addColumn<int>("matched");     // index into stops, -1 for none
        QTest::addColumn<QByteArray>("flushed");

        QTest::newRow("no stops: pass-through, nothing held")
            << Strings{} << Strings{"Hel", "lo <", "/s", ">"} << Strings{"Hel", "lo <", "/s", ">"} << -1 << -1 << QByteArray();
        QTest::newRow("stop inside one piece")
            << Strings{"STOP"} << Strings{"abcSTOPdef", "more"} << Strings{"abc", ""} << 0 << 0 << QByteArray();
        QTest::newRow("stop at the very start")
            << Strings{"<end>"} << Strings{"<end>tail"} << Strings{""} << 0 << 0 << QByteArray();
        QTest::newRow("split across many pieces")
            << Strings{"</s>"} << Strings{"Hi <", "/", "s", ">tail", "x"} << Strings{"Hi ", "", "", "", ""} << 3 << 0 << QByteArray();
        QTest::newRow("false start released")
            << Strings{"</s>"} << Strings{"a <", "/b", "c"} << Strings{"a ", "</b", "c"} << -1 << -1 << QByteArray();
        QTest::newRow("held tail comes out at flush")
            << Strings{"###"} << Strings{"x#", "#"} << Strings{"x", ""} << -1 << -1 << QByteArray("##");
        QTest::newRow("repeated prefix")
            << Strings{"\n\n"} << Strings{"a\n", "b\n", "\n", "c"} << Strings{"a", "\nb", "", ""} << 2 << 0 << QByteArray();
        QTest::newRow("self-overlapping stop")
            << Strings{"aab"} << Strings{"a", "a", "a", "b"} << Strings{"", "", "a", ""} << 3 << 0 << QByteArray();
        QTest::newRow("several stops: first in the text")
            << Strings{"bar", "foo"} << Strings{"xxfoo bar"} << Strings{"xx"} << 0 << 1 << QByteArray();
        // A stop string that completes first wins over one that started earlier, whether or not the text
        // arrives in one piece (the longer one could still have failed to complete).
        QTest::newRow("first to complete, one piece")
            << Strings{"abcd", "c"} << Strings{"abcd"} << Strings{"ab"} << 0 << 1 << QByteArray();
        QTest::newRow("first to complete, bytewise")
            << Strings{"abcd", "c"} << Strings{"a", "b", "c", "d"} << Strings{"", "", "ab", ""} << 2 << 1 << QByteArray();
        QTest::newRow("same end: the longer one")
            << Strings{"b", "ab"} << Strings{"xab"} << Strings{"x"} << 0 << 1 << QByteArray();
        // "abc" is held for "abcX"; the match is the other stop string, starting inside the held text.
        QTest::newRow("match starts inside held text")
            << Strings{"abcX", "bcY"} << Strings{"abc", "Y"} << Strings{"", "a"} << 1 << 1 << QByteArray();
        QTest::newRow("overlapping stops")
            << Strings{"xab", "abz"} << Strings{"xa", "bz"} << Strings{"", ""} << 1 << 0 << QByteArray();
        QTest::newRow("empty stop strings ignored")
            << Strings{"", "x"} << Strings{"abx"} << Strings{"ab"} << 0 << 1 << QByteArray();
        QTest::newRow("only empty stop strings: pass-through")
            << Strings{""} << Strings{"ab", "c"} << Strings{"ab", "c"} << -1 << -1 << QByteArray();
        // UTF-8: "。" is E3 80 82; the text arrives a byte at a time.
        QTest::newRow("utf-8 stop split into bytes")
            << Strings{"。"} << Strings{"你好", "\xE3", "\x80", "\x82再见"} << Strings{"你好", "", "", ""} << 3 << 0 << QByteArray();
        // "€" is E2 82 AC, "₂" is E2 82 82: two shared bytes, then the text goes its own way.
        QTest::newRow("utf-8 near miss")
            << Strings{"€"} << Strings{"a\xE2", "\x82", "\x82" "b"} << Strings{"a", "", "₂b"} << -1 << -1 << QByteArray();
        QTest::newRow("utf-8 held character")
            << Strings{"éclair"} << Strings{"café", "cl", "ass"} << Strings{"caf", "", "éclass"} << -1 << -1 << QByteArray();
        QTest::newRow("utf-8 stop after multi-byte text")
            << Strings{"éclair"} << Strings{"café", "clair!"} << Strings{"caf", ""} << 1 << 0 << QByteArray();
    }
    void feed() {
        QFETCH(Strings, stops);
        QFETCH(Strings, pieces);
        QFETCH(Strings, emits);
        QFETCH(int, stopped_at);
        QFETCH(int, matched);
        QFETCH(QByteArray, flushed);
        QCOMPARE(emits.size(), pieces.size());
        StopStringMatcher matcher(stops);
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            const auto fed = matcher.feed(pieces[i]);
            QCOMPARE(QByteArray::fromStdString(fed.text), QByteArray::fromStdString(emits[i]));
            QCOMPARE(fed.stopped, stopped_at >= 0 && static_cast<int>(i) >= stopped_at);
            QVERIFY(valid_utf8(fed.text));
        }
        QCOMPARE(matcher.stopped(), stopped_at >= 0);
        QCOMPARE(matcher.matched_index() ? static_cast<int>(*matcher.matched_index()) : -1, matched);
        QCOMPARE(QByteArray::fromStdString(matcher.flush()), flushed);
        QCOMPARE(QByteArray::fromStdString(matcher.flush()), QByteArray());  // flush hands the tail over once
    }

    void randomTextsAndCuts() {
        // Small alphabets make stop strings, their prefixes and overlaps common. For every random text,
        // stop list and cut: the total output equals the whole-text reference, and after every feed exactly
        // the longest tail that could still begin a stop string is held back (nothing more, nothing less).
        std::mt19937 rng(2024);
        const auto random_string = [&rng](const char* alphabet, std::size_t min_len, std::size_t max_len) {
            std::uniform_int_distribution<std::size_t> len(min_len, max_len);
            std::uniform_int_distribution<std::size_t> pick(0, std::char_traits<char>::length(alphabet) - 1);
            std::string s(len(rng), ' ');
            for (char& c : s) c = alphabet[pick(rng)];
            return s;
        };
        int stopped_cases = 0;
        for (int trial = 0; trial < 3000; ++trial) {
            Strings stops(std::uniform_int_distribution<int>(1, 3)(rng));
            for (std::string& s : stops) s = random_string("ab", 1, 4);
            const std::string text = random_string("abc", 0, 24);
            const Reference want = reference(text, stops);

            StopStringMatcher matcher(stops);
            std::string fed_so_far;
            std::string shown;
            bool stopped = false;
            std::size_t at = 0;
            while (at < text.size() && !stopped) {
                const std::size_t n = std::uniform_int_distribution<std::size_t>(0, 5)(rng);  // 0: empty piece
                const std::string piece = text.substr(at, n);
                at += piece.size();
                fed_so_far += piece;
                const auto fed = matcher.feed(piece);
                shown += fed.text;
                stopped = fed.stopped;
                if (!stopped && shown.size() + must_hold(fed_so_far, stops) != fed_so_far.size()) {
                    QFAIL(qPrintable(QStringLiteral("text '%1', after '%2': showed '%3'")
                                         .arg(QString::fromStdString(text), QString::fromStdString(fed_so_far),
                                              QString::fromStdString(shown))));
                }
            }
            if (!stopped) shown += matcher.flush();
            if (shown != want.output || stopped != want.stopped) {
                QFAIL(qPrintable(QStringLiteral("text '%1': got '%2' (stopped %3), expected '%4' (stopped %5)")
                                     .arg(QString::fromStdString(text), QString::fromStdString(shown))
                                     .arg(stopped)
                                     .arg(QString::fromStdString(want.output))
                                     .arg(want.stopped)));
            }
            QCOMPARE(matcher.matched_index() ? static_cast<int>(*matcher.matched_index()) : -1, want.matched);
            stopped_cases += stopped;
        }
        // Both outcomes must be well represented, or the check above proves little.
        QVERIFY2(stopped_cases > 500 && stopped_cases < 2500, qPrintable(QString::number(stopped_cases)));
    }

    void feedAfterStop() {
        StopStringMatcher matcher({"END"});
        QCOMPARE(matcher.feed("ok END").stopped, true);
        for (const char* piece : {"more text", "more END again"}) {
            const auto fed = matcher.feed(piece);
            QVERIFY(fed.stopped);
            QVERIFY2(fed.text.empty(), fed.text.c_str());
        }
        QVERIFY(matcher.flush().empty());
        QCOMPARE(matcher.matched_index(), std::optional<std::size_t>(0));
    }
};

QTEST_GUILESS_MAIN(TestStopStrings)
#include "test_stop_strings.moc"
