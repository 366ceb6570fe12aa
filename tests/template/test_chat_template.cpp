// Chat templates against the oracle: every case in tests/data/templates/golden.json (rendered by Python's
// jinja2, configured as transformers configures it; see tests/make_template_golden.py) must render
// byte-for-byte the same, or fail with the same raise_exception message. Then what the oracle cannot
// show: compile errors with line numbers, and the sandbox's limits.
#include <QtTest/QTest>

#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "hearth/chat_template.h"

using namespace hearth;
using nlohmann::json;
using ordered = nlohmann::ordered_json;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const ordered& golden() {
    static const ordered g = ordered::parse(read_file(HEARTH_TEST_DATA_DIR "/templates/golden.json"));
    return g;
}

const ordered* golden_case(const std::string& tmpl, const std::string& name) {
    for (const auto& c : golden()["cases"])
        if (c["template"] == tmpl && c["case"] == name) return &c;
    return nullptr;
}

std::string template_source(const ordered& c) {
    if (c.contains("source")) return c["source"].get<std::string>();
    return read_file(HEARTH_TEST_DATA_DIR "/templates/" + c["template"].get<std::string>() + ".jinja");
}

// Where two outputs first differ, with some context, for a readable failure.
QByteArray first_difference(const std::string& got, const std::string& want) {
    std::size_t i = 0;
    while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
    const std::size_t from = i > 40 ? i - 40 : 0;
    return QByteArray("first difference at byte ") + QByteArray::number(qulonglong(i)) + "\n  got:  " +
           QByteArray::fromStdString(json(got.substr(from, 100)).dump(-1, ' ', false, json::error_handler_t::replace)) + "\n  want: " +
           QByteArray::fromStdString(json(want.substr(from, 100)).dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string render_or_error(std::string_view source, const json& context, const ChatTemplateLimits& limits = {}) {
    auto t = ChatTemplate::compile(source);
    if (!t) return "COMPILE ERROR: " + t.error().message;
    auto r = t->render(context, limits);
    if (!r) return "RENDER ERROR: " + r.error().message;
    return r.value();
}

std::string compile_error(std::string_view source) {
    auto t = ChatTemplate::compile(source);
    return t ? std::string("(compiled)") : t.error().message;
}

std::string render_error(std::string_view source, const json& context = json::object(),
                         const ChatTemplateLimits& limits = {}) {
    auto t = ChatTemplate::compile(source);
    if (!t) return "COMPILE ERROR: " + t.error().message;
    auto r = t->render(context, limits);
    return r ? std::string("(rendered)") : r.error().message;
}

}  // namespace

class TestChatTemplate : public QObject {
    Q_OBJECT

private slots:
    void goldenFileIsComplete() {
        // Every template file has cases, and the oracle is the pinned jinja2.
        QCOMPARE(golden()["jinja2_version"].get<std::string>(), std::string("3.1.6"));
        for (const char* name : {"chatml", "smollm2", "qwen2_5", "qwen3", "llama3_1", "llama3_2", "gemma3",
                                 "mistral_instruct", "phi3", "deepseek_r1"}) {
            int n = 0;
            for (const auto& c : golden()["cases"]) n += c["template"] == name;
            QVERIFY2(n >= 9, name);
        }
    }

    void matchesJinja2_data() {
        QTest::addColumn<QString>("tmpl");
        QTest::addColumn<QString>("name");
        for (const auto& c : golden()["cases"]) {
            const auto tmpl = c["template"].get<std::string>();
            const auto name = c["case"].get<std::string>();
            QTest::newRow((tmpl + "/" + name).c_str()) << QString::fromStdString(tmpl) << QString::fromStdString(name);
        }
    }

    void matchesJinja2() {
        QFETCH(QString, tmpl);
        QFETCH(QString, name);
        const ordered* c = golden_case(tmpl.toStdString(), name.toStdString());
        QVERIFY(c);
        auto compiled = ChatTemplate::compile(template_source(*c));
        QVERIFY2(compiled.ok(), compiled.ok() ? "" : compiled.error().message.c_str());
        auto rendered = compiled->render((*c)["context"]);
        if (c->contains("error")) {
            QVERIFY2(!rendered.ok(), "jinja2 failed on this case, Hearth rendered it");
            const auto want = (*c)["error"].get<std::string>();
            const auto& got = rendered.error().message;
            QVERIFY2(got.rfind("chat template line ", 0) == 0, got.c_str());
            // raise_exception and jinja2's own messages come through as they are; Python TypeErrors are
            // worded by Hearth.
            if (want.find("Error: ") == std::string::npos)
                QVERIFY2(got.size() >= want.size() && got.compare(got.size() - want.size(), want.size(), want) == 0,
                         (got + "\n  want suffix: " + want).c_str());
            return;
        }
        QVERIFY2(rendered.ok(), rendered.ok() ? "" : rendered.error().message.c_str());
        const auto want = (*c)["expected"].get<std::string>();
        if (rendered.value() != want) QFAIL(first_difference(rendered.value(), want).constData());
    }

    void raiseExceptionNamesTheLine() {
        const ordered* c = golden_case("gemma3", "not_alternating_error");
        QVERIFY(c);
        auto t = ChatTemplate::compile(template_source(*c));
        QVERIFY(t.ok());
        auto r = t->render((*c)["context"]);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message,
                 std::string("chat template line 19: Conversation roles must alternate user/assistant/user/assistant/..."));
    }

    void compileErrors_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("message");
        QTest::newRow("unclosed for") << "{% for m in messages %}\n{{ m }}\n"
                                      << "chat template line 2: unexpected end of template, expected 'endfor' to close 'for' from line 1";
        QTest::newRow("unclosed if in for") << "{% for m in messages %}\n{% if m %}x{% endfor %}"
                                            << "chat template line 2: unexpected 'endfor', expected 'endif' to close 'if' from line 2";
        QTest::newRow("stray endif") << "a\n\n{% endif %}" << "chat template line 3: unexpected 'endif'";
        QTest::newRow("unknown filter") << "line 1\n{{ x | trim }}\n{{ x | foo }}" << "chat template line 3: unknown filter 'foo'";
        QTest::newRow("unknown test") << "{% if x is frobbable %}{% endif %}" << "chat template line 1: unknown test 'frobbable'";
        QTest::newRow("unknown tag") << "\n{% include 'x.html' %}" << "chat template line 2: unknown tag 'include'";
        QTest::newRow("bad expression") << "{{ 1 + }}" << "chat template line 1: unexpected end of print statement";
        QTest::newRow("unterminated string") << "\n\n{{ 'abc }}" << "chat template line 3: unterminated string literal";
        QTest::newRow("unclosed comment") << "a {# never closed" << "chat template line 1: missing end of comment tag";
        QTest::newRow("unbalanced") << "{{ (1 + 2] }}" << "chat template line 1: unexpected ']', expected ')'";
        QTest::newRow("break outside loop") << "{% break %}" << "chat template line 1: 'break' outside of a loop";
        QTest::newRow("unclosed tag") << "{% if x " << "chat template line 1: unexpected end of template, expected end of statement block";
        QTest::newRow("multi-line tag") << "{{ x\n|\nnope }}" << "chat template line 3: unknown filter 'nope'";
    }

    void compileErrors() {
        QFETCH(QString, source);
        QFETCH(QString, message);
        QCOMPARE(compile_error(source.toStdString()), message.toStdString());
    }

    void renderErrors_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("message");
        QTest::newRow("undefined attribute") << "ok\n{{ missing.x }}" << "chat template line 2: 'missing' is undefined";
        QTest::newRow("nested undefined") << "{{ {'a': 1}.b.c }}" << "chat template line 1: 'dict object' has no attribute 'b'";
        QTest::newRow("type error") << "\n{{ 'a' + 1 }}" << "chat template line 2: can only concatenate str (not \"int\") to str";
        QTest::newRow("unsafe method") << "{% set l = [] %}{{ l.append(1) }}" << "chat template line 1: access to attribute 'append' of 'list' object is unsafe.";
        QTest::newRow("dict mutation") << "{% set d = {} %}{{ d.update({'a': 1}) }}" << "chat template line 1: access to attribute 'update' of 'dict' object is unsafe.";
        QTest::newRow("namespace underscore") << "{% set ns = namespace() %}{% set ns._x = 1 %}" << "chat template line 1: chat templates cannot store underscore-prefixed attributes on a namespace, but got '_x'";
        QTest::newRow("set attr on dict") << "{% set d = {} %}{% set d.x = 1 %}" << "chat template line 1: cannot assign attribute on non-namespace object";
        QTest::newRow("division by zero") << "{{ 1 // 0 }}" << "chat template line 1: integer division or modulo by zero";
        QTest::newRow("integer overflow") << "{{ 2 ** 70 }}" << "chat template line 1: integer overflow";
        QTest::newRow("iterate none") << "{% for x in none %}{% endfor %}" << "chat template line 1: 'NoneType' object is not iterable";
        QTest::newRow("unpack") << "{% for a, b in [[1, 2, 3]] %}{% endfor %}" << "chat template line 1: too many values to unpack (expected 2)";
        QTest::newRow("big range") << "{{ range(1000000) | length }}" << "chat template line 1: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).";
        QTest::newRow("raise on line 3") << "a\nb\n{{ raise_exception('stop here') }}" << "chat template line 3: stop here";
    }

    void renderErrors() {
        QFETCH(QString, source);
        QFETCH(QString, message);
        QCOMPARE(render_error(source.toStdString()), message.toStdString());
    }

    void runawayRecursionIsStopped() {
        const std::string err = render_error("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}");
        QCOMPARE(err, std::string("chat template line 1: maximum recursion depth exceeded (64 nested macro calls)"));
    }

    void runawayLoopsAreStopped() {
        // 100000 × 100000 iterations would run for hours; the iteration budget stops it at once.
        const std::string err = render_error("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}");
        QCOMPARE(err, std::string("chat template line 1: loop iteration limit exceeded (1000000 iterations)"));
        ChatTemplateLimits small;
        small.max_loop_iterations = 10;
        QCOMPARE(render_error("{% for i in range(11) %}{% endfor %}", json::object(), small),
                 std::string("chat template line 1: loop iteration limit exceeded (10 iterations)"));
        QCOMPARE(render_or_error("{% for i in range(10) %}{% endfor %}ok", json::object(), small), std::string("ok"));
    }

    void runawayOutputIsStopped() {
        ChatTemplateLimits small;
        small.max_output_bytes = 1000;
        QCOMPARE(render_error("{% for i in range(1000) %}xx{% endfor %}", json::object(), small),
                 std::string("chat template line 1: output longer than the limit of 1000 bytes"));
        // Doubling a string in a namespace: stopped by the string limit, not by memory.
        const std::string doubling = "{% set ns = namespace(s='x') %}{% for i in range(100) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}";
        QCOMPARE(render_error(doubling), std::string("chat template line 1: string longer than the limit of 16777216 bytes"));
        const std::string lists = "{% set ns = namespace(l=[1]) %}{% for i in range(100) %}{% set ns.l = ns.l + ns.l %}{% endfor %}";
        QCOMPARE(render_error(lists), std::string("chat template line 1: list longer than the limit of 1048576 items"));
        const std::string quadratic = "{% set ns = namespace(l=[]) %}{% for i in range(100000) %}{% set ns.l = ns.l + [i] %}{% endfor %}";
        QVERIFY(render_error(quadratic).find("the template did too much work") != std::string::npos);
    }

    void deeplyNestedInputIsRejected() {
        // Nested expressions and blocks: rejected at compile time, not by overflowing the stack.
        const std::string parens = "{{ " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }}";
        QCOMPARE(compile_error(parens), std::string("chat template line 1: template nested too deeply (more than 64 levels)"));
        const std::string lists = "{{ " + std::string(5000, '[') + std::string(5000, ']') + " }}";
        QVERIFY(compile_error(lists).find("nested too deeply") != std::string::npos);
        std::string nots = "{{ ";
        for (int i = 0; i < 5000; ++i) nots += "not ";
        QVERIFY(compile_error(nots + "x }}").find("nested too deeply") != std::string::npos);
        std::string blocks;
        for (int i = 0; i < 5000; ++i) blocks += "{% if x %}";
        QVERIFY(compile_error(blocks).find("nested too deeply") != std::string::npos);
        // 60 levels are fine.
        QCOMPARE(render_or_error("{{ " + std::string(60, '(') + "1" + std::string(60, ')') + " }}", json::object()), std::string("1"));

        // Deeply nested JSON in the context.
        json deep = "leaf";
        for (int i = 0; i < 2000; ++i) deep = json::array({deep});
        QCOMPARE(render_error("{{ x }}", json{{"x", deep}}), std::string("chat template: input nested too deeply (more than 256 levels)"));
        // Deep values built by a template cannot overflow the stack when printed.
        const std::string nest = "{% set ns = namespace(v=1) %}{% for i in range(5000) %}{% set ns.v = [ns.v] %}{% endfor %}{{ ns.v }}";
        QCOMPARE(render_error(nest), std::string("chat template line 1: value nested too deeply to print"));
    }

    void rendersManyTimes() {
        // Compiled once, rendered with different contexts.
        auto t = ChatTemplate::compile(fallback_chat_template("llama"));
        QVERIFY(t.ok());
        for (int i = 0; i < 3; ++i) {
            json ctx = {{"messages", json::array({{{"role", "user"}, {"content", std::to_string(i)}}})},
                        {"add_generation_prompt", i % 2 == 0}};
            auto r = t->render(ctx);
            QVERIFY(r.ok());
            QCOMPARE(r.value(), "<|im_start|>user\n" + std::to_string(i) + "<|im_end|>\n" +
                                    (i % 2 == 0 ? "<|im_start|>assistant\n" : ""));
        }
        QCOMPARE(render_error("{{ x }}", json::array()), std::string("chat template: the context must be a JSON object"));
    }

    void fallbackTemplates() {
        const json ctx = {{"messages", json::array({{{"role", "system"}, {"content", "Be brief."}},
                                                    {{"role", "user"}, {"content", " Hi "}},
                                                    {{"role", "assistant"}, {"content", "Hello."}}})},
                          {"add_generation_prompt", true}, {"bos_token", "<bos>"}, {"eos_token", "<eos>"}};
        QCOMPARE(render_or_error(fallback_chat_template("gemma3"), ctx),
                 std::string("<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello.<end_of_turn>\n<start_of_turn>model\n"));
        QCOMPARE(render_or_error(fallback_chat_template("phi3"), ctx),
                 std::string("<|system|>\nBe brief.<|end|>\n<|user|>\n Hi <|end|>\n<|assistant|>\nHello.<|end|>\n<|assistant|>\n"));
        QCOMPARE(render_or_error(fallback_chat_template("some-new-arch"), ctx),
                 std::string("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n Hi <|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>assistant\n"));
        QCOMPARE(fallback_chat_template("qwen2"), fallback_chat_template(""));
        QCOMPARE(template_missing_code, std::string_view("template-missing"));
    }

    void strftimeNowGivesTodaysDate() {
        // Llama 3.2's template dates the prompt with strftime_now when no date_string is given.
        const std::string out = render_or_error("{{ strftime_now('%Y-%m-%d') }}|{{ strftime_now is defined }}", json::object());
        char today[32];
        const std::time_t now = std::time(nullptr);
        std::tm local{};
        localtime_r(&now, &local);
        std::strftime(today, sizeof today, "%Y-%m-%d", &local);
        QCOMPARE(out, std::string(today) + "|True");
    }

    void mutatedTemplatesNeverCrash() {
        // Real templates with random bytes deleted, duplicated or replaced: each either compiles and
        // renders or fails with a message; nothing crashes, hangs or throws past the API.
        std::mt19937 rng(1234);
        const std::string pieces[] = {"{%", "%}", "{{", "}}", "{#", "-", "(", "[", "'", "\"", "|", " if ", "endfor", "\n"};
        int compiled = 0, rendered = 0;
        for (const char* name : {"qwen3", "llama3_1", "gemma3", "mistral_instruct", "deepseek_r1"}) {
            const std::string base = read_file(std::string(HEARTH_TEST_DATA_DIR "/templates/") + name + ".jinja");
            const ordered* c = golden_case(name, "multi_turn_gen");
            QVERIFY(c);
            for (int i = 0; i < 150; ++i) {
                std::string t = base;
                for (int k = 0; k < 3; ++k) {
                    const std::size_t at = rng() % t.size();
                    switch (rng() % 3) {
                    case 0: t.erase(at, 1 + rng() % 8); break;
                    case 1: t.insert(at, pieces[rng() % std::size(pieces)]); break;
                    default: t.insert(at, t.substr(rng() % t.size(), 1 + rng() % 20));
                    }
                }
                auto tmpl = ChatTemplate::compile(t);
                if (!tmpl) {
                    QVERIFY(tmpl.error().message.rfind("chat template", 0) == 0);
                    continue;
                }
                ++compiled;
                auto r = tmpl->render((*c)["context"]);
                if (r) ++rendered;
                else QVERIFY(r.error().message.rfind("chat template", 0) == 0);
            }
        }
        QVERIFY(compiled > 0 && rendered > 0);
    }

    void invalidUtf8TemplateIsRejected() {
        QCOMPARE(compile_error("{{ 'a' }}\xff"), std::string("chat template: not valid UTF-8"));
        // Invalid bytes in message content pass through unchanged.
        QCOMPARE(render_or_error("{{ x }}|{{ x | length }}", json{{"x", std::string("a\xff" "b")}}), std::string("a\xff" "b|3"));
    }
};

QTEST_GUILESS_MAIN(TestChatTemplate)
#include "test_chat_template.moc"
