// The five field failures of DESIGN.md (S1–S5) as fixtures: checkpoints written here with real safetensors
// files and config.json (read back through inspect(), so detection comes from the files alone), planned on
// the hardware each report involved, and loaded where the CPU engine can run them.
#include <QtTest/QTest>

#include <QTemporaryDir>
#include <cmath>
#include <random>

#include "hearth/language_model.h"
#include "plan_models.h"

using namespace hearth;
using namespace plan_test;

namespace {

std::filesystem::path fixture(const char* name) { return std::filesystem::path(HEARTH_FIXTURES_DIR) / "models" / name; }

nlohmann::json base_config(const char* model_type, const Shape& s, const char* dtype) {
    return {{"architectures", {"LlamaForCausalLM"}}, {"model_type", model_type}, {"hidden_size", s.hidden},
            {"num_hidden_layers", s.layers}, {"num_attention_heads", s.heads}, {"num_key_value_heads", s.kv_heads},
            {"intermediate_size", s.ffn}, {"vocab_size", s.vocab}, {"max_position_embeddings", 2048},
            {"rms_norm_eps", 1e-5}, {"torch_dtype", dtype}, {"tie_word_embeddings", false}};
}

// Random small weights (norms 1) in the tensor's type; enough for a forward pass to be finite.
void random_fill(const TensorInfo& t, std::vector<char>& bytes) {
    std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>{}(t.name)));
    std::normal_distribution<float> normal(0.0f, 0.05f);
    const bool norm = t.shape.size() == 1;
    for (std::uint64_t i = 0; i < t.n_elements && !bytes.empty(); ++i) {
        const float v = norm ? 1.0f : normal(rng);
        if (t.type == TensorType::F32) std::memcpy(bytes.data() + 4 * i, &v, 4);
        else if (t.type == TensorType::BF16) {
            const std::uint16_t b = bf16_bits(v);
            std::memcpy(bytes.data() + 2 * i, &b, 2);
        } else if (bytes.size() >= t.n_elements) {
            bytes[i] = static_cast<char>(rng() & 0xFF);
        }
    }
}

const KernelChoice* kernel(const LoadPlan& p, const std::string& kind) {
    for (const KernelChoice& k : p.kernels)
        if (k.layer_kind == kind) return &k;
    return nullptr;
}

}  // namespace

class TestSeedCases : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    // S1: a BF16 mixture-of-experts checkpoint with f16 requested resolves FP16 for every tensor and kernel
    // (experts, router, norms included) and counts the planted out-of-range values; auto keeps BF16 on an
    // RTX 3090 and picks FP16 on a V100. The engine has no expert layers yet: the plan says so (refusal).
    void s1MoeBf16ToF16() {
        const Shape s{.arch = "mixtral", .layers = 2, .experts = 4};
        const ModelInfo m = make_model(s);
        nlohmann::json config = base_config("mixtral", s, "bfloat16");
        config["architectures"] = {"MixtralForCausalLM"};
        config["num_local_experts"] = 4;
        config["num_experts_per_tok"] = 2;
        int planted = 0;
        const ModelInfo written = write_folder(std::filesystem::path(m_dir.path().toStdString()) / "s1", m, config, [&](const TensorInfo& t, std::vector<char>& b) {
            random_fill(t, b);
            // One huge value in an expert, in the router and in a norm: all three are converted.
            if (t.name == "model.layers.1.block_sparse_moe.experts.3.w2.weight" ||
                t.name == "model.layers.0.block_sparse_moe.gate.weight" || t.name == "model.layers.1.input_layernorm.weight") {
                const std::uint16_t big = bf16_bits(t.name.ends_with("gate.weight") ? -3.0e5f : 1.0e6f);
                std::memcpy(b.data() + 2 * 5, &big, 2);
                ++planted;
            }
        });
        QCOMPARE(written.moe.n_experts, std::int64_t(4));

        LoadOptions o = simulated();
        o.weights = WeightsDtype::f16;
        o.scan_fp16_range = true;
        const LoadPlan p = plan(written, profile("h100"), o);
        check_texts(p);
        QCOMPARE(p.weights_type, TensorType::F16);
        QCOMPARE(p.compute_type, TensorType::F16);
        QCOMPARE(p.kv_cache_type, TensorType::F16);
        for (const char* kind : {"experts", "router", "norms", "attention-projections", "embedding", "lm-head"}) {
            const KernelChoice* k = kernel(p, kind);
            QVERIFY2(k, kind);
            QCOMPARE(k->weights, std::string("F16"));
            QVERIFY2(k->path.ends_with("f16"), k->path.c_str());
        }
        for (const KernelChoice& k : p.kernels) QVERIFY2(k.weights.find("BF16") == std::string::npos, k.layer_kind.c_str());
        QCOMPARE(kernel(p, "experts")->count, std::int64_t(2 * 4 * 3));
        const Finding* range = p.find("fp16-range");
        QVERIFY(range && range->severity == Severity::warning);
        QCOMPARE(range->arg("count"), std::string_view(std::to_string(planted)));
        const Finding* moe = p.find("arch-unsupported");
        QVERIFY(moe && moe->arg("experts") == "4");
        QVERIFY2(!p.find("tensor-missing") && !p.find("tensor-unexpected"), qPrintable(codes(p)));

        LoadOptions auto_options = simulated();
        QCOMPARE(plan(written, profile("rtx3090"), auto_options).weights_type, TensorType::BF16);
        const LoadPlan v100 = plan(written, profile("v100"), auto_options);
        QCOMPARE(v100.weights_type, TensorType::F16);
        QVERIFY(v100.find("bf16-unsupported"));
        // The CPU engine refuses it at load too, with the same reason and no crash.
        auto loaded = LanguageModel::load(written);
        QVERIFY(!loaded);
        QVERIFY(!loaded.error().message.empty());
    }

    // S2: Llama-4-style attention (chunked local attention in every layer but every fourth, which is global
    // and has no RoPE) with an FP8 KV cache on a T4: planned with attention-chunked, every layer's attention
    // path supports its variant; on the CPU it loads and runs with an FP8 cache.
    void s2ChunkedAttentionFp8OnT4() {
        const Shape s{.dtype = TensorType::F32, .layers = 8};
        nlohmann::json config = base_config("llama", s, "float32");
        config["attention_chunk_size"] = 4;
        config["no_rope_layers"] = {1, 1, 1, 0, 1, 1, 1, 0};
        const ModelInfo written = write_folder(std::filesystem::path(m_dir.path().toStdString()) / "s2", make_model(s), config, random_fill);
        QCOMPARE(written.attention.layer_types[3], std::string("full_attention"));

        LoadOptions o = simulated();
        o.kv = KvDtype::fp8_e4m3;
        const LoadPlan p = plan(written, profile("t4"), o);
        check_texts(p);
        QVERIFY2(!p.refused(), qPrintable(codes(p)));
        const Finding* f = p.find("attention-chunked");
        QVERIFY(f && f->arg("chunked") == "6" && f->arg("global") == "2");
        const KernelChoice* chunked = kernel(p, "attention (chunked)");
        const KernelChoice* global = kernel(p, "attention (full, no RoPE)");
        QVERIFY(chunked && global);
        QCOMPARE(chunked->count, std::int64_t(6));
        QCOMPARE(global->count, std::int64_t(2));
        QCOMPARE(chunked->path, std::string("cuda-paged-tiled-sm60"));  // T4 is below 8.0: the tiled path
        QCOMPARE(global->path, chunked->path);
        QCOMPARE(chunked->weights, std::string("F8_E4M3"));

        LoadOptions cpu;
        cpu.kv = KvDtype::fp8_e4m3;
        LoadPlan on_cpu = plan(written, profile("cpu"), cpu);
        QVERIFY2(!on_cpu.refused(), qPrintable(codes(on_cpu)));
        ModelLoadOptions load;
        load.context_length = 64;
        load.kv_cache_type = on_cpu.kv_cache_type;
        auto model_loaded = LanguageModel::load(on_cpu.model, load);
        QVERIFY2(model_loaded, model_loaded ? "" : model_loaded.error().message.c_str());
        auto session = (*model_loaded)->start_session();
        QVERIFY(session);
        std::vector<TokenId> tokens;
        for (int i = 0; i < 20; ++i) tokens.push_back((i * 37) % 256);  // past several chunks of 4
        bool finite = true;
        auto ok = (*session)->append(tokens, Session::Logits::all, [&](std::int64_t, std::span<const float> logits) {
            for (float v : logits) finite = finite && std::isfinite(v);
        });
        QVERIFY(ok);
        QVERIFY(finite);
    }

    // S3: a pre-quantized bitsandbytes nf4 checkpoint (packed uint8 weights with absmax, quant_map and
    // quant_state tensors) on a V100: detected from quantization_config with no flag, FP16 compute (the
    // checkpoint declares BF16), and until the nf4 kernel exists a quant-unsupported refusal; no tensor is
    // reported missing. Loading it anyway fails with a message, never a crash.
    void s3BitsandbytesNf4OnV100() {
        const Shape s{.dtype = TensorType::BF16};
        ModelInfo m = make_model(s);
        std::vector<TensorInfo> tensors;
        ModelInfo scratch;
        for (const TensorInfo& t : m.tensors) {
            if (!(t.shape.size() == 2 && t.name.ends_with("_proj.weight"))) {
                tensors.push_back(t);
                continue;
            }
            const std::int64_t n = t.shape[0] * t.shape[1];
            scratch.tensors.clear();
            add_tensor(scratch, t.name, TensorType::U8, {n / 2, 1});
            add_tensor(scratch, t.name + ".absmax", TensorType::F32, {n / 64});
            add_tensor(scratch, t.name + ".quant_map", TensorType::F32, {16});
            add_tensor(scratch, t.name + ".quant_state.bitsandbytes__nf4", TensorType::U8, {80});
            for (auto& q : scratch.tensors) tensors.push_back(q);
        }
        m.tensors = tensors;
        nlohmann::json config = base_config("llama", s, "bfloat16");
        config["quantization_config"] = {{"quant_method", "bitsandbytes"}, {"load_in_4bit", true},
                                         {"bnb_4bit_quant_type", "nf4"}, {"bnb_4bit_compute_dtype", "bfloat16"},
                                         {"bnb_4bit_use_double_quant", false}};
        const ModelInfo written = write_folder(std::filesystem::path(m_dir.path().toStdString()) / "s3", m, config, random_fill);
        QCOMPARE(written.quantization.method, std::string("bitsandbytes"));

        const LoadPlan p = plan(written, profile("v100"), simulated());
        check_texts(p);
        QCOMPARE(p.compute_type, TensorType::F16);
        const KernelChoice* mlp = kernel(p, "mlp");
        QVERIFY(mlp && mlp->weights == "bitsandbytes nf4");
        const Finding* f = p.find("quant-unsupported");
        QVERIFY(f && f->severity == Severity::refusal);
        QVERIFY2(f->message.find("nf4") != std::string::npos && f->message.find("quantization_config") != std::string::npos,
                 f->message.c_str());
        QVERIFY2(!p.find("tensor-missing") && !p.find("tensor-unexpected"), qPrintable(codes(p)));
        const Finding* dense = p.find("quant-dense-layer");  // bitsandbytes leaves lm_head alone
        QVERIFY(dense && dense->arg("layers") == "lm_head");

        auto loaded = LanguageModel::load(written);
        QVERIFY(!loaded);
        QVERIFY(!loaded.error().message.empty());
    }

    // S4: an FP8 KV cache on a Qwen2-style GQA model: fp8-kv-gqa, with the KL divergence measured on the
    // loaded model from the built-in calibration text.
    void s4Fp8KvOnQwen2() {
        auto info = inspect(fixture("gguf/qwen2-f32.gguf"));
        if (!info) QSKIP("tiny fixtures missing: run ctest -R make_tiny_models");
        QVERIFY(info->n_kv_heads < info->n_heads);
        LoadOptions o;
        o.kv = KvDtype::fp8_e4m3;
        o.context_length = 1024;
        const LoadPlan p = plan(info.value(), profile("cpu"), o);
        QVERIFY2(!p.refused(), qPrintable(codes(p)));
        QVERIFY(p.find("fp8-kv-gqa"));

        ModelLoadOptions load;
        load.context_length = 1024;
        load.kv_cache_type = p.kv_cache_type;
        auto loaded = LanguageModel::load(p.model, load);
        QVERIFY2(loaded, loaded ? "" : loaded.error().message.c_str());
        // The tiny fixture's GGUF has a 256-token byte vocabulary and no merges (so no tokenizer): its token
        // ids are the calibration text's first 512 bytes.
        QCOMPARE((*loaded)->vocab_size(), std::int64_t(256));
        std::vector<TokenId> tokens;
        for (char ch : calibration_text().substr(0, 512)) tokens.push_back(static_cast<unsigned char>(ch));
        int calls = 0;
        auto report = measure_kv_quality(**loaded, tokens, TensorType::F8_E4M3, TensorType::F16, [&](double) { return ++calls > 0; });
        QVERIFY2(report, report ? "" : report.error().message.c_str());
        QVERIFY(calls > 0);
        QVERIFY(std::isfinite(report->mean_kl) && report->mean_kl >= 0.0);
        o.kv_quality = report.value();
        const LoadPlan measured = plan(info.value(), profile("cpu"), o);
        const Finding* f = measured.find("fp8-kv-gqa");
        QVERIFY(f && !f->arg("mean_kl").empty());
        QVERIFY(f->message.find("Measured on this model") != std::string::npos);
        check_texts(measured);
        qInfo("tiny qwen2, FP8 E4M3 vs F16 over %lld tokens: mean KL %.6f, max %.6f, agreement %.3f",
              static_cast<long long>(report->positions), report->mean_kl, report->max_kl, report->argmax_agreement);
    }

    // S5: a GPTQ 4-bit checkpoint whose vision and cross-attention layers and lm_head stay dense, and where
    // one layer's scale tensor is empty: each layer classified, quant-dense-layer lists the dense ones,
    // tensor-empty names the empty tensor; loading fails with a message, never a crash.
    void s5GptqWithDenseLayersAndEmptyScales() {
        const Shape s{.arch = "qwen2", .dtype = TensorType::F16};
        ModelInfo m = make_model(s);
        gptq(m);
        add_tensor(m, "model.vision_tower.blocks.0.attn.qkv.weight", TensorType::F16, {96, 32});
        add_tensor(m, "model.vision_tower.blocks.0.mlp.fc1.weight", TensorType::F16, {64, 32});
        add_tensor(m, "model.layers.1.cross_attn.q_proj.weight", TensorType::F16, {64, 64});
        for (auto& t : m.tensors) {
            if (t.name == "model.layers.1.self_attn.o_proj.scales") {
                t.shape = {0, 64};
                t.n_elements = 0;
                t.n_bytes = 0;
            }
        }
        nlohmann::json config = base_config("qwen2", s, "float16");
        config["quantization_config"] = {{"quant_method", "gptq"}, {"bits", 4}, {"group_size", 128}, {"desc_act", false},
                                         {"sym", true}, {"checkpoint_format", "gptq"}};
        const ModelInfo written = write_folder(std::filesystem::path(m_dir.path().toStdString()) / "s5", m, config, random_fill);
        QCOMPARE(written.quantization.method, std::string("gptq"));

        const LoadPlan p = plan(written, profile("rtx3090"), simulated());
        check_texts(p);
        const Finding* dense = p.find("quant-dense-layer");
        QVERIFY(dense);
        QCOMPARE(dense->arg("count"), std::string_view("4"));
        const std::string layers(dense->arg("layers"));
        for (const char* name : {"lm_head", "model.vision_tower.blocks.*.attn.qkv", "model.vision_tower.blocks.*.mlp.fc1",
                                 "model.layers.*.cross_attn.q_proj"})
            QVERIFY2(layers.find(name) != std::string::npos, qPrintable(QString::fromStdString(layers)));
        const Finding* empty = p.find("tensor-empty");
        QVERIFY(empty && empty->severity == Severity::refusal);
        QCOMPARE(empty->arg("tensor"), std::string_view("model.layers.1.self_attn.o_proj.scales"));
        QCOMPARE(empty->arg("shape"), std::string_view("[0, 64]"));
        // Per layer: the quantized ones take the INT4 kernel, the dense ones cuBLAS.
        const KernelChoice* mlp = kernel(p, "mlp");
        QVERIFY(mlp && mlp->path == "cuda-marlin-int4" && mlp->count == 6);
        const KernelChoice* head = kernel(p, "lm-head");
        QVERIFY(head && head->path == "cublas-gemm-f16");
        QVERIFY(kernel(p, "vision") && kernel(p, "vision")->path == "cublas-gemm-f16");
        QVERIFY(p.find("quant-unsupported"));

        auto loaded = LanguageModel::load(written);
        QVERIFY(!loaded);
    }
};

QTEST_GUILESS_MAIN(TestSeedCases)
#include "test_seed_cases.moc"
