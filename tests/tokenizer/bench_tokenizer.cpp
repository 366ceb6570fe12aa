// Encoding speed on one core: English prose (the corpus's prose entries, repeated) through a real model's
// tokenizer. Reports MB/s; asserts nothing. Build it in Release for a meaningful figure.
//   bench_tokenizer <model.gguf | Hugging Face folder with tokenizer.json> [megabytes, default 8]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "hearth/tokenizer.h"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <model.gguf | folder> [megabytes]\n", argv[0]);
        return 2;
    }
    const double megabytes = argc > 2 ? std::atof(argv[2]) : 8.0;

    std::ifstream in(HEARTH_TEST_DATA_DIR "/tokenizer/corpus.json");
    const auto corpus = nlohmann::json::parse(in).at("cases");
    std::string prose;
    for (const auto& c : corpus) {
        const std::string name = c.at("name");
        if (name == "english_prose" || name == "english_contractions" || name == "long_word") prose += c.at("text").get<std::string>() + "\n";
    }
    std::string text;
    while (text.size() < megabytes * 1e6) text += prose;

    const auto load_start = std::chrono::steady_clock::now();
    auto tokenizer = std::filesystem::is_directory(argv[1]) ? hearth::Tokenizer::from_hf_folder(argv[1])
                                                            : hearth::Tokenizer::from_gguf(argv[1]);
    if (!tokenizer) {
        std::fprintf(stderr, "%s\n", tokenizer.error().message.c_str());
        return 1;
    }
    const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();

    (void)tokenizer->encode(prose);  // warm up
    const auto start = std::chrono::steady_clock::now();
    const auto ids = tokenizer->encode(text);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s: loaded in %.3f s; encoded %.1f MB of English prose into %zu tokens in %.3f s: %.1f MB/s\n",
                argv[1], load_s, text.size() / 1e6, ids.size(), seconds, text.size() / 1e6 / seconds);
    return 0;
}
