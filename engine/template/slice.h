#pragma once
// Python's slice semantics (PySlice_AdjustIndices): the indices that seq[start:stop:step] visits.

#include <cstddef>
#include <optional>
#include <vector>

namespace hearth::jinja {

std::vector<std::size_t> slice_indices(std::size_t length, std::optional<long long> start,
                                       std::optional<long long> stop, long long step);

}  // namespace hearth::jinja
