#pragma once
// Logging for both executables: spdlog to stderr and to a rotating file in the user's data folder.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace hearth {

// Where Hearth keeps its own files: $XDG_DATA_HOME/hearth, else ~/.local/share/hearth.
std::filesystem::path default_data_dir();

// The level from `--log-level` if given, else from the HEARTH_LOG environment variable, else "info".
// Returns an error message for an unknown level name (trace, debug, info, warn, error, critical, off).
struct LogSetup {
    std::string level = "info";
    std::filesystem::path file;       // empty: file logging unavailable (see warning)
    std::string warning;              // why the file sink could not be opened, if it could not
};
std::optional<std::string> validate_log_level(std::string_view level);
LogSetup setup_logging(std::optional<std::string_view> level_argument, std::string_view program_name,
                       const std::filesystem::path& log_dir = default_data_dir() / "logs");

}  // namespace hearth
