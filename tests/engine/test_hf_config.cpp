// config.json and generation_config.json as transformers writes them, and the errors for broken ones.
#include <QtTest/QTest>

#include "format/format_error.h"
#include "format/hf_config.h"

using namespace hearth;
using namespace hearth::format;

namespace {

ModelInfo apply(const std::string& json) {
    ModelInfo info;
    apply_hf_config(json, "config.json", info);
    return info;
}

QString error_of(const std::string& json) {
    try {
        (void)apply(json);
    } catch (const FormatError& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

const char* k_llama31 = R"({
  "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 2048, "intermediate_size": 8192,
  "num_hidden_layers": 16, "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64,
  "vocab_size": 128256, "max_position_embeddings": 131072, "rms_norm_eps": 1e-05, "rope_theta": 500000.0,
  "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                   "original_max_position_embeddings": 8192, "rope_type": "llama3"},
  "tie_word_embeddings": true, "torch_dtype": "bfloat16"})";

}  // namespace

class TestHfConfig : public QObject {
    Q_OBJECT

private slots:
    void llama31() {
        const auto info = apply(k_llama31);
        QCOMPARE(info.architecture, std::string("llama"));
        QCOMPARE(info.architecture_class, std::string("LlamaForCausalLM"));
        QCOMPARE(info.n_layers, 16);
        QCOMPARE(info.hidden_size, 2048);
        QCOMPARE(info.ffn_size, 8192);
        QCOMPARE(info.n_heads, 32);
        QCOMPARE(info.n_kv_heads, 8);
        QCOMPARE(info.head_dim, 64);
        QCOMPARE(info.vocab_size, 128256);
        QCOMPARE(info.context_length, 131072);
        QCOMPARE(info.rope.theta, 500000.0);
        QCOMPARE(info.rope.scaling_type, std::string("llama3"));
        QCOMPARE(info.rope.scaling_factor, 32.0);
        QCOMPARE(info.rope.low_freq_factor.value(), 1.0);
        QCOMPARE(info.rope.high_freq_factor.value(), 4.0);
        QCOMPARE(info.rope.original_context_length.value(), 8192);
        QVERIFY(info.tied_embeddings);
        QCOMPARE(info.declared_dtype, std::string("bfloat16"));
        QCOMPARE(info.quantization.method, std::string("none"));
    }

    void defaultsFollowTransformers() {
        // No num_key_value_heads: MHA. No head_dim: hidden / heads. dtype under its transformers-5 name.
        const auto info = apply(R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2,
                                    "num_attention_heads": 4, "dtype": "float16"})");
        QCOMPARE(info.n_kv_heads, 4);
        QCOMPARE(info.head_dim, 16);
        QCOMPARE(info.rope.theta, 10000.0);
        QVERIFY(!info.tied_embeddings);
        QCOMPARE(info.declared_dtype, std::string("float16"));
    }

    void qwen2SlidingWindowOffWhenNotUsed() {
        const auto info = apply(R"({"model_type": "qwen2", "hidden_size": 64, "num_hidden_layers": 2,
            "num_attention_heads": 4, "num_key_value_heads": 2, "sliding_window": 32768, "use_sliding_window": false})");
        QCOMPARE(info.attention.sliding_window, 0);
    }

    void gemma3MultimodalUsesTextConfig() {
        const auto info = apply(R"({"architectures": ["Gemma3ForConditionalGeneration"], "model_type": "gemma3",
            "text_config": {"model_type": "gemma3_text", "hidden_size": 2560, "num_hidden_layers": 12,
               "num_attention_heads": 8, "num_key_value_heads": 4, "head_dim": 256, "sliding_window": 1024,
               "sliding_window_pattern": 6, "rope_local_base_freq": 10000.0, "rope_theta": 1000000.0,
               "query_pre_attn_scalar": 256, "final_logit_softcapping": null},
            "vision_config": {"hidden_size": 1152}, "torch_dtype": "bfloat16"})");
        QCOMPARE(info.architecture, std::string("gemma3"));
        QCOMPARE(info.architecture_class, std::string("Gemma3ForConditionalGeneration"));
        QCOMPARE(info.hidden_size, 2560);
        QCOMPARE(info.head_dim, 256);
        QCOMPARE(info.attention.sliding_window, 1024);
        QCOMPARE(info.attention.layer_types.size(), std::size_t{12});
        QCOMPARE(info.attention.layer_types[4], std::string("sliding_attention"));
        QCOMPARE(info.attention.layer_types[5], std::string("full_attention"));
        QCOMPARE(info.rope.local_theta.value(), 10000.0);
        QCOMPARE(info.attention.query_pre_attn_scalar.value(), 256.0);
        QVERIFY(!info.attention.final_logit_softcapping);
        QVERIFY(info.tied_embeddings);  // Gemma's default
    }

    void explicitLayerTypes() {
        const auto info = apply(R"({"model_type": "gemma3_text", "hidden_size": 64, "num_hidden_layers": 2,
            "num_attention_heads": 4, "sliding_window": 8, "layer_types": ["sliding_attention", "full_attention"]})");
        QCOMPARE(info.attention.layer_types, (std::vector<std::string>{"sliding_attention", "full_attention"}));
    }

    void llama4ChunkedAttention() {
        const auto info = apply(R"({"model_type": "llama4", "text_config": {"model_type": "llama4_text",
            "hidden_size": 64, "num_hidden_layers": 4, "num_attention_heads": 4, "num_key_value_heads": 1,
            "attention_chunk_size": 8192, "no_rope_layers": [1, 1, 1, 0], "num_local_experts": 16,
            "num_experts_per_tok": 1, "intermediate_size": 128}})");
        QCOMPARE(info.architecture, std::string("llama4"));
        QCOMPARE(info.attention.chunk_size, 8192);
        QCOMPARE(info.attention.layer_types,
                 (std::vector<std::string>{"chunked_attention", "chunked_attention", "chunked_attention", "full_attention"}));
        QCOMPARE(info.moe.n_experts, 16);
        QCOMPARE(info.moe.n_experts_used, 1);
    }

    void mixtralMoe() {
        const auto info = apply(R"({"model_type": "mixtral", "hidden_size": 64, "num_hidden_layers": 2,
            "num_attention_heads": 4, "num_local_experts": 8, "num_experts_per_tok": 2, "intermediate_size": 224})");
        QCOMPARE(info.moe.n_experts, 8);
        QCOMPARE(info.moe.n_experts_used, 2);
        QCOMPARE(info.moe.expert_ffn_size, 224);
    }

    void quantizationConfigs_data() {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("group_size");
        QTest::newRow("gptq") << R"({"quant_method": "gptq", "bits": 4, "group_size": 128, "desc_act": true, "sym": true})"
                              << "gptq" << "gptq" << 4 << 128;
        QTest::newRow("gptq per channel") << R"({"quant_method": "gptq", "bits": 8, "group_size": -1, "desc_act": false})"
                                          << "gptq" << "gptq" << 8 << -1;
        QTest::newRow("awq") << R"({"quant_method": "awq", "bits": 4, "group_size": 128, "version": "gemm", "zero_point": true})"
                             << "awq" << "gemm" << 4 << 128;
        QTest::newRow("bnb nf4") << R"({"quant_method": "bitsandbytes", "load_in_4bit": true, "bnb_4bit_quant_type": "nf4",
                                        "llm_int8_skip_modules": ["lm_head"]})"
                                 << "bitsandbytes" << "nf4" << 4 << 64;
        QTest::newRow("fp8 blocks") << R"({"quant_method": "fp8", "fmt": "e4m3", "activation_scheme": "dynamic",
                                           "weight_block_size": [128, 128]})"
                                    << "fp8" << "e4m3, blocks [128,128]" << 8 << 0;
        QTest::newRow("unknown method") << R"({"quant_method": "hqq", "bits": 3})" << "hqq" << "" << 3 << 0;
    }
    void quantizationConfigs() {
        QFETCH(QString, config);
        QFETCH(QString, method);
        QFETCH(QString, scheme);
        QFETCH(int, bits);
        QFETCH(int, group_size);
        const auto info = apply(R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2,
            "num_attention_heads": 4, "quantization_config": )" + config.toStdString() + "}");
        QCOMPARE(QString::fromStdString(info.quantization.method), method);
        QCOMPARE(QString::fromStdString(info.quantization.scheme), scheme);
        QCOMPARE(info.quantization.bits, bits);
        QCOMPARE(info.quantization.group_size, group_size);
        QVERIFY(!info.quantization.parameters.empty());
    }

    void gptqAndBnbDetails() {
        const auto gptq = apply(R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
            "quantization_config": {"quant_method": "gptq", "bits": 4, "group_size": 128, "desc_act": true, "sym": false}})");
        QCOMPARE(gptq.quantization.desc_act.value(), true);
        QCOMPARE(gptq.quantization.sym.value(), false);
        const auto bnb = apply(R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
            "quantization_config": {"quant_method": "bitsandbytes", "load_in_4bit": true, "llm_int8_skip_modules": ["lm_head", "vision_tower"]}})");
        QCOMPARE(bnb.quantization.modules_not_converted, (std::vector<std::string>{"lm_head", "vision_tower"}));
        QCOMPARE(bnb.quantization.scheme, std::string("fp4"));  // bitsandbytes' default 4-bit type
    }

    void generationConfig() {
        ModelInfo info;
        apply_generation_config(R"({"temperature": 0.6, "top_p": 0.9, "top_k": 40, "eos_token_id": [128001, 128009]})",
                                "generation_config.json", info);
        QCOMPARE(info.generation.temperature.value(), 0.6);
        QCOMPARE(info.generation.top_k.value(), 40);
        QCOMPARE(info.generation.eos_ids, (std::vector<std::int64_t>{128001, 128009}));
        QVERIFY_THROWS_EXCEPTION(FormatError,
            apply_generation_config(R"({"eos_token_id": "x"})", "generation_config.json", info));
    }

    void errors_data() {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("expected");
        const QString base = R"("model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4)";
        QTest::newRow("not JSON") << "{\"model_type\": " << "config.json: not valid JSON";
        QTest::newRow("not an object") << "[]" << "expected a JSON object, found array";
        QTest::newRow("no model_type") << R"({"hidden_size": 64})" << "'model_type' is missing";
        QTest::newRow("no hidden_size") << R"({"model_type": "llama", "num_hidden_layers": 2, "num_attention_heads": 4})"
                                        << "'hidden_size' is missing; expected a positive integer";
        QTest::newRow("layers as string") << R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": "2", "num_attention_heads": 4})"
                                          << "'num_hidden_layers' must be an integer, found \"2\"";
        QTest::newRow("zero heads") << R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 0})"
                                    << "'num_attention_heads' must be a positive integer, found 0";
        QTest::newRow("kv heads not a divisor") << "{" + base + R"(, "num_key_value_heads": 3})"
                                                << "'num_key_value_heads' is 3; expected a divisor of num_attention_heads (4)";
        QTest::newRow("rope_theta as string") << "{" + base + R"(, "rope_theta": "1e6"})" << "'rope_theta' must be a number";
        QTest::newRow("rope_scaling factor as string") << "{" + base + R"(, "rope_scaling": {"rope_type": "linear", "factor": "2"}})"
                                                       << "'rope_scaling.factor' must be a number";
        QTest::newRow("layer_types too short") << "{" + base + R"(, "layer_types": ["full_attention"]})"
                                               << "'layer_types' lists 1 layers, but num_hidden_layers is 2";
        QTest::newRow("text_config.hidden_size wrong") << R"({"model_type": "gemma3", "text_config": {"model_type": "gemma3_text", "hidden_size": -1}})"
                                                       << "'text_config.hidden_size' must be a positive integer, found -1";
        QTest::newRow("2^32 layers") << R"({"model_type": "a", "hidden_size": 1, "num_hidden_layers": 4000000000,
            "num_attention_heads": 1, "sliding_window": 1, "sliding_window_pattern": 1})"
                                     << "'num_hidden_layers' must be at most 4096, found 4000000000";
        QTest::newRow("nested 100000 deep") << QString(R"({"model_type": "a", "quantization_config": {"quant_method": "x", "k": )") +
                                                   QString(100000, '[') + QString(100000, ']') + "}}"
                                            << "config.json: nests JSON deeper than 64 levels";
        QTest::newRow("quantization without method") << "{" + base + R"(, "quantization_config": {"bits": 4}})"
                                                     << "'quantization_config' has no 'quant_method'";
    }
    void errors() {
        QFETCH(QString, config);
        QFETCH(QString, expected);
        const QString error = error_of(config.toStdString());
        QVERIFY2(!error.isEmpty(), "the broken config was accepted");
        QVERIFY2(error.startsWith("config.json: "), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(QString("expected '%1' in: %2").arg(expected, error)));
    }
};

QTEST_GUILESS_MAIN(TestHfConfig)
#include "test_hf_config.moc"
