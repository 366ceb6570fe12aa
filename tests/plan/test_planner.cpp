// The planner's rules, one test per finding code, on hand-made models and the named hardware profiles.
#include <QtTest/QTest>

#include <QTemporaryDir>
#include <cmath>

#include "backend/backend.h"
#include "plan/planner.h"
#include "plan_models.h"

using namespace hearth;
using namespace plan_test;

class TestPlanner : public QObject {
    Q_OBJECT

    const Finding* expect(const LoadPlan& p, const char* code, Severity severity) {
        const Finding* f = p.find(code);
        if (!f) {
            QTest::qFail(qPrintable(QString("no %1 finding; got: %2").arg(code, codes(p))), __FILE__, __LINE__);
            return nullptr;
        }
        if (f->severity != severity)
            QTest::qFail(qPrintable(QString("%1 has severity %2").arg(code).arg(QString::fromStdString(std::string(name(f->severity))))),
                         __FILE__, __LINE__);
        check_texts(p);
        return f;
    }

private slots:
    void profilesDescribeTheirGpus_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("cc");
        QTest::addColumn<double>("gigabytes");
        QTest::newRow("gtx1080") << "gtx1080" << 61 << 8.0;
        QTest::newRow("v100") << "v100" << 70 << 16.0;
        QTest::newRow("t4") << "t4" << 75 << 16.1;
        QTest::newRow("rtx3090") << "rtx3090" << 86 << 25.7;
        QTest::newRow("rtx4090") << "rtx4090" << 89 << 25.7;
        QTest::newRow("h100") << "h100" << 90 << 85.8;
    }
    void profilesDescribeTheirGpus() {
        QFETCH(QString, key);
        QFETCH(int, cc);
        QFETCH(double, gigabytes);
        const HardwareInfo hw = profile(key.toStdString());
        QCOMPARE(hw.gpus.size(), std::size_t(1));
        QCOMPARE(hw.gpus[0].cc_major * 10 + hw.gpus[0].cc_minor, cc);
        QVERIFY(std::abs(hw.gpus[0].memory_total / 1e9 - gigabytes) < 0.2);
        QCOMPARE(hw.gpus[0].bf16, cc >= 80);
        QVERIFY(hardware_profile("cpu")->gpus.empty());
        QVERIFY(!hardware_profile("tpu"));
    }

    void optionWords() {
        QCOMPARE(parse_weights_dtype("bf16").value(), WeightsDtype::bf16);
        QCOMPARE(parse_kv_dtype("fp8-e5m2").value(), KvDtype::fp8_e5m2);
        QVERIFY(!parse_kv_dtype("fp8"));
        QCOMPARE(parse_device("cuda:1")->index, 1);
        QVERIFY(!parse_device("cuda:x"));
        QCOMPARE(name(*parse_device("cpu")), std::string("cpu"));
    }

    // Precision rules: auto keeps BF16 where the GPU has it, converts to FP16 below 8.0, CPU computes in F32.
    void autoDtypes_data() {
        QTest::addColumn<QString>("hw");
        QTest::addColumn<QString>("weights");
        QTest::addColumn<QString>("compute");
        QTest::addColumn<QString>("kv");
        QTest::newRow("rtx3090 keeps BF16") << "rtx3090" << "BF16" << "BF16" << "BF16";
        QTest::newRow("h100 keeps BF16") << "h100" << "BF16" << "BF16" << "BF16";
        QTest::newRow("v100 converts") << "v100" << "F16" << "F16" << "F16";
        QTest::newRow("t4 converts") << "t4" << "F16" << "F16" << "F16";
        QTest::newRow("gtx1080 converts") << "gtx1080" << "F16" << "F16" << "F16";
        QTest::newRow("cpu as stored, F32 math") << "cpu" << "BF16" << "F32" << "F32";
    }
    void autoDtypes() {
        QFETCH(QString, hw);
        QFETCH(QString, weights);
        QFETCH(QString, compute);
        QFETCH(QString, kv);
        const LoadPlan p = plan(make_model({}), profile(hw.toStdString()), simulated());
        QCOMPARE(QString::fromStdString(std::string(name(p.weights_type))), weights);
        QCOMPARE(QString::fromStdString(std::string(name(p.compute_type))), compute);
        QCOMPARE(QString::fromStdString(std::string(name(p.kv_cache_type))), kv);
        QVERIFY2(!p.refused(), qPrintable(codes(p)));
        check_texts(p);
    }

    void bf16Unsupported() {
        const LoadPlan converted = plan(make_model({}), profile("t4"), simulated());
        const Finding* f = expect(converted, "bf16-unsupported", Severity::warning);
        QVERIFY(f && f->message.find("Tesla T4") != std::string::npos && f->message.find("7.5") != std::string::npos);
        QVERIFY(converted.find("fp16-range"));  // the range check comes with the conversion (pending: no scan)

        LoadOptions bf16 = simulated();
        bf16.weights = WeightsDtype::bf16;
        const LoadPlan refused = plan(make_model({}), profile("v100"), bf16);
        expect(refused, "bf16-unsupported", Severity::refusal);
        QVERIFY(refused.refused());

        QVERIFY(!plan(make_model({}), profile("rtx3090"), bf16).find("bf16-unsupported"));
        // An F16 checkpoint needs no BF16 anywhere.
        QVERIFY(!plan(make_model({.dtype = TensorType::F16}), profile("v100"), simulated()).find("bf16-unsupported"));
    }

    void fp16Range() {
        QTemporaryDir dir;
        Shape s;
        ModelInfo m = make_model(s);
        // Plant five values beyond FP16's ±65504 in one MLP weight, and one infinity (not counted: it is no
        // finite value out of range, it is already broken).
        const std::string planted = "model.layers.1.mlp.down_proj.weight";
        nlohmann::json config = {{"architectures", {"LlamaForCausalLM"}}, {"model_type", "llama"}, {"hidden_size", s.hidden},
                                 {"num_hidden_layers", s.layers}, {"num_attention_heads", s.heads},
                                 {"num_key_value_heads", s.kv_heads}, {"intermediate_size", s.ffn},
                                 {"vocab_size", s.vocab}, {"max_position_embeddings", 2048}, {"torch_dtype", "bfloat16"},
                                 {"tie_word_embeddings", false}};
        auto fill = [&](const TensorInfo& t, std::vector<char>& bytes) {
            for (std::size_t i = 0; i < bytes.size() / 2; ++i) {
                float v = 0.01f * static_cast<float>(i % 97) - 0.4f;
                if (t.name == planted && i % 100 == 7 && i < 500) v = (i % 200 == 7) ? -70000.0f : 1.0e5f;
                if (t.name == planted && i == 900) v = INFINITY;
                const std::uint16_t b = bf16_bits(v);
                std::memcpy(bytes.data() + 2 * i, &b, 2);
            }
        };
        const ModelInfo written = write_folder(std::filesystem::path(dir.path().toStdString()) / "m", m, config, fill);

        LoadOptions scan = simulated();
        scan.scan_fp16_range = true;
        const LoadPlan p = plan(written, profile("v100"), scan);
        const Finding* f = expect(p, "fp16-range", Severity::warning);
        QVERIFY(f);
        QCOMPARE(f->arg("count"), std::string_view("5"));
        QCOMPARE(f->arg("tensor"), std::string_view(planted));

        scan.weights = WeightsDtype::f16;  // explicit f16 on a BF16-capable GPU converts too
        const LoadPlan explicit_f16 = plan(written, profile("h100"), scan);
        QCOMPARE(explicit_f16.find("fp16-range")->arg("count"), std::string_view("5"));
        QCOMPARE(explicit_f16.weights_type, TensorType::F16);

        // Clean weights: the count is in the plan as zero.
        const ModelInfo clean = write_folder(std::filesystem::path(dir.path().toStdString()) / "clean", m, config, [](const TensorInfo&, std::vector<char>& b) {
            std::fill(b.begin(), b.end(), 0);
        });
        const LoadPlan ok = plan(clean, profile("t4"), scan);
        const Finding* zero = expect(ok, "fp16-range", Severity::info);
        QVERIFY(zero && zero->arg("count") == "0");
        // No conversion, no scan.
        scan.weights = WeightsDtype::auto_;
        QVERIFY(!plan(written, profile("h100"), scan).find("fp16-range"));
    }

    void fp8KvGqa() {
        LoadOptions o = simulated();
        o.kv = KvDtype::fp8_e4m3;
        const LoadPlan p = plan(make_model({.arch = "qwen2", .heads = 8, .kv_heads = 2}), profile("rtx4090"), o);
        const Finding* f = expect(p, "fp8-kv-gqa", Severity::warning);
        QVERIFY(f && f->arg("group") == "4");
        QVERIFY(f->suggestion.find("--measure") != std::string::npos);
        QCOMPARE(p.kv_cache_type, TensorType::F8_E4M3);
        QVERIFY(p.find("fp8-kv"));  // the memory it saves
        QVERIFY(!p.refused());
        // With a measurement, the numbers are in the finding.
        o.kv_quality = KvQualityReport{.candidate = TensorType::F8_E4M3, .reference = TensorType::F16, .positions = 511,
                                       .mean_kl = 0.0123, .max_kl = 0.2, .argmax_agreement = 0.97};
        const LoadPlan measured = plan(make_model({.arch = "qwen2", .heads = 8, .kv_heads = 2}), profile("rtx4090"), o);
        const Finding* m = expect(measured, "fp8-kv-gqa", Severity::warning);
        QVERIFY(m && m->message.find("0.0123") != std::string::npos && m->message.find("97.0%") != std::string::npos);
        QCOMPARE(m->arg("mean_kl"), std::string_view("0.012300"));
        // Multi-head attention (no sharing): no GQA warning.
        QVERIFY(!plan(make_model({.heads = 4, .kv_heads = 4}), profile("rtx4090"), o).find("fp8-kv-gqa"));
        // FP8 KV on the CPU too.
        QCOMPARE(plan(make_model({}), profile("cpu"), o).kv_cache_type, TensorType::F8_E4M3);
    }

    void fp8KvE5m2() {
        LoadOptions o = simulated();
        o.kv = KvDtype::fp8_e5m2;
        const LoadPlan p = plan(make_model({.heads = 4, .kv_heads = 4}), profile("gtx1080"), o);
        expect(p, "fp8-kv-e5m2", Severity::warning);
        QVERIFY(!p.find("fp8-kv-gqa"));
        QCOMPARE(p.kv_cache_type, TensorType::F8_E5M2);
    }

    void kvBytesMatchTheBackend() {
        const ModelInfo m = make_model({.layers = 3, .hidden = 96, .heads = 6, .kv_heads = 2});
        for (TensorType t : {TensorType::F32, TensorType::F16, TensorType::BF16, TensorType::F8_E4M3, TensorType::F8_E5M2})
            QCOMPARE(planner::kv_bytes_per_token(m, t), 3 * backend::kv_cache_slot_bytes(t, 2, 16));
        LoadOptions o = simulated();
        o.context_length = 1000;
        const LoadPlan p = plan(m, profile("h100"), o);
        QCOMPARE(p.kv_cache_tokens, std::int64_t(2000));  // the Engine's pool: two contexts, whole blocks
        QCOMPARE(p.memory.kv_cache, std::uint64_t(2000) * p.memory.kv_bytes_per_token);
        QCOMPARE(p.memory.total, p.memory.weights + p.memory.kv_cache + p.memory.workspace + p.memory.overhead);
        QCOMPARE(p.context_length, std::int64_t(1000));
    }

    // A model whose KV cache is large next to the GPU: 128 layers × 32 KV heads × 128 × 2 bytes × 2 = 2 MiB a token
    // (16 GiB of F16 weights on a 24 GiB card leave room for about 1,900 tokens).
    void kvExceedsMemory() {
        const Shape big{.dtype = TensorType::F16, .layers = 128, .hidden = 4096, .heads = 32, .kv_heads = 32, .ffn = 64, .vocab = 1000,
                        .context = 131072};
        LoadOptions o = simulated();
        o.context_length = 32768;
        const LoadPlan refused = plan(make_model(big), profile("rtx4090"), o);
        const Finding* f = expect(refused, "kv-exceeds-memory", Severity::refusal);
        QVERIFY(f);
        const std::int64_t fits = std::stoll(std::string(f->arg("fits")));
        QCOMPARE(fits, refused.max_context_that_fits);
        QVERIFY(fits > 256 && fits < 32768);
        QVERIFY(f->suggestion.find("--ctx " + std::to_string(fits)) != std::string::npos);
        QVERIFY(std::stoll(std::string(f->arg("fp8_fits"))) > fits);
        // It does fit: the KV for `fits` tokens plus everything else is within the budget.
        o.context_length = fits;
        const LoadPlan fitted = plan(make_model(big), profile("rtx4090"), o);
        QVERIFY2(!fitted.refused(), qPrintable(codes(fitted)));
        QVERIFY(fitted.memory.total <= fitted.memory.budget);
        // Left to choose (no --ctx), the context shrinks with a warning.
        o.context_length = 0;
        LoadPlan shrunk = plan(make_model(big), profile("rtx4090"), o);
        expect(shrunk, "kv-exceeds-memory", Severity::warning);
        QCOMPARE(shrunk.context_length, fits);
    }

    // 20 B parameters in F16: 40 GB, more than a 24 GB card, less than the simulated 56 GiB of RAM.
    void weightsExceedMemory() {
        const Shape huge{.dtype = TensorType::F16, .layers = 40, .hidden = 5120, .heads = 40, .kv_heads = 8, .ffn = 32768,
                         .vocab = 32000};
        LoadOptions o = simulated();
        o.device = *parse_device("cuda:0");
        const LoadPlan refused = plan(make_model(huge), profile("rtx4090"), o);
        const Finding* f = expect(refused, "weights-exceed-memory", Severity::refusal);
        QVERIFY(f && f->suggestion.find("--device cpu") != std::string::npos);
        QVERIFY(f->suggestion.find("Q4_K_M") != std::string::npos);
        // Left to choose, Hearth runs it on the CPU and says why.
        o.device = {};
        const LoadPlan fallback = plan(make_model(huge), profile("rtx4090"), o);
        QCOMPARE(fallback.device, std::string("cpu"));
        const Finding* why = expect(fallback, "cpu-fallback", Severity::warning);
        QVERIFY(why && why->message.find("RTX 4090") != std::string::npos);
        QVERIFY(!fallback.find("weights-exceed-memory"));
    }

    void archUnsupported() {
        const LoadPlan unknown = plan(make_model({.arch = "mamba"}), profile("h100"), simulated());
        const Finding* f = expect(unknown, "arch-unsupported", Severity::refusal);
        QVERIFY(f && f->message.find("mamba") != std::string::npos && f->message.find("qwen2") != std::string::npos);
        const LoadPlan moe = plan(make_model({.arch = "mixtral", .experts = 4}), profile("h100"), simulated());
        const Finding* m = expect(moe, "arch-unsupported", Severity::refusal);
        QVERIFY(m && m->arg("experts") == "4");
        QVERIFY2(!moe.find("tensor-missing") && !moe.find("tensor-unexpected"), qPrintable(codes(moe)));
    }

    void quantUnsupported() {
        ModelInfo m = make_model({.dtype = TensorType::F16});
        gptq(m);
        const LoadPlan p = plan(m, profile("h100"), simulated());
        const Finding* f = expect(p, "quant-unsupported", Severity::refusal);
        QVERIFY(f && f->arg("path") == "cuda-marlin-int4");
        // {detail}'s English, as data too.
        QVERIFY(f && f->arg("kernel_missing") == "method" && f->arg("layout") == "GPTQ int4" && f->arg("bits") == "4" &&
                f->arg("group_size") == "128");
        // A GGUF type the CPU has no kernel for.
        ModelInfo g = make_model({.dtype = TensorType::F32});
        g.format = ModelFormat::gguf;
        g.quantization.method = "gguf";
        for (auto& t : g.tensors)
            if (t.name.ends_with("mlp.up_proj.weight")) t.type = TensorType::IQ2_XXS;
        const LoadPlan iq = plan(g, profile("cpu"), simulated());
        QVERIFY2(iq.find("quant-unsupported"), qPrintable(codes(iq)));
        QVERIFY(iq.find("quant-unsupported")->arg("kernel_missing") == "cpu-type");
        QVERIFY(iq.find("quant-unsupported")->arg("type") == "IQ2_XXS");
    }

    void quantGenericKernel() {
        ModelInfo m = make_model({.dtype = TensorType::F16});
        gptq(m);
        const LoadPlan t4 = plan(m, profile("t4"), simulated());
        const Finding* f = expect(t4, "quant-generic-kernel", Severity::info);
        QVERIFY(f && f->arg("count") == "14" && f->message.find("Marlin") != std::string::npos);
        QVERIFY(f && f->arg("needs") == "cc" && f->arg("cc") == "8.0");
        QVERIFY(!plan(m, profile("rtx3090"), simulated()).find("quant-generic-kernel"));
        // GGUF blocks on a CPU without AVX2: the scalar rows.
        ModelInfo g = make_model({.dtype = TensorType::F32});
        for (auto& t : g.tensors)
            if (t.shape.size() == 2 && t.name.find("layers") != std::string::npos) t.type = TensorType::Q4_K;
        HardwareInfo old_cpu = profile("cpu");
        old_cpu.cpu.avx2 = false;
        const LoadPlan scalar_plan = plan(g, old_cpu, simulated());
        const Finding* scalar = expect(scalar_plan, "quant-generic-kernel", Severity::info);
        QVERIFY(scalar && scalar->arg("needs") == "avx2" && scalar->arg("cc").empty());
        QVERIFY(!plan(g, profile("cpu"), simulated()).find("quant-generic-kernel"));
        // On a GPU: integer dot products (DP4A, compute capability 6.1+) for GGUF blocks, else dequantize.
        const LoadPlan pascal = plan(g, profile("gtx1080"), simulated());
        QVERIFY(!pascal.find("quant-generic-kernel"));
        bool dp4a = false;
        for (const KernelChoice& k : pascal.kernels) dp4a = dp4a || k.path == "cuda-mmq-dp4a-q4_k";
        QVERIFY(dp4a);
        HardwareInfo maxwell = profile("gtx1080");
        maxwell.gpus[0].cc_minor = 2;
        maxwell.gpus[0].cc_major = 5;
        derive_gpu_features(maxwell.gpus[0]);
        const LoadPlan old_gpu = plan(g, maxwell, simulated());
        const Finding* slow = expect(old_gpu, "quant-generic-kernel", Severity::info);
        QVERIFY(slow && slow->arg("layout") == "Q4_K" && slow->arg("requirement") == "compute capability 6.1 or newer");
    }

    void quantDenseLayer() {
        ModelInfo m = make_model({.dtype = TensorType::F16});
        gptq(m);
        const LoadPlan p = plan(m, profile("h100"), simulated());
        const Finding* f = expect(p, "quant-dense-layer", Severity::info);
        QVERIFY(f && f->arg("layers") == "lm_head" && f->arg("count") == "1");
    }

    void tensorMissingAndUnexpected() {
        ModelInfo m = make_model({});
        std::erase_if(m.tensors, [](const TensorInfo& t) { return t.name == "model.layers.1.self_attn.k_proj.weight"; });
        add_tensor(m, "model.layers.0.mlp.extra_proj.weight", TensorType::BF16, {8, 64});
        const LoadPlan p = plan(m, profile("rtx3090"), simulated());
        const Finding* missing = expect(p, "tensor-missing", Severity::refusal);
        QVERIFY(missing && missing->arg("tensor") == "model.layers.1.self_attn.k_proj.weight");
        const Finding* extra = expect(p, "tensor-unexpected", Severity::refusal);
        QVERIFY(extra && extra->arg("tensor") == "model.layers.0.mlp.extra_proj.weight");
        // The complete model has neither; a tied model without lm_head has neither.
        const LoadPlan ok = plan(make_model({}), profile("rtx3090"), simulated());
        QVERIFY2(!ok.find("tensor-missing") && !ok.find("tensor-unexpected"), qPrintable(codes(ok)));
        ModelInfo tied = make_model({});
        tied.tied_embeddings = true;
        std::erase_if(tied.tensors, [](const TensorInfo& t) { return t.name == "lm_head.weight"; });
        QVERIFY(!plan(tied, profile("rtx3090"), simulated()).find("tensor-missing"));
    }

    void attentionChunked() {
        Shape s{.layers = 8};
        ModelInfo m = make_model(s);
        m.attention.chunk_size = 8192;
        for (int i = 0; i < 8; ++i) m.attention.layer_types.push_back((i + 1) % 4 == 0 ? "full_attention" : "chunked_attention");
        LoadOptions o = simulated();
        o.kv = KvDtype::fp8_e4m3;
        const LoadPlan p = plan(m, profile("t4"), o);
        const Finding* f = expect(p, "attention-chunked", Severity::info);
        QVERIFY(f && f->arg("chunked") == "6" && f->arg("global") == "2");
        QVERIFY(planner::every_attention_path_has_every_feature());
    }

    void cpuFallback() {
        HardwareInfo real = profile("rtx3090");  // as if probed: a GPU, but no CUDA backend in this build
        const LoadPlan p = plan(make_model({}), real, LoadOptions{});
        QCOMPARE(p.device, std::string("cpu"));
        QCOMPARE(p.compute_type, TensorType::F32);
        const Finding* f = expect(p, "cpu-fallback", Severity::warning);
        QVERIFY(f && f->message.find("CUDA backend") != std::string::npos);
        // No GPU at all: the CPU is the plan, not a fallback.
        QVERIFY(!plan(make_model({}), profile("cpu"), LoadOptions{}).find("cpu-fallback"));
    }

    void templateMissing() {
        ModelInfo m = make_model({});
        m.tokenizer.has_chat_template = false;
        expect(plan(m, profile("cpu"), simulated()), "template-missing", Severity::info);
        QVERIFY(!plan(make_model({}), profile("cpu"), simulated()).find("template-missing"));
    }

    void deviceMissingAndCpuDtype() {
        LoadOptions o = simulated();
        o.device = *parse_device("cuda:3");
        expect(plan(make_model({}), profile("h100"), o), "device-missing", Severity::refusal);
        LoadOptions f16;
        f16.weights = WeightsDtype::f16;
        expect(plan(make_model({}), profile("cpu"), f16), "weights-dtype-unsupported", Severity::refusal);
        f16.weights = WeightsDtype::f32;  // the CPU computes in F32 from BF16 exactly
        QVERIFY(!plan(make_model({}), profile("cpu"), f16).refused());
    }

    // Whatever a file claims, planning it never crashes and never divides by zero: it refuses with a reason.
    void oddModelsAreRefusedNotCrashed() {
        std::vector<ModelInfo> odd;
        odd.emplace_back();  // nothing at all
        ModelInfo no_heads = make_model({});
        no_heads.n_heads = 0;
        no_heads.n_kv_heads = 0;
        no_heads.head_dim = 0;
        odd.push_back(no_heads);
        ModelInfo more_kv = make_model({});
        more_kv.n_kv_heads = 8;
        odd.push_back(more_kv);
        ModelInfo no_layers = make_model({});
        no_layers.n_layers = 0;
        odd.push_back(no_layers);
        ModelInfo negative = make_model({});
        negative.context_length = -5;
        negative.vocab_size = -1;
        negative.tensors.front().shape.clear();
        odd.push_back(negative);
        ModelInfo huge = make_model({});
        huge.n_layers = 4096;  // past what the readers accept (they bound layer counts)
        huge.hidden_size = std::int64_t(1) << 40;
        odd.push_back(huge);
        for (const char* hw : {"cpu", "gtx1080", "t4", "h100"}) {
            for (const ModelInfo& m : odd) {
                for (KvDtype kv : {KvDtype::auto_, KvDtype::fp8_e4m3}) {
                    LoadOptions o = simulated();
                    o.kv = kv;
                    const LoadPlan p = plan(m, profile(hw), o);
                    QVERIFY2(p.refused(), qPrintable(QString("%1 on %2: %3").arg(QString::fromStdString(m.name), hw, codes(p))));
                    check_texts(p);
                }
            }
        }
    }

    void kernelsPerLayerKind() {
        const LoadPlan p = plan(make_model({}), profile("v100"), simulated());
        QStringList kinds;
        for (const KernelChoice& k : p.kernels) {
            kinds << QString::fromStdString(k.layer_kind);
            QVERIFY(!k.path.empty() && !k.reason.empty() && k.count > 0);
            if (k.layer_kind == "mlp") {
                QCOMPARE(k.path, std::string("cublas-gemm-f16"));
                QCOMPARE(k.count, std::int64_t(6));
                QVERIFY(k.reason.find("converted to F16") != std::string::npos);
            }
        }
        for (const char* kind : {"embedding", "norms", "lm-head", "attention-projections", "mlp", "attention (full)"})
            QVERIFY2(kinds.contains(kind), kind);
    }
};

QTEST_GUILESS_MAIN(TestPlanner)
#include "test_planner.moc"
