// fp16-range: when the plan converts BF16 or F32 weights to FP16, count the values FP16 cannot hold
// (|x| > 65504 becomes infinity). Reads the tensors through a memory map, one pass, only when asked
// (LoadOptions::scan_fp16_range), since it touches every byte of those weights.
#include <cmath>
#include <cstring>
#include <map>

#include "format/mapped_file.h"
#include "plan/planner.h"

namespace hearth::planner {
namespace {

constexpr float k_fp16_max = 65504.0f;

float bf16_to_f32(std::uint16_t bits) {
    const std::uint32_t wide = static_cast<std::uint32_t>(bits) << 16;
    float f;
    std::memcpy(&f, &wide, sizeof f);
    return f;
}

}  // namespace

void check_fp16_range(Context& c) {
    if (!c.converts_to_fp16()) return;
    if (!c.options.scan_fp16_range) {
        c.add(make_finding("fp16-range", Severity::info, {{"why", "not-scanned"}}, "pending"));
        return;
    }
    const ModelInfo& m = c.model;
    const std::filesystem::path folder = m.format == ModelFormat::gguf ? m.path.parent_path() : m.path;
    std::map<std::string, format::MappedFile> files;
    std::uint64_t scanned = 0, outside = 0;
    std::string first_tensor, problem, problem_file;
    for (const TensorInfo& t : m.tensors) {
        if (t.type != TensorType::BF16 && t.type != TensorType::F32) continue;
        auto it = files.find(t.file);
        if (it == files.end()) {
            auto mapped = format::MappedFile::open(folder / t.file);
            if (!mapped) {
                problem = mapped.error().message;
                problem_file = t.file;
                break;
            }
            it = files.emplace(t.file, std::move(mapped).value()).first;
        }
        const auto bytes = it->second.bytes();
        if (t.offset + t.n_bytes > bytes.size() || t.offset + t.n_bytes < t.offset) continue;  // inspect() reports it
        const std::byte* data = bytes.data() + t.offset;
        std::uint64_t here = 0;
        for (std::uint64_t i = 0; i < t.n_elements; ++i) {
            float v;
            if (t.type == TensorType::BF16) {
                std::uint16_t bits;
                std::memcpy(&bits, data + 2 * i, 2);
                v = bf16_to_f32(bits);
            } else {
                std::memcpy(&v, data + 4 * i, 4);
            }
            here += std::isfinite(v) && std::fabs(v) > k_fp16_max;
        }
        if (here > 0 && first_tensor.empty()) first_tensor = t.name;
        outside += here;
        scanned += t.n_elements;
    }
    if (!problem.empty()) {
        c.add(make_finding("fp16-range", Severity::info,
                           {{"reason", problem}, {"why", "file-unreadable"}, {"file", problem_file}}, "pending"));
        return;
    }
    if (outside > 0)
        c.add(make_finding("fp16-range", Severity::warning,
                           {{"count", std::to_string(outside)}, {"scanned", format_count(scanned)}, {"tensor", first_tensor}},
                           "found"));
    else
        c.add(make_finding("fp16-range", Severity::info, {{"count", "0"}, {"scanned", format_count(scanned)}}, "clean"));
}

}  // namespace hearth::planner
