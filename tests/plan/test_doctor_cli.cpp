// hearth-cli doctor: the plan for people and as JSON (the keys the planner issue lists), --simulate, and
// option errors named as options.
#include <QtTest/QTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace {

struct CliResult {
    int exit_code = -1;
    QString out, err;
};

CliResult run_cli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(HEARTH_CLI_PATH), args);
    p.waitForFinished(50000);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QString fixture(const char* name) { return QStringLiteral(HEARTH_FIXTURES_DIR "/models/") + name; }

QStringList codes(const QJsonObject& plan) {
    QStringList out;
    for (const auto& f : plan["findings"].toArray()) out << f.toObject()["code"].toString();
    return out;
}

}  // namespace

class TestDoctorCli : public QObject {
    Q_OBJECT

private slots:
    void jsonHasTheIssuesKeys() {
        const auto r = run_cli({"doctor", "--json", "--model", fixture("hf/qwen2-bf16"), "--simulate", "t4", "--kv-dtype",
                                "fp8-e4m3", "--ctx", "1024"});
        QCOMPARE(r.exit_code, 0);
        const auto o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        for (const char* key : {"weights_dtype", "compute_dtype", "kv_dtype", "context_length", "memory", "findings"})
            QVERIFY2(o.contains(key), key);
        QCOMPARE(o["weights_dtype"].toString(), QString("F16"));  // BF16 on a 7.5 GPU
        QCOMPARE(o["compute_dtype"].toString(), QString("F16"));
        QCOMPARE(o["kv_dtype"].toString(), QString("F8_E4M3"));
        QCOMPARE(o["context_length"].toInt(), 1024);
        QCOMPARE(o["device"].toString(), QString("cuda:0"));
        for (const char* key : {"weights", "kv_bytes_per_token", "kv_cache", "workspace", "total"})
            QVERIFY2(o["memory"].toObject().contains(key), key);
        const QStringList found = codes(o);
        for (const char* code : {"bf16-unsupported", "fp16-range", "fp8-kv-gqa"}) QVERIFY2(found.contains(code), code);
        for (const auto& f : o["findings"].toArray()) {
            const auto finding = f.toObject();
            for (const char* key : {"severity", "code", "message", "suggestion"}) QVERIFY2(finding.contains(key), key);
        }
        // doctor scans the weights it converts: the count is in the plan.
        for (const auto& f : o["findings"].toArray())
            if (f.toObject()["code"] == "fp16-range") QVERIFY(f.toObject()["args"].toObject().contains("count"));
    }

    void textForPeople() {
        const auto r = run_cli({"doctor", "--model", fixture("gguf/llama-q4_0.gguf"), "--simulate", "cpu"});
        QCOMPARE(r.exit_code, 0);
        for (const char* line : {"Device:   cpu", "KV cache: F32", "Memory:", "Kernels:", "Verdict:  ready to load."})
            QVERIFY2(r.out.contains(line), qPrintable(r.out));
    }

    void refusalIsPrinted() {
        const auto r = run_cli({"doctor", "--model", fixture("hf/llama-bf16"), "--simulate", "v100", "--weights-dtype", "bf16"});
        QCOMPARE(r.exit_code, 0);
        QVERIFY2(r.out.contains("refusal bf16-unsupported"), qPrintable(r.out));
        QVERIFY(r.out.contains("Verdict:  Hearth will not load"));
    }

    void measureAttachesKl() {
        // SmolLM2: 9 query heads share 3 KV heads; the calibration text is about 512 of its tokens.
        const auto r = run_cli({"doctor", "--json", "--measure", "--model", QStringLiteral(HEARTH_MODELS_DIR "/SmolLM2-135M-Instruct.Q4_1.gguf"),
                                "--kv-dtype", "fp8-e4m3"});
        QCOMPARE(r.exit_code, 0);
        const auto o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        bool found = false;
        for (const auto& f : o["findings"].toArray()) {
            const auto finding = f.toObject();
            if (finding["code"] != "fp8-kv-gqa") continue;
            found = true;
            QVERIFY(finding["args"].toObject().contains("mean_kl"));
            QVERIFY(finding["message"].toString().contains("KL divergence"));
        }
        QVERIFY2(found, qPrintable(r.out));
    }

    void badOptionsAreNamed() {
        const auto profile = run_cli({"doctor", "--model", fixture("hf/llama-bf16"), "--simulate", "tpu"});
        QCOMPARE(profile.exit_code, 2);
        QVERIFY2(profile.err.contains("--simulate expects one of gtx1080"), qPrintable(profile.err));
        const auto kv = run_cli({"doctor", "--model", fixture("hf/llama-bf16"), "--kv-dtype", "fp4"});
        QCOMPARE(kv.exit_code, 2);
        QVERIFY(kv.err.contains("--kv-dtype expects"));
        QCOMPARE(run_cli({"doctor"}).exit_code, 2);
    }
};

QTEST_GUILESS_MAIN(TestDoctorCli)
#include "test_doctor_cli.moc"
