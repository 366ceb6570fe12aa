// The chat's finer points: Markdown answers cut at their fenced code blocks, each block in a monospace
// font with a Copy button that puts exactly its code on the clipboard; copying a whole message; and
// editing a user message and sending it again with the real engine on the tiny chat model, which
// replaces the later messages on screen and in the database.

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include "chat_model_fixture.h"
#include "chat_session.h"
#include "chat_view.h"
#include "conversation_store.h"
#include "engine_controller.h"
#include "main_window.h"
#include "message_list_model.h"

Q_DECLARE_METATYPE(QList<MarkdownSegment>)

namespace {

constexpr int kTimeoutMs = 30000;

MarkdownSegment md(const QString& text)
{
    return {MarkdownSegment::Kind::markdown, text, {}};
}

MarkdownSegment code(const QString& text, const QString& language = {})
{
    return {MarkdownSegment::Kind::code, text, language};
}

StoredMessage message(qint64 id, const char* role, const QString& content)
{
    StoredMessage m;
    m.id = id;
    m.conversationId = 1;
    m.role = QLatin1String(role);
    m.content = content;
    m.state = StoredMessage::State::complete;
    return m;
}

}  // namespace

class TestChatPolish final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void splitCodeBlocks_data();
    void splitCodeBlocks();
    void codeBlockCopyPutsCodeOnClipboard();
    void streamingAnswerGrowsItsCodeBlock();
    void copyMessage();
    void editAndResendReplacesLaterMessages();

private:
    QTemporaryDir m_dir;
};

void TestChatPolish::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
}

void TestChatPolish::splitCodeBlocks_data()
{
    QTest::addColumn<QString>("markdown");
    QTest::addColumn<QList<MarkdownSegment>>("expected");

    QTest::newRow("no code") << "Just **text**.\n\nTwo paragraphs." << QList{md("Just **text**.\n\nTwo paragraphs.")};
    QTest::newRow("one block") << "Run this:\n\n```python\nprint('hi')\nx = 1\n```\n\nDone."
                               << QList{md("Run this:\n"), code("print('hi')\nx = 1", "python"), md("\nDone.")};
    QTest::newRow("info string words") << "```c++ title=\"a.cpp\"\nint x;\n```"
                                       << QList{code("int x;", "c++")};
    QTest::newRow("tildes, longer fence") << "~~~~\n```\nnot a fence inside\n~~~\n~~~~~"
                                          << QList{code("```\nnot a fence inside\n~~~")};
    QTest::newRow("unclosed (still streaming)") << "Here:\n```sh\nls -l\ncd" << QList{md("Here:"), code("ls -l\ncd", "sh")};
    QTest::newRow("indented fence") << "  ```\n  a\n    b\n c\n  ```" << QList{code("a\n  b\nc")};
    QTest::newRow("inline backticks are not a fence") << "Use ``` `x` ``` inline" << QList{md("Use ``` `x` ``` inline")};
    QTest::newRow("four spaces is not a fence") << "    ```\n    code" << QList{md("    ```\n    code")};
    QTest::newRow("empty block") << "```\n```" << QList{code("")};
}

void TestChatPolish::splitCodeBlocks()
{
    QFETCH(QString, markdown);
    QFETCH(QList<MarkdownSegment>, expected);
    const QList<MarkdownSegment> actual = ::splitCodeBlocks(markdown);
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        QCOMPARE(actual.at(i).kind, expected.at(i).kind);
        QCOMPARE(actual.at(i).text, expected.at(i).text);
        QCOMPARE(actual.at(i).language, expected.at(i).language);
    }
}

void TestChatPolish::codeBlockCopyPutsCodeOnClipboard()
{
    MessageListModel model;
    const QString answer = QStringLiteral("Two ways:\n\n```python\nprint('hi')\n```\n\nor in a shell:\n\n```\nls -l | wc -l\n```\n");
    model.setMessages({message(1, "user", QStringLiteral("How?")), message(2, "assistant", answer)});
    ChatView view;
    view.setModel(&model);
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    QVERIFY(view.messageAt(0)->codeBlocks().isEmpty());  // the user's text is never interpreted
    const QList<CodeBlockWidget*> blocks = view.messageAt(1)->codeBlocks();
    QCOMPARE(blocks.size(), 2);
    QCOMPARE(blocks.at(0)->findChild<QLabel*>(QStringLiteral("codeLanguage"))->text(), QStringLiteral("python"));
    auto* codeText = blocks.at(1)->findChild<QLabel*>(QStringLiteral("codeText"));
    QCOMPARE(codeText->text(), QStringLiteral("ls -l | wc -l"));
    QCOMPARE(codeText->textFormat(), Qt::PlainText);
    QCOMPARE(codeText->font().family(), QFontDatabase::systemFont(QFontDatabase::FixedFont).family());

    QApplication::clipboard()->setText(QStringLiteral("something else"));
    auto* copy = blocks.at(1)->findChild<QToolButton*>(QStringLiteral("copyCodeButton"));
    QVERIFY(copy && copy->isVisible());
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("ls -l | wc -l"));
    QCOMPARE(copy->text(), QStringLiteral("Copied"));
    QTest::mouseClick(blocks.at(0)->findChild<QToolButton*>(QStringLiteral("copyCodeButton")), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("print('hi')"));
    QTRY_COMPARE(copy->text(), QStringLiteral("Copy code"));

    // The text around the blocks is Markdown.
    const QList<QLabel*> labels = view.messageAt(1)->findChildren<QLabel*>(QStringLiteral("messageContent"));
    QCOMPARE(labels.size(), 2);
    QCOMPARE(labels.at(0)->textFormat(), Qt::MarkdownText);
}

void TestChatPolish::streamingAnswerGrowsItsCodeBlock()
{
    MessageListModel model;
    StoredMessage answer = message(5, "assistant", QStringLiteral("Try:\n```sh\necho"));
    answer.state = StoredMessage::State::streaming;
    model.setMessages({answer});
    ChatView view;
    view.setModel(&model);
    CodeBlockWidget* block = view.messageAt(0)->codeBlocks().value(0);
    QVERIFY(block);
    QCOMPARE(block->code(), QStringLiteral("echo"));
    model.appendText(5, QStringLiteral(" hi\n```\nThat prints hi."));
    QCOMPARE(view.messageAt(0)->codeBlocks().value(0), block);  // the same widget, its text grown
    QCOMPARE(block->code(), QStringLiteral("echo hi"));
    QCOMPARE(view.messageAt(0)->findChildren<QLabel*>(QStringLiteral("messageContent")).size(), 2);
}

void TestChatPolish::copyMessage()
{
    MessageListModel model;
    const QString answer = QStringLiteral("**Bold** and\n```\ncode\n```");
    model.setMessages({message(2, "assistant", answer)});
    ChatView view;
    view.setModel(&model);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTest::mouseClick(view.messageAt(0)->findChild<QToolButton*>(QStringLiteral("copyMessageButton")), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), answer);
}

void TestChatPolish::editAndResendReplacesLaterMessages()
{
    QVERIFY2(QFileInfo::exists(QStringLiteral(HEARTH_FIXTURES_DIR "/models/hf/llama-f32/model.safetensors")),
             "the tiny_models fixture has not been generated (run the make_tiny_models test)");
    const QString model = chat_fixture::make(m_dir.path());
    QVERIFY(!model.isEmpty());
    const QString database = m_dir.filePath(QStringLiteral("chats.sqlite"));
    QSettings settings(m_dir.filePath(QStringLiteral("hearth.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("chat/database"), database);

    qint64 conversation = 0;
    qint64 firstUserId = 0;
    qint64 otherConversation = 0;
    {
        MainWindow window(settings);
        window.show();
        window.loadModel(model);
        QTRY_COMPARE_WITH_TIMEOUT(window.engine().state(), EngineController::State::ready, kTimeoutMs);
        ChatSession& session = window.chatSession();
        session.setMaxTokens(8);
        QSignalSpy finished(&session, &ChatSession::answerFinished);

        // Another conversation first: an edit must leave it alone.
        QVERIFY(session.send(QStringLiteral("Elsewhere")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeoutMs);
        otherConversation = session.conversationId();
        session.newConversation();

        QVERIFY(session.send(QStringLiteral("First question")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kTimeoutMs);
        QVERIFY(session.send(QStringLiteral("Second question")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, kTimeoutMs);
        conversation = session.conversationId();
        const QList<StoredMessage> before = window.conversationStore().messages(conversation);
        QCOMPARE(before.size(), 4);
        firstUserId = before.at(0).id;

        auto* view = window.findChild<ChatView*>();
        QCOMPARE(view->messageCount(), 4);
        auto* edit = view->messageAt(0)->findChild<QToolButton*>(QStringLiteral("editMessageButton"));
        QVERIFY(edit && edit->isVisible());
        QVERIFY(!view->messageAt(1)->findChild<QToolButton*>(QStringLiteral("editMessageButton"))->isVisible());
        QTest::mouseClick(edit, Qt::LeftButton);
        QVERIFY(view->messageAt(0)->isEditing());
        auto* editor = view->messageAt(0)->findChild<QPlainTextEdit*>(QStringLiteral("editMessageText"));
        QVERIFY(editor);
        QCOMPARE(editor->toPlainText(), QStringLiteral("First question"));
        editor->setPlainText(QStringLiteral("First question, asked better"));
        QTest::mouseClick(view->messageAt(0)->findChild<QPushButton*>(QStringLiteral("resendButton")), Qt::LeftButton);

        // At once: the edited message and a new answer being written; the old turn is gone.
        QVERIFY(session.isAnswering());
        QCOMPARE(view->messageCount(), 2);
        QVERIFY(!view->messageAt(0)->isEditing());
        QCOMPARE(view->messageAt(0)->markdown(), QStringLiteral("First question, asked better"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 4, kTimeoutMs);
        QCOMPARE(finished.last().at(1).value<StoredMessage::State>(), StoredMessage::State::complete);
        QCOMPARE(view->messageCount(), 2);
        QVERIFY(!view->messageAt(1)->markdown().isEmpty());

        // Blank edits and edits of an answer are refused, changing nothing.
        QVERIFY(!session.editAndResend(firstUserId, QStringLiteral("   ")));
        QVERIFY(!session.editAndResend(view->messageAt(1)->messageId(), QStringLiteral("x")));
        QCOMPARE(window.conversationStore().messages(conversation).size(), 2);
    }

    // On disk, read by a fresh store: the same user message (same id, new text) and one new answer.
    ConversationStore store;
    QVERIFY(store.open(database));
    const QList<StoredMessage> after = store.messages(conversation);
    QCOMPARE(after.size(), 2);
    QCOMPARE(after.at(0).id, firstUserId);
    QCOMPARE(after.at(0).content, QStringLiteral("First question, asked better"));
    QCOMPARE(after.at(1).role, QStringLiteral("assistant"));
    QCOMPARE(after.at(1).state, StoredMessage::State::complete);
    QVERIFY(store.search(QStringLiteral("Second")).isEmpty());
    QCOMPARE(store.messages(otherConversation).size(), 2);
}

QTEST_MAIN(TestChatPolish)
#include "test_chat_polish.moc"
