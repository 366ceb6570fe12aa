// The five field failures of DESIGN.md (S1–S5) as fixtures: checkpoints made by tests/make_tiny_models.py
// (hf/seed-s*; S4 uses the ordinary qwen2 model), read through inspect() so everything the plan knows comes
// from the files alone, planned on the hardware each report involved, and loaded where the CPU engine can
// run them (and where it cannot, refused with a message, never a crash).
#include <QtTest/QTest>

#include <cmath>

#include "hearth/language_model.h"
#include "plan_models.h"

using namespace hearth;
using namespace plan_test;

namespace {

std::filesystem::path fixture(const char* name) { return std::filesystem::path(HEARTH_FIXTURES_DIR) / "models" / name; }

const KernelChoice* kernel(const LoadPlan& p, const std::string& kind) {
    for (const KernelChoice& k : p.kernels)
        if (k.layer_kind == kind) return &k;
    return nullptr;
}

}  // namespace

class TestSeedCases : public QObject {
    Q_OBJECT

private slots:
    // S1: a BF16 mixture-of-experts checkpoint with f16 requested resolves FP16 for every tensor and kernel
    // (experts, router, norms included) and counts the planted out-of-range values; auto keeps BF16 on an
    // RTX 3090 and picks FP16 on a V100. The engine has no expert layers yet: the plan says so (refusal).
    void s1MoeBf16ToF16() {
        auto info = inspect(fixture("hf/seed-s1-moe-bf16"));
        QVERIFY2(info, info ? "" : info.error().message.c_str());
        const ModelInfo& written = info.value();
        const int planted = 3;  // make_tiny_models.py's S1_PLANTED
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
        auto info = inspect(fixture("hf/seed-s2-llama4-chunked-f32"));
        QVERIFY2(info, info ? "" : info.error().message.c_str());
        const ModelInfo& written = info.value();
        QCOMPARE(written.attention.layer_types.size(), std::size_t(8));
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
        auto info = inspect(fixture("hf/seed-s3-bnb-nf4"));
        QVERIFY2(info, info ? "" : info.error().message.c_str());
        const ModelInfo& written = info.value();
        QCOMPARE(written.quantization.scheme, std::string("nf4"));
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
        auto info = inspect(fixture("hf/seed-s5-gptq-int4"));
        QVERIFY2(info, info ? "" : info.error().message.c_str());
        const ModelInfo& written = info.value();
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
