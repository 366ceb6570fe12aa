#pragma once
// The forward pass against transformers on a real GGUF model (transformers dequantizes the file to F32 and
// runs it; Hearth runs the quantized weights directly). Golden: tests/data/golden/logits/<model>.json.
//
// Pass criteria (issue 4): teacher-forced over ≥ 512 tokens, Hearth's argmax equals transformers' on
// ≥ 99% of positions; the greedy 64-token continuation of a chat prompt is identical. The largest logit
// difference (over transformers' top-k ids) and log-sum-exp difference are reported, not bounded: the
// fast path quantizes activations to 8 bits, as llama.cpp does, which moves logits by a few hundredths.
#include <cmath>
#include <filesystem>

#include <QtTest/QTest>

#include "golden_json.h"
#include "hearth/language_model.h"

namespace forward_real {

using namespace hearth;

inline std::unique_ptr<LanguageModel> load(const std::string& file, std::int64_t context) {
    const std::string path = std::string(HEARTH_MODELS_DIR) + "/" + file;
    if (!std::filesystem::exists(path)) qFatal("%s is missing: run tests/fetch_models.sh", path.c_str());
    ModelLoadOptions options;
    options.context_length = context;
    auto model = LanguageModel::load(path, options);
    if (!model) qFatal("%s", model.error().message.c_str());
    return std::move(model).value();
}

inline void teacher_forced(const std::string& file, const std::string& golden_name) {
    const auto golden = read_golden(golden_name);
    const auto tokens = golden["tokens"].get<std::vector<TokenId>>();
    QVERIFY(tokens.size() >= 512);
    auto model = load(file, static_cast<std::int64_t>(tokens.size()));
    auto session = model->start_session();
    QVERIFY(session.ok());
    int agree = 0, positions = 0;
    double max_logit_diff = 0.0, max_lse_diff = 0.0;
    auto appended = (*session)->append(tokens, Session::Logits::all, [&](std::int64_t p, std::span<const float> logits) {
        const auto& ref = golden["positions"][static_cast<std::size_t>(p)];
        const auto argmax = std::max_element(logits.begin(), logits.end()) - logits.begin();
        if (argmax == ref["ids"][0].get<std::int64_t>()) ++agree;
        for (std::size_t j = 0; j < ref["ids"].size(); ++j) {
            const double ours = logits[ref["ids"][j].get<std::size_t>()];
            max_logit_diff = std::max(max_logit_diff, std::abs(ours - ref["logits"][j].get<double>()));
        }
        const float max_logit = *std::max_element(logits.begin(), logits.end());
        double sum = 0.0;
        for (float v : logits) sum += std::exp(double(v) - max_logit);
        max_lse_diff = std::max(max_lse_diff, std::abs(max_logit + std::log(sum) - ref["lse"].get<double>()));
        ++positions;
    });
    QVERIFY2(appended.ok(), appended.ok() ? "" : appended.error().message.c_str());
    QCOMPARE(positions, static_cast<int>(tokens.size()));
    const double agreement = double(agree) / positions;
    qInfo("%s: argmax agrees on %d of %d positions (%.2f%%); max logit difference %.4f, max log-sum-exp "
          "difference %.4f (%s)", file.c_str(), agree, positions, 100.0 * agreement, max_logit_diff, max_lse_diff,
          model->backend_description().c_str());
    QVERIFY2(agreement >= 0.99, "argmax must agree on at least 99% of positions");
}

inline void greedy_continuation(const std::string& file, const std::string& golden_name) {
    const auto golden = read_golden(golden_name);
    const auto prompt = golden["chat"]["prompt_tokens"].get<std::vector<TokenId>>();
    const auto expected = golden["chat"]["greedy_tokens"].get<std::vector<TokenId>>();
    QCOMPARE(expected.size(), std::size_t{64});
    auto model = load(file, static_cast<std::int64_t>(prompt.size() + expected.size()));
    auto session = model->start_session();
    QVERIFY(session.ok());
    TokenId next = -1;
    auto argmax = [&](std::int64_t, std::span<const float> l) {
        next = static_cast<TokenId>(std::max_element(l.begin(), l.end()) - l.begin());
    };
    QVERIFY((*session)->append(prompt, Session::Logits::last, argmax).ok());
    std::vector<TokenId> generated;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        generated.push_back(next);
        if (next != expected[i]) break;
        QVERIFY((*session)->append(std::span<const TokenId>(&generated.back(), 1), Session::Logits::last, argmax).ok());
    }
    const std::string text = model->tokenizer()->decode(generated);
    qInfo("%s greedy: %s", file.c_str(), text.c_str());
    QCOMPARE(generated, expected);
}

}  // namespace forward_real
