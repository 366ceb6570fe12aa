#pragma once
// model.safetensors.index.json: which shard holds which tensor of a sharded Hugging Face checkpoint.
//   {"metadata": {"total_size": N}, "weight_map": {"<tensor>": "model-00001-of-00002.safetensors", …}}
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::format {

struct ShardIndex {
    std::vector<std::string> shards;                 // distinct shard files, sorted
    std::map<std::string, std::string> weight_map;   // tensor → shard file
    std::optional<std::uint64_t> total_size;
};

// Throws FormatError naming `file_name`. Shard names must be plain file names inside the model folder:
// an index is untrusted and must not point Hearth at "../../somewhere".
ShardIndex parse_shard_index(std::string_view json_text, const std::string& file_name);

}  // namespace hearth::format
