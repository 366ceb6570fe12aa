// Chats survive a kill: the test runs itself as a child (--child DATABASE MODEL) that chats with the tiny
// chat model without pause (each answer ends, the next message is sent), reporting on stdout every message
// it sent and every periodic commit of an answer. The parent kills it with SIGKILL after a few commits,
// mid-answer, then opens the database: every message reported sent is there as sent, every answer holds at
// least what was reported committed, and the answer cut short is marked interrupted.

#include <QCoreApplication>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <cstdio>

#include "chat_model_fixture.h"
#include "chat_session.h"
#include "conversation_store.h"
#include "engine_controller.h"

namespace {

constexpr int kCommitsBeforeKill = 3;

int runChild(const QString& databasePath, const QString& modelPath)
{
    ConversationStore store;
    if (!store.open(databasePath)) {
        std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
        return 1;
    }
    EngineController engine;
    ChatSession session(store, engine);
    hearth::SamplingParams sampling;
    sampling.ignore_eos = true;
    session.setSampling(sampling);
    session.setMaxTokens(100000);  // each answer runs to the end of the context
    // The tiny model writes a whole context (2048 tokens) in about a tenth of a second: commits every 2 ms
    // give the parent its commits mid-answer however fast the engine gets.
    session.setCommitInterval(2);

    int turn = 0;
    auto sendNext = [&] {
        const QString text = QStringLiteral("message %1: tell me more").arg(++turn);
        if (!session.send(text)) {
            std::fprintf(stderr, "send failed\n");
            QCoreApplication::exit(1);
            return;
        }
        const StoredMessage& user = session.messages()->at(session.messages()->rowCount() - 2);
        std::printf("SENT %lld %s\n", user.id, qPrintable(text));
        std::fflush(stdout);
    };
    QObject::connect(&engine, &EngineController::loaded, &session, sendNext);
    QObject::connect(&engine, &EngineController::loadFailed, &session, [](const QString&, const QString& message) {
        std::fprintf(stderr, "load failed: %s\n", qPrintable(message));
        QCoreApplication::exit(1);
    });
    QObject::connect(&session, &ChatSession::answerCommitted, &session, [](qint64 id, int characters) {
        std::printf("COMMITTED %lld %d\n", id, characters);
        std::fflush(stdout);
    });
    // After a failed answer (the conversation no longer fits the context) further messages would only fail
    // too, each costing more to encode than the last: the child stops sending and waits for its kill.
    QObject::connect(&session, &ChatSession::answerFinished, &session, [&](qint64, StoredMessage::State state) {
        if (state == StoredMessage::State::failed) {
            std::printf("FAILED\n");
            std::fflush(stdout);
            return;
        }
        sendNext();
    });
    LoadRequest request;
    request.path = modelPath;
    request.threads = 1;
    engine.load(request);
    return QCoreApplication::exec();
}

}  // namespace

class TestChatDurability final : public QObject {
    Q_OBJECT

private slots:
    void sigkillMidAnswerLosesNoSentMessage();
};

void TestChatDurability::sigkillMidAnswerLosesNoSentMessage()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString model = chat_fixture::make(dir.path());
    QVERIFY(!model.isEmpty());
    const QString database = dir.filePath(QStringLiteral("chats.sqlite"));

    QProcess child;
    child.setProgram(QCoreApplication::applicationFilePath());
    child.setArguments({QStringLiteral("--child"), database, model});
    child.setProcessChannelMode(QProcess::SeparateChannels);
    child.start();
    QVERIFY(child.waitForStarted());

    QHash<qint64, QString> sent;      // user message id → text
    QHash<qint64, int> committed;     // answer id → characters committed
    int commits = 0;
    QByteArray pending;
    QElapsedTimer clock;
    clock.start();
    while (commits < kCommitsBeforeKill && clock.elapsed() < 30000) {
        if (!child.waitForReadyRead(1000) && child.state() != QProcess::Running)
            break;
        pending += child.readAllStandardOutput();
        qsizetype newline;
        while ((newline = pending.indexOf('\n')) >= 0) {
            const QString line = QString::fromUtf8(pending.left(newline));
            pending.remove(0, newline + 1);
            const QStringList parts = line.split(QLatin1Char(' '));
            if (parts.value(0) == QLatin1String("SENT"))
                sent.insert(parts.value(1).toLongLong(), line.section(QLatin1Char(' '), 2));
            else if (parts.value(0) == QLatin1String("COMMITTED")) {
                committed.insert(parts.value(1).toLongLong(), parts.value(2).toInt());
                ++commits;
            }
        }
    }
    QVERIFY2(commits >= kCommitsBeforeKill,
             qPrintable(QStringLiteral("the child did not stream: ") + QString::fromUtf8(child.readAllStandardError())));
    QCOMPARE(::kill(pid_t(child.processId()), SIGKILL), 0);
    QVERIFY(child.waitForFinished(10000));
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);
    qInfo() << "killed after" << sent.size() << "messages sent," << commits << "commits";

    ConversationStore store;
    QVERIFY2(store.open(database), qPrintable(store.lastError()));
    const QList<StoredConversation> conversations = store.conversations();
    QCOMPARE(conversations.size(), 1);
    const QList<StoredMessage> messages = store.messages(conversations.first().id);
    QHash<qint64, StoredMessage> byId;
    for (const StoredMessage& m : messages)
        byId.insert(m.id, m);
    for (auto it = sent.cbegin(); it != sent.cend(); ++it) {
        QVERIFY2(byId.contains(it.key()), qPrintable(QStringLiteral("sent message %1 was lost").arg(it.key())));
        QCOMPARE(byId.value(it.key()).role, QStringLiteral("user"));
        QCOMPARE(byId.value(it.key()).content, it.value());
    }
    for (auto it = committed.cbegin(); it != committed.cend(); ++it) {
        QVERIFY(byId.contains(it.key()));
        QVERIFY2(byId.value(it.key()).content.size() >= it.value(),
                 qPrintable(QStringLiteral("answer %1: %2 characters stored, %3 committed")
                                .arg(it.key()).arg(byId.value(it.key()).content.size()).arg(it.value())));
    }
    // The child was always writing an answer (the next message is sent as one ends): the last one, cut
    // short, was found streaming and is now marked interrupted.
    QCOMPARE(messages.last().role, QStringLiteral("assistant"));
    QCOMPARE(messages.last().state, StoredMessage::State::interrupted);
    QVERIFY(messages.size() >= 2);
}

int main(int argc, char* argv[])
{
    if (argc == 4 && qstrcmp(argv[1], "--child") == 0) {
        QCoreApplication app(argc, argv);
        return runChild(QString::fromLocal8Bit(argv[2]), QString::fromLocal8Bit(argv[3]));
    }
    QCoreApplication app(argc, argv);
    TestChatDurability test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_chat_durability.moc"
