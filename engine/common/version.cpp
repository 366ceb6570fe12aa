#include "hearth/version.h"

#include <string>

#include "git_commit.h"  // generated at build time: HEARTH_GIT_COMMIT

namespace hearth {

std::string_view version() { return HEARTH_VERSION; }

std::string_view version_with_commit() {
    static const std::string text = std::string(HEARTH_GIT_COMMIT).empty()
        ? std::string(HEARTH_VERSION)
        : std::string(HEARTH_VERSION) + " (git " + HEARTH_GIT_COMMIT + ")";
    return text;
}

}  // namespace hearth
