// hearth-cli as users run it: exit codes, --version, inspect in text and JSON, and errors on stderr.
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

Run run_cli(const QStringList& args) {
    QProcess p;
    p.start(HEARTH_CLI_PATH, args);
    if (!p.waitForFinished(30000)) qFatal("hearth-cli did not finish");
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QString fixture(const QString& relative) { return QStringLiteral(HEARTH_FIXTURES_DIR "/models/") + relative; }

}  // namespace

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        // Keep the tests' log files out of the user's data folder.
        static QTemporaryDir data_home;
        qputenv("XDG_DATA_HOME", data_home.path().toUtf8());
    }

    void version() {
        const auto r = run_cli({"--version"});
        QCOMPARE(r.exit_code, 0);
        QVERIFY2(r.out.startsWith("hearth-cli 0."), qPrintable(r.out));
    }

    void inspectJsonHasTheRequiredKeys_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("format");
        QTest::newRow("gguf") << "gguf/qwen2-q8_0.gguf" << "gguf";
        QTest::newRow("hf folder") << "hf/qwen2-bf16" << "huggingface";
    }
    void inspectJsonHasTheRequiredKeys() {
        QFETCH(QString, model);
        QFETCH(QString, format);
        const auto r = run_cli({"inspect", fixture(model), "--json"});
        QCOMPARE(r.exit_code, 0);
        QJsonParseError error;
        const auto doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
        QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
        const auto o = doc.object();
        for (const char* key : {"architecture", "n_layers", "hidden_size", "n_heads", "n_kv_heads", "head_dim",
                                "vocab_size", "context_length", "n_params", "stored_dtypes", "quantization"}) {
            QVERIFY2(o.contains(key), key);
        }
        QCOMPARE(o["format"].toString(), format);
        QCOMPARE(o["architecture"].toString(), QString("qwen2"));
        QCOMPARE(o["n_layers"].toInt(), 2);
        QVERIFY(!o.contains("tensors"));
        QVERIFY(o["n_params"].toDouble() > 0);
    }

    void inspectTensorsListsEveryTensor() {
        const auto r = run_cli({"inspect", "--tensors", "--json", fixture("gguf/llama-q4_0.gguf")});
        QCOMPARE(r.exit_code, 0);
        const auto o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const auto tensors = o["tensors"].toArray();
        QCOMPARE(tensors.size(), o["n_tensors"].toInt());
        QVERIFY(tensors.size() > 0);
        const auto first = tensors[0].toObject();
        for (const char* key : {"name", "type", "shape", "n_bytes", "offset"}) QVERIFY2(first.contains(key), key);
    }

    void inspectTextForPeople() {
        const auto r = run_cli({"inspect", fixture("hf/gemma3-f32")});
        QCOMPARE(r.exit_code, 0);
        QVERIFY2(r.out.contains("architecture      gemma3 (Gemma3ForCausalLM)"), qPrintable(r.out));
        QVERIFY2(r.out.contains("sliding window    8 tokens on 1 of 2 layers"), qPrintable(r.out));
    }

    void badInputFailsWithTheReadersError() {
        QTemporaryDir dir;
        QFile f(dir.filePath("broken.gguf"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("GGUF\x03\x00\x00\x00", 8);
        f.close();
        const auto r = run_cli({"inspect", f.fileName()});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.startsWith("error: broken.gguf: file ends at byte 8 while reading the tensor count"), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void tokenizeAndDetokenizeRoundTrip() {
        const QString model = QStringLiteral(HEARTH_MODELS_DIR "/SmolLM2-135M-Instruct.Q4_1.gguf");
        const QString text = QString::fromUtf8("<|im_start|>Hello, 世界! 👋🏽");
        const auto plain = run_cli({"tokenize", "--json", "--model", model, text});
        QCOMPARE(plain.exit_code, 0);
        const auto special = run_cli({"tokenize", "--json", "--parse-special", "--model", model, text});
        QCOMPARE(special.exit_code, 0);
        const auto plain_ids = QJsonDocument::fromJson(plain.out.toUtf8()).array();
        const auto special_ids = QJsonDocument::fromJson(special.out.toUtf8()).array();
        // Typed control-token text stays characters unless asked: more tokens, and the first is not <|im_start|>.
        QVERIFY(plain_ids.size() > special_ids.size());
        QCOMPARE(special_ids[0].toInt(), 1);
        QVERIFY(plain_ids[0].toInt() != 1);
        QStringList args{"detokenize", "--model", model};
        for (const auto& id : plain_ids) args << QString::number(id.toInt());
        const auto back = run_cli(args);
        QCOMPARE(back.exit_code, 0);
        QCOMPARE(back.out, text);
        const auto outside = run_cli({"detokenize", "--model", model, "999999"});
        QCOMPARE(outside.exit_code, 1);
        QVERIFY2(outside.err.contains("outside the vocabulary (49152 tokens)"), qPrintable(outside.err));
    }

    void tokenizeReadsAHuggingFaceFolder() {
        // SmolLM2's tokenizer.json (committed test data) gives the ids of its GGUF file's tokenizer.
        const QString folder = QStringLiteral(HEARTH_TEST_DATA_DIR "/tokenizer/hf/smollm2-135m-instruct.q4_1");
        const QString gguf = QStringLiteral(HEARTH_MODELS_DIR "/SmolLM2-135M-Instruct.Q4_1.gguf");
        const QString text = QString::fromUtf8("Hello, 世界! 👋🏽 <|im_end|>  spaces\n\ttabs");
        const auto from_folder = run_cli({"tokenize", "--json", "--model", folder, text});
        QCOMPARE(from_folder.exit_code, 0);
        const auto from_gguf = run_cli({"tokenize", "--json", "--model", gguf, text});
        QCOMPARE(from_gguf.exit_code, 0);
        const auto ids = QJsonDocument::fromJson(from_folder.out.toUtf8()).array();
        QVERIFY(ids.size() > 5);
        QCOMPARE(ids, QJsonDocument::fromJson(from_gguf.out.toUtf8()).array());
        // A folder without tokenizer.json says which file it needs.
        QTemporaryDir empty;
        const auto missing = run_cli({"tokenize", "--model", empty.path(), text});
        QCOMPARE(missing.exit_code, 1);
        QVERIFY2(missing.err.contains("tokenizer.json"), qPrintable(missing.err));
    }

    void templateRendersTheModelsChatTemplate() {
        QTemporaryDir dir;
        QFile messages(dir.filePath("messages.json"));
        QVERIFY(messages.open(QIODevice::WriteOnly));
        messages.write(R"([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "你好"}])");
        messages.close();
        const auto smollm = run_cli({"template", "--model", QStringLiteral(HEARTH_MODELS_DIR "/SmolLM2-135M-Instruct.Q4_1.gguf"),
                                     "--messages", messages.fileName(), "--add-generation-prompt"});
        QCOMPARE(smollm.exit_code, 0);
        QCOMPARE(smollm.out, QString::fromUtf8("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n你好<|im_end|>\n"
                                               "<|im_start|>assistant\n"));
        // Gemma-3-270M (base) ships no template: the Gemma fallback, with the finding code on stderr.
        const auto gemma = run_cli({"template", "--model", QStringLiteral(HEARTH_MODELS_DIR "/gemma-3-270m-Q4_K_M.gguf"),
                                    "--messages", messages.fileName()});
        QCOMPARE(gemma.exit_code, 0);
        QVERIFY2(gemma.err.contains("warning [template-missing]"), qPrintable(gemma.err));
        QVERIFY2(gemma.out.startsWith("<bos><start_of_turn>user\nBe brief.\n\n你好<end_of_turn>\n"), qPrintable(gemma.out));
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no command") << QStringList{};
        QTest::newRow("unknown command") << QStringList{"frobnicate"};
        QTest::newRow("inspect without path") << QStringList{"inspect"};
        QTest::newRow("unknown option") << QStringList{"inspect", "x.gguf", "--yaml"};
        QTest::newRow("tokenize without model") << QStringList{"tokenize", "hello"};
        QTest::newRow("detokenize with a word") << QStringList{"detokenize", "--model", "m.gguf", "hello"};
        QTest::newRow("bad log level") << QStringList{"--log-level", "loud", "inspect", "x.gguf"};
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        const auto r = run_cli(args);
        QCOMPARE(r.exit_code, 2);
        QVERIFY(!r.err.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
