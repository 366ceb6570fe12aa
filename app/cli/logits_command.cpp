// hearth-cli logits: teacher-forced logits for a fixed token sequence, reduced to what goldens compare:
// per position, the top-k token ids with their logits and the log-sum-exp over the whole vocabulary.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>

#include <nlohmann/json.hpp>

#include "run_commands.h"
#include "run_options.h"

namespace hearth::cli {
namespace {

constexpr std::string_view k_usage =
    "usage: hearth-cli logits --model PATH --tokens FILE.json [--top-k K] [--json] [--threads N] [--matmul int16|split8|int8|exact]\n"
    "  FILE.json: a list of token ids, or an object with a \"tokens\" list\n";

}  // namespace

int run_logits(std::span<const std::string_view> args) {
    RunOptions options;
    std::string tokens_file;
    long long top_k = 10;
    bool json = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string error;
        if (parse_run_option(args, i, options, error, RunOptionSet::model)) {
            if (!error.empty()) {
                std::cerr << "hearth-cli logits: " << error << "\n";
                return 2;
            }
            continue;
        }
        const auto arg = args[i];
        if (arg == "--tokens" && i + 1 < args.size()) tokens_file = std::string(args[++i]);
        else if (arg == "--top-k") {
            const auto v = i + 1 < args.size() ? parse_integer(args[++i]) : std::nullopt;
            if (!v || *v < 1) {
                std::cerr << "hearth-cli logits: --top-k expects a whole number ≥ 1\n";
                return 2;
            }
            top_k = *v;
        }
        else if (arg == "--json") json = true;
        else {
            std::cerr << "hearth-cli logits: unexpected argument '" << arg << "'\n" << k_usage;
            return 2;
        }
    }
    if (options.model.empty() || tokens_file.empty()) {
        std::cerr << "hearth-cli logits: " << (options.model.empty() ? "--model" : "--tokens") << " is required\n" << k_usage;
        return 2;
    }
    std::ifstream in(tokens_file, std::ios::binary);
    if (!in) {
        std::cerr << "hearth-cli logits: " << tokens_file << ": cannot open\n";
        return 1;
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::vector<TokenId> tokens;
    try {
        const auto parsed = nlohmann::json::parse(text.str());
        const auto& list = parsed.is_object() ? parsed.at("tokens") : parsed;
        for (const auto& id : list) tokens.push_back(id.get<TokenId>());
    } catch (const nlohmann::json::exception& e) {
        std::cerr << "hearth-cli logits: " << tokens_file << ": expected a list of token ids (or {\"tokens\": [...]}): "
                  << e.what() << "\n";
        return 1;
    }
    if (tokens.empty()) {
        std::cerr << "hearth-cli logits: " << tokens_file << ": no tokens\n";
        return 1;
    }
    if (options.load.context_length == 0) options.load.context_length = static_cast<std::int64_t>(tokens.size());
    auto model = load_model_or_report(options, "logits");
    if (!model) return 1;
    auto session = model->start_session();
    if (!session) {
        std::cerr << "hearth-cli logits: " << session.error().message << "\n";
        return 1;
    }
    nlohmann::ordered_json positions = nlohmann::ordered_json::array();
    const auto k = static_cast<std::size_t>(std::min<long long>(top_k, model->vocab_size()));
    std::vector<std::int32_t> order;
    auto result = (*session)->append(tokens, Session::Logits::all, [&](std::int64_t, std::span<const float> logits) {
        order.resize(logits.size());
        std::iota(order.begin(), order.end(), 0);
        std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                          [&](std::int32_t a, std::int32_t b) { return logits[a] > logits[b] || (logits[a] == logits[b] && a < b); });
        const float max_logit = logits[static_cast<std::size_t>(order[0])];
        double sum = 0.0;
        for (float v : logits) sum += std::exp(static_cast<double>(v) - max_logit);
        nlohmann::ordered_json ids = nlohmann::ordered_json::array(), values = nlohmann::ordered_json::array();
        for (std::size_t j = 0; j < k; ++j) {
            ids.push_back(order[j]);
            values.push_back(logits[static_cast<std::size_t>(order[j])]);
        }
        positions.push_back({{"ids", ids}, {"logits", values}, {"lse", max_logit + std::log(sum)}});
    });
    if (!result) {
        std::cerr << "hearth-cli logits: " << result.error().message << "\n";
        return 1;
    }
    if (json) {
        std::cout << nlohmann::ordered_json{{"tokens", tokens}, {"top_k", k}, {"positions", positions}}.dump() << "\n";
    } else {
        for (std::size_t p = 0; p < positions.size(); ++p) {
            std::cout << p << "\t" << tokens[p] << "\tlse " << positions[p]["lse"].get<double>() << "\ttop";
            for (std::size_t j = 0; j < k; ++j)
                std::cout << " " << positions[p]["ids"][j].get<int>() << ":" << positions[p]["logits"][j].get<float>();
            std::cout << "\n";
        }
    }
    return 0;
}

}  // namespace hearth::cli
