// A Hugging Face tokenizer.json is untrusted (it comes with a downloaded model): each input is written as
// tokenizer.json into a scratch folder and loaded with Tokenizer::from_hf_folder; when it loads, a few
// texts (control-token text, byte-fallback material, invalid UTF-8) are encoded with and without
// control-token parsing and decoded again; one of them holds what Unicode normalizers change (marks out of
// order, Hangul jamo, a ligature, a singleton). An Error is the only allowed failure to load; a crash, a
// sanitizer report, an escaping exception, a hang (-timeout) or an id outside the vocabulary is a finding.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "fuzz_common.h"
#include "hearth/tokenizer.h"

using namespace hearth;
namespace fs = std::filesystem;

namespace {

const fs::path& scratch_folder() {
    static const fs::path folder = [] {
        fs::path dir = fs::temp_directory_path() / ("hearth-fuzz-tokenizer-" + std::to_string(::getpid()));
        fs::create_directories(dir);
        return dir;
    }();
    return folder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    {
        std::ofstream out(scratch_folder() / "tokenizer.json", std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    auto tokenizer = Tokenizer::from_hf_folder(scratch_folder());
    if (!tokenizer) return 0;
    static const std::string texts[] = {
        "Hello, world! <|im_start|>user\n<s></s><unk> 世界 👋🏽 \t\t  x",
        std::string("bad utf-8: \xff\xfe\xc3 end", 19),
        std::string(300, ' ') + "1234567890123",
        "cafe\u0301 q\u0307\u0323 \u1100\u1161\u11a8 \ufb01 \u212b \u0344 \U00011935\U00011930",
    };
    for (const std::string& text : texts) {
        for (bool parse_special : {false, true}) {
            EncodeOptions options;
            options.parse_special = parse_special;
            options.add_bos = true;
            options.add_eos = true;
            const auto ids = tokenizer->encode(text, options);
            for (TokenId id : ids) HEARTH_FUZZ_CHECK(id >= 0 && static_cast<std::size_t>(id) < tokenizer->size());
            (void)tokenizer->decode(ids);
        }
    }
    return 0;
}
