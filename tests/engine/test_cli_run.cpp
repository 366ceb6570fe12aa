// hearth-cli's commands that run a model (generate, chat, logits, bench) as users run them: usage errors,
// JSON output, greedy and seeded determinism, stop strings, raw prompts, models without a tokenizer,
// teacher-forced logits against the transformers golden, a piped chat, and the benchmark's report (one run,
// and the medians of --repeat runs).
// Real model: SmolLM2-135M-Instruct Q4_1 (fixture real_models); tiny models (fixture tiny_models).
#include <algorithm>
#include <cmath>

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

namespace {

struct Run {
    int exit_code = -1;
    QString out, err;
};

Run run_cli(const QStringList& args, const QByteArray& input = {}) {
    QProcess p;
    p.start(HEARTH_CLI_PATH, args);
    if (!p.waitForStarted(10000)) qFatal("hearth-cli did not start");
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(50000)) {
        p.kill();
        p.waitForFinished(5000);
        return {-1, QString::fromUtf8(p.readAllStandardOutput()),
                "hearth-cli " + args.join(' ') + " did not finish in 50 s\n" + QString::fromUtf8(p.readAllStandardError())};
    }
    const int code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;  // -2: it crashed
    return {code, QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QString smollm2() { return QStringLiteral(HEARTH_MODELS_DIR "/SmolLM2-135M-Instruct.Q4_1.gguf"); }
QString fixture(const QString& relative) { return QStringLiteral(HEARTH_FIXTURES_DIR "/models/") + relative; }

QJsonObject json_object(const Run& r) {
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
    if (!doc.isObject())
        qWarning("not a JSON object (%s): %s\nstderr: %s", qPrintable(error.errorString()), qPrintable(r.out),
                 qPrintable(r.err));
    return doc.object();
}

QJsonDocument read_json(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot open %s", qPrintable(path));
    return QJsonDocument::fromJson(f.readAll());
}

QString describe(const Run& r) { return QString("exit %1\nstdout: %2\nstderr: %3").arg(r.exit_code).arg(r.out, r.err); }

const QString k_question = QStringLiteral("What is the capital of France?");

}  // namespace

class TestCliRun : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QJsonObject m_greedy;  // generate's greedy answer to k_question, made once

    QJsonObject generate_json(const QStringList& extra) {
        const auto r = run_cli(QStringList{"generate", "--model", smollm2(), "--prompt", k_question, "--json"} + extra);
        if (r.exit_code != 0) qWarning("%s", qPrintable(describe(r)));
        return r.exit_code == 0 ? json_object(r) : QJsonObject{};
    }

    const QJsonObject& greedy() {
        if (m_greedy.isEmpty()) m_greedy = generate_json({"--temperature", "0", "--max-tokens", "12"});
        return m_greedy;
    }

    // The tokens file for `logits`: the first `n` ids of a golden's token list.
    QString tokens_file(const QString& name, const QJsonArray& tokens, int n) {
        QJsonArray first;
        for (int i = 0; i < n; ++i) first.append(tokens[i]);
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
        f.write(QJsonDocument(first).toJson());
        return path;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // Keep the tests' log files out of the user's data folder.
        qputenv("XDG_DATA_HOME", m_dir.filePath("data").toUtf8());
        QVERIFY2(QFile::exists(smollm2()), "SmolLM2 is missing: run tests/fetch_models.sh");
    }

    // Exit 2, nothing on stdout, and stderr names the option at fault (for a missing option the usage text,
    // which lists it).
    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("option");
        const QString m = smollm2();
        QTest::newRow("generate without --model") << QStringList{"generate", "--prompt", "hi"} << "--model";
        QTest::newRow("generate without --prompt") << QStringList{"generate", "--model", m} << "--prompt";
        QTest::newRow("--max-tokens 0") << QStringList{"generate", "--model", m, "--prompt", "hi", "--max-tokens", "0"}
                                        << "--max-tokens";
        QTest::newRow("--max-tokens word") << QStringList{"generate", "--model", m, "--prompt", "hi", "--max-tokens", "many"}
                                           << "--max-tokens";
        QTest::newRow("--max-tokens 1.5") << QStringList{"chat", "--model", m, "--max-tokens", "1.5"} << "--max-tokens";
        QTest::newRow("--matmul fp8") << QStringList{"generate", "--model", m, "--prompt", "hi", "--matmul", "fp8"}
                                      << "--matmul";
        QTest::newRow("--matmul on logits") << QStringList{"logits", "--model", m, "--tokens", "t.json", "--matmul", "int4"}
                                            << "--matmul";
        QTest::newRow("--temperature word") << QStringList{"generate", "--model", m, "--prompt", "hi", "--temperature", "warm"}
                                            << "--temperature";
        QTest::newRow("--temperature -1") << QStringList{"generate", "--model", m, "--prompt", "hi", "--temperature", "-1"}
                                          << "--temperature";
        QTest::newRow("--temperature without value") << QStringList{"generate", "--model", m, "--prompt", "hi", "--temperature"}
                                                     << "--temperature";
        QTest::newRow("--threads 0") << QStringList{"bench", "--model", m, "--threads", "0"} << "--threads";
        QTest::newRow("--seed -1") << QStringList{"generate", "--model", m, "--prompt", "hi", "--seed", "-1"} << "--seed";
        QTest::newRow("logits without --tokens") << QStringList{"logits", "--model", m} << "--tokens";
        QTest::newRow("logits --top-k 0") << QStringList{"logits", "--model", m, "--tokens", "t.json", "--top-k", "0"}
                                          << "--top-k";
        QTest::newRow("bench --gen-tokens 0") << QStringList{"bench", "--model", m, "--gen-tokens", "0"} << "--gen-tokens";
        QTest::newRow("chat without --model") << QStringList{"chat"} << "--model";
        QTest::newRow("unknown option") << QStringList{"generate", "--model", m, "--prompt", "hi", "--nucleus", "0.9"}
                                        << "--nucleus";
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, option);
        const auto r = run_cli(args);
        QVERIFY2(r.exit_code == 2, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(option), qPrintable(describe(r)));
        QVERIFY2(r.out.isEmpty(), qPrintable(describe(r)));
    }

    void greedyGenerateAnswersAndRepeats() {
        const QJsonObject first = greedy();
        for (const char* key : {"text", "tokens", "finish_reason", "prompt_tokens"})
            QVERIFY2(first.contains(key), key);
        const QString text = first["text"].toString();
        const QString reason = first["finish_reason"].toString();
        const auto tokens = first["tokens"].toArray();
        QVERIFY2(text.contains("Paris"), qPrintable(text));
        QVERIFY2(reason == "length" || reason == "stop", qPrintable(reason));
        if (reason == "length") QCOMPARE(tokens.size(), 12);
        QVERIFY(tokens.size() >= 1 && tokens.size() <= 12);
        // The chat template wraps the question: a system prompt and turn markers come with it.
        QVERIFY2(first["prompt_tokens"].toInt() > 10, qPrintable(QString::number(first["prompt_tokens"].toInt())));

        const QJsonObject again = generate_json({"--temperature", "0", "--max-tokens", "12"});
        QCOMPARE(again["text"].toString(), text);
        QCOMPARE(again["tokens"].toArray(), tokens);
        QCOMPARE(again["finish_reason"].toString(), reason);
        QCOMPARE(again["prompt_tokens"].toInt(), first["prompt_tokens"].toInt());
    }

    void seededSamplingRepeatsAndSeedsDiffer() {
        auto sampled = [&](int seed) {
            return generate_json({"--temperature", "0.8", "--seed", QString::number(seed), "--max-tokens", "24"});
        };
        const QJsonObject a = sampled(7), b = sampled(7);
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        QCOMPARE(a["seed"].toInteger(), qint64{7});
        QCOMPARE(a["tokens"].toArray(), b["tokens"].toArray());
        QCOMPARE(a["text"].toString(), b["text"].toString());
        // Another seed draws other tokens; should seed 8 happen to agree over 24 tokens, try 9, then 10.
        bool differs = false;
        for (int seed : {8, 9, 10}) {
            const QJsonObject other = sampled(seed);
            QVERIFY(!other.isEmpty());
            QCOMPARE(other["seed"].toInteger(), qint64{seed});
            if (other["tokens"].toArray() != a["tokens"].toArray()) {
                differs = true;
                break;
            }
        }
        QVERIFY2(differs, "seeds 7, 8, 9 and 10 sampled the same 24 tokens");
    }

    void stopStringEndsTheText() {
        const QString text = greedy()["text"].toString();
        const auto at = text.indexOf("Paris");
        QVERIFY2(at > 0, qPrintable(text));
        const QJsonObject stopped = generate_json({"--temperature", "0", "--max-tokens", "12", "--stop", "Paris"});
        QCOMPARE(stopped["finish_reason"].toString(), QString("stop"));
        QCOMPARE(stopped["text"].toString(), text.left(at));
    }

    // --raw sends the text as it is: no chat template, so fewer prompt tokens than the templated question,
    // exactly the tokenizer's (with BOS when the model adds one), and a plain continuation.
    void rawPromptSkipsTheTemplate() {
        const QString prompt = "The capital of France is";
        const auto r = run_cli({"generate", "--model", smollm2(), "--prompt", prompt, "--raw", "--temperature", "0",
                                "--max-tokens", "4", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(describe(r)));
        const QJsonObject o = json_object(r);
        QVERIFY2(o["text"].toString().contains("Paris"), qPrintable(r.out));
        const auto tokenized = run_cli({"tokenize", "--json", "--model", smollm2(), prompt});
        QCOMPARE(tokenized.exit_code, 0);
        const auto ids = QJsonDocument::fromJson(tokenized.out.toUtf8()).array();
        QVERIFY(!ids.isEmpty());
        const auto with_bos = run_cli({"tokenize", "--json", "--add-bos", "--model", smollm2(), prompt});
        const auto bos_ids = QJsonDocument::fromJson(with_bos.out.toUtf8()).array();
        const int prompt_tokens = o["prompt_tokens"].toInt();
        QVERIFY2(prompt_tokens == ids.size() || prompt_tokens == bos_ids.size(),
                 qPrintable(QString("%1 prompt tokens; the tokenizer makes %2 (%3 with BOS)")
                                .arg(prompt_tokens).arg(ids.size()).arg(bos_ids.size())));
        QVERIFY(prompt_tokens < greedy()["prompt_tokens"].toInt());
    }

    void generateWithoutATokenizer_data() {
        QTest::addColumn<QString>("model");
        QTest::newRow("gguf without merges") << fixture("gguf/llama-f32.gguf");
        QTest::newRow("hf folder without tokenizer.json") << fixture("hf/llama-f32");
    }
    void generateWithoutATokenizer() {
        QFETCH(QString, model);
        const auto r = run_cli({"generate", "--model", model, "--prompt", "hi", "--max-tokens", "2"});
        QVERIFY2(r.exit_code == 1, qPrintable(describe(r)));
        QVERIFY2(r.err.contains("tokenizer"), qPrintable(r.err));
        QVERIFY2(r.err.contains("logits"), qPrintable(r.err));  // what to use instead
        QVERIFY(r.out.isEmpty());
    }

    void missingModelIsNamed() {
        const QString missing = m_dir.filePath("no-such-model.gguf");
        const auto r = run_cli({"generate", "--model", missing, "--prompt", "hi"});
        QVERIFY2(r.exit_code == 1, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(missing), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    // The first 32 tokens of the SmolLM2 golden (tests/make_logits_golden.py): with F32 activations the
    // top-1 id matches transformers at every position and its logit within 0.01.
    void logitsMatchTheGolden() {
        const auto golden = read_json(QStringLiteral(HEARTH_TEST_DATA_DIR "/golden/logits/SmolLM2-135M-Instruct.Q4_1.json")).object();
        const auto expected = golden["positions"].toArray();
        const QString tokens = tokens_file("smollm2-tokens.json", golden["tokens"].toArray(), 32);
        const auto r = run_cli({"logits", "--model", smollm2(), "--tokens", tokens, "--top-k", "5", "--matmul", "exact", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(describe(r)));
        const QJsonObject o = json_object(r);
        QCOMPARE(o["top_k"].toInt(), 5);
        const int k = o["top_k"].toInt();
        QVERIFY(k >= 5);
        QCOMPARE(o["tokens"].toArray().size(), 32);
        const auto positions = o["positions"].toArray();
        QCOMPARE(positions.size(), 32);
        double worst = 0.0;
        for (int p = 0; p < positions.size(); ++p) {
            const auto pos = positions[p].toObject();
            const auto ids = pos["ids"].toArray(), logits = pos["logits"].toArray();
            QCOMPARE(ids.size(), k);
            QCOMPARE(logits.size(), k);
            QVERIFY(pos["lse"].isDouble());
            // Top-k in descending order, and the log-sum-exp is above the largest logit.
            for (int j = 1; j < k; ++j) QVERIFY(logits[j].toDouble() <= logits[j - 1].toDouble());
            QVERIFY(pos["lse"].toDouble() >= logits[0].toDouble());
            const auto ref = expected[p].toObject();
            QVERIFY2(ids[0].toInt() == ref["ids"].toArray()[0].toInt(),
                     qPrintable(QString("position %1: top-1 id %2, transformers %3").arg(p).arg(ids[0].toInt())
                                    .arg(ref["ids"].toArray()[0].toInt())));
            const double diff = std::abs(logits[0].toDouble() - ref["logits"].toArray()[0].toDouble());
            worst = std::max(worst, diff);
            QVERIFY2(diff <= 0.01, qPrintable(QString("position %1: top-1 logit %2, transformers %3")
                                                  .arg(p).arg(logits[0].toDouble()).arg(ref["logits"].toArray()[0].toDouble())));
            QVERIFY2(std::abs(pos["lse"].toDouble() - ref["lse"].toDouble()) <= 0.01, qPrintable(QString::number(p)));
        }
        qInfo("largest top-1 logit difference from transformers: %.5f", worst);
    }

    // A Hugging Face folder with no tokenizer still runs token ids; the tiny golden holds full F32 logits.
    void logitsOnATinyHfFolder() {
        const auto golden = read_json(QStringLiteral(HEARTH_TEST_DATA_DIR "/golden/logits/tiny-llama.json")).object();
        const auto expected = golden["logits"].toArray();
        const QString tokens = tokens_file("tiny-tokens.json", golden["tokens"].toArray(), 16);
        const auto r = run_cli({"logits", "--model", fixture("hf/llama-f32"), "--tokens", tokens, "--top-k", "3", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(describe(r)));
        const QJsonObject o = json_object(r);
        QCOMPARE(o["top_k"].toInt(), 3);
        const int k = o["top_k"].toInt();
        const auto positions = o["positions"].toArray();
        QCOMPARE(positions.size(), 16);
        for (int p = 0; p < positions.size(); ++p) {
            const auto row = expected[p].toArray();
            int argmax = 0;
            for (int i = 1; i < row.size(); ++i)
                if (row[i].toDouble() > row[argmax].toDouble()) argmax = i;
            const auto pos = positions[p].toObject();
            QCOMPARE(pos["ids"].toArray().size(), k);
            QCOMPARE(pos["ids"].toArray()[0].toInt(), argmax);
            QVERIFY(std::abs(pos["logits"].toArray()[0].toDouble() - row[argmax].toDouble()) <= 1e-3);
        }
    }

    void chatAnswersFromStdin() {
        const auto r = run_cli({"chat", "--model", smollm2(), "--temperature", "0", "--max-tokens", "20"},
                               (k_question + "\n/exit\n").toUtf8());
        QVERIFY2(r.exit_code == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains("Paris"), qPrintable(r.out));
    }

    // Each reply is written followed by a newline, so a chat's stdout is its replies in order.
    void chatKeepsTheConversation() {
        const QStringList args{"chat", "--model", smollm2(), "--temperature", "0", "--max-tokens", "20"};
        const auto france = run_cli(args, (k_question + "\n/exit\n").toUtf8());
        // Ends at the end of its input, without /exit.
        const auto two_turns = run_cli(args, (k_question + "\nWhat is the capital of Germany?\n").toUtf8());
        for (const Run* r : {&france, &two_turns}) QVERIFY2(r->exit_code == 0, qPrintable(describe(*r)));
        QVERIFY2(two_turns.out.startsWith(france.out), qPrintable(two_turns.out));
        QVERIFY2(two_turns.out.mid(france.out.size()).contains("Berlin"), qPrintable(two_turns.out));
    }

    // After /reset the second message is answered exactly as in a chat of its own; without /reset the first
    // turn is part of the prompt and the (greedy) reply to the same message differs.
    void chatResetStartsOver() {
        const QStringList args{"chat", "--model", smollm2(), "--temperature", "0", "--max-tokens", "20"};
        const QString first = "My name is Alice.", second = "What is my name?";
        const auto alone = run_cli(args, (first + "\n").toUtf8());
        const auto fresh = run_cli(args, (second + "\n").toUtf8());
        const auto reset = run_cli(args, (first + "\n/reset\n" + second + "\n/exit\n").toUtf8());
        const auto kept = run_cli(args, (first + "\n" + second + "\n/exit\n").toUtf8());
        for (const Run* r : {&alone, &fresh, &reset, &kept}) QVERIFY2(r->exit_code == 0, qPrintable(describe(*r)));
        QVERIFY(!fresh.out.trimmed().isEmpty());
        QCOMPARE(reset.out, alone.out + fresh.out);
        QVERIFY2(kept.out.startsWith(alone.out), qPrintable(kept.out));
        QVERIFY2(kept.out != reset.out, "the reply with the first turn kept equals the one after /reset: this "
                                        "check cannot tell them apart any more; pick other messages");
    }

    void benchReportsSpeedAgainstBandwidth() {
        const auto r = run_cli({"bench", "--model", smollm2(), "--prompt-tokens", "16", "--gen-tokens", "8", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(describe(r)));
        const QJsonObject o = json_object(r);
        for (const char* key : {"prefill_tokens_per_s", "decode_tokens_per_s", "memory_bandwidth_gbs",
                                "decode_bandwidth_fraction"}) {
            QVERIFY2(o[key].isDouble(), key);
            const double v = o[key].toDouble();
            QVERIFY2(v > 0 && std::isfinite(v), qPrintable(QString("%1 = %2").arg(key).arg(v)));
        }
        QCOMPARE(o["prompt_tokens"].toInt(), 16);
        QCOMPARE(o["gen_tokens"].toInt(), 8);
        // Decode cannot stream the weights faster than memory copies them (1.5: timer and cache slack).
        QVERIFY2(o["decode_bandwidth_fraction"].toDouble() < 1.5, qPrintable(r.out));
        const double implied = o["decode_weight_gbs"].toDouble() / o["memory_bandwidth_gbs"].toDouble();
        QVERIFY(std::abs(implied - o["decode_bandwidth_fraction"].toDouble()) <= 1e-6 * implied);
        QVERIFY(!o.contains("runs"));
    }

    void benchRepeatReportsMediansOfItsRuns() {
        const auto r = run_cli({"bench", "--model", smollm2(), "--prompt-tokens", "8", "--gen-tokens", "6", "--repeat", "3", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(describe(r)));
        const QJsonObject o = json_object(r);
        const QJsonArray runs = o["runs"].toArray();
        QCOMPARE(runs.size(), 3);
        const double bytes = o["weight_bytes_per_token"].toDouble();
        std::vector<double> decode, fraction, bandwidth;
        for (const auto& run : runs) {
            const QJsonObject m = run.toObject();
            decode.push_back(m["decode_tokens_per_s"].toDouble());
            bandwidth.push_back(m["memory_bandwidth_gbs"].toDouble());
            fraction.push_back(m["decode_bandwidth_fraction"].toDouble());
            QVERIFY(decode.back() > 0 && bandwidth.back() > 0);
            // Each run's fraction is against its own bandwidth measurement.
            const double implied = bytes * decode.back() / 1e9 / bandwidth.back();
            QVERIFY(std::abs(implied - fraction.back()) <= 1e-6 * implied);
        }
        auto median3 = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[1]; };
        QCOMPARE(o["decode_tokens_per_s"].toDouble(), median3(decode));
        QCOMPARE(o["memory_bandwidth_gbs"].toDouble(), median3(bandwidth));
        QCOMPARE(o["decode_bandwidth_fraction"].toDouble(), median3(fraction));
        // --repeat 0 is a usage error, named.
        const auto bad = run_cli({"bench", "--model", smollm2(), "--repeat", "0"});
        QCOMPARE(bad.exit_code, 2);
        QVERIFY2(bad.err.contains("--repeat"), qPrintable(describe(bad)));
    }
};

QTEST_GUILESS_MAIN(TestCliRun)
#include "test_cli_run.moc"
