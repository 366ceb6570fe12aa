#pragma once
// Shared by the tokenizer tests: comparing id lists with a readable message, and UTF-8 checks.
#include <QtCore/QString>
#include <QtCore/QtGlobal>

#include <cstddef>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hearth/tokenizer.h"

namespace hearth::test {

inline nlohmann::json load_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) qFatal("missing %s", path.c_str());
    return nlohmann::json::parse(in);
}

// tests/data/tokenizer/corpus.json: the mixed-script texts every tokenizer golden is made from.
inline const nlohmann::json& corpus() {
    static const nlohmann::json k_corpus = load_json(HEARTH_TEST_DATA_DIR "/tokenizer/corpus.json").at("cases");
    return k_corpus;
}

// Empty when equal; otherwise where they first differ, with a few ids of context on each side.
inline QString id_difference(const std::vector<TokenId>& got, const std::vector<TokenId>& expected) {
    if (got == expected) return {};
    std::size_t at = 0;
    while (at < got.size() && at < expected.size() && got[at] == expected[at]) ++at;
    const auto slice = [at](const std::vector<TokenId>& v) {
        QString s;
        const std::size_t from = at >= 3 ? at - 3 : 0;
        for (std::size_t i = from; i < v.size() && i < at + 6; ++i) s += (i == at ? QStringLiteral("[%1] ") : QStringLiteral("%1 ")).arg(v[i]);
        return s;
    };
    return QStringLiteral("ids differ at %1 (got %2 ids, expected %3): got …%4… expected …%5…")
        .arg(at).arg(got.size()).arg(expected.size()).arg(slice(got), slice(expected));
}

}  // namespace hearth::test
