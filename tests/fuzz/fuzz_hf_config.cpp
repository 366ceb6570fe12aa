// The JSON files of a Hugging Face model folder: each input goes to apply_hf_config (config.json),
// apply_generation_config (generation_config.json) and parse_shard_index (model.safetensors.index.json).
// FormatError is the only allowed failure; a crash, a sanitizer report, another exception (a stray
// nlohmann::json error included), a hang or an index naming a shard outside the folder is a finding.
#include <string>

#include "format/format_error.h"
#include "format/hf_config.h"
#include "format/safetensors_index.h"
#include "fuzz_common.h"

using namespace hearth;
using namespace hearth::format;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = fuzz::as_text(data, size);
    ModelInfo info;
    try {
        apply_hf_config(text, "config.json", info);
    } catch (const FormatError&) {
    }
    try {
        apply_generation_config(text, "generation_config.json", info);
    } catch (const FormatError&) {
    }
    try {
        const auto index = parse_shard_index(text, "model.safetensors.index.json");
        HEARTH_FUZZ_CHECK(!index.weight_map.empty() && !index.shards.empty());
        for (const auto& shard : index.shards) {
            HEARTH_FUZZ_CHECK(!shard.empty() && shard != "." && shard != "..");
            HEARTH_FUZZ_CHECK(shard.find('/') == std::string::npos && shard.find('\\') == std::string::npos);
        }
    } catch (const FormatError&) {
    }
    return 0;
}
