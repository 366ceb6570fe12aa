// The chat in the main window with the real engine on the tiny fixture models: the input disabled with a
// reason until a model is loaded, Enter / Shift+Enter, a reply streamed from the worker into the chat view
// in batches and stored, stop, regenerate, the status area, a cancelled load, and a conversation that
// survives closing and reopening the app on the same database file.

#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QPlainTextEdit>
#include <QElapsedTimer>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>
#include <QTranslator>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "chat_model_fixture.h"
#include "chat_panel.h"
#include "chat_session.h"
#include "chat_view.h"
#include "conversation_store.h"
#include "engine_controller.h"
#include "main_window.h"
#include "translations.h"
#include "scoped_translations.h"

namespace {

QString fixture(const QString& relative)
{
    return QStringLiteral(HEARTH_FIXTURES_DIR "/models/") + relative;
}

QString labelText(const QWidget& parent, const QString& name)
{
    const auto* label = parent.findChild<QLabel*>(name);
    return label ? label->text() : QString();
}

constexpr int kTimeoutMs = 30000;

}  // namespace

class TestChatWindow final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void inputDisabledWithoutModel();
    void enterSendsShiftEnterIsNewline();
    void streamsReplyIntoChatView();
    void stopEndsAnswerAtOnce();
    void regenerateReplacesLastAnswer();
    void loadCanBeCancelled();
    void conversationSurvivesRestart();
    void chineseTranslation();

private:
    // Loads the tiny chat model (chat_model_fixture.h) and waits until it is ready.
    bool loadTinyModel(MainWindow& window);

    QTemporaryDir m_dir;
    QString m_chatModel;
    std::unique_ptr<QSettings> m_settings;
    int m_run = 0;
};

void TestChatWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY2(QFileInfo::exists(fixture(QStringLiteral("hf/llama-f32/model.safetensors"))),
             "the tiny_models fixture has not been generated (run the make_tiny_models test)");
    m_chatModel = chat_fixture::make(m_dir.path());
    QVERIFY(!m_chatModel.isEmpty());
}

void TestChatWindow::init()
{
    ++m_run;
    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("hearth-%1.ini").arg(m_run)),
                                             QSettings::IniFormat);
    m_settings->setValue(QStringLiteral("chat/database"), m_dir.filePath(QStringLiteral("chats-%1.sqlite").arg(m_run)));
}

void TestChatWindow::cleanup()
{
    m_settings.reset();
}

bool TestChatWindow::loadTinyModel(MainWindow& window)
{
    window.loadModel(m_chatModel);
    (void)QTest::qWaitFor([&] { return window.engine().state() != EngineController::State::loading; }, kTimeoutMs);
    return window.engine().state() == EngineController::State::ready;
}

void TestChatWindow::inputDisabledWithoutModel()
{
    MainWindow window(*m_settings);
    window.show();
    auto* panel = window.findChild<ChatPanel*>();
    QVERIFY(panel);
    QVERIFY(!panel->input()->isEnabled());
    QCOMPARE(labelText(window, QStringLiteral("inputDisabledReason")),
             QStringLiteral("No model is loaded. Load one to start chatting."));
    QVERIFY(window.findChild<QPushButton*>(QStringLiteral("loadModelButton"))->isVisible());
    QVERIFY(!window.findChild<QPushButton*>(QStringLiteral("sendButton"))->isEnabled());
    QCOMPARE(labelText(window, QStringLiteral("engineStatus")), QStringLiteral("No model loaded"));

    QVERIFY(loadTinyModel(window));
    QVERIFY(panel->input()->isEnabled());
    QVERIFY(!window.findChild<QLabel*>(QStringLiteral("inputDisabledReason"))->isVisible());
    QVERIFY(panel->disabledReason().isEmpty());
    // The status area: the model, the device and KV cache type, then its use.
    QVERIFY2(labelText(window, QStringLiteral("engineStatus")).contains(QStringLiteral("tiny-chat")),
             qPrintable(labelText(window, QStringLiteral("engineStatus"))));
    QVERIFY2(labelText(window, QStringLiteral("deviceStatus")).contains(QStringLiteral("CPU")),
             qPrintable(labelText(window, QStringLiteral("deviceStatus"))));
    QVERIFY(labelText(window, QStringLiteral("deviceStatus")).contains(QStringLiteral("KV cache F16")));
    QTRY_VERIFY_WITH_TIMEOUT(labelText(window, QStringLiteral("kvCacheStatus")).startsWith(QStringLiteral("KV cache ")),
                             kTimeoutMs);

    window.engine().unload();
    QTRY_COMPARE_WITH_TIMEOUT(window.engine().state(), EngineController::State::empty, kTimeoutMs);
    QVERIFY(!panel->input()->isEnabled());
}

void TestChatWindow::enterSendsShiftEnterIsNewline()
{
    MainWindow window(*m_settings);
    window.show();
    QVERIFY(loadTinyModel(window));
    auto* input = window.findChild<ChatPanel*>()->input();
    QSignalSpy sent(input, &ChatInput::sendRequested);
    input->setFocus();
    QTest::keyClicks(input, QStringLiteral("line one"));
    QTest::keyClick(input, Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(input, QStringLiteral("line two"));
    QCOMPARE(sent.size(), 0);
    QCOMPARE(input->toPlainText(), QStringLiteral("line one\nline two"));

    QSignalSpy finished(&window.chatSession(), &ChatSession::answerFinished);
    QTest::keyClick(input, Qt::Key_Return);
    QCOMPARE(sent.size(), 1);
    QVERIFY(input->toPlainText().isEmpty());  // sent: the input is cleared
    const QList<StoredMessage> stored = window.conversationStore().messages(window.chatSession().conversationId());
    QVERIFY(!stored.isEmpty());
    QCOMPARE(stored.first().content, QStringLiteral("line one\nline two"));  // committed when sent
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeoutMs);
}

void TestChatWindow::streamsReplyIntoChatView()
{
    MainWindow window(*m_settings);
    window.show();
    QVERIFY(loadTinyModel(window));
    ChatSession& session = window.chatSession();
    hearth::SamplingParams greedy;
    greedy.temperature = 0.0;
    greedy.ignore_eos = true;  // the random tiny model would often stop at once
    session.setSampling(greedy);
    session.setMaxTokens(64);

    QSignalSpy textBatches(&window.engine(), &EngineController::textArrived);
    QSignalSpy finished(&session, &ChatSession::answerFinished);
    auto* input = window.findChild<ChatPanel*>()->input();
    input->setFocus();
    QTest::keyClicks(input, QStringLiteral("Hello there"));
    QTest::keyClick(input, Qt::Key_Return);
    QVERIFY(session.isAnswering());
    QVERIFY(window.findChild<QPushButton*>(QStringLiteral("stopButton"))->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeoutMs);
    QCOMPARE(finished.first().at(1).value<StoredMessage::State>(), StoredMessage::State::complete);

    // Batched: far fewer signals than the 64 tokens, and every token counted.
    QVERIFY(!textBatches.isEmpty());
    QVERIFY2(textBatches.size() < 64, qPrintable(QString::number(textBatches.size())));
    qint64 tokens = 0;
    QString streamed;
    for (const QList<QVariant>& batch : textBatches) {
        streamed += batch.at(1).toString();
        tokens += batch.at(2).toLongLong();
    }
    QCOMPARE(tokens, 64);

    auto* view = window.findChild<ChatView*>();
    QCOMPARE(view->messageCount(), 2);
    QCOMPARE(view->messageAt(0)->role(), QStringLiteral("user"));
    QCOMPARE(view->messageAt(0)->markdown(), QStringLiteral("Hello there"));
    QCOMPARE(view->messageAt(1)->role(), QStringLiteral("assistant"));
    QCOMPARE(view->messageAt(1)->markdown(), streamed);
    QVERIFY(!streamed.isEmpty());
    const QString footer = view->messageAt(1)->findChild<QLabel*>(QStringLiteral("messageFooter"))->text();
    QVERIFY2(footer.contains(QStringLiteral("64 generated")) && footer.contains(QStringLiteral("tokens/s")), qPrintable(footer));
    QVERIFY2(footer.contains(QStringLiteral(" in the prompt")), qPrintable(footer));

    // Stored as shown, with its statistics; the sidebar lists the conversation, titled by the message.
    const QList<StoredMessage> stored = window.conversationStore().messages(session.conversationId());
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored.at(1).content, streamed);
    QCOMPARE(stored.at(1).state, StoredMessage::State::complete);
    QCOMPARE(stored.at(1).generatedTokens, 64);
    QVERIFY(stored.at(1).promptTokens > 0);
    QVERIFY(stored.at(1).tokensPerSecond > 0.0);
    const auto* list = window.findChild<QListView*>(QStringLiteral("conversationList"));
    QCOMPARE(list->model()->rowCount(), 1);
    QCOMPARE(list->model()->index(0, 0).data().toString(), QStringLiteral("Hello there"));
    QCOMPARE(list->currentIndex().row(), 0);
}

void TestChatWindow::stopEndsAnswerAtOnce()
{
    MainWindow window(*m_settings);
    QVERIFY(loadTinyModel(window));
    ChatSession& session = window.chatSession();
    hearth::SamplingParams sampling;
    sampling.ignore_eos = true;
    session.setSampling(sampling);
    session.setMaxTokens(100000);  // ends only at the context's end, unless stopped

    QSignalSpy textBatches(&window.engine(), &EngineController::textArrived);
    QSignalSpy finished(&session, &ChatSession::answerFinished);
    QVERIFY(session.send(QStringLiteral("Go on and on")));
    QTRY_VERIFY_WITH_TIMEOUT(!textBatches.isEmpty(), kTimeoutMs);
    QElapsedTimer clock;
    clock.start();
    window.findChild<QPushButton*>(QStringLiteral("stopButton"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeoutMs);
    qInfo() << "stopped after" << clock.elapsed() << "ms";
    QVERIFY(clock.elapsed() < 2000);
    QCOMPARE(finished.first().at(1).value<StoredMessage::State>(), StoredMessage::State::stopped);
    const QList<StoredMessage> stored = window.conversationStore().messages(session.conversationId());
    QCOMPARE(stored.last().state, StoredMessage::State::stopped);
    QVERIFY(!stored.last().content.isEmpty());
    QVERIFY(!session.isAnswering());
    QVERIFY(window.findChild<QPushButton*>(QStringLiteral("sendButton"))->isEnabled());
}

void TestChatWindow::regenerateReplacesLastAnswer()
{
    MainWindow window(*m_settings);
    QVERIFY(loadTinyModel(window));
    ChatSession& session = window.chatSession();
    hearth::SamplingParams sampling;
    sampling.ignore_eos = true;
    sampling.seed = 1;
    session.setSampling(sampling);
    session.setMaxTokens(16);
    QSignalSpy finished(&session, &ChatSession::answerFinished);
    QVERIFY(session.send(QStringLiteral("Say something")));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeoutMs);
    const qint64 conversation = session.conversationId();
    QSignalSpy removed(window.chatSession().messages(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(window.chatSession().messages(), &QAbstractItemModel::rowsInserted);

    auto* regenerate = window.findChild<QPushButton*>(QStringLiteral("regenerateButton"));
    QVERIFY(regenerate->isEnabled());
    regenerate->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kTimeoutMs);
    const QList<StoredMessage> stored = window.conversationStore().messages(conversation);
    QCOMPARE(stored.size(), 2);
    QCOMPARE(removed.size(), 1);   // the old answer
    QCOMPARE(inserted.size(), 1);  // the new one
    QCOMPARE(stored.last().role, QStringLiteral("assistant"));
    QCOMPARE(stored.last().generatedTokens, 16);
    QCOMPARE(window.findChild<ChatView*>()->messageCount(), 2);
}

void TestChatWindow::loadCanBeCancelled()
{
    MainWindow window(*m_settings);
    window.show();
    QSignalSpy failed(&window.engine(), &EngineController::loadFailed);
    window.loadModel(fixture(QStringLiteral("gguf/llama-q8_0.gguf")));
    QCOMPARE(window.engine().state(), EngineController::State::loading);
    QVERIFY(window.findChild<QProgressBar*>(QStringLiteral("loadProgress"))->isVisible());
    QCOMPARE(labelText(window, QStringLiteral("inputDisabledReason")), QStringLiteral("The model is loading…"));
    // Cancel while the window shows "loading" always ends as cancelled: the worker stops at its next check
    // of the flag, or, where the tiny model finished loading first, the controller unloads it again.
    window.findChild<QToolButton*>(QStringLiteral("cancelLoadButton"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kTimeoutMs);
    QCOMPARE(failed.first().at(2).toBool(), true);
    QCOMPARE(window.engine().state(), EngineController::State::empty);
    QVERIFY(labelText(window, QStringLiteral("engineStatus")).contains(QStringLiteral("cancelled")));
    QVERIFY(!window.findChild<QProgressBar*>(QStringLiteral("loadProgress"))->isVisible());

    // A load after the cancelled one works.
    QVERIFY(loadTinyModel(window));
}

void TestChatWindow::conversationSurvivesRestart()
{
    QString answer;
    qint64 conversation = 0;
    {
        MainWindow window(*m_settings);
        QVERIFY(loadTinyModel(window));
        hearth::SamplingParams sampling;
        sampling.ignore_eos = true;
        window.chatSession().setSampling(sampling);
        window.chatSession().setMaxTokens(24);
        QSignalSpy finished(&window.chatSession(), &ChatSession::answerFinished);
        QVERIFY(window.chatSession().send(QStringLiteral("Remember me")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeoutMs);
        conversation = window.chatSession().conversationId();
        answer = window.findChild<ChatView*>()->messageAt(1)->markdown();
        window.close();
    }
    MainWindow again(*m_settings);
    again.show();
    auto* list = again.findChild<QListView*>(QStringLiteral("conversationList"));
    QCOMPARE(list->model()->rowCount(), 1);
    QCOMPARE(list->model()->index(0, 0).data().toString(), QStringLiteral("Remember me"));
    // Choosing it in the sidebar shows it again, as it was.
    list->setCurrentIndex(list->model()->index(0, 0));
    QCOMPARE(again.chatSession().conversationId(), conversation);
    auto* view = again.findChild<ChatView*>();
    QCOMPARE(view->messageCount(), 2);
    QCOMPARE(view->messageAt(0)->markdown(), QStringLiteral("Remember me"));
    QCOMPARE(view->messageAt(1)->markdown(), answer);
}

void TestChatWindow::chineseTranslation()
{
    const ScopedTranslations chinese(QLocale(QLocale::Chinese, QLocale::China));
    QVERIFY(chinese.installed());
    MainWindow window(*m_settings);
    QCOMPARE(window.findChild<QPushButton*>(QStringLiteral("sendButton"))->text(), QStringLiteral("发送"));
    QCOMPARE(window.findChild<QPushButton*>(QStringLiteral("newChatButton"))->text(), QStringLiteral("新聊天"));
    QCOMPARE(labelText(window, QStringLiteral("inputDisabledReason")),
             QStringLiteral("尚未加载模型。加载一个模型即可开始聊天。"));
    QCOMPARE(window.findChild<QMenu*>(QStringLiteral("menuModel"))->title(), QStringLiteral("模型(&M)"));
}

QTEST_MAIN(TestChatWindow)
#include "test_chat_window.moc"
