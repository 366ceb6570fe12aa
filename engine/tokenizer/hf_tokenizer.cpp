// Tokenizer::from_hf_folder: a Hugging Face tokenizer.json (+ tokenizer_config.json) checked and turned into
// a Tokenizer. What is supported is what the models Hearth targets use:
//   model           BPE (vocab; merges as "a b" strings or [a, b] pairs; byte_fallback, fuse_unk,
//                   ignore_merges, unk_token; no dropout, subword prefix or word suffix)
//   normalizer      Sequence, Prepend, Replace, Lowercase, Strip, NFC, NFKC, NFD, NFKD
//   pre_tokenizer   Sequence, Split (String or Regex, every behavior, invert), Metaspace, Digits,
//                   Whitespace, WhitespaceSplit, ByteLevel (with or without its regex; last)
//   decoder         Sequence, ByteLevel, Replace (String), ByteFallback, Fuse, Strip, Metaspace
//   post_processor  TemplateProcessing (single), Sequence, ByteLevel, BertProcessing, RobertaProcessing
//   added_tokens    special, lstrip, rstrip, normalized, single_word
// tokenizer_config.json: bos_token, eos_token; add_bos_token / add_eos_token override the post-processor
// (as transformers' Llama and Gemma tokenizers do). Anything else, or a malformed field, is an error that
// names the file and the JSON path.
#include <fstream>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "format/format_error.h"
#include "format/json_text.h"
#include "hearth/tokenizer.h"
#include "tokenizer/tokenizer_impl.h"

namespace hearth {

namespace {

namespace fs = std::filesystem;
using format::FormatError;
using nlohmann::json;
using tokenizer::AddedToken;
using tokenizer::MergeTable;
using tokenizer::NormalizerStep;
using tokenizer::Pattern;
using tokenizer::PreTokenizerStep;
using tokenizer::SplitBehavior;

constexpr std::uintmax_t k_max_file_bytes = std::uintmax_t{1} << 30;

// A JSON value and where it is: the file and the path to it ("model.merges[3]").
struct At {
    const json& value;
    const std::string& file;
    std::string path;

    [[noreturn]] void fail(const std::string& what) const {
        throw FormatError(file + ": " + (path.empty() ? "" : path + " ") + what);
    }
    At operator[](const char* key) const {
        return {value.is_object() && value.contains(key) ? value.at(key) : null_value(), file, join(key)};
    }
    At operator[](int i) const { return (*this)[static_cast<std::size_t>(i)]; }
    At operator[](std::size_t i) const { return {value.at(i), file, path + "[" + std::to_string(i) + "]"}; }
    std::string join(const char* key) const { return path.empty() ? std::string(key) : path + "." + key; }
    bool absent() const { return value.is_null(); }

    const json& object() const {
        if (!value.is_object()) fail(expected("an object"));
        return value;
    }
    const json& array() const {
        if (!value.is_array()) fail(expected("an array"));
        return value;
    }
    std::string string() const {
        if (!value.is_string()) fail(expected("a string"));
        return value.get<std::string>();
    }
    bool boolean(bool fallback) const {
        if (value.is_null()) return fallback;
        if (!value.is_boolean()) fail(expected("true or false"));
        return value.get<bool>();
    }
    std::int64_t integer(std::int64_t min, std::int64_t max) const {
        if (!value.is_number_integer()) fail(expected("an integer"));
        const auto v = value.get<std::int64_t>();
        if (v < min || v > max) fail("is " + std::to_string(v) + ", outside " + std::to_string(min) + "…" + std::to_string(max));
        return v;
    }
    std::string type() const { return (*this)["type"].string(); }
    [[noreturn]] void unsupported(const std::string& what, const std::string& supported) const {
        At{value, file, join("type")}.fail(quoted_for_message(type()) + " is not supported" +
                                           (what.empty() ? "" : " as " + what) + " (supported: " + supported + ")");
    }

    std::string expected(const char* what) const {
        return "must be " + std::string(what) + ", found " + (value.is_null() ? "nothing" : std::string(value.type_name()));
    }
    static const json& null_value() {
        static const json k_null;
        return k_null;
    }
};

std::string read_file(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) throw FormatError(path.string() + ": cannot read: " + ec.message());
    if (size > k_max_file_bytes) throw FormatError(path.string() + ": " + std::to_string(size) + " bytes is too large for a tokenizer file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FormatError(path.string() + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Pattern pattern_of(const At& at) {
    at.object();
    Pattern p;
    if (!at["String"].absent()) {
        p.literal = at["String"].string();
    } else if (!at["Regex"].absent()) {
        auto regex = tokenizer::RegexMatcher::compile(at["Regex"].string());
        if (!regex) at["Regex"].fail(regex.error().message);
        p.regex.emplace(std::move(regex).value());
    } else {
        at.fail("must be {\"String\": …} or {\"Regex\": …}");
    }
    return p;
}

// ---- normalizer ----------------------------------------------------------------------------------------

NormalizerStep normalizer_step(NormalizerStep::Kind kind, std::string text = {}, Pattern pattern = {}) {
    NormalizerStep step;
    step.kind = kind;
    step.text = std::move(text);
    step.pattern = std::move(pattern);
    return step;
}

void add_normalizer(const At& at, std::vector<NormalizerStep>& steps) {
    at.object();
    const std::string type = at.type();
    if (type == "Sequence") {
        const At list = at["normalizers"];
        for (std::size_t i = 0; i < list.array().size(); ++i) add_normalizer(list[i], steps);
    } else if (type == "Prepend") {
        steps.push_back(normalizer_step(NormalizerStep::Kind::prepend, at["prepend"].string()));
    } else if (type == "Replace") {
        steps.push_back(normalizer_step(NormalizerStep::Kind::replace, at["content"].string(), pattern_of(at["pattern"])));
    } else if (type == "Lowercase") {
        steps.push_back(normalizer_step(NormalizerStep::Kind::lowercase));
    } else if (type == "Strip") {
        NormalizerStep step = normalizer_step(NormalizerStep::Kind::strip);
        step.left = at["strip_left"].boolean(true);
        step.right = at["strip_right"].boolean(true);
        steps.push_back(std::move(step));
    } else if (type == "NFC" || type == "NFKC" || type == "NFD" || type == "NFKD") {
        NormalizerStep step = normalizer_step(NormalizerStep::Kind::unicode);
        step.unicode_form = type == "NFC"    ? NormalizationForm::nfc
                            : type == "NFKC" ? NormalizationForm::nfkc
                            : type == "NFD"  ? NormalizationForm::nfd
                                             : NormalizationForm::nfkd;
        steps.push_back(std::move(step));
    } else {
        at.unsupported("a normalizer", "Sequence, Prepend, Replace, Lowercase, Strip, NFC, NFKC, NFD, NFKD");
    }
}

// ---- pre-tokenizer -------------------------------------------------------------------------------------

SplitBehavior behavior_of(const At& at) {
    const std::string name = at.string();
    if (name == "Removed") return SplitBehavior::removed;
    if (name == "Isolated") return SplitBehavior::isolated;
    if (name == "MergedWithPrevious") return SplitBehavior::merged_with_previous;
    if (name == "MergedWithNext") return SplitBehavior::merged_with_next;
    if (name == "Contiguous") return SplitBehavior::contiguous;
    at.fail(quoted_for_message(name) + " is not a split behavior (Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous)");
}

PreTokenizerStep::Prepend prepend_scheme_of(const At& at) {
    if (at["prepend_scheme"].absent()) {
        // Older files: add_prefix_space (true unless stated).
        return at["add_prefix_space"].boolean(true) ? PreTokenizerStep::Prepend::always : PreTokenizerStep::Prepend::never;
    }
    const std::string scheme = at["prepend_scheme"].string();
    if (scheme == "always") return PreTokenizerStep::Prepend::always;
    if (scheme == "first") return PreTokenizerStep::Prepend::first;
    if (scheme == "never") return PreTokenizerStep::Prepend::never;
    at["prepend_scheme"].fail(quoted_for_message(scheme) + " is not a prepend scheme (always, first, never)");
}

PreTokenizerStep split_step(Pattern pattern, SplitBehavior behavior, bool invert = false) {
    PreTokenizerStep step;
    step.kind = PreTokenizerStep::Kind::split;
    step.pattern = std::move(pattern);
    step.behavior = behavior;
    step.invert = invert;
    return step;
}

Pattern regex(const At& at, const std::string& pattern) {
    auto compiled = tokenizer::RegexMatcher::compile(pattern);
    if (!compiled) at.fail(compiled.error().message);
    Pattern p;
    p.regex.emplace(std::move(compiled).value());
    return p;
}

void add_pre_tokenizer(const At& at, tokenizer::HfPreTokenizer& pre) {
    at.object();
    const std::string type = at.type();
    if (pre.byte_level) at.fail("follows a ByteLevel pre-tokenizer; Hearth supports ByteLevel only as the last step");
    if (type == "Sequence") {
        const At list = at["pretokenizers"];
        for (std::size_t i = 0; i < list.array().size(); ++i) add_pre_tokenizer(list[i], pre);
    } else if (type == "Split") {
        pre.steps.push_back(split_step(pattern_of(at["pattern"]), behavior_of(at["behavior"]), at["invert"].boolean(false)));
    } else if (type == "Metaspace") {
        PreTokenizerStep step;
        step.kind = PreTokenizerStep::Kind::metaspace;
        if (!at["replacement"].absent()) step.replacement = at["replacement"].string();
        if (step.replacement.empty()) at["replacement"].fail("must not be empty");
        step.prepend = prepend_scheme_of(at);
        step.split_on_replacement = at["split"].boolean(true);
        pre.steps.push_back(std::move(step));
    } else if (type == "Digits") {
        pre.steps.push_back(split_step(regex(at, "\\p{N}"), at["individual_digits"].boolean(false) ? SplitBehavior::isolated
                                                                                                   : SplitBehavior::contiguous));
    } else if (type == "Whitespace") {
        pre.steps.push_back(split_step(regex(at, "\\w+|[^\\w\\s]+"), SplitBehavior::removed, true));
    } else if (type == "WhitespaceSplit") {
        pre.steps.push_back(split_step(regex(at, "\\s+"), SplitBehavior::removed));
    } else if (type == "ByteLevel") {
        pre.byte_level = true;
        pre.byte_level_prefix_space = at["add_prefix_space"].boolean(true);
        if (at["use_regex"].boolean(true)) {
            auto gpt2 = tokenizer::PreTokenizer::from_patterns({std::string(tokenizer::PreTokenizer::gpt2_pattern())});
            if (!gpt2) at.fail(gpt2.error().message);
            pre.byte_level_regex.emplace(std::move(gpt2).value());
        }
    } else {
        at.unsupported("a pre-tokenizer", "Sequence, Split, Metaspace, Digits, Whitespace, WhitespaceSplit, ByteLevel");
    }
}

// ---- decoder -------------------------------------------------------------------------------------------

struct DecoderStep {
    enum class Kind { byte_level, replace, byte_fallback, strip, metaspace };
    DecoderStep(Kind k, std::string f = {}, std::string t = {}, std::size_t b = 0, std::size_t e = 0)
        : kind(k), from(std::move(f)), to(std::move(t)), start(b), stop(e) {}
    Kind kind;
    std::string from, to;         // replace; metaspace: from = the replacement character
    std::size_t start, stop;      // strip (per token)
};

struct Decoder {
    std::vector<DecoderStep> steps;
    bool fused = false;
    bool strip_first_space = false;
};

void add_decoder(const At& at, Decoder& decoder) {
    at.object();
    const std::string type = at.type();
    if (type == "Sequence") {
        const At list = at["decoders"];
        for (std::size_t i = 0; i < list.array().size(); ++i) add_decoder(list[i], decoder);
    } else if (type == "ByteLevel") {
        decoder.steps.emplace_back(DecoderStep::Kind::byte_level);
    } else if (type == "Replace") {
        const At pattern = at["pattern"];
        if (pattern["String"].absent()) pattern.fail("must be {\"String\": …}: Hearth decodes with literal replacements only");
        decoder.steps.emplace_back(DecoderStep::Kind::replace, pattern["String"].string(), at["content"].string());
    } else if (type == "ByteFallback") {
        decoder.steps.emplace_back(DecoderStep::Kind::byte_fallback);
    } else if (type == "Fuse") {
        decoder.fused = true;
    } else if (type == "Strip") {
        const std::string content = at["content"].string();
        const auto start = static_cast<std::size_t>(at["start"].integer(0, 1 << 20));
        const auto stop = static_cast<std::size_t>(at["stop"].integer(0, 1 << 20));
        if (decoder.fused) {
            // After Fuse, Strip works on the whole text: Llama 2's Strip(" ", 1, 0) drops the space the
            // normalizer put in front.
            if (content != " " || start > 1 || stop != 0) at.fail("after Fuse is supported only as Strip(\" \", 0 or 1, 0)");
            decoder.strip_first_space = decoder.strip_first_space || start == 1;
        } else {
            decoder.steps.emplace_back(DecoderStep::Kind::strip, content, std::string(), start, stop);
        }
    } else if (type == "Metaspace") {
        std::string replacement = at["replacement"].absent() ? "\xE2\x96\x81" : at["replacement"].string();
        decoder.steps.emplace_back(DecoderStep::Kind::metaspace, std::move(replacement), " ");
        if (prepend_scheme_of(at) != PreTokenizerStep::Prepend::never) decoder.strip_first_space = true;
    } else {
        at.unsupported("a decoder", "Sequence, ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace");
    }
}

std::string replace_literal(std::string text, std::string_view from, std::string_view to) {
    if (from.empty()) return text;
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

// The bytes one token decodes to.
std::string decode_token(const Decoder& decoder, std::string text) {
    for (const auto& step : decoder.steps) {
        switch (step.kind) {
        case DecoderStep::Kind::byte_level: text = tokenizer::ByteLevelBpe::unmap(text); break;
        case DecoderStep::Kind::replace:
        case DecoderStep::Kind::metaspace: text = replace_literal(std::move(text), step.from, step.to); break;
        case DecoderStep::Kind::byte_fallback:
            if (const int b = tokenizer::SentencePieceBpe::byte_of(text); b >= 0) text = std::string(1, static_cast<char>(b));
            break;
        case DecoderStep::Kind::strip: {
            std::size_t begin = 0, end = text.size();
            for (std::size_t n = 0; n < step.start && text.compare(begin, step.from.size(), step.from) == 0 && begin < end; ++n)
                begin += step.from.size();
            for (std::size_t n = 0; n < step.stop && end >= begin + step.from.size() &&
                                    text.compare(end - step.from.size(), step.from.size(), step.from) == 0; ++n)
                end -= step.from.size();
            text = text.substr(begin, end - begin);
            break;
        }
        }
    }
    return text;
}

// ---- post-processor ------------------------------------------------------------------------------------

TokenId id_of(const At& at, const tokenizer::Vocab& vocab, const std::string& text) {
    const auto id = vocab.find(text);
    if (!id) at.fail(quoted_for_message(text) + " is not in the vocabulary");
    return *id;
}

void add_post_processor(const At& at, const tokenizer::Vocab& vocab, std::vector<TokenId>& prefix, std::vector<TokenId>& suffix) {
    at.object();
    const std::string type = at.type();
    if (type == "Sequence") {
        const At list = at["processors"];
        for (std::size_t i = 0; i < list.array().size(); ++i) add_post_processor(list[i], vocab, prefix, suffix);
    } else if (type == "ByteLevel") {
        // Offsets only.
    } else if (type == "TemplateProcessing") {
        const At single = at["single"];
        const At special = at["special_tokens"];
        bool seen_sequence = false;
        for (std::size_t i = 0; i < single.array().size(); ++i) {
            const At piece = single[i];
            piece.object();
            if (!piece["Sequence"].absent()) {
                if (piece["Sequence"]["id"].string() != "A") piece["Sequence"]["id"].fail("must be \"A\" in the single template");
                if (seen_sequence) piece.fail("repeats the sequence");
                seen_sequence = true;
                continue;
            }
            const At name = piece["SpecialToken"]["id"];
            const std::string token = name.string();
            std::vector<TokenId> ids;
            const bool listed = !special.absent() && special.object().contains(token);
            const At entry{listed ? special.value.at(token) : At::null_value(), at.file,
                           special.path + "." + token};
            if (entry.absent()) {
                ids.push_back(id_of(name, vocab, token));
            } else {
                const At list = entry["ids"];
                for (std::size_t k = 0; k < list.array().size(); ++k) {
                    const auto id = list[k].integer(0, static_cast<std::int64_t>(vocab.size()) - 1);
                    ids.push_back(static_cast<TokenId>(id));
                }
            }
            auto& into = seen_sequence ? suffix : prefix;
            into.insert(into.end(), ids.begin(), ids.end());
        }
        if (!seen_sequence) single.fail("has no {\"Sequence\": {\"id\": \"A\"}}");
    } else if (type == "BertProcessing" || type == "RobertaProcessing") {
        for (const char* key : {"cls", "sep"}) {
            const At pair = at[key];
            if (pair.array().size() != 2) pair.fail("must be [token, id]");
            const auto id = static_cast<TokenId>(pair[1].integer(0, static_cast<std::int64_t>(vocab.size()) - 1));
            (std::string(key) == "cls" ? prefix : suffix).push_back(id);
        }
    } else {
        at.unsupported("a post-processor", "TemplateProcessing, Sequence, ByteLevel, BertProcessing, RobertaProcessing");
    }
}

// ---- the whole file ------------------------------------------------------------------------------------

// tokenizer_config.json writes special tokens as a string, {"content": "…"} or null.
std::optional<std::string> token_text(const At& at) {
    if (at.absent()) return std::nullopt;
    if (at.value.is_string()) return at.string();
    if (at.value.is_object()) return at["content"].string();
    at.fail(at.expected("a string or {\"content\": …}"));
}

std::shared_ptr<Tokenizer::Impl> load(const fs::path& dir) {
    const std::string file = (dir / "tokenizer.json").string();
    if (!fs::exists(dir / "tokenizer.json")) throw FormatError(file + ": missing; a Hugging Face folder keeps its tokenizer there");
    const json root = format::parse_json(read_file(dir / "tokenizer.json"), file);
    const At top{root, file, ""};
    top.object();

    auto impl = std::make_shared<Tokenizer::Impl>();
    impl->pre_name = "tokenizer.json";

    // The model and its vocabulary.
    const At model = top["model"];
    model.object();
    if (model["type"].absent()) {
        if (model["vocab"].absent() || model["merges"].absent()) model.fail("names no type and is not a BPE model");
    } else if (model.type() != "BPE") {
        model.unsupported("a model", "BPE");
    }
    if (!model["dropout"].absent() && !(model["dropout"].value.is_number() && model["dropout"].value.get<double>() == 0.0))
        model["dropout"].fail("must be null: BPE dropout is for training");
    for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
        if (!model[key].absent() && !model[key].string().empty()) model[key].fail("is not supported (must be null or \"\")");
    }
    const bool byte_fallback = model["byte_fallback"].boolean(false);
    const bool fuse_unknown = model["fuse_unk"].boolean(false);
    const bool ignore_merges = model["ignore_merges"].boolean(false);
    const std::optional<std::string> unknown = model["unk_token"].absent() ? std::nullopt : std::optional(model["unk_token"].string());

    constexpr std::int64_t k_max_id = std::numeric_limits<TokenId>::max() - 1;
    const At vocab_at = model["vocab"];
    std::vector<std::pair<std::string_view, TokenId>> entries;
    entries.reserve(vocab_at.object().size());
    std::int64_t max_id = -1;
    for (const auto& [text, id] : vocab_at.object().items()) {
        const At id_at{id, file, vocab_at.path + "." + quoted_for_message(text)};
        const auto v = id_at.integer(0, k_max_id);
        entries.emplace_back(text, static_cast<TokenId>(v));
        max_id = std::max(max_id, v);
    }
    std::vector<AddedToken> added;
    const At added_at = top["added_tokens"];
    if (!added_at.absent()) {
        for (std::size_t i = 0; i < added_at.array().size(); ++i) {
            const At t = added_at[i];
            t.object();
            AddedToken token;
            token.id = static_cast<TokenId>(t["id"].integer(0, k_max_id));
            token.text = t["content"].string();
            if (token.text.empty()) t["content"].fail("must not be empty");
            token.control = t["special"].boolean(false);
            token.lstrip = t["lstrip"].boolean(false);
            token.rstrip = t["rstrip"].boolean(false);
            token.single_word = t["single_word"].boolean(false);
            max_id = std::max<std::int64_t>(max_id, token.id);
            added.push_back(std::move(token));
        }
    }
    if (max_id < 0) vocab_at.fail("is empty");
    if (max_id > (std::int64_t{1} << 24)) vocab_at.fail("has token id " + std::to_string(max_id) + "; more than 16M tokens is not a real vocabulary");
    const auto n = static_cast<std::size_t>(max_id + 1);
    std::vector<std::string_view> texts(n);
    std::vector<bool> present(n, false);
    for (const auto& [text, id] : entries) {
        if (present[id] && texts[id] != text) {
            vocab_at.fail("gives id " + std::to_string(id) + " to both " + quoted_for_message(texts[id]) + " and " + quoted_for_message(text));
        }
        texts[id] = text;
        present[id] = true;
    }
    std::vector<TokenKind> kinds(n, TokenKind::normal);
    for (const auto& token : added) {
        texts[token.id] = token.text;  // an added token's content is its text, as tokenizers' id_to_token says
        present[token.id] = true;
        kinds[token.id] = token.control ? TokenKind::control : TokenKind::user_defined;
    }
    if (unknown) {
        for (std::size_t id = 0; id < n; ++id) {
            if (present[id] && texts[id] == *unknown) {
                if (kinds[id] == TokenKind::normal) kinds[id] = TokenKind::unknown;
                break;
            }
        }
    }
    std::size_t total_bytes = 0;
    for (std::size_t id = 0; id < n; ++id) {
        if (!present[id]) kinds[id] = TokenKind::unused;  // a gap in the ids: never produced
        else if (byte_fallback && kinds[id] == TokenKind::normal && tokenizer::SentencePieceBpe::byte_of(texts[id]) >= 0) kinds[id] = TokenKind::byte;
        total_bytes += texts[id].size();
    }
    if (total_bytes > std::numeric_limits<std::uint32_t>::max() / 2) vocab_at.fail("is too large");
    impl->vocab.reserve(n, total_bytes);
    for (std::size_t id = 0; id < n; ++id) impl->vocab.add(texts[id], kinds[id], 0.0f);
    impl->vocab.build_index();
    const TokenId unknown_id = unknown ? id_of(model["unk_token"], impl->vocab, *unknown) : -1;

    // Merges, by rank.
    MergeTable merges;
    const At merges_at = model["merges"];
    const json& merge_list = merges_at.array();
    merges.reserve(merge_list.size());
    std::string joined;
    for (std::size_t rank = 0; rank < merge_list.size(); ++rank) {
        const At m = merges_at[rank];
        std::string left, right;
        if (m.value.is_string()) {
            const std::string s = m.string();
            const std::size_t space = s.find(' ');
            if (space == std::string::npos || space == 0 || space + 1 == s.size() || s.find(' ', space + 1) != std::string::npos)
                m.fail("is not two tokens separated by a space");
            left = s.substr(0, space);
            right = s.substr(space + 1);
        } else if (m.value.is_array() && m.value.size() == 2) {
            left = m[0].string();
            right = m[1].string();
        } else {
            m.fail("must be \"left right\" or [left, right]");
        }
        const TokenId left_id = impl->vocab.lookup(left), right_id = impl->vocab.lookup(right);
        if (left_id < 0) m.fail("names unknown token " + quoted_for_message(left));
        if (right_id < 0) m.fail("names unknown token " + quoted_for_message(right));
        joined = left + right;
        const TokenId result = impl->vocab.lookup(joined);
        if (result < 0) m.fail("makes " + quoted_for_message(joined) + ", which is not in the vocabulary");
        merges.add(left_id, right_id, static_cast<std::int32_t>(rank), result);
    }

    // The pipeline.
    tokenizer::HfPipeline& hf = impl->hf.emplace();
    if (!top["normalizer"].absent()) add_normalizer(top["normalizer"], hf.normalizer.steps);
    if (!top["pre_tokenizer"].absent()) add_pre_tokenizer(top["pre_tokenizer"], hf.pre_tokenizer);
    if (hf.pre_tokenizer.byte_level) {
        impl->kind = TokenizerKind::byte_level_bpe;
        impl->byte_level.emplace(impl->vocab, std::move(merges), ignore_merges);
    } else {
        impl->kind = TokenizerKind::sentencepiece_bpe;
        hf.char_bpe.emplace(impl->vocab, std::move(merges), byte_fallback, unknown_id, fuse_unknown, ignore_merges);
    }
    std::vector<AddedToken> raw, normalized;
    for (std::size_t i = 0; i < added.size(); ++i) {
        const bool is_normalized = added_at[i]["normalized"].boolean(!added[i].control);
        (is_normalized && !hf.normalizer.empty() ? normalized : raw).push_back(added[i]);
    }
    impl->special_tokens.emplace(raw);
    if (!normalized.empty()) hf.normalized_added.emplace(normalized);

    Decoder decoder;
    if (!top["decoder"].absent()) add_decoder(top["decoder"], decoder);
    impl->strip_first_space = decoder.strip_first_space;
    for (std::size_t id = 0; id < n; ++id) impl->add_decoded(decode_token(decoder, std::string(texts[id])));

    if (!top["post_processor"].absent()) add_post_processor(top["post_processor"], impl->vocab, impl->prefix, impl->suffix);

    // tokenizer_config.json: the names of BOS and EOS, and whether to add them.
    const fs::path config_path = dir / "tokenizer_config.json";
    if (fs::exists(config_path)) {
        const std::string config_file = config_path.string();
        const json config = format::parse_json(read_file(config_path), config_file);
        const At c{config, config_file, ""};
        c.object();
        if (const auto bos = token_text(c["bos_token"])) impl->bos = id_of(c["bos_token"], impl->vocab, *bos);
        if (const auto eos = token_text(c["eos_token"])) impl->eos = id_of(c["eos_token"], impl->vocab, *eos);
        if (!c["add_bos_token"].absent()) {
            impl->prefix.clear();
            if (c["add_bos_token"].boolean(false)) {
                if (!impl->bos) c["add_bos_token"].fail("is true, but there is no bos_token");
                impl->prefix.push_back(*impl->bos);
            }
        }
        if (!c["add_eos_token"].absent()) {
            impl->suffix.clear();
            if (c["add_eos_token"].boolean(false)) {
                if (!impl->eos) c["add_eos_token"].fail("is true, but there is no eos_token");
                impl->suffix.push_back(*impl->eos);
            }
        }
    }
    if (!impl->bos && impl->prefix.size() == 1) impl->bos = impl->prefix.front();
    if (!impl->eos && impl->suffix.size() == 1) impl->eos = impl->suffix.front();
    return impl;
}

}  // namespace

Result<Tokenizer> Tokenizer::from_hf_folder(const std::filesystem::path& dir) {
    try {
        return Tokenizer(load(dir));
    } catch (const FormatError& e) {
        return Error{e.what()};
    } catch (const std::bad_alloc&) {
        return Error{(dir / "tokenizer.json").string() + ": out of memory while loading"};
    }
}

}  // namespace hearth
