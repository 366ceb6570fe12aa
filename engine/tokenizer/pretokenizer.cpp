#include "tokenizer/pretokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <array>

#include "common/utf8.h"
#include "tokenizer/utf8_scan.h"

namespace hearth::tokenizer {

namespace {

// The regexes, as Hugging Face tokenizers and llama.cpp (src/llama-vocab.cpp) state them.
// GPT-2's ByteLevel pre-tokenizer.
constexpr const char* k_gpt2 =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
// Llama 3 (tiktoken's cl100k split): numbers in groups of up to three digits.
constexpr const char* k_llama3 =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
// Qwen 2/2.5/3: as Llama 3, but every digit on its own.
constexpr const char* k_qwen2 =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
// HF's Digits(individual_digits) pre-tokenizer, run before GPT-2's regex (SmolLM, StarCoder).
constexpr const char* k_digits = R"(\p{N})";

struct NamedChain {
    std::string_view name;
    std::vector<const char*> patterns;
};

const std::vector<NamedChain>& chains() {
    // NOTE: "default" is what a byte-level GGUF without a better-known pre-tokenizer says; transformers
    // reads it as GPT-2's regex, which is what this uses. (llama.cpp instead runs an older chain of four
    // regexes for it; no model Hearth targets has it.)
    static const std::vector<NamedChain> k_chains = {
        {"gpt-2", {k_gpt2}}, {"gpt2", {k_gpt2}}, {"default", {k_gpt2}}, {"phi-2", {k_gpt2}},
        {"mpt", {k_gpt2}}, {"olmo", {k_gpt2}}, {"jais", {k_gpt2}},
        {"smollm", {k_digits, k_gpt2}}, {"starcoder", {k_digits, k_gpt2}}, {"refact", {k_digits, k_gpt2}},
        {"command-r", {k_digits, k_gpt2}}, {"codeshell", {k_digits, k_gpt2}}, {"exaone", {k_digits, k_gpt2}},
        {"llama-bpe", {k_llama3}}, {"llama3", {k_llama3}}, {"llama-v3", {k_llama3}},
        {"falcon3", {k_llama3}}, {"dbrx", {k_llama3}}, {"smaug-bpe", {k_llama3}},
        {"qwen2", {k_qwen2}}, {"deepseek-r1-qwen", {k_qwen2}}, {"megrez", {k_qwen2}},
    };
    return k_chains;
}

// Per-thread match state: encode() is const and may run on several threads at once.
struct MatchState {
    pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
    pcre2_jit_stack* stack = pcre2_jit_stack_create(32 * 1024, 4 * 1024 * 1024, nullptr);
    pcre2_match_context* context = nullptr;
    MatchState() {
        context = pcre2_match_context_create(nullptr);
        if (context && stack) pcre2_jit_stack_assign(context, nullptr, stack);
    }
    ~MatchState() {
        pcre2_match_context_free(context);
        pcre2_jit_stack_free(stack);
        pcre2_match_data_free(data);
    }
    MatchState(const MatchState&) = delete;
    MatchState& operator=(const MatchState&) = delete;
};

MatchState& match_state() {
    thread_local MatchState state;
    return state;
}

}  // namespace

struct PreTokenizer::Regex {
    pcre2_code* code = nullptr;
    ~Regex() { pcre2_code_free(code); }
};

namespace {

// Cuts well-formed UTF-8 `subject` by regex `level` of the chain, and each piece by the levels below it.
void split_level(const std::vector<std::shared_ptr<const PreTokenizer::Regex>>& chain, std::size_t level,
                 std::string_view subject, std::vector<std::string_view>& pieces) {
    if (level == chain.size()) {
        pieces.push_back(subject);
        return;
    }
    MatchState& state = match_state();
    const auto* bytes = reinterpret_cast<PCRE2_SPTR>(subject.data());
    std::size_t last = 0;  // end of the last piece handed on
    std::size_t pos = 0;   // where the next match may start
    while (pos < subject.size()) {
        const int rc = pcre2_match(chain[level]->code, bytes, subject.size(), pos, PCRE2_NO_UTF_CHECK, state.data,
                                   state.context);
        if (rc < 0) break;  // no further match (a resource error also ends matching: the rest is one piece)
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(state.data);
        const std::size_t begin = ovector[0], end = ovector[1];
        if (end == begin) {  // an empty match cuts nothing; step over one character
            pos = begin + std::max<std::size_t>(1, utf8_char_length(subject, begin));
            continue;
        }
        if (begin > last) split_level(chain, level + 1, subject.substr(last, begin - last), pieces);
        split_level(chain, level + 1, subject.substr(begin, end - begin), pieces);
        last = pos = end;
    }
    if (last < subject.size()) split_level(chain, level + 1, subject.substr(last), pieces);
}

}  // namespace

namespace {

Result<std::shared_ptr<const PreTokenizer::Regex>> compile_regex(const std::string& pattern) {
    int error_code = 0;
    PCRE2_SIZE error_offset = 0;
    auto regex = std::make_shared<PreTokenizer::Regex>();
    regex->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.c_str()), pattern.size(), PCRE2_UTF | PCRE2_UCP,
                                &error_code, &error_offset, nullptr);
    if (!regex->code) {
        std::array<PCRE2_UCHAR, 256> message{};
        pcre2_get_error_message(error_code, message.data(), message.size());
        return Error{"regex " + quoted_for_message(pattern) + " does not compile at offset " +
                     std::to_string(error_offset) + ": " + reinterpret_cast<const char*>(message.data())};
    }
    // Without JIT support (some platforms) pcre2_match() interprets the pattern: slower, same result.
    pcre2_jit_compile(regex->code, PCRE2_JIT_COMPLETE);
    return std::shared_ptr<const PreTokenizer::Regex>(std::move(regex));
}

// Matches of `regex` in well-formed UTF-8 `subject`, offsets shifted by `base`.
void find_in_run(const PreTokenizer::Regex& regex, std::string_view subject, std::size_t base, std::vector<TextRange>& out) {
    MatchState& state = match_state();
    const auto* bytes = reinterpret_cast<PCRE2_SPTR>(subject.data());
    std::size_t pos = 0;
    while (pos < subject.size()) {
        const int rc = pcre2_match(regex.code, bytes, subject.size(), pos, PCRE2_NO_UTF_CHECK, state.data, state.context);
        if (rc < 0) break;
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(state.data);
        const std::size_t begin = ovector[0], end = ovector[1];
        if (end == begin) {
            pos = begin + std::max<std::size_t>(1, utf8_char_length(subject, begin));
            continue;
        }
        out.push_back({base + begin, base + end});
        pos = end;
    }
}

}  // namespace

Result<PreTokenizer> PreTokenizer::from_patterns(const std::vector<std::string>& patterns) {
    PreTokenizer result;
    for (const auto& pattern : patterns) {
        auto regex = compile_regex(pattern);
        if (!regex) return Error{"pre-tokenizer " + regex.error().message};
        result.m_chain.push_back(std::move(regex).value());
    }
    return result;
}

Result<RegexMatcher> RegexMatcher::compile(const std::string& pattern) {
    auto regex = compile_regex(pattern);
    if (!regex) return regex.error();
    RegexMatcher matcher;
    matcher.m_regex = std::move(regex).value();
    return matcher;
}

void RegexMatcher::find_all(std::string_view text, std::vector<TextRange>& out) const {
    std::size_t run_start = 0, i = 0;
    while (i < text.size()) {
        const std::size_t length = utf8_char_length(text, i);
        if (length != 0) {
            i += length;
            continue;
        }
        if (i > run_start) find_in_run(*m_regex, text.substr(run_start, i - run_start), run_start, out);
        run_start = ++i;
    }
    if (i > run_start) find_in_run(*m_regex, text.substr(run_start, i - run_start), run_start, out);
}

std::string_view PreTokenizer::gpt2_pattern() { return k_gpt2; }

Result<PreTokenizer> PreTokenizer::for_gguf_pre(std::string_view pre) {
    for (const auto& chain : chains()) {
        if (chain.name == pre) return from_patterns({chain.patterns.begin(), chain.patterns.end()});
    }
    std::string known;
    for (const auto name : known_names()) known += (known.empty() ? "" : ", ") + std::string(name);
    return Error{"tokenizer.ggml.pre " + quoted_for_message(pre) +
                 " names a pre-tokenizer Hearth does not know (known: " + known + ")"};
}

std::vector<std::string_view> PreTokenizer::known_names() {
    std::vector<std::string_view> names;
    for (const auto& chain : chains()) names.push_back(chain.name);
    return names;
}

void PreTokenizer::split(std::string_view text, std::vector<std::string_view>& pieces) const {
    // Runs of well-formed UTF-8 go through the regexes; each broken byte is a piece on its own.
    std::size_t run_start = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t length = utf8_char_length(text, i);
        if (length != 0) {
            i += length;
            continue;
        }
        if (i > run_start) split_level(m_chain, 0, text.substr(run_start, i - run_start), pieces);
        pieces.push_back(text.substr(i, 1));
        run_start = ++i;
    }
    if (i > run_start) split_level(m_chain, 0, text.substr(run_start, i - run_start), pieces);
}

}  // namespace hearth::tokenizer
