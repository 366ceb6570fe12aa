// The GUI's words for planner findings (FindingDisplay): a template for every key the planner's text table
// (engine/plan/finding_text.cpp) defines, the right variant chosen from what the planner stores, every
// placeholder filled for findings of real plans, Simplified Chinese when the translation is installed, and
// the engine's own text for codes the GUI does not know.
#include <QtTest/QTest>

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTranslator>

#include <set>

#include "finding_display.h"
#include "plan/findings.h"
#include "plan_models.h"
#include "translations.h"
#include "scoped_translations.h"

using namespace hearth;
using namespace plan_test;

namespace {

using Args = planner::Args;

// One finding per template key, made by the planner's own make_finding() with the args (names and kinds of
// values) the planner fills in for that case.
struct Case {
    const char* key;
    Severity severity;
    Args args;
};

const std::vector<Case>& cases()
{
    static const std::vector<Case> all = {
        {"bf16-unsupported/convert", Severity::warning, {{"device", "Tesla T4"}, {"cc", "7.5"}}},
        {"bf16-unsupported/refuse", Severity::refusal, {{"device", "Tesla V100"}, {"cc", "7.0"}}},
        {"fp16-range/found", Severity::warning,
         {{"count", "17"}, {"scanned", "1,048,576"}, {"tensor", "model.embed_tokens.weight"}}},
        {"fp16-range/clean", Severity::info, {{"count", "0"}, {"scanned", "1,048,576"}}},
        {"fp16-range/pending", Severity::info, {{"why", "not-scanned"}}},
        {"fp8-kv-gqa", Severity::warning, {{"heads", "32"}, {"kv_heads", "8"}, {"group", "4"}, {"measured", ""}}},
        {"fp8-kv-gqa/measured", Severity::warning,
         {{"heads", "32"}, {"kv_heads", "8"}, {"group", "4"},
          {"measured", " Measured on this model over 511 tokens: mean KL divergence 0.0123 nats per token."},
          {"mean_kl", "0.012300"}, {"argmax_agreement", "0.9700"}}},
        {"fp8-kv-e5m2", Severity::warning, {{"measured", ""}}},
        {"fp8-kv", Severity::info, {{"saved", "64 KiB"}, {"reference", "F16"}, {"fits", "12288"}}},
        {"kv-exceeds-memory/shrunk", Severity::warning,
         {{"wanted", "32768"}, {"kv", "16.0 GiB"}, {"device", "NVIDIA GeForce RTX 4090"}, {"fits", "1904"},
          {"fp8_fits", "3808"}}},
        {"kv-exceeds-memory/refuse", Severity::refusal,
         {{"wanted", "32768"}, {"kv", "16.0 GiB"}, {"device", "NVIDIA GeForce RTX 4090"}, {"fits", "1904"},
          {"fp8_fits", "3808"}}},
        {"weights-exceed-memory", Severity::refusal,
         {{"weights", "38.2 GiB"}, {"other", "1.1 GiB"}, {"device", "NVIDIA GeForce RTX 4090"}, {"budget", "23.6 GiB"},
          {"alternatives",
           "run it on the CPU (--device cpu), which has 56.0 GiB of RAM available. Or: use a Q4_K_M GGUF file of "
           "this model (about 10.7 GiB of weights). Or: close other programs to free memory, or use a smaller model."},
          {"fits_on_cpu", "yes"}, {"cpu_ram", "56.0 GiB"}, {"q4_weights", "10.7 GiB"}}},
        {"arch-unsupported/unknown", Severity::refusal, {{"arch", "mamba"}, {"supported", "llama, qwen2"}}},
        {"arch-unsupported/moe", Severity::refusal, {{"arch", "mixtral"}, {"experts", "64"}, {"used", "2"}}},
        {"arch-unsupported/config", Severity::refusal, {{"reason", "config.json: head_dim is 0"}}},
        {"quant-unsupported", Severity::refusal,
         {{"method", "gptq"}, {"detail", "GPTQ int4, groups of 128, found in quantization_config"},
          {"path", "cuda-marlin-int4"}, {"kernel_missing", "method"}, {"layout", "GPTQ int4"}, {"bits", "4"},
          {"group_size", "128"}}},
        {"quant-generic-kernel", Severity::info,
         {{"count", "14"}, {"layout", "GPTQ int4"}, {"device", "Tesla T4"}, {"fast", "Marlin"},
          {"requirement", "compute capability 8.0 or newer"}, {"needs", "cc"}, {"cc", "8.0"}}},
        {"quant-dense-layer", Severity::info,
         {{"count", "12"}, {"method", "gptq"}, {"dtype", "F16"}, {"layers", "lm_head"}, {"bytes", "64 KiB"}}},
        {"tensor-empty", Severity::refusal,
         {{"tensor", "model.layers.0.mlp.up_proj.qweight"}, {"shape", "[0, 128]"}, {"layer", "model.layers.0.mlp.up_proj"}}},
        {"tensor-missing", Severity::refusal,
         {{"tensor", "model.layers.1.self_attn.k_proj.weight"}, {"arch", "llama"}, {"count", "13"}, {"more", ""},
          {"modules", "model.layers.1.self_attn.k_proj"}}},
        {"tensor-unexpected", Severity::refusal,
         {{"tensor", "vision_tower.proj.weight"}, {"arch", "llama"}, {"count", "13"}, {"more", ", 12 more"},
          {"modules", "vision_tower.proj"}}},
        {"attention-chunked", Severity::info,
         {{"chunked", "36"}, {"layers", "48"}, {"global", "12"}, {"chunk", "8192"}, {"path", "cuda-flash-chunked"},
          {"kv", "F8_E4M3"}}},
        {"cpu-fallback", Severity::warning,
         {{"reason", "Hearth's CUDA backend is not built yet, so the RTX 3090 cannot be used"},
          {"extra", "Use --simulate to see the GPU plan."}, {"why", "no-cuda-backend"}, {"device_name", "RTX 3090"}}},
        {"device-missing", Severity::refusal,
         {{"device", "cuda:3"}, {"gpus", "it has 1 CUDA device(s), cuda:0 to cuda:0"}, {"other", " or cuda:0"}}},
        {"weights-dtype-unsupported", Severity::refusal, {{"requested", "F16"}, {"stored", "BF16"}}},
        {"template-missing", Severity::info, {{"family", "llama"}}},
    };
    return all;
}

Finding make(const Case& c)
{
    const std::string key = c.key;
    const auto slash = key.find('/');
    const std::string code = key.substr(0, slash);
    const std::string variant = slash == std::string::npos ? std::string() : key.substr(slash + 1);
    return planner::make_finding(code, c.severity, c.args, variant);
}

// The keys of engine/plan/finding_text.cpp's table, read from the source: {"code" or {"code/variant".
QStringList engineKeys()
{
    QFile file(QStringLiteral(HEARTH_SOURCE_DIR "/engine/plan/finding_text.cpp"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(file.readAll());
    static const QRegularExpression row(QStringLiteral(R"re(^\s*\{"([a-z0-9-]+(?:/[a-z0-9-]+)?)",)re"),
                                        QRegularExpression::MultilineOption);
    QStringList keys;
    for (auto it = row.globalMatch(text); it.hasNext();)
        keys << it.next().captured(1);
    return keys;
}

QString listOf(QSet<QString> set)
{
    QStringList list(set.begin(), set.end());
    list.sort();
    return list.join(QStringLiteral(", "));
}

}  // namespace

class TestFindingDisplay : public QObject {
    Q_OBJECT

private slots:
    void everyEngineKeyHasATemplate();
    void variantsFollowThePlanner();
    void realPlansFillEveryPlaceholder();
    void chineseDiffersFromEnglish();
    void chineseRebuildsTheEngineSentences();
    void unknownCodeFallsBack();
    void plainTextIsWhatIsShown();
};

void TestFindingDisplay::everyEngineKeyHasATemplate()
{
    const QStringList engine = engineKeys();
    QVERIFY2(engine.size() >= 20, "could not read the keys of engine/plan/finding_text.cpp");
    const QSet<QString> engineSet(engine.begin(), engine.end());
    const QStringList gui = FindingDisplay::templateKeys();
    const QSet<QString> guiSet(gui.begin(), gui.end());
    QCOMPARE(guiSet.size(), gui.size());  // no key twice
    QVERIFY2(engineSet == guiSet, qPrintable(QStringLiteral("engine only: [%1]; GUI only: [%2]")
                                                 .arg(listOf(engineSet - guiSet), listOf(guiSet - engineSet))));
    // This test makes one finding per key below; a new key needs a case too.
    QSet<QString> covered;
    for (const Case& c : cases())
        covered.insert(QLatin1String(c.key));
    QVERIFY2(covered == guiSet, qPrintable(QStringLiteral("no case for: [%1]").arg(listOf(guiSet - covered))));
}

void TestFindingDisplay::variantsFollowThePlanner()
{
    for (const Case& c : cases()) {
        const Finding f = make(c);
        // The engine knows the key (its fallback text says "internal error" otherwise) ...
        QVERIFY2(f.message.find("internal error") == std::string::npos, c.key);
        // ... and the GUI picks the same wording from the severity and args alone.
        QCOMPARE(FindingDisplay::templateKey(f), QLatin1String(c.key));
        QVERIFY2(FindingDisplay::hasTemplate(f), c.key);
        const QString message = FindingDisplay::message(f), suggestion = FindingDisplay::suggestion(f);
        QVERIFY2(!message.isEmpty() && !suggestion.isEmpty(), c.key);
        QVERIFY2(!message.contains(QLatin1Char('{')), qPrintable(message));
        QVERIFY2(!suggestion.contains(QLatin1Char('{')), qPrintable(suggestion));
        // Suggestions speak of the dialog's controls, not of hearth-cli's flags.
        QVERIFY2(!suggestion.contains(QLatin1String("--")) && !suggestion.contains(QLatin1String("hearth-cli")),
                 qPrintable(suggestion));
        QVERIFY2(!message.contains(QLatin1String("--")), qPrintable(message));
    }
    // The measured numbers are in the GUI's own sentence.
    const Finding measured = make(cases()[6]);
    QCOMPARE(FindingDisplay::templateKey(measured), QStringLiteral("fp8-kv-gqa/measured"));
    QVERIFY(FindingDisplay::message(measured).contains(QLatin1String("0.0123")));
    QVERIFY(FindingDisplay::message(measured).contains(QLatin1String("97.0%")));
}

void TestFindingDisplay::realPlansFillEveryPlaceholder()
{
    struct Scenario {
        const char* name;
        LoadPlan plan;
        QStringList expected;  // template keys this plan must show
    };
    std::vector<Scenario> scenarios;
    auto add = [&](const char* name, LoadPlan p, QStringList expected) {
        scenarios.push_back({name, std::move(p), std::move(expected)});
    };

    add("bf16 on a T4", plan(make_model({}), profile("t4"), simulated()),
        {QStringLiteral("bf16-unsupported/convert"), QStringLiteral("fp16-range/pending")});
    LoadOptions bf16 = simulated();
    bf16.weights = WeightsDtype::bf16;
    add("bf16 insisted on a V100", plan(make_model({}), profile("v100"), bf16), {QStringLiteral("bf16-unsupported/refuse")});

    LoadOptions fp8 = simulated();
    fp8.kv = KvDtype::fp8_e4m3;
    const ModelInfo gqa = make_model({.arch = "qwen2", .heads = 8, .kv_heads = 2});
    add("fp8 KV, GQA", plan(gqa, profile("rtx4090"), fp8), {QStringLiteral("fp8-kv-gqa"), QStringLiteral("fp8-kv")});
    fp8.kv_quality = KvQualityReport{.candidate = TensorType::F8_E4M3, .reference = TensorType::F16, .positions = 511,
                                     .mean_kl = 0.0123, .max_kl = 0.2, .argmax_agreement = 0.97};
    add("fp8 KV, GQA, measured", plan(gqa, profile("rtx4090"), fp8), {QStringLiteral("fp8-kv-gqa/measured")});
    LoadOptions e5m2 = simulated();
    e5m2.kv = KvDtype::fp8_e5m2;
    add("fp8 E5M2", plan(make_model({.heads = 4, .kv_heads = 4}), profile("gtx1080"), e5m2), {QStringLiteral("fp8-kv-e5m2")});

    const Shape big{.dtype = TensorType::F16, .layers = 128, .hidden = 4096, .heads = 32, .kv_heads = 32, .ffn = 64,
                    .vocab = 1000, .context = 131072};
    LoadOptions ctx = simulated();
    ctx.context_length = 32768;
    add("context too long", plan(make_model(big), profile("rtx4090"), ctx), {QStringLiteral("kv-exceeds-memory/refuse")});
    add("context shrunk", plan(make_model(big), profile("rtx4090"), simulated()),
        {QStringLiteral("kv-exceeds-memory/shrunk")});

    const Shape huge{.dtype = TensorType::F16, .layers = 40, .hidden = 5120, .heads = 40, .kv_heads = 8, .ffn = 32768,
                     .vocab = 32000};
    LoadOptions gpu = simulated();
    gpu.device = *parse_device("cuda:0");
    add("weights too large", plan(make_model(huge), profile("rtx4090"), gpu), {QStringLiteral("weights-exceed-memory")});
    add("weights too large, auto", plan(make_model(huge), profile("rtx4090"), simulated()),
        {QStringLiteral("cpu-fallback")});
    add("no CUDA backend", plan(make_model({}), profile("rtx3090"), LoadOptions{}), {QStringLiteral("cpu-fallback")});

    add("unknown architecture", plan(make_model({.arch = "mamba"}), profile("h100"), simulated()),
        {QStringLiteral("arch-unsupported/unknown")});
    add("mixture of experts", plan(make_model({.arch = "mixtral", .experts = 4}), profile("h100"), simulated()),
        {QStringLiteral("arch-unsupported/moe")});

    ModelInfo gptqModel = make_model({.dtype = TensorType::F16});
    gptq(gptqModel);
    add("GPTQ on an H100", plan(gptqModel, profile("h100"), simulated()),
        {QStringLiteral("quant-unsupported"), QStringLiteral("quant-dense-layer")});
    add("GPTQ on a T4", plan(gptqModel, profile("t4"), simulated()), {QStringLiteral("quant-generic-kernel")});

    ModelInfo odd = make_model({});
    std::erase_if(odd.tensors, [](const TensorInfo& t) { return t.name == "model.layers.1.self_attn.k_proj.weight"; });
    add_tensor(odd, "model.layers.0.mlp.extra_proj.weight", TensorType::BF16, {8, 64});
    add("tensors missing and unexpected", plan(odd, profile("rtx3090"), simulated()),
        {QStringLiteral("tensor-missing"), QStringLiteral("tensor-unexpected")});

    ModelInfo chunked = make_model({.layers = 8});
    chunked.attention.chunk_size = 8192;
    for (int i = 0; i < 8; ++i)
        chunked.attention.layer_types.push_back((i + 1) % 4 == 0 ? "full_attention" : "chunked_attention");
    add("chunked attention", plan(chunked, profile("t4"), simulated()), {QStringLiteral("attention-chunked")});

    ModelInfo noTemplate = make_model({});
    noTemplate.tokenizer.has_chat_template = false;
    add("no chat template", plan(noTemplate, profile("cpu"), simulated()), {QStringLiteral("template-missing")});

    LoadOptions cuda3 = simulated();
    cuda3.device = *parse_device("cuda:3");
    add("no such GPU", plan(make_model({}), profile("h100"), cuda3), {QStringLiteral("device-missing")});
    LoadOptions f16;
    f16.weights = WeightsDtype::f16;
    add("F16 on the CPU", plan(make_model({}), profile("cpu"), f16), {QStringLiteral("weights-dtype-unsupported")});

    for (const Scenario& s : scenarios) {
        QStringList shown;
        for (const Finding& f : s.plan.findings) {
            const QString key = FindingDisplay::templateKey(f);
            shown << key;
            QVERIFY2(FindingDisplay::hasTemplate(f), qPrintable(QStringLiteral("%1: no template for %2").arg(s.name, key)));
            const QString message = FindingDisplay::message(f), suggestion = FindingDisplay::suggestion(f);
            QVERIFY2(!message.isEmpty() && !suggestion.isEmpty(), qPrintable(key));
            QVERIFY2(!message.contains(QLatin1Char('{')) && !message.contains(QLatin1Char('}')), qPrintable(message));
            QVERIFY2(!suggestion.contains(QLatin1Char('{')) && !suggestion.contains(QLatin1Char('}')),
                     qPrintable(suggestion));
        }
        for (const QString& key : s.expected)
            QVERIFY2(shown.contains(key),
                     qPrintable(QStringLiteral("%1: expected %2, shown: %3").arg(s.name, key, shown.join(' '))));
    }
}

void TestFindingDisplay::chineseDiffersFromEnglish()
{
    std::vector<std::pair<QString, QString>> english;
    for (const Case& c : cases()) {
        const Finding f = make(c);
        english.emplace_back(FindingDisplay::message(f), FindingDisplay::suggestion(f));
    }

    const ScopedTranslations chinese(QLocale(QLocale::Chinese, QLocale::China));
    QVERIFY(chinese.installed());

    for (std::size_t i = 0; i < cases().size(); ++i) {
        const Case& c = cases()[i];
        const Finding f = make(c);
        const QString message = FindingDisplay::message(f), suggestion = FindingDisplay::suggestion(f);
        QVERIFY2(message != english[i].first, qPrintable(QStringLiteral("%1: message not translated").arg(c.key)));
        QVERIFY2(suggestion != english[i].second, qPrintable(QStringLiteral("%1: suggestion not translated").arg(c.key)));
        QVERIFY2(!message.contains(QLatin1Char('{')), qPrintable(message));
        QVERIFY2(!suggestion.contains(QLatin1Char('{')), qPrintable(suggestion));
        // Every value the English shows, the translation shows too (a placeholder was not dropped).
        for (const auto& [name, value] : c.args) {
            const QString v = QString::fromStdString(value);
            // An English sentence the GUI says again from structured args (chineseRebuildsTheEngineSentences).
            const bool rebuilt = name == "reason" || name == "extra" || name == "detail" || name == "requirement" ||
                                 name == "alternatives";
            if (v.size() < 2 || (rebuilt && QLatin1String(c.key) != QLatin1String("arch-unsupported/config")))
                continue;
            if (english[i].first.contains(v))
                QVERIFY2(message.contains(v), qPrintable(QStringLiteral("%1: %2 lost in %3").arg(c.key, v, message)));
            if (english[i].second.contains(v))
                QVERIFY2(suggestion.contains(v), qPrintable(QStringLiteral("%1: %2 lost in %3").arg(c.key, v, suggestion)));
        }
    }
    const Finding measured = make(cases()[6]);
    QVERIFY(FindingDisplay::message(measured).contains(QLatin1String("0.0123")));
    QVERIFY(FindingDisplay::message(measured).contains(QLatin1String("97.0%")));
    QVERIFY(FindingDisplay::plainText(measured).contains(QStringLiteral("建议：")));
}

// The args the engine fills with English sentences (cpu-fallback's reason and extra, quant-unsupported's
// detail, quant-generic-kernel's requirement, weights-exceed-memory's alternatives) are rebuilt from the
// structured args beside them: in Chinese none of the engine's sentences is left, and every number the
// engine's text gives is still there.
void TestFindingDisplay::chineseRebuildsTheEngineSentences()
{
    const Shape huge{.dtype = TensorType::F16, .layers = 40, .hidden = 5120, .heads = 40, .kv_heads = 8, .ffn = 32768,
                     .vocab = 32000};
    LoadOptions gpu = simulated();
    gpu.device = *parse_device("cuda:0");
    ModelInfo gptqModel = make_model({.dtype = TensorType::F16});
    gptq(gptqModel);
    ModelInfo iq = make_model({.dtype = TensorType::F32});
    iq.format = ModelFormat::gguf;
    iq.quantization.method = "gguf";
    for (auto& t : iq.tensors)
        if (t.name.ends_with("mlp.up_proj.weight"))
            t.type = TensorType::IQ2_XXS;
    ModelInfo q4k = make_model({.dtype = TensorType::F32});
    for (auto& t : q4k.tensors)
        if (t.shape.size() == 2 && t.name.find("layers") != std::string::npos)
            t.type = TensorType::Q4_K;
    HardwareInfo oldCpu = profile("cpu");
    oldCpu.cpu.avx2 = false;
    HardwareInfo smallRam = profile("rtx4090");
    smallRam.ram_available = smallRam.ram_total = 8ull << 30;

    const std::vector<LoadPlan> plans = {
        plan(make_model(huge), profile("rtx4090"), gpu),          // weights-exceed-memory, fits on the CPU
        plan(make_model(huge), smallRam, gpu),                     // weights-exceed-memory, not on the CPU either
        plan(make_model(huge), profile("rtx4090"), simulated()),  // cpu-fallback: weights-exceed-gpu
        plan(make_model({}), profile("rtx3090"), LoadOptions{}),  // cpu-fallback: no-cuda-backend
        plan(gptqModel, profile("h100"), simulated()),            // quant-unsupported: method
        plan(iq, profile("cpu"), simulated()),                    // quant-unsupported: cpu-type
        plan(gptqModel, profile("t4"), simulated()),              // quant-generic-kernel: cc
        plan(q4k, oldCpu, simulated()),                           // quant-generic-kernel: avx2
    };
    const std::set<std::string> codes = {"cpu-fallback", "quant-unsupported", "quant-generic-kernel",
                                         "weights-exceed-memory"};
    std::vector<Finding> findings;
    for (const LoadPlan& p : plans)
        for (const Finding& f : p.findings)
            if (codes.contains(f.code))
                findings.push_back(f);
    for (const Case& c : cases())
        if (codes.contains(c.key))
            findings.push_back(make(c));
    QSet<QString> whys;
    for (const Finding& f : findings)
        for (const char* key : {"why", "kernel_missing", "needs", "fits_on_cpu"})
            if (!f.arg(key).empty())
                whys.insert(QStringLiteral("%1=%2").arg(QLatin1String(key), QString::fromStdString(std::string(f.arg(key)))));
    // Every branch above was reached by a real plan.
    for (const char* expected : {"why=weights-exceed-gpu", "why=no-cuda-backend", "kernel_missing=method",
                                 "kernel_missing=cpu-type", "needs=cc", "needs=avx2", "fits_on_cpu=yes",
                                 "fits_on_cpu=no"})
        QVERIFY2(whys.contains(QLatin1String(expected)),
                 qPrintable(QStringLiteral("%1 not reached; reached: %2").arg(QLatin1String(expected), listOf(whys))));

    const ScopedTranslations chinese(QLocale(QLocale::Chinese, QLocale::China));
    QVERIFY(chinese.installed());
    static const QRegularExpression number(QStringLiteral(R"(\d+(?:[.,]\d+)*)"));
    for (const Finding& f : findings) {
        const QString shown = FindingDisplay::message(f) + QLatin1Char('\n') + FindingDisplay::suggestion(f);
        // The engine's English sentences, and each part of the alternatives list ("… Or: …").
        QStringList english;
        for (const char* key : {"reason", "extra", "detail", "requirement"})
            if (!f.arg(key).empty())
                english << QString::fromStdString(std::string(f.arg(key)));
        english << QString::fromStdString(std::string(f.arg("alternatives"))).split(QStringLiteral(" Or: "), Qt::SkipEmptyParts);
        QVERIFY2(!english.isEmpty(), f.code.c_str());
        for (const QString& sentence : english)
            QVERIFY2(!shown.contains(sentence, Qt::CaseInsensitive),
                     qPrintable(QStringLiteral("%1: English '%2' in %3").arg(QString::fromStdString(f.code), sentence, shown)));
        QVERIFY2(!shown.contains(QLatin1String(" the ")) && !shown.contains(QLatin1String(" of ")),
                 qPrintable(QStringLiteral("%1: English words in %2").arg(QString::fromStdString(f.code), shown)));
        // Every number of the engine's message and suggestion.
        const QString engine = QString::fromStdString(f.message + "\n" + f.suggestion);
        for (auto it = number.globalMatch(engine); it.hasNext();) {
            const QString n = it.next().captured();
            QVERIFY2(shown.contains(n), qPrintable(QStringLiteral("%1: %2 lost in %3").arg(QString::fromStdString(f.code), n, shown)));
        }
    }
}

void TestFindingDisplay::unknownCodeFallsBack()
{
    Finding f;
    f.severity = Severity::warning;
    f.code = "future-code";
    f.message = "Something new the planner says.";
    f.suggestion = "Do the new thing.";
    f.args = {{"count", "3"}};
    QVERIFY(!FindingDisplay::hasTemplate(f));
    QCOMPARE(FindingDisplay::message(f), QStringLiteral("Something new the planner says."));
    QCOMPARE(FindingDisplay::suggestion(f), QStringLiteral("Do the new thing."));

    // Also in Chinese: the engine's text is all there is.
    const ScopedTranslations chinese(QLocale(QLocale::Chinese, QLocale::China));
    QVERIFY(chinese.installed());
    QCOMPARE(FindingDisplay::message(f), QStringLiteral("Something new the planner says."));
}

void TestFindingDisplay::plainTextIsWhatIsShown()
{
    const Finding f = make(cases()[9]);  // kv-exceeds-memory/shrunk
    const QString plain = FindingDisplay::plainText(f);
    QVERIFY(plain.startsWith(QStringLiteral("warning kv-exceeds-memory: ")));
    QVERIFY(plain.contains(FindingDisplay::message(f)));
    QVERIFY(plain.contains(FindingDisplay::suggestion(f)));
    QVERIFY(plain.contains(QLatin1String("1904")));
    QVERIFY(!plain.contains(QLatin1String("--kv-dtype")));
}

QTEST_MAIN(TestFindingDisplay)
#include "test_finding_display.moc"
