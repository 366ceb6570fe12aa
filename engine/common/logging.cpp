#include "hearth/logging.h"

#include <cstdlib>
#include <memory>
#include <system_error>
#include <vector>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace hearth {

std::filesystem::path default_data_dir() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "hearth";
    if (const char* home = std::getenv("HOME"); home && *home) {
        return std::filesystem::path(home) / ".local" / "share" / "hearth";
    }
    return std::filesystem::temp_directory_path() / "hearth";
}

std::optional<std::string> validate_log_level(std::string_view level) {
    static constexpr std::string_view k_levels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
    for (auto known : k_levels) {
        if (level == known) return std::nullopt;
    }
    return "unknown log level '" + std::string(level) +
           "'; expected one of trace, debug, info, warn, error, critical, off";
}

LogSetup setup_logging(std::optional<std::string_view> level_argument, std::string_view program_name,
                       const std::filesystem::path& log_dir) {
    LogSetup setup;
    if (level_argument) {
        setup.level = std::string(*level_argument);
    } else if (const char* env = std::getenv("HEARTH_LOG"); env && *env) {
        setup.level = env;
    }
    if (auto problem = validate_log_level(setup.level)) {
        // A bad HEARTH_LOG must not stop the program; the caller reports a bad --log-level itself.
        setup.warning = *problem + "; using 'info'";
        setup.level = "info";
    }

    std::vector<spdlog::sink_ptr> sinks;
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    std::error_code ec;
    std::filesystem::create_directories(log_dir, ec);
    if (!ec) {
        const auto file = log_dir / (std::string(program_name) + ".log");
        try {
            constexpr std::size_t max_bytes = 5 * 1024 * 1024;
            constexpr std::size_t max_files = 3;
            sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(file.string(), max_bytes, max_files));
            setup.file = file;
        } catch (const spdlog::spdlog_ex& e) {
            setup.warning = "cannot write the log file " + file.string() + ": " + e.what();
        }
    } else {
        setup.warning = "cannot create the log folder " + log_dir.string() + ": " + ec.message();
    }

    auto logger = std::make_shared<spdlog::logger>(std::string(program_name), sinks.begin(), sinks.end());
    logger->set_level(spdlog::level::from_str(setup.level));
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    if (!setup.warning.empty()) spdlog::warn("{}", setup.warning);
    return setup;
}

}  // namespace hearth
