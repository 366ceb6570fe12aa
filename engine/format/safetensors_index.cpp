#include "format/safetensors_index.h"

#include <set>

#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "format/format_error.h"
#include "format/json_text.h"

namespace hearth::format {
namespace {

bool is_plain_file_name(const std::string& name) {
    if (name.empty() || name == "." || name == "..") return false;
    return name.find('/') == std::string::npos && name.find('\\') == std::string::npos &&
           name.find('\0') == std::string::npos && is_valid_utf8(name);
}

}  // namespace

ShardIndex parse_shard_index(std::string_view json_text, const std::string& file_name) {
    using nlohmann::json;
    auto fail = [&](const std::string& message) { throw FormatError(file_name + ": " + message); };
    const json root = parse_json(json_text, file_name);
    if (!root.is_object()) fail("expected a JSON object");
    ShardIndex index;
    if (auto meta = root.find("metadata"); meta != root.end() && meta->is_object()) {
        if (auto total = meta->find("total_size"); total != meta->end() && total->is_number_unsigned()) {
            index.total_size = total->get<std::uint64_t>();
        }
    }
    const auto map = root.find("weight_map");
    if (map == root.end() || !map->is_object()) fail("has no 'weight_map' object");
    std::set<std::string> shards;
    for (const auto& [tensor, shard] : map->items()) {
        if (!shard.is_string()) {
            fail("tensor '" + escape_for_message(tensor) + "' maps to " + shard.type_name() + "; expected a file name");
        }
        const auto shard_name = shard.get<std::string>();
        if (!is_plain_file_name(shard_name)) {
            fail("tensor '" + escape_for_message(tensor) + "' names shard '" + escape_for_message(shard_name) +
                 "', which is not a plain file name inside the model folder");
        }
        index.weight_map.emplace(tensor, shard_name);
        shards.insert(shard_name);
    }
    if (index.weight_map.empty()) fail("'weight_map' lists no tensors");
    index.shards.assign(shards.begin(), shards.end());
    return index;
}

}  // namespace hearth::format
