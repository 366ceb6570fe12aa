// KvPrefetch (the CPU backend's prefetch of the next attention's keys and values during a matmul): the
// planned lines are exactly those of the cache rows attention will read — positions before the token's own
// that its mask lets it see, through the block table — the parts a matmul's tasks issue cover every line
// once, the byte limit keeps the newest rows, and prefill-sized batches plan nothing.
#include <QtTest/QTest>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "backend/cpu/kv_prefetch.h"

namespace be = hearth::backend;
using be::cpu::KvPrefetch;

namespace {

constexpr std::int32_t k_block_size = 16;
constexpr std::int32_t k_blocks = 8;

// A cache layer over one buffer: keys, then values, each [k_blocks * k_block_size, row_bytes]; `skew`
// bytes past a 64-byte boundary so rows need not start on a line.
struct Cache {
    std::vector<std::uint8_t> storage;
    be::KvLayer layer;
    Cache(std::size_t row_bytes, std::size_t skew) {
        const std::size_t n_slots = std::size_t(k_blocks) * k_block_size;
        storage.resize(2 * n_slots * row_bytes + 128);
        auto base = reinterpret_cast<std::uintptr_t>(storage.data());
        auto* keys = reinterpret_cast<std::uint8_t*>((base + 63) / 64 * 64 + skew);
        layer.keys = {keys, hearth::TensorType::F32, std::int64_t(n_slots), std::int64_t(row_bytes / 4), row_bytes};
        layer.values = {keys + n_slots * row_bytes, hearth::TensorType::F32, std::int64_t(n_slots), std::int64_t(row_bytes / 4),
                        row_bytes};
        layer.block_size = k_block_size;
    }
};

// Decode tokens of separate sequences: token t of sequence t at positions[t], block tables given.
struct Batch {
    std::vector<std::int32_t> positions, seq, table;
    std::int32_t max_blocks = 0;
    be::BatchLayout layout;
    Batch(std::vector<std::int32_t> pos, std::vector<std::vector<std::int32_t>> tables) : positions(std::move(pos)) {
        for (const auto& t : tables) max_blocks = std::max(max_blocks, std::int32_t(t.size()));
        for (std::size_t s = 0; s < tables.size(); ++s) {
            seq.push_back(std::int32_t(s));
            for (std::int32_t b = 0; b < max_blocks; ++b) table.push_back(b < std::int32_t(tables[s].size()) ? tables[s][std::size_t(b)] : -1);
        }
        layout.n_tokens = std::int32_t(positions.size());
        layout.n_seqs = std::int32_t(tables.size());
        layout.positions = positions.data();
        layout.seq_of_token = seq.data();
        layout.block_table = table.data();
        layout.max_blocks_per_seq = max_blocks;
    }
};

std::uintptr_t line_of(const void* p) { return reinterpret_cast<std::uintptr_t>(p) / 64 * 64; }

// Every line holding a byte of the key or value row of `positions` in the sequence with `table`.
std::set<std::uintptr_t> lines_of(const Cache& c, const std::vector<std::int32_t>& table, std::int32_t first, std::int32_t last) {
    std::set<std::uintptr_t> lines;
    for (std::int32_t p = first; p <= last; ++p) {
        const std::int64_t slot = std::int64_t(table[std::size_t(p / k_block_size)]) * k_block_size + p % k_block_size;
        for (const be::Tensor* t : {&c.layer.keys, &c.layer.values}) {
            const auto* row = static_cast<const std::uint8_t*>(t->row(slot));
            for (std::size_t i = 0; i < t->row_bytes; ++i) lines.insert(line_of(row + i));
        }
    }
    return lines;
}

// How often each line is issued when `parts` tasks of uneven sizes cover [0, total).
std::map<std::uintptr_t, int> issued(const KvPrefetch& prefetch, int parts) {
    std::map<std::uintptr_t, int> count;
    const std::int64_t total = 1000;
    std::int64_t begin = 0;
    for (int i = 0; i < parts; ++i) {
        const std::int64_t end = i + 1 == parts ? total : begin + (total - begin) / (parts - i) + (i % 3) - 1;
        prefetch.for_each_line(begin, end, total, [&](const char* line) {
            QCOMPARE(reinterpret_cast<std::uintptr_t>(line) % 64, std::uintptr_t(0));
            ++count[reinterpret_cast<std::uintptr_t>(line)];
        });
        begin = end;
    }
    return count;
}

be::AttentionParams params_of(be::AttentionMask mask, std::int32_t window) {
    be::AttentionParams p;
    p.mask = mask;
    p.window = window;
    return p;
}

}  // namespace

class TestKvPrefetch : public QObject {
    Q_OBJECT
private slots:
    void plansTheRowsAttentionReads_data() {
        QTest::addColumn<int>("mask");
        QTest::addColumn<int>("window");
        QTest::addColumn<int>("position");
        QTest::addColumn<int>("first");
        QTest::addColumn<int>("rowBytes");
        QTest::addColumn<int>("skew");
        QTest::newRow("causal, aligned rows") << int(be::AttentionMask::causal) << 0 << 40 << 0 << 768 << 0;
        QTest::newRow("causal, rows across lines") << int(be::AttentionMask::causal) << 0 << 40 << 0 << 80 << 24;
        QTest::newRow("sliding window 10") << int(be::AttentionMask::sliding_window) << 10 << 40 << 31 << 768 << 0;
        QTest::newRow("window longer than history") << int(be::AttentionMask::sliding_window) << 512 << 40 << 0 << 384 << 8;
        QTest::newRow("chunked 16") << int(be::AttentionMask::chunked) << 16 << 40 << 32 << 768 << 0;
        QTest::newRow("first token of a chunk") << int(be::AttentionMask::chunked) << 16 << 32 << 32 << 768 << 0;
        QTest::newRow("block boundary") << int(be::AttentionMask::causal) << 0 << 16 << 0 << 256 << 0;
    }
    void plansTheRowsAttentionReads() {
        QFETCH(int, mask);
        QFETCH(int, window);
        QFETCH(int, position);
        QFETCH(int, first);
        QFETCH(int, rowBytes);
        QFETCH(int, skew);
        Cache cache{static_cast<std::size_t>(rowBytes), static_cast<std::size_t>(skew)};
        const std::vector<std::int32_t> table = {3, 0, 5, 7};
        Batch batch({position}, {table});
        KvPrefetch prefetch;
        prefetch.plan(cache.layer, batch.layout, params_of(be::AttentionMask(mask), window), 1 << 20);
        const std::set<std::uintptr_t> expected = lines_of(cache, table, first, position - 1);
        for (int parts : {1, 2, 7}) {
            const auto count = issued(prefetch, parts);
            QCOMPARE(count.size(), expected.size());
            for (const auto& [line, n] : count) {
                QVERIFY2(expected.count(line) == 1, "a line outside the rows attention reads");
                // Rows that share a line at their ends (rows not a whole number of lines) may repeat it.
                if (rowBytes % 64 == 0 && skew == 0) QCOMPARE(n, 1);
            }
        }
        QCOMPARE(prefetch.empty(), expected.empty());
    }

    void everyDecodeTokenOfTheBatch() {
        Cache cache(768, 0);
        const std::vector<std::int32_t> a = {1, 2}, b = {6, 4, 0};
        Batch batch({20, 35}, {a, b});
        KvPrefetch prefetch;
        prefetch.plan(cache.layer, batch.layout, params_of(be::AttentionMask::causal, 0), 1 << 20);
        std::set<std::uintptr_t> expected = lines_of(cache, a, 0, 19);
        for (auto line : lines_of(cache, b, 0, 34)) expected.insert(line);
        const auto count = issued(prefetch, 3);
        QCOMPARE(count.size(), expected.size());
        for (const auto& [line, n] : count) QVERIFY(expected.count(line) == 1 && n == 1);
    }

    void theLimitKeepsTheNewestRows() {
        Cache cache(768, 0);
        const std::vector<std::int32_t> table = {3, 0, 5};
        Batch batch({40}, {table});
        KvPrefetch prefetch;
        // Room for 11 positions' keys and values plus a little: positions 29..39, across a block boundary.
        prefetch.plan(cache.layer, batch.layout, params_of(be::AttentionMask::causal, 0), 11 * 2 * 768 + 700);
        QCOMPARE(prefetch.lines(), std::int64_t(11 * 2 * 768 / 64));
        const auto count = issued(prefetch, 2);
        const std::set<std::uintptr_t> expected = lines_of(cache, table, 29, 39);
        QCOMPARE(count.size(), expected.size());
        for (const auto& [line, n] : count) QVERIFY(expected.count(line) == 1);
        // Less than one position's rows: nothing.
        prefetch.plan(cache.layer, batch.layout, params_of(be::AttentionMask::causal, 0), 2 * 768 - 1);
        QVERIFY(prefetch.empty());
    }

    void prefillAndFirstTokensPlanNothing() {
        Cache cache(768, 0);
        KvPrefetch prefetch;
        // Five tokens of one prompt: attention reads rows the batch has just written.
        const std::vector<std::int32_t> table = {0, 1};
        Batch prefill({0, 1, 2, 3, 4}, {table, table, table, table, table});
        prefetch.plan(cache.layer, prefill.layout, params_of(be::AttentionMask::causal, 0), 1 << 20);
        QVERIFY(prefetch.empty());
        // A sequence's first token has no history.
        Batch first({0}, {table});
        prefetch.plan(cache.layer, first.layout, params_of(be::AttentionMask::causal, 0), 1 << 20);
        QVERIFY(prefetch.empty());
        // issue() with nothing planned, or an empty part, touches nothing.
        int visited = 0;
        prefetch.for_each_line(0, 10, 10, [&](const char*) { ++visited; });
        QCOMPARE(visited, 0);
    }
};

QTEST_APPLESS_MAIN(TestKvPrefetch)
#include "test_kv_prefetch.moc"
