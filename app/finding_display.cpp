#include "finding_display.h"

#include <QHash>

namespace {

struct FindingTemplate {
    const char* key;  // as in engine/plan/finding_text.cpp: code, or code/variant
    const char* message;
    const char* suggestion;
};

// NOTE: the same meaning as the engine's English, but {measured}, {alternatives}, {extra}, {reason} (of
// cpu-fallback), {detail} and {requirement} are not used as the engine filled them: they hold English
// sentences or command-line flags. displayArgs() writes them again in the user's language from the
// structured args the planner stores beside them (mean_kl, why, needs, kernel_missing, fits_on_cpu, …).
// {gpus}, {other} and {more} are left out. arch-unsupported/config's {reason} is a file reader's error and
// stays as the reader wrote it.
constexpr FindingTemplate k_templates[] = {
    {"bf16-unsupported/convert",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "This model's weights are stored in BF16, which the {device} (compute capability {cc}) cannot "
                       "compute with. Hearth will convert them to FP16. FP16 has a smaller range than BF16, so the "
                       "conversion checks every value (see fp16-range)."),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "Nothing to do unless values are reported out of range; then choose CPU in Device, or use a "
                       "GPU with compute capability 8.0 or newer, which keeps BF16.")},
    {"bf16-unsupported/refuse",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "You asked for BF16, but the {device} (compute capability {cc}) cannot compute in BF16: that "
                       "needs compute capability 8.0 or newer."),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "Choose FP16 or Auto in Weights (Hearth converts to FP16 and checks the range), or CPU in "
                       "Device.")},
    {"fp16-range/found",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "{count} of the {scanned} weights converted to FP16 are too large for FP16 (beyond ±65504) and "
                       "would turn into infinity; the first is in tensor '{tensor}'. The model's answers may break."),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "Keep the stored precision: choose Auto in Weights on a GPU with BF16 support (compute "
                       "capability 8.0 or newer), or CPU in Device.")},
    {"fp16-range/clean",
     QT_TRANSLATE_NOOP("FindingDisplay", "All {scanned} weights converted to FP16 fit FP16's range; none were clipped."),
     QT_TRANSLATE_NOOP("FindingDisplay", "Nothing to do.")},
    {"fp16-range/pending",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "The weights will be converted to FP16; values too large for FP16 are counted while "
                       "converting."),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "Nothing to do now. If answers look broken after loading, choose CPU in Device, which keeps "
                       "the stored precision.")},
    {"fp8-kv-gqa",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "You chose an FP8 KV cache on a model whose query heads share key/value heads ({heads} query "
                       "heads, {kv_heads} key/value). Each stored key and value serves {group} query heads, so its "
                       "rounding error counts {group} times; on some models this makes answers repeat or drift after "
                       "a while.{measured}"),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "Measure it on this model before relying on it (Measure quality, below). If the difference is "
                       "noticeable, choose FP16 in KV cache.")},
    {"fp8-kv-gqa/measured",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "You chose an FP8 KV cache on a model whose query heads share key/value heads ({heads} query "
                       "heads, {kv_heads} key/value). Each stored key and value serves {group} query heads, so its "
                       "rounding error counts {group} times; on some models this makes answers repeat or drift after "
                       "a while.{measured}"),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "A mean KL divergence below about 0.01 and agreement near 100% are hard to notice in answers; "
                       "if the numbers are worse, or you see repetition, choose FP16 in KV cache.")},
    {"fp8-kv-e5m2",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "The FP8 E5M2 KV cache keeps only 2 bits of precision per value and no scales, so keys and "
                       "values are rounded about 4 times more coarsely than with FP8 E4M3.{measured}"),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "Prefer FP8 E4M3 in KV cache: it saves almost the same memory and stays closer to a 16-bit "
                       "cache.")},
    {"fp8-kv",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "The FP8 KV cache saves {saved} per 1,000 tokens compared with {reference}; in this memory the "
                       "context can grow to {fits} tokens."),
     QT_TRANSLATE_NOOP("FindingDisplay", "Nothing to do.")},
    {"kv-exceeds-memory/shrunk",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "A {wanted}-token context needs {kv} of KV cache, more than the {device} has left after the "
                       "weights. Hearth will use a {fits}-token context instead."),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "To keep a longer context, choose FP8 E4M3 in KV cache (about {fp8_fits} tokens fit) or use a "
                       "device with more memory.")},
    {"kv-exceeds-memory/refuse",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "A {wanted}-token context needs {kv} of KV cache, more than the {device} has left after the "
                       "weights. At most {fits} tokens fit."),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "Set Context length to {fits} tokens or less, or choose FP8 E4M3 in KV cache (about "
                       "{fp8_fits} tokens fit).")},
    {"weights-exceed-memory",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "The model's weights need {weights}, and running it needs {other} more, but the {device} has "
                       "only {budget} available."),
     QT_TRANSLATE_NOOP("FindingDisplay", "{alternatives}")},
    {"arch-unsupported/unknown",
     QT_TRANSLATE_NOOP("FindingDisplay", "Hearth cannot run '{arch}' models yet. It runs: {supported}."),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "Choose a model of a supported family; a model's details show its architecture.")},
    {"arch-unsupported/moe",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "This is a mixture-of-experts model ({experts} experts, {used} used per token). The plan below "
                       "is what Hearth will do with it, but Hearth's engine has no expert layers yet, so it cannot "
                       "run it."),
     QT_TRANSLATE_NOOP("FindingDisplay", "Choose a dense model of the same family for now.")},
    {"arch-unsupported/config",
     QT_TRANSLATE_NOOP("FindingDisplay", "Hearth cannot run this model as configured: {reason}"),
     QT_TRANSLATE_NOOP("FindingDisplay", "Check the model's config.json, or choose another model.")},
    {"quant-unsupported",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "This checkpoint is quantized with {method} ({detail}). It needs the {path} kernel, which "
                       "Hearth does not have yet, so it cannot be loaded."),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "Use a GGUF file of the same model (Q4_K_M is about as small) or its unquantized checkpoint.")},
    {"quant-generic-kernel",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "{count} layers stored as {layout} run on the generic dequantize-then-multiply path on the "
                       "{device}: the results are the same, but it is slower than the {fast} kernel, which needs "
                       "{requirement}."),
     QT_TRANSLATE_NOOP("FindingDisplay", "Nothing needed. For more speed, use a device with {requirement}.")},
    {"quant-dense-layer",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "This {method} checkpoint leaves some layers unquantized ({count} in all); they run in "
                       "{dtype}: {layers}."),
     QT_TRANSLATE_NOOP("FindingDisplay", "Nothing to do; they take {bytes} of the memory estimate.")},
    {"tensor-empty",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "Tensor '{tensor}' is empty (shape {shape}), so layer '{layer}' cannot be dequantized."),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "The file is damaged or was written by a faulty quantizer: download the model again, or use "
                       "another quantization of it.")},
    {"tensor-missing",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "The model has no tensor '{tensor}', which the {arch} architecture needs ({count} missing in "
                       "all)."),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "The download may be incomplete, or the file is another variant of the model: download it "
                       "again, or check that config.json belongs to these weights.")},
    {"tensor-unexpected",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "The model has {count} tensors that the {arch} architecture has no place for, such as "
                       "'{tensor}'."),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "This is probably another variant (a vision or multimodal model, extra heads): choose the "
                       "text-only checkpoint of the model.")},
    {"attention-chunked",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "{chunked} of the {layers} layers attend only within chunks of {chunk} tokens (chunked local "
                       "attention); the other {global} attend to the whole context without RoPE. The {path} attention "
                       "path handles both, also with the {kv} KV cache."),
     QT_TRANSLATE_NOOP("FindingDisplay", "Nothing to do.")},
    {"cpu-fallback",
     QT_TRANSLATE_NOOP("FindingDisplay", "The model will run on the CPU: {reason}."),
     QT_TRANSLATE_NOOP("FindingDisplay", "Expect slower answers than on a GPU.{extra}")},
    {"device-missing",
     QT_TRANSLATE_NOOP("FindingDisplay", "There is no {device} on this machine."),
     QT_TRANSLATE_NOOP("FindingDisplay", "Choose Auto or CPU in Device.")},
    {"weights-dtype-unsupported",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "You asked for {requested} weights, but the CPU engine runs weights in their stored type "
                       "({stored}) and cannot convert them yet."),
     QT_TRANSLATE_NOOP("FindingDisplay", "Choose Auto in Weights (or FP32, which the CPU computes in anyway).")},
    {"template-missing",
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "The model has no chat template, so Hearth formats chats with its {family} fallback."),
     QT_TRANSLATE_NOOP("FindingDisplay",
                       "Chat should work; if replies look odd, use a model file that includes a chat template.")},
};

bool hasArg(const hearth::Finding& finding, std::string_view key)
{
    for (const auto& [k, v] : finding.args)
        if (k == key)
            return true;
    return false;
}

const FindingTemplate* templateFor(const hearth::Finding& finding)
{
    const QByteArray key = FindingDisplay::templateKey(finding).toUtf8();
    for (const FindingTemplate& t : k_templates)
        if (key == t.key)
            return &t;
    return nullptr;
}

QString argText(const hearth::Finding& finding, std::string_view key)
{
    const std::string_view value = finding.arg(key);
    return QString::fromUtf8(value.data(), qsizetype(value.size()));
}

// cpu-fallback's {reason} and {extra}, from `why`. An unknown `why` (a newer planner) keeps the engine's words.
void cpuFallbackArgs(const hearth::Finding& finding, QHash<QString, QString>& args)
{
    const std::string_view why = finding.arg("why");
    const QString device = argText(finding, "device_name");
    if (why == "no-cuda-backend") {
        args.insert(QStringLiteral("reason"),
                    FindingDisplay::tr("Hearth's CUDA backend is not built yet, so the %1 cannot be used").arg(device));
        args.insert(QStringLiteral("extra"), QString());  // the engine's "--simulate" is a command-line flag
    } else if (why == "weights-exceed-gpu") {
        args.insert(QStringLiteral("reason"),
                    FindingDisplay::tr("the model needs %1 for its weights, more than the %2's %3")
                        .arg(argText(finding, "needed"), device, argText(finding, "available")));
        args.insert(QStringLiteral("extra"),
                    QLatin1Char(' ') + FindingDisplay::tr("A quantized file of the model may fit the GPU."));
    } else {
        args.insert(QStringLiteral("extra"), QString());
    }
}

// weights-exceed-memory's {alternatives}, from fits_on_cpu, cpu_ram and q4_weights.
QString weightsAlternatives(const hearth::Finding& finding)
{
    QStringList parts;
    if (finding.arg("fits_on_cpu") == "yes")
        parts << FindingDisplay::tr("Choose CPU in Device: the computer has %1 of memory available.")
                     .arg(argText(finding, "cpu_ram"));
    if (hasArg(finding, "q4_weights"))
        parts << FindingDisplay::tr("Use a Q4_K_M GGUF file of this model (about %1 of weights).")
                     .arg(argText(finding, "q4_weights"));
    parts << FindingDisplay::tr("Close other programs to free memory, or use a smaller model.");
    return parts.join(QLatin1Char(' '));
}

// quant-unsupported's {detail}, from kernel_missing; quant-generic-kernel's {requirement}, from needs.
void quantArgs(const hearth::Finding& finding, QHash<QString, QString>& args)
{
    const std::string_view missing = finding.arg("kernel_missing");
    if (missing == "cpu-type") {
        args.insert(QStringLiteral("detail"), FindingDisplay::tr("no CPU kernel for %1").arg(argText(finding, "type")));
    } else if (missing == "method") {
        const QString layout = argText(finding, "layout");
        args.insert(QStringLiteral("detail"),
                    hasArg(finding, "group_size")
                        ? FindingDisplay::tr("%1, groups of %2, found in quantization_config")
                              .arg(layout, argText(finding, "group_size"))
                        : FindingDisplay::tr("%1, found in quantization_config").arg(layout));
    }
    const std::string_view needs = finding.arg("needs");
    if (needs == "cc")
        args.insert(QStringLiteral("requirement"),
                    FindingDisplay::tr("compute capability %1 or newer").arg(argText(finding, "cc")));
    else if (needs == "avx2")
        args.insert(QStringLiteral("requirement"), FindingDisplay::tr("a CPU with AVX2"));
}

// The finding's args as the GUI fills them in: the values the engine wrote as English sentences ({measured},
// {reason}, {extra}, {detail}, {requirement}, {alternatives}) in the user's language, from the structured args.
QHash<QString, QString> displayArgs(const hearth::Finding& finding)
{
    QHash<QString, QString> args;
    for (const auto& [k, v] : finding.args)
        args.insert(QString::fromStdString(k), QString::fromStdString(v));
    if (finding.code == "cpu-fallback")
        cpuFallbackArgs(finding, args);
    else if (finding.code == "weights-exceed-memory")
        args.insert(QStringLiteral("alternatives"), weightsAlternatives(finding));
    else if (finding.code == "quant-unsupported" || finding.code == "quant-generic-kernel")
        quantArgs(finding, args);
    QString measured;
    if (hasArg(finding, "mean_kl") && hasArg(finding, "argmax_agreement")) {
        const double kl = QString::fromStdString(std::string(finding.arg("mean_kl"))).toDouble();
        const double agreement = QString::fromStdString(std::string(finding.arg("argmax_agreement"))).toDouble();
        measured = QLatin1Char(' ') +
                   FindingDisplay::tr("Measured on this model: mean KL divergence %1 nats per token; the most likely "
                                      "next token is the same as with a 16-bit cache %2% of the time.")
                       .arg(QString::number(kl, 'f', 4), QString::number(100.0 * agreement, 'f', 1));
    }
    args.insert(QStringLiteral("measured"), measured);
    return args;
}

// Replaces each {name} in `text` by its value in `args`; unknown names stay as they are (the test looks for them).
QString render(const QString& text, const QHash<QString, QString>& args)
{
    QString out;
    out.reserve(text.size() + 32);
    for (qsizetype i = 0; i < text.size();) {
        if (text[i] == QLatin1Char('{')) {
            const qsizetype close = text.indexOf(QLatin1Char('}'), i);
            if (close > i) {
                const auto value = args.constFind(text.mid(i + 1, close - i - 1));
                if (value != args.constEnd()) {
                    out += *value;
                    i = close + 1;
                    continue;
                }
            }
        }
        out += text[i++];
    }
    return out;
}

}  // namespace

QString FindingDisplay::templateKey(const hearth::Finding& finding)
{
    const std::string& code = finding.code;
    const bool refusal = finding.severity == hearth::Severity::refusal;
    // The variants the planner chooses between (make_finding's `variant`), recovered from what it stored.
    const char* variant = nullptr;
    if (code == "bf16-unsupported")
        variant = refusal ? "refuse" : "convert";
    else if (code == "kv-exceeds-memory")
        variant = refusal ? "refuse" : "shrunk";
    else if (code == "fp16-range")
        variant = hasArg(finding, "tensor") ? "found" : hasArg(finding, "scanned") ? "clean" : "pending";
    else if (code == "fp8-kv-gqa" && hasArg(finding, "mean_kl"))
        variant = "measured";
    else if (code == "arch-unsupported")
        variant = hasArg(finding, "experts") ? "moe" : hasArg(finding, "supported") ? "unknown" : "config";
    QString key = QString::fromStdString(code);
    if (variant)
        key += QLatin1Char('/') + QLatin1String(variant);
    return key;
}

QStringList FindingDisplay::templateKeys()
{
    QStringList keys;
    for (const FindingTemplate& t : k_templates)
        keys << QLatin1String(t.key);
    return keys;
}

bool FindingDisplay::hasTemplate(const hearth::Finding& finding)
{
    return templateFor(finding) != nullptr;
}

QString FindingDisplay::message(const hearth::Finding& finding)
{
    const FindingTemplate* t = templateFor(finding);
    if (!t)
        return QString::fromStdString(finding.message);
    return render(tr(t->message), displayArgs(finding));
}

QString FindingDisplay::suggestion(const hearth::Finding& finding)
{
    const FindingTemplate* t = templateFor(finding);
    if (!t)
        return QString::fromStdString(finding.suggestion);
    return render(tr(t->suggestion), displayArgs(finding));
}

QString FindingDisplay::plainText(const hearth::Finding& finding)
{
    const std::string_view severity = hearth::name(finding.severity);
    return QStringLiteral("%1 %2: %3\n%4 %5")
        .arg(QString::fromUtf8(severity.data(), qsizetype(severity.size())), QString::fromStdString(finding.code),
             message(finding), tr("Suggestion:"), suggestion(finding));
}
