// The option words of the planner, shared by hearth-cli and the load dialog.
#include <charconv>

#include "hearth/plan.h"

namespace hearth {
namespace {

constexpr std::pair<std::string_view, WeightsDtype> k_weights[] = {
    {"auto", WeightsDtype::auto_}, {"f32", WeightsDtype::f32}, {"f16", WeightsDtype::f16}, {"bf16", WeightsDtype::bf16}};
constexpr std::pair<std::string_view, KvDtype> k_kv[] = {
    {"auto", KvDtype::auto_}, {"f32", KvDtype::f32},           {"f16", KvDtype::f16},
    {"bf16", KvDtype::bf16},  {"fp8-e4m3", KvDtype::fp8_e4m3}, {"fp8-e5m2", KvDtype::fp8_e5m2}};

}  // namespace

std::optional<WeightsDtype> parse_weights_dtype(std::string_view text) {
    for (const auto& [word, value] : k_weights)
        if (word == text) return value;
    return std::nullopt;
}

std::optional<KvDtype> parse_kv_dtype(std::string_view text) {
    for (const auto& [word, value] : k_kv)
        if (word == text) return value;
    return std::nullopt;
}

std::optional<DeviceChoice> parse_device(std::string_view text) {
    if (text == "auto") return DeviceChoice{};
    if (text == "cpu") return DeviceChoice{DeviceChoice::Kind::cpu, 0};
    if (text == "cuda") return DeviceChoice{DeviceChoice::Kind::cuda, 0};
    if (!text.starts_with("cuda:")) return std::nullopt;
    const std::string_view digits = text.substr(5);
    int index = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || index < 0) return std::nullopt;
    return DeviceChoice{DeviceChoice::Kind::cuda, index};
}

std::string_view name(WeightsDtype dtype) {
    for (const auto& [word, value] : k_weights)
        if (value == dtype) return word;
    return "auto";
}

std::string_view name(KvDtype dtype) {
    for (const auto& [word, value] : k_kv)
        if (value == dtype) return word;
    return "auto";
}

std::string name(const DeviceChoice& device) {
    switch (device.kind) {
    case DeviceChoice::Kind::auto_: return "auto";
    case DeviceChoice::Kind::cpu: return "cpu";
    case DeviceChoice::Kind::cuda: return "cuda:" + std::to_string(device.index);
    }
    return "auto";
}

std::string_view name(Severity severity) {
    switch (severity) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::refusal: return "refusal";
    }
    return "info";
}

std::string_view Finding::arg(std::string_view key) const {
    for (const auto& [k, v] : args)
        if (k == key) return v;
    return {};
}

bool LoadPlan::refused() const {
    for (const Finding& f : findings)
        if (f.severity == Severity::refusal) return true;
    return false;
}

const Finding* LoadPlan::find(std::string_view code) const {
    for (const Finding& f : findings)
        if (f.code == code) return &f;
    return nullptr;
}

}  // namespace hearth
