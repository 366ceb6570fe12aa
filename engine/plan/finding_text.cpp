// Every planner message, in one table: for each finding code (and variant), the message and the suggestion,
// with {named} values filled in from the finding's args. Plain words for people who are not experts; each
// suggestion says something concrete to do. Tests and the GUI key on the code, never on these words.
#include <cstdio>

#include "plan/findings.h"

namespace hearth::planner {
namespace {

struct FindingText {
    std::string_view key;  // code, or code/variant
    std::string_view message;
    std::string_view suggestion;
};

constexpr FindingText k_texts[] = {
    {"bf16-unsupported/convert",
     "This model's weights are stored in BF16, which the {device} (compute capability {cc}) cannot compute with. "
     "Hearth will convert them to FP16. FP16 has a smaller range than BF16, so the conversion checks every value "
     "(see fp16-range).",
     "Nothing to do unless values are reported out of range; then run it on the CPU (--device cpu) or on a GPU "
     "with compute capability 8.0 or newer, which keeps BF16."},
    {"bf16-unsupported/refuse",
     "You asked for BF16, but the {device} (compute capability {cc}) cannot compute in BF16: that needs compute "
     "capability 8.0 or newer.",
     "Choose --weights-dtype f16 or auto (Hearth converts to FP16 and checks the range), or --device cpu."},
    {"fp16-range/found",
     "{count} of the {scanned} weights converted to FP16 are too large for FP16 (beyond ±65504) and would turn "
     "into infinity; the first is in tensor '{tensor}'. The model's answers may break.",
     "Keep the stored precision: --weights-dtype auto on a GPU with BF16 support (compute capability 8.0 or "
     "newer), or --device cpu."},
    {"fp16-range/clean",
     "All {scanned} weights converted to FP16 fit FP16's range; none were clipped.",
     "Nothing to do."},
    {"fp16-range/pending",
     "The weights will be converted to FP16; values too large for FP16 are counted while converting.",
     "Run hearth-cli doctor on the model to count them before loading."},
    {"fp8-kv-gqa",
     "You chose an FP8 KV cache on a model whose query heads share key/value heads ({heads} query heads, "
     "{kv_heads} key/value). Each stored "
     "key and value serves {group} query heads, so its rounding error counts {group} times; on some models this "
     "makes answers repeat or drift after a while.{measured}",
     "Measure it on this model before relying on it (hearth-cli doctor --measure, or Measure quality in the load "
     "dialog). If the difference is noticeable, use --kv-dtype f16."},
    {"fp8-kv-gqa/measured",
     "You chose an FP8 KV cache on a model whose query heads share key/value heads ({heads} query heads, "
     "{kv_heads} key/value). Each stored "
     "key and value serves {group} query heads, so its rounding error counts {group} times; on some models this "
     "makes answers repeat or drift after a while.{measured}",
     "A mean KL divergence below about 0.01 and agreement near 100% are hard to notice in answers; if the numbers "
     "are worse, or you see repetition, use --kv-dtype f16."},
    {"fp8-kv-e5m2",
     "The FP8 E5M2 KV cache keeps only 2 bits of precision per value and no scales, so keys and values are "
     "rounded about 4 times more coarsely than with FP8 E4M3.{measured}",
     "Prefer --kv-dtype fp8-e4m3: it saves almost the same memory and stays closer to a 16-bit cache."},
    {"fp8-kv",
     "The FP8 KV cache saves {saved} per 1,000 tokens compared with {reference}; in this memory the context can "
     "grow to {fits} tokens.",
     "Nothing to do."},
    {"kv-exceeds-memory/shrunk",
     "A {wanted}-token context needs {kv} of KV cache, more than the {device} has left after the weights. Hearth "
     "will use a {fits}-token context instead.",
     "To keep a longer context, use an FP8 KV cache (--kv-dtype fp8-e4m3 fits about {fp8_fits} tokens) or a "
     "device with more memory."},
    {"kv-exceeds-memory/refuse",
     "A {wanted}-token context needs {kv} of KV cache, more than the {device} has left after the weights. At "
     "most {fits} tokens fit.",
     "Use --ctx {fits} or less, or an FP8 KV cache (--kv-dtype fp8-e4m3 fits about {fp8_fits} tokens)."},
    {"weights-exceed-memory",
     "The model's weights need {weights}, and running it needs {other} more, but the {device} has only "
     "{budget} available.",
     "{alternatives}"},
    {"arch-unsupported/unknown",
     "Hearth cannot run '{arch}' models yet. It runs: {supported}.",
     "Choose a model of a supported family; hearth-cli inspect shows a file's architecture."},
    {"arch-unsupported/moe",
     "This is a mixture-of-experts model ({experts} experts, {used} used per token). The plan below is what "
     "Hearth will do with it, but Hearth's engine has no expert layers yet, so it cannot run it.",
     "Choose a dense model of the same family for now."},
    {"arch-unsupported/config",
     "Hearth cannot run this model as configured: {reason}",
     "Check the model's config.json, or choose another model."},
    {"quant-unsupported",
     "This checkpoint is quantized with {method} ({detail}). It needs the {path} kernel, which Hearth does not "
     "have yet, so it cannot be loaded.",
     "Use a GGUF file of the same model (Q4_K_M is about as small) or its unquantized checkpoint."},
    {"quant-generic-kernel",
     "{count} layers stored as {layout} run on the generic dequantize-then-multiply path on the {device}: the "
     "results are the same, but it is slower than the {fast} kernel, which needs {requirement}.",
     "Nothing needed. For more speed, use a device with {requirement}."},
    {"quant-dense-layer",
     "This {method} checkpoint leaves some layers unquantized ({count} in all); they run in {dtype}: {layers}.",
     "Nothing to do; they take {bytes} of the memory estimate."},
    {"tensor-empty",
     "Tensor '{tensor}' is empty (shape {shape}), so layer '{layer}' cannot be dequantized.",
     "The file is damaged or was written by a faulty quantizer: download the model again, or use another "
     "quantization of it."},
    {"tensor-missing",
     "The model has no tensor '{tensor}', which the {arch} architecture needs ({count} missing in all{more}).",
     "The download may be incomplete, or the file is another variant of the model: download it again, or check "
     "that config.json belongs to these weights."},
    {"tensor-unexpected",
     "The model has {count} tensors that the {arch} architecture has no place for, such as '{tensor}'{more}.",
     "This is probably another variant (a vision or multimodal model, extra heads): choose the text-only "
     "checkpoint of the model."},
    {"attention-chunked",
     "{chunked} of the {layers} layers attend only within chunks of {chunk} tokens (chunked local attention); "
     "the other {global} attend to the whole context without RoPE. The {path} attention path handles both, "
     "also with the {kv} KV cache.",
     "Nothing to do."},
    {"cpu-fallback",
     "The model will run on the CPU: {reason}.",
     "Expect slower answers than on a GPU. {extra}"},
    {"device-missing",
     "There is no {device} on this machine ({gpus}).",
     "Choose --device auto or cpu{other}."},
    {"weights-dtype-unsupported",
     "You asked for {requested} weights, but the CPU engine runs weights in their stored type ({stored}) and "
     "cannot convert them yet.",
     "Choose --weights-dtype auto (or f32, which the CPU computes in anyway)."},
    {"template-missing",
     "The model has no chat template, so Hearth formats chats with its {family} fallback.",
     "Chat should work; if replies look odd, use a model file that includes a chat template."},
};

}  // namespace

std::string render(std::string_view text, const Args& args) {
    std::string out;
    out.reserve(text.size() + 32);
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '{') {
            const auto close = text.find('}', i);
            if (close != std::string_view::npos) {
                const std::string_view key = text.substr(i + 1, close - i - 1);
                bool replaced = false;
                for (const auto& [k, v] : args) {
                    if (k == key) {
                        out += v;
                        replaced = true;
                        break;
                    }
                }
                if (replaced) {
                    i = close + 1;
                    continue;
                }
            }
        }
        out += text[i++];
    }
    return out;
}

Finding make_finding(std::string_view code, Severity severity, Args args, std::string_view variant) {
    const std::string key = variant.empty() ? std::string(code) : std::string(code) + "/" + std::string(variant);
    Finding f;
    f.severity = severity;
    f.code = std::string(code);
    for (const FindingText& t : k_texts) {
        if (t.key != key) continue;
        f.message = render(t.message, args);
        f.suggestion = render(t.suggestion, args);
        break;
    }
    if (f.message.empty()) f.message = "internal error: no text for planner finding '" + key + "'";
    f.args = std::move(args);
    return f;
}

std::string format_bytes(std::uint64_t bytes) {
    char text[32];
    const double b = static_cast<double>(bytes);
    if (bytes >= (1ull << 30)) std::snprintf(text, sizeof text, "%.1f GiB", b / (1ull << 30));
    else if (bytes >= (1ull << 20)) std::snprintf(text, sizeof text, "%.0f MiB", b / (1ull << 20));
    else if (bytes >= (1ull << 10)) std::snprintf(text, sizeof text, "%.0f KiB", b / (1ull << 10));
    else std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
    return text;
}

std::string format_count(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace hearth::planner
