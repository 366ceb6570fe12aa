#pragma once
#include <string_view>

namespace hearth {

// "0.1.0" — the project version from CMake.
std::string_view version();
// "0.1.0 (git 1a2b3c4)" when built from a git checkout, else version().
std::string_view version_with_commit();

}  // namespace hearth
