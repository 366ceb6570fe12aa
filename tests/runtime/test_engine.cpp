// The Engine on tiny random-weight fixtures: batching, preemption, cancellation and the prefix cache must
// change nothing about what each request generates. Greedy decoding makes outputs comparable; requests
// use token ids and ignore EOS so every one runs its full length.
#include <QtTest>

#include <future>
#include <random>
#include <thread>

#include "engine_test_support.h"

using namespace hearth;

namespace {

std::filesystem::path fixture(const QString& name) { return std::filesystem::path(HEARTH_FIXTURES_DIR) / "models" / name.toStdString(); }

std::vector<TokenId> random_prompt(std::mt19937& rng, int length, int vocab) {
    std::vector<TokenId> prompt(static_cast<std::size_t>(length));
    for (TokenId& t : prompt) t = std::uniform_int_distribution<TokenId>(3, vocab - 1)(rng);
    return prompt;
}

Request greedy(std::vector<TokenId> prompt, std::int64_t max_tokens) {
    Request r;
    r.prompt = std::move(prompt);
    r.sampling.temperature = 0.0;
    r.sampling.ignore_eos = true;
    r.max_tokens = max_tokens;
    return r;
}

std::unique_ptr<Engine> load_engine(const QString& model, std::int64_t context, std::int64_t pool_tokens,
                                    std::int32_t max_batch_tokens = 64) {
    auto info = inspect(fixture(model));
    if (!info) qFatal("%s", info.error().message.c_str());
    LoadPlan plan;
    plan.model = std::move(info).value();
    plan.threads = 2;
    plan.context_length = context;
    plan.kv_cache_tokens = pool_tokens;
    plan.max_batch_tokens = max_batch_tokens;
    auto engine = Engine::load(plan);
    if (!engine) qFatal("%s", engine.error().message.c_str());
    return std::move(engine).value();
}

// 16 requests of different lengths, including a prompt longer than a step's token budget.
std::vector<Request> workload(int vocab) {
    std::mt19937 rng(7);
    std::vector<Request> requests;
    for (int i = 0; i < 16; ++i)
        requests.push_back(greedy(random_prompt(rng, i == 3 ? 150 : 5 + 7 * i, vocab), 12 + (i % 5) * 4));
    return requests;
}

std::vector<std::vector<TokenId>> run_one_at_a_time(Engine& engine, const std::vector<Request>& requests) {
    std::vector<std::vector<TokenId>> outputs;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        RequestCollector collector;
        Request r = requests[i];
        r.on_update = collector.callback(0);
        if (!engine.submit(std::move(r))) qFatal("submit failed");
        if (!collector.wait_finished(1)) qFatal("request %zu did not finish", i);
        outputs.push_back(collector.get(0).tokens);
    }
    return outputs;
}

}  // namespace

class TestEngine : public QObject {
    Q_OBJECT
private slots:
    void batched_requests_match_one_at_a_time_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<qint64>("pool_tokens");
        // A pool of 16 contexts of 256 tokens: everything fits. A pool of one context: the 16 requests (about
        // 1,300 tokens together) need far more, so the scheduler preempts and recomputes.
        for (const char* model : {"gguf/llama-q8_0.gguf", "hf/gemma3-f32", "hf/qwen2-f32", "gguf/qwen3-q4_0.gguf"}) {
            QTest::addRow("%s roomy", model) << model << qint64(16 * 256);
            QTest::addRow("%s preempting", model) << model << qint64(256);
        }
    }
    void batched_requests_match_one_at_a_time() {
        QFETCH(QString, model);
        QFETCH(qint64, pool_tokens);
        auto engine = load_engine(model, 256, pool_tokens);
        const auto requests = workload(static_cast<int>(engine->model().vocab_size()));
        const auto alone = run_one_at_a_time(*engine, requests);

        // A fresh engine, so no prefix is cached from the runs above.
        engine = load_engine(model, 256, pool_tokens);
        RequestCollector collector;
        for (std::size_t i = 0; i < requests.size(); ++i) {
            Request r = requests[i];
            r.on_update = collector.callback(static_cast<int>(i));
            QVERIFY(engine->submit(std::move(r)));
        }
        QVERIFY(collector.wait_finished(static_cast<int>(requests.size())));
        for (std::size_t i = 0; i < requests.size(); ++i) {
            const auto got = collector.get(static_cast<int>(i));
            QCOMPARE(got.finish, std::optional(FinishReason::length));
            QCOMPARE(got.updates_after_finish, 0);
            QVERIFY2(got.tokens == alone[i], qPrintable(QString("request %1 differs when batched").arg(i)));
        }
        const EngineStats stats = engine->stats();
        if (pool_tokens == 256) QVERIFY2(stats.preemptions > 0, "the small pool was meant to force preemption");
        else QCOMPARE(stats.preemptions, 0);
        QVERIFY(eventually([&] { return engine->stats().kv_blocks_used == 0; }));
        qInfo("%s: %lld steps, %lld preemptions", qPrintable(model), static_cast<long long>(stats.steps),
              static_cast<long long>(stats.preemptions));
    }

    void cancel_stops_at_once_and_frees_blocks() {
        auto engine = load_engine("gguf/llama-q8_0.gguf", 2048, 4096);
        std::mt19937 rng(3);
        RequestCollector collector;
        std::atomic<int> tokens_seen{0};
        std::atomic<RequestId> id{0};
        Request r = greedy(random_prompt(rng, 20, 256), 100000);
        // Cancel from the callback's thread after the third token, and from this thread for a second request.
        r.on_update = collector.callback(0, [&](int) {
            if (++tokens_seen != 3) return;
            // On a busy machine the engine can get this far before submit's id is stored below.
            while (id.load() == 0) std::this_thread::yield();
            engine->cancel(id.load());
        });
        Request other = greedy(random_prompt(rng, 30, 256), 100000);
        other.on_update = collector.callback(1);
        auto submitted = engine->submit(std::move(r));
        QVERIFY(submitted);
        id = *submitted;
        auto second = engine->submit(std::move(other));
        QVERIFY(second);
        QVERIFY(eventually([&] { return !collector.get(1).tokens.empty(); }));
        const auto cancelled_at = std::chrono::steady_clock::now();
        engine->cancel(*second);
        QVERIFY(collector.wait_finished(2));
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - cancelled_at).count();
        QCOMPARE(collector.get(0).finish, std::optional(FinishReason::cancelled));
        QCOMPARE(collector.get(1).finish, std::optional(FinishReason::cancelled));
        // The first request stops within a step of the cancel: at most one more token after the third.
        QVERIFY(collector.get(0).tokens.size() <= 4);
        QVERIFY2(ms < 1000, qPrintable(QString("cancel took %1 ms").arg(ms)));
        QVERIFY(eventually([&] { return engine->stats().kv_blocks_used == 0 && engine->stats().running == 0; }));
        engine->cancel(12345);  // unknown ids are ignored
        // The engine is still usable.
        RequestCollector after;
        Request again = greedy(random_prompt(rng, 10, 256), 5);
        again.on_update = after.callback(0);
        QVERIFY(engine->submit(std::move(again)));
        QVERIFY(after.wait_finished(1));
        QCOMPARE(after.get(0).tokens.size(), std::size_t(5));
    }

    void second_turn_prefills_only_new_tokens() {
        auto engine = load_engine("hf/gemma3-f32", 1024, 2048);
        std::mt19937 rng(11);
        const auto first_prompt = random_prompt(rng, 45, 256);
        RequestCollector collector;
        Request first = greedy(first_prompt, 20);
        first.on_update = collector.callback(0);
        QVERIFY(engine->submit(std::move(first)));
        QVERIFY(collector.wait_finished(1));
        const auto reply = collector.get(0).tokens;
        QCOMPARE(collector.get(0).stats.cached_prompt_tokens, 0);
        QVERIFY(eventually([&] { return engine->stats().running == 0; }));
        const std::int64_t computed_before = engine->stats().prompt_tokens_computed;

        // Turn two: the whole first turn, the reply, and a new message.
        auto second_prompt = first_prompt;
        second_prompt.insert(second_prompt.end(), reply.begin(), reply.end());
        const auto new_message = random_prompt(rng, 9, 256);
        second_prompt.insert(second_prompt.end(), new_message.begin(), new_message.end());
        Request second = greedy(second_prompt, 4);
        second.on_update = collector.callback(1);
        QVERIFY(engine->submit(std::move(second)));
        QVERIFY(collector.wait_finished(2));
        // The first turn computed its prompt and all but its last reply token (sampled, never fed back);
        // every full 16-token block of that is reused.
        const std::int64_t computed_first = 45 + 20 - 1;
        const std::int64_t expected_cached = computed_first / 16 * 16;
        const auto stats = collector.get(1).stats;
        QCOMPARE(stats.cached_prompt_tokens, expected_cached);
        QVERIFY(eventually([&] { return engine->stats().running == 0; }));
        QCOMPARE(engine->stats().prompt_tokens_computed - computed_before,
                 static_cast<std::int64_t>(second_prompt.size()) - expected_cached);
        QVERIFY(engine->stats().prefix_cache_hit_rate > 0.0);

        // And the output equals that of an engine without the cached prefix.
        auto fresh = load_engine("hf/gemma3-f32", 1024, 2048);
        RequestCollector clean;
        Request again = greedy(second_prompt, 4);
        again.on_update = clean.callback(0);
        QVERIFY(fresh->submit(std::move(again)));
        QVERIFY(clean.wait_finished(1));
        QCOMPARE(clean.get(0).tokens, collector.get(1).tokens);
    }

    void chats_sharing_a_system_prompt_share_its_blocks() {
        // Two different chats that start with the same 40-token system prompt, one after the other: the
        // second reuses the first's two full blocks of it, and still answers as it would alone.
        auto engine = load_engine("hf/qwen2-f32", 512, 1024);
        std::mt19937 rng(23);
        const auto system_prompt = random_prompt(rng, 40, 256);
        std::vector<std::vector<TokenId>> prompts;
        for (int chat = 0; chat < 2; ++chat) {
            auto prompt = system_prompt;
            const auto message = random_prompt(rng, 7 + chat * 5, 256);
            prompt.insert(prompt.end(), message.begin(), message.end());
            prompts.push_back(prompt);
        }
        RequestCollector collector;
        for (int chat = 0; chat < 2; ++chat) {
            Request r = greedy(prompts[static_cast<std::size_t>(chat)], 6);
            r.on_update = collector.callback(chat);
            QVERIFY(engine->submit(std::move(r)));
            QVERIFY(collector.wait_finished(chat + 1));
        }
        QCOMPARE(collector.get(0).stats.cached_prompt_tokens, 0);
        QCOMPARE(collector.get(1).stats.cached_prompt_tokens, 32);

        auto fresh = load_engine("hf/qwen2-f32", 512, 1024);
        RequestCollector alone;
        Request r = greedy(prompts[1], 6);
        r.on_update = alone.callback(0);
        QVERIFY(fresh->submit(std::move(r)));
        QVERIFY(alone.wait_finished(1));
        QCOMPARE(alone.get(0).tokens, collector.get(1).tokens);
    }

    void kv_quality_measured_between_steps() {
        // The measurement runs on the engine's thread while a request is generating; the request's output
        // is what it would be alone, and the reports are the library function's.
        auto engine = load_engine("hf/qwen2-f32", 512, 1024);
        std::mt19937 rng(31);
        const auto prompt = random_prompt(rng, 20, 256);
        const auto text = random_prompt(rng, 100, 256);
        RequestCollector collector;
        Request r = greedy(prompt, 40);
        r.on_update = collector.callback(0);
        QVERIFY(engine->submit(std::move(r)));
        std::promise<Result<std::vector<KvQualityReport>>> measured;
        std::atomic<int> progress_calls{0};
        engine->measure_kv_quality(text, {TensorType::F8_E4M3, TensorType::BF16}, TensorType::F16,
                                   [&](double) { ++progress_calls; return true; },
                                   [&](Result<std::vector<KvQualityReport>> result) { measured.set_value(std::move(result)); });
        auto result = measured.get_future().get();
        QVERIFY2(result, result ? "" : result.error().message.c_str());
        QCOMPARE(result->size(), std::size_t(2));
        QCOMPARE((*result)[0].candidate, TensorType::F8_E4M3);
        QCOMPARE((*result)[0].positions, std::int64_t(100));
        QVERIFY((*result)[0].mean_kl > (*result)[1].mean_kl);  // E4M3 is coarser than BF16
        QVERIFY(progress_calls.load() >= 2);
        QVERIFY(collector.wait_finished(1));

        auto fresh = load_engine("hf/qwen2-f32", 512, 1024);
        RequestCollector alone;
        Request again = greedy(prompt, 40);
        again.on_update = alone.callback(0);
        QVERIFY(fresh->submit(std::move(again)));
        QVERIFY(alone.wait_finished(1));
        QCOMPARE(collector.get(0).tokens, alone.get(0).tokens);

        // Cancelled through progress: an error, and the engine goes on.
        std::promise<Result<std::vector<KvQualityReport>>> stopped;
        engine->measure_kv_quality(text, {TensorType::F8_E5M2}, TensorType::F16, [](double) { return false; },
                                   [&](Result<std::vector<KvQualityReport>> answer) { stopped.set_value(std::move(answer)); });
        auto cancelled = stopped.get_future().get();
        QVERIFY(!cancelled);
        QVERIFY2(cancelled.error().message.find("cancelled") != std::string::npos, cancelled.error().message.c_str());
    }

    void load_can_be_cancelled() {
        auto info = inspect(fixture("hf/llama-f32"));
        QVERIFY(info);
        LoadPlan plan;
        plan.model = std::move(info).value();
        plan.context_length = 64;
        std::atomic<bool> cancel{true};
        auto before = Engine::load(plan, {}, &cancel);
        QVERIFY(!before);
        QVERIFY2(before.error().message.find("cancelled") != std::string::npos, before.error().message.c_str());
        // Set while loading (from the progress callback, as a GUI's Cancel button would between reports).
        cancel = false;
        auto during = Engine::load(plan, [&](double) { cancel = true; return true; }, &cancel);
        QVERIFY(!during);
        QVERIFY2(during.error().message.find("cancelled") != std::string::npos, during.error().message.c_str());
        cancel = false;
        QVERIFY(Engine::load(plan, {}, &cancel));
    }

    void bad_requests_fail_alone() {
        auto engine = load_engine("gguf/llama-q8_0.gguf", 64, 128);
        RequestCollector collector;
        QVERIFY(!engine->submit(Request{}));  // no prompt, no callback
        Request no_prompt;
        no_prompt.on_update = collector.callback(9);
        QVERIFY(!engine->submit(std::move(no_prompt)));
        Request bad_sampling = greedy({5, 6}, 3);
        bad_sampling.sampling.top_p = 2.0;
        bad_sampling.on_update = collector.callback(9);
        QVERIFY(!engine->submit(std::move(bad_sampling)));

        Request too_long = greedy(std::vector<TokenId>(64, 5), 3);
        too_long.on_update = collector.callback(0);
        Request bad_token = greedy({5, 999999}, 3);
        bad_token.on_update = collector.callback(1);
        Request good = greedy({5, 6, 7}, 3);
        good.on_update = collector.callback(2);
        for (Request* r : {&too_long, &bad_token, &good}) QVERIFY(engine->submit(std::move(*r)));
        QVERIFY(collector.wait_finished(3));
        QCOMPARE(collector.get(0).finish, std::optional(FinishReason::error));
        QVERIFY2(collector.get(0).error.find("64 tokens") != std::string::npos, collector.get(0).error.c_str());
        QCOMPARE(collector.get(1).finish, std::optional(FinishReason::error));
        QVERIFY2(collector.get(1).error.find("999999") != std::string::npos, collector.get(1).error.c_str());
        QCOMPARE(collector.get(2).finish, std::optional(FinishReason::length));
        QCOMPARE(collector.get(2).tokens.size(), std::size_t(3));
    }

    void context_limit_ends_with_length() {
        auto engine = load_engine("gguf/llama-q8_0.gguf", 32, 64);
        RequestCollector collector;
        Request r = greedy(std::vector<TokenId>(30, 7), 100);
        r.on_update = collector.callback(0);
        QVERIFY(engine->submit(std::move(r)));
        QVERIFY(collector.wait_finished(1));
        QCOMPARE(collector.get(0).finish, std::optional(FinishReason::length));
        // Positions 0..31 are computed; the token sampled at position 31 is the last.
        QCOMPARE(collector.get(0).tokens.size(), std::size_t(3));
    }

    void destroying_the_engine_cancels_what_runs() {
        RequestCollector collector;
        {
            auto engine = load_engine("gguf/llama-q8_0.gguf", 2048, 2048);
            Request r = greedy({5, 6, 7}, 100000);
            r.on_update = collector.callback(0);
            QVERIFY(engine->submit(std::move(r)));
            QVERIFY(eventually([&] { return !collector.get(0).tokens.empty(); }));
        }
        QCOMPARE(collector.get(0).finish, std::optional(FinishReason::cancelled));
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "test_engine.moc"
