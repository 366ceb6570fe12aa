#pragma once
// Reading the transformers goldens (tests/make_logits_golden.py) in tests.
#include <fstream>
#include <sstream>
#include <string>

#include <QtTest/QTest>
#include <nlohmann/json.hpp>

inline nlohmann::json read_golden(const std::string& name) {
    const std::string path = std::string(HEARTH_TEST_DATA_DIR) + "/golden/logits/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) qFatal("cannot open %s", path.c_str());
    std::ostringstream text;
    text << in.rdbuf();
    return nlohmann::json::parse(text.str());
}
