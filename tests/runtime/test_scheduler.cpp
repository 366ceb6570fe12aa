// The block pool, the KV cache manager and the scheduler as pure logic, no model: hand-made cases for each
// rule, then thousands of seeded random submit / step / finish / cancel sequences that check, at every step,
// the reference counts, that no block leaks, that a chunk only ever writes to blocks no one else holds, and
// — through a simulated cache that records which prefix each slot's keys came from — that every sequence
// reads exactly the keys of its own prefix, prefix-cache hits and preemptions included.
#include <QtTest>

#include <map>
#include <random>

#include "runtime/scheduler.h"

using namespace hearth::runtime;

namespace {

std::vector<std::int32_t> iota_tokens(std::int32_t first, std::int32_t count) {
    std::vector<std::int32_t> tokens(static_cast<std::size_t>(count));
    for (std::int32_t i = 0; i < count; ++i) tokens[static_cast<std::size_t>(i)] = first + i;
    return tokens;
}

// What the keys of position p of a sequence depend on: all its tokens up to p.
std::uint64_t prefix_key(std::span<const std::int32_t> tokens, std::int64_t p) {
    std::uint64_t h = 1469598103934665603ULL;
    for (std::int64_t i = 0; i <= p; ++i) h = (h ^ static_cast<std::uint32_t>(tokens[static_cast<std::size_t>(i)])) * 1099511628211ULL;
    return h;
}

// Runs plans against a simulated KV cache and checks what a model step would read and write.
struct SimulatedModel {
    Scheduler& scheduler;
    const KvCacheManager& kv;
    std::vector<std::uint64_t> written;
    std::int64_t computed_tokens = 0;

    SimulatedModel(Scheduler& s, const KvCacheManager& k)
        : scheduler(s), kv(k), written(static_cast<std::size_t>(k.pool().n_blocks() * k.pool().block_size()), 0) {}

    // Returns a failure message, or empty.
    QString run(const StepPlan& plan) {
        for (const ScheduledChunk& chunk : plan.chunks) {
            const auto* seq = scheduler.find(chunk.seq);
            if (seq == nullptr) return QStringLiteral("a scheduled sequence is unknown");
            const auto table = kv.block_table(chunk.seq);
            const std::int64_t end = chunk.start + chunk.n_tokens;
            if (static_cast<std::int64_t>(table.size()) * kv.pool().block_size() < end)
                return QStringLiteral("sequence %1's table does not cover its chunk").arg(chunk.seq);
            if (end > static_cast<std::int64_t>(seq->tokens.size())) return QStringLiteral("chunk past the tokens");
            for (std::int64_t p = 0; p < chunk.start; ++p)
                if (written[static_cast<std::size_t>(kv.slot_of(chunk.seq, p))] != prefix_key(seq->tokens, p))
                    return QStringLiteral("sequence %1 reads wrong keys at position %2").arg(chunk.seq).arg(p);
            for (std::int64_t p = chunk.start; p < end; ++p) {
                const BlockId block = table[static_cast<std::size_t>(p / kv.pool().block_size())];
                if (kv.pool().ref_count(block) != 1)
                    return QStringLiteral("sequence %1 writes into shared block %2").arg(chunk.seq).arg(block);
                written[static_cast<std::size_t>(kv.slot_of(chunk.seq, p))] = prefix_key(seq->tokens, p);
            }
            computed_tokens += chunk.n_tokens;
        }
        return {};
    }
};

}  // namespace

class TestScheduler : public QObject {
    Q_OBJECT
private slots:
    void pool_hands_out_empty_blocks_before_evicting_cached_ones() {
        BlockPool pool(3, 4);
        const auto tokens = iota_tokens(0, 4);
        const BlockId a = *pool.allocate();
        pool.register_content(a, 11, tokens, k_no_block);
        pool.release(a);  // cached, free
        QCOMPARE(pool.n_available(), 3);
        const BlockId b = *pool.allocate();
        const BlockId c = *pool.allocate();
        QVERIFY(b != a && c != a);
        QCOMPARE(pool.lookup(11, tokens, k_no_block), std::optional<BlockId>(a));
        const BlockId d = *pool.allocate();  // only the cached one is left: evicted
        QCOMPARE(d, a);
        QVERIFY(!pool.lookup(11, tokens, k_no_block));
        QVERIFY(!pool.allocate());
        for (BlockId x : {b, c, d}) pool.release(x);
        QCOMPARE(pool.n_available(), 3);
        QVERIFY(!pool.check(std::vector<std::int32_t>(3, 0)));
    }

    void pool_evicts_least_recently_used_first() {
        BlockPool pool(3, 2);
        std::vector<BlockId> blocks;
        for (int i = 0; i < 3; ++i) {
            blocks.push_back(*pool.allocate());
            pool.register_content(blocks.back(), 100 + static_cast<std::uint64_t>(i), iota_tokens(i, 2), k_no_block);
        }
        pool.release(blocks[1]);
        pool.release(blocks[0]);
        pool.release(blocks[2]);
        pool.add_ref(blocks[1]);  // a hit makes it in use; released again it becomes the most recent
        pool.release(blocks[1]);
        QCOMPARE(*pool.allocate(), blocks[0]);
        QCOMPARE(*pool.allocate(), blocks[2]);
        QCOMPARE(*pool.allocate(), blocks[1]);
    }

    void lookup_verifies_content_and_parent_generation() {
        BlockPool pool(4, 2);
        const BlockId parent = *pool.allocate();
        pool.register_content(parent, 1, std::vector<std::int32_t>{5, 6}, k_no_block);
        const BlockId child = *pool.allocate();
        pool.register_content(child, 2, std::vector<std::int32_t>{7, 8}, parent);
        QCOMPARE(pool.lookup(2, std::vector<std::int32_t>{7, 8}, parent), std::optional<BlockId>(child));
        QVERIFY(!pool.lookup(2, std::vector<std::int32_t>{7, 9}, parent));        // same hash, other tokens
        QVERIFY(!pool.lookup(2, std::vector<std::int32_t>{7, 8}, k_no_block));    // other parent
        pool.release(parent);
        pool.release(child);
        // The parent is evicted and gets new content: its old child must not match under it any more.
        BlockId reused = k_no_block;
        while (reused != parent) reused = *pool.allocate();
        QVERIFY(!pool.lookup(2, std::vector<std::int32_t>{7, 8}, parent));
    }

    void prefix_of_another_sequence_is_reused_in_whole_blocks() {
        BlockPool pool(16, 4);
        KvCacheManager kv(pool, 42);
        auto first = iota_tokens(0, 10);
        QCOMPARE(kv.reuse_cached_prefix(1, first), 0);
        QVERIFY(kv.reserve(1, 10));
        kv.cache_full_blocks(1, first, 10);  // blocks 0..3 and 4..7 are full
        auto second = iota_tokens(0, 9);
        second.back() = 99;                  // shares 8 tokens
        QCOMPARE(kv.reuse_cached_prefix(2, second), 8);
        QCOMPARE(kv.block_table(2)[0], kv.block_table(1)[0]);
        QCOMPARE(pool.ref_count(kv.block_table(1)[1]), 2);
        // A prompt entirely in cache still computes its last block: its last token's logits are needed.
        QCOMPARE(kv.reuse_cached_prefix(3, iota_tokens(0, 8)), 4);
        // Another model (identity) shares nothing.
        KvCacheManager other(pool, 43);
        QCOMPARE(other.reuse_cached_prefix(4, first), 0);
        for (SequenceId s : {1, 2, 3}) kv.free(s);
        other.free(4);
        QVERIFY(!pool.check(std::vector<std::int32_t>(16, 0)));
        QCOMPARE(kv.prefix_hit_tokens(), 12);
    }

    void reserve_is_all_or_nothing() {
        BlockPool pool(3, 4);
        KvCacheManager kv(pool, 1);
        QVERIFY(kv.reserve(1, 8));
        QVERIFY(!kv.reserve(2, 5));  // needs 2 blocks, 1 is left
        QCOMPARE(pool.n_available(), 1);
        QCOMPARE(kv.block_table(2).size(), std::size_t(0));
        QVERIFY(kv.reserve(2, 4));
    }

    void decoders_go_first_and_prefill_is_chunked() {
        BlockPool pool(64, 4);
        KvCacheManager kv(pool, 1);
        Scheduler scheduler({.max_batch_tokens = 8, .max_running = 4}, kv);
        scheduler.add(1, iota_tokens(0, 3));
        auto plan = scheduler.schedule();
        QCOMPARE(plan.chunks.size(), std::size_t(1));
        QVERIFY(plan.chunks[0].samples);
        scheduler.complete(plan);
        scheduler.append_token(1, 50);  // sequence 1 now decodes
        scheduler.add(2, iota_tokens(100, 20));
        plan = scheduler.schedule();
        QCOMPARE(plan.chunks.size(), std::size_t(2));
        QCOMPARE(plan.chunks[0].seq, SequenceId(1));
        QCOMPARE(plan.chunks[0].n_tokens, 1);
        QCOMPARE(plan.chunks[1].seq, SequenceId(2));
        QCOMPARE(plan.chunks[1].n_tokens, 7);  // what the budget leaves
        QVERIFY(!plan.chunks[1].samples);
        scheduler.complete(plan);
        scheduler.append_token(1, 51);
        plan = scheduler.schedule();
        QCOMPARE(plan.chunks[0].seq, SequenceId(1));
        QCOMPARE(plan.chunks[1].start, 7);
        QCOMPARE(plan.n_tokens, 8);
    }

    void max_running_limits_admission() {
        BlockPool pool(64, 4);
        KvCacheManager kv(pool, 1);
        Scheduler scheduler({.max_batch_tokens = 100, .max_running = 2}, kv);
        for (SequenceId s = 1; s <= 3; ++s) scheduler.add(s, iota_tokens(0, 5));
        const auto plan = scheduler.schedule();
        QCOMPARE(plan.chunks.size(), std::size_t(2));
        QCOMPARE(scheduler.n_running(), std::size_t(2));
        QCOMPARE(scheduler.n_waiting(), std::size_t(1));
    }

    void newest_sequence_is_preempted_and_recomputed() {
        BlockPool pool(4, 4);  // 16 slots
        KvCacheManager kv(pool, 1);
        Scheduler scheduler({.max_batch_tokens = 64, .max_running = 4}, kv);
        scheduler.add(1, iota_tokens(0, 7));
        scheduler.add(2, iota_tokens(100, 8));
        auto plan = scheduler.schedule();  // 2 + 2 blocks: the pool is full
        QCOMPARE(plan.chunks.size(), std::size_t(2));
        scheduler.complete(plan);
        scheduler.append_token(1, 7);   // fits in sequence 1's second block
        scheduler.append_token(2, 108); // needs a third block for sequence 2: none is free
        plan = scheduler.schedule();
        QCOMPARE(plan.preempted, std::vector<SequenceId>{2});
        QCOMPARE(plan.chunks.size(), std::size_t(1));
        QCOMPARE(plan.chunks[0].seq, SequenceId(1));
        QCOMPARE(scheduler.find(2)->n_computed, 0);
        QCOMPARE(scheduler.find(2)->tokens.size(), std::size_t(9));  // its generated token is kept
        scheduler.complete(plan);
        scheduler.remove(1);
        plan = scheduler.schedule();    // recomputed: its two full blocks are still in the prefix cache
        QCOMPARE(plan.chunks.size(), std::size_t(1));
        QCOMPARE(plan.chunks[0].start, 8);
        QCOMPARE(plan.chunks[0].n_tokens, 1);
        QVERIFY(plan.chunks[0].samples);
    }

    void random_workloads_keep_every_invariant_data() {
        QTest::addColumn<std::uint32_t>("seed");
        QTest::addColumn<int>("n_blocks");
        QTest::addColumn<int>("block_size");
        QTest::addColumn<int>("budget");
        for (std::uint32_t seed = 1; seed <= 6; ++seed) {
            QTest::addRow("seed %u roomy", seed) << seed << 256 << 16 << 64;
            QTest::addRow("seed %u tight", seed) << seed << 12 << 4 << 16;  // preempts constantly
            QTest::addRow("seed %u one-token blocks", seed) << seed << 40 << 1 << 7;
        }
    }
    void random_workloads_keep_every_invariant() {
        QFETCH(std::uint32_t, seed);
        QFETCH(int, n_blocks);
        QFETCH(int, block_size);
        QFETCH(int, budget);
        std::mt19937 rng(seed);
        auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
        BlockPool pool(n_blocks, block_size);
        KvCacheManager kv(pool, seed);
        Scheduler scheduler({.max_batch_tokens = budget, .max_running = uniform(1, 6)}, kv);
        SimulatedModel model(scheduler, kv);
        // Prompts share a few "system prompts" so the prefix cache has something to find. A sequence never
        // exceeds the pool: the engine refuses requests longer than the context it reserved.
        const int max_tokens = n_blocks * block_size;
        std::vector<std::vector<std::int32_t>> systems;
        for (int i = 0; i < 3; ++i) systems.push_back(iota_tokens(1000 * (i + 1), uniform(1, max_tokens / 3)));
        std::map<SequenceId, int> limit;  // total tokens each sequence stops at
        SequenceId next_id = 1;
        int finished = 0, cancelled = 0, preemptions = 0;
        for (int op = 0; op < 3000; ++op) {
            const int dice = uniform(0, 99);
            if (dice < 12 && limit.size() < 12) {
                auto tokens = systems[static_cast<std::size_t>(uniform(0, 2))];
                const int extra = uniform(1, 8);
                for (int i = 0; i < extra; ++i) tokens.push_back(uniform(0, 50));
                if (static_cast<int>(tokens.size()) >= max_tokens) tokens.resize(static_cast<std::size_t>(max_tokens - 1));
                limit[next_id] = std::min(max_tokens, static_cast<int>(tokens.size()) + uniform(1, 24));
                scheduler.add(next_id++, std::move(tokens));
            } else if (dice < 15 && !limit.empty()) {
                auto it = std::next(limit.begin(), uniform(0, static_cast<int>(limit.size()) - 1));
                scheduler.remove(it->first);  // cancelled, running or waiting
                limit.erase(it);
                ++cancelled;
            } else {
                const StepPlan plan = scheduler.schedule();
                preemptions += static_cast<int>(plan.preempted.size());
                QVERIFY(plan.n_tokens <= budget);
                if (!limit.empty()) QVERIFY2(!plan.empty(), "nothing runs although work waits");
                const QString failure = model.run(plan);
                QVERIFY2(failure.isEmpty(), qPrintable(failure));
                scheduler.complete(plan);
                for (const ScheduledChunk& chunk : plan.chunks) {
                    if (!chunk.samples) continue;
                    const auto* seq = scheduler.find(chunk.seq);
                    if (static_cast<int>(seq->tokens.size()) >= limit[chunk.seq] || uniform(0, 30) == 0) {
                        scheduler.remove(chunk.seq);
                        limit.erase(chunk.seq);
                        ++finished;
                    } else {
                        scheduler.append_token(chunk.seq, uniform(0, 50));
                    }
                }
            }
            const auto problem = pool.check(kv.expected_refs());
            QVERIFY2(!problem, problem ? problem->c_str() : "");
        }
        for (const auto& [seq, _] : limit) scheduler.remove(seq);
        QCOMPARE(pool.n_in_use(), 0);
        QVERIFY(!pool.check(std::vector<std::int32_t>(static_cast<std::size_t>(n_blocks), 0)));
        QVERIFY(finished > 20);
        QVERIFY(kv.prefix_hit_tokens() > 0);
        if (n_blocks == 12) QVERIFY(preemptions > 0);
        qInfo("seed %u: %d finished, %d cancelled, %d preemptions, %lld of %lld prompt tokens from the prefix cache",
              seed, finished, cancelled, preemptions, static_cast<long long>(kv.prefix_hit_tokens()),
              static_cast<long long>(kv.prefix_queried_tokens()));
    }
};

QTEST_APPLESS_MAIN(TestScheduler)
#include "test_scheduler.moc"
