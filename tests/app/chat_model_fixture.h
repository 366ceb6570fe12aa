#pragma once
// A tiny model that can chat: the tiny_models fixture's hf/llama-f32 weights and config, plus a
// tokenizer.json and a ChatML template written here.
//
// NOTE: the generated tiny GGUF files carry no tokenizer.ggml.merges (GGUF cannot hold an empty array), so
// the engine refuses chat messages on them ("chat messages need a tokenizer"), and the tiny HF folders
// have no tokenizer.json. This byte-level BPE vocabulary has one token per byte (id = byte value, GPT-2's
// byte-to-character mapping, no merges), so every id fits the model's 256-token vocabulary.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace chat_fixture {

inline QJsonObject byteVocabulary()
{
    // GPT-2's bytes_to_unicode(): printable bytes map to themselves, the others to U+0100 onwards.
    QList<int> bytes;
    for (int b = '!'; b <= '~'; ++b) bytes << b;
    for (int b = 0xA1; b <= 0xAC; ++b) bytes << b;
    for (int b = 0xAE; b <= 0xFF; ++b) bytes << b;
    QList<int> chars = bytes;
    int extra = 0;
    for (int b = 0; b < 256; ++b)
        if (!bytes.contains(b)) {
            bytes << b;
            chars << 256 + extra++;
        }
    QJsonObject vocab;
    for (int i = 0; i < bytes.size(); ++i)
        vocab.insert(QString(QChar(chars.at(i))), bytes.at(i));
    return vocab;
}

inline bool writeJson(const QString& path, const QJsonObject& object)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(object).toJson()) > 0;
}

// Writes the model into `dir`/tiny-chat and returns that folder, or an empty string on failure.
inline QString make(const QString& dir)
{
    const QString source = QStringLiteral(HEARTH_FIXTURES_DIR "/models/hf/llama-f32/");
    const QString target = dir + QStringLiteral("/tiny-chat/");
    if (!QDir().mkpath(target))
        return {};
    for (const char* name : {"config.json", "generation_config.json", "model.safetensors"})
        if (!QFile::exists(target + QLatin1String(name)) &&
            !QFile::copy(source + QLatin1String(name), target + QLatin1String(name)))
            return {};

    const QJsonObject byteLevel{{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true},
                                {"use_regex", false}};
    const QJsonObject split{
        {"type", "Split"},
        {"pattern", QJsonObject{{"Regex", QStringLiteral("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|"
                                                         "\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+")}}},
        {"behavior", "Isolated"},
        {"invert", false}};
    const QJsonObject tokenizer{
        {"version", "1.0"},
        {"truncation", QJsonValue::Null},
        {"padding", QJsonValue::Null},
        {"added_tokens", QJsonArray{}},
        {"normalizer", QJsonValue::Null},
        {"pre_tokenizer", QJsonObject{{"type", "Sequence"}, {"pretokenizers", QJsonArray{split, byteLevel}}}},
        {"post_processor", QJsonValue::Null},
        {"decoder", QJsonObject{{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true},
                                {"use_regex", true}}},
        {"model", QJsonObject{{"type", "BPE"},
                              {"dropout", QJsonValue::Null},
                              {"unk_token", QJsonValue::Null},
                              {"continuing_subword_prefix", QJsonValue::Null},
                              {"end_of_word_suffix", QJsonValue::Null},
                              {"fuse_unk", false},
                              {"byte_fallback", false},
                              {"ignore_merges", false},
                              {"vocab", byteVocabulary()},
                              {"merges", QJsonArray{}}}},
    };
    const QJsonObject config{
        {"tokenizer_class", "PreTrainedTokenizerFast"},
        {"chat_template", QStringLiteral("{% for message in messages %}"
                                         "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
                                         "{% endfor %}"
                                         "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")},
    };
    if (!writeJson(target + QStringLiteral("tokenizer.json"), tokenizer) ||
        !writeJson(target + QStringLiteral("tokenizer_config.json"), config))
        return {};
    return QDir::cleanPath(target);
}

}  // namespace chat_fixture
