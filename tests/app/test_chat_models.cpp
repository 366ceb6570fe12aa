// The chat's list models under QAbstractItemModelTester (which checks every signal and index as the models
// change): conversations newest first, moved to the top when touched, renamed through setData, removed,
// narrowed by a search; messages appended, streamed into (ranged dataChanged), updated, removed, reset.

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "conversation_list_model.h"
#include "conversation_store.h"
#include "message_list_model.h"

namespace {

qint64 addConversation(ConversationStore& store, const QString& title, const QString& content)
{
    const auto id = store.createConversation(title);
    StoredMessage m;
    m.conversationId = *id;
    m.role = QStringLiteral("user");
    m.content = content;
    store.addMessage(m);
    QThread::msleep(3);  // distinct update times
    return *id;
}

QStringList titles(const QAbstractItemModel& model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, 0).data().toString();
    return out;
}

}  // namespace

class TestChatModels final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void conversationsNewestFirst();
    void touchMovesToTop();
    void renameThroughSetData();
    void removeConversation();
    void searchNarrowsList();
    void messages();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ConversationStore> m_store;
};

void TestChatModels::init()
{
    m_store.reset();
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<ConversationStore>();
    QVERIFY(m_store->open(m_dir->filePath(QStringLiteral("chats.sqlite"))));
}

void TestChatModels::conversationsNewestFirst()
{
    addConversation(*m_store, QStringLiteral("first"), QStringLiteral("a"));
    addConversation(*m_store, QStringLiteral("second"), QStringLiteral("b"));
    ConversationListModel model(*m_store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(titles(model), (QStringList{"second", "first"}));
    QVERIFY(model.roleNames().contains(ConversationListModel::SnippetRole));
}

void TestChatModels::touchMovesToTop()
{
    const qint64 first = addConversation(*m_store, QStringLiteral("first"), QStringLiteral("a"));
    addConversation(*m_store, QStringLiteral("second"), QStringLiteral("b"));
    ConversationListModel model(*m_store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);

    StoredMessage m;
    m.conversationId = first;
    m.role = QStringLiteral("user");
    m.content = QStringLiteral("again");
    QVERIFY(m_store->addMessage(m));
    model.conversationTouched(first);
    QCOMPARE(moved.size(), 1);
    QCOMPARE(titles(model), (QStringList{"first", "second"}));

    // A new conversation appears at the top.
    const qint64 third = addConversation(*m_store, QStringLiteral("third"), QStringLiteral("c"));
    model.conversationTouched(third);
    QCOMPARE(titles(model), (QStringList{"third", "first", "second"}));
    // Touching the top one changes data only.
    model.conversationTouched(third);
    QCOMPARE(moved.size(), 1);
    QCOMPARE(model.rowOf(third), 0);
}

void TestChatModels::renameThroughSetData()
{
    const qint64 id = addConversation(*m_store, QStringLiteral("old"), QStringLiteral("a"));
    ConversationListModel model(*m_store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.flags(model.index(0)) & Qt::ItemIsEditable);
    QVERIFY(model.setData(model.index(0), QStringLiteral("  new   name ")));
    QCOMPARE(model.index(0).data().toString(), QStringLiteral("new name"));
    QCOMPARE(m_store->conversation(id)->title, QStringLiteral("new name"));
    QVERIFY(!model.setData(model.index(0), QStringLiteral("   ")));  // a blank title is refused
    QCOMPARE(m_store->conversation(id)->title, QStringLiteral("new name"));
}

void TestChatModels::removeConversation()
{
    const qint64 a = addConversation(*m_store, QStringLiteral("a"), QStringLiteral("x"));
    addConversation(*m_store, QStringLiteral("b"), QStringLiteral("y"));
    ConversationListModel model(*m_store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.removeConversation(model.rowOf(a)));
    QCOMPARE(titles(model), (QStringList{"b"}));
    QVERIFY(!m_store->conversation(a));
    QVERIFY(!model.removeConversation(5));
}

void TestChatModels::searchNarrowsList()
{
    addConversation(*m_store, QStringLiteral("cooking"), QStringLiteral("how long to boil an egg"));
    const qint64 gpu = addConversation(*m_store, QStringLiteral("hardware"), QStringLiteral("which GPU has BF16"));
    ConversationListModel model(*m_store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSearchText(QStringLiteral("bf1"));
    QCOMPARE(titles(model), (QStringList{"hardware"}));
    QVERIFY(model.index(0).data(ConversationListModel::SnippetRole).toString().contains(QStringLiteral("BF16")));

    // A new matching message while searching keeps the list right.
    StoredMessage m;
    m.conversationId = *m_store->createConversation(QStringLiteral("later"));
    m.role = QStringLiteral("user");
    m.content = QStringLiteral("BF16 again");
    QVERIFY(m_store->addMessage(m));
    model.conversationTouched(m.conversationId);
    QCOMPARE(titles(model), (QStringList{"later", "hardware"}));

    model.setSearchText(QString());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowOf(gpu), 1);
}

void TestChatModels::messages()
{
    MessageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    StoredMessage user;
    user.id = 1;
    user.role = QStringLiteral("user");
    user.content = QStringLiteral("hi");
    StoredMessage answer;
    answer.id = 2;
    answer.role = QStringLiteral("assistant");
    answer.state = StoredMessage::State::streaming;
    model.setMessages({user});
    model.append(answer);
    QCOMPARE(model.rowCount(), 2);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.appendText(2, QStringLiteral("Hel"));
    model.appendText(2, QStringLiteral("lo"));
    QCOMPARE(changed.size(), 2);
    // Ranged: only the streamed row, only its text.
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 1);
    const auto roles = changed.at(0).at(2).value<QList<int>>();
    QVERIFY(roles.contains(MessageListModel::ContentRole));
    QCOMPARE(model.index(1).data(MessageListModel::ContentRole).toString(), QStringLiteral("Hello"));

    answer.content = QStringLiteral("Hello!");
    answer.state = StoredMessage::State::complete;
    answer.generatedTokens = 3;
    model.update(answer);
    QCOMPARE(model.index(1).data(MessageListModel::StateRole).toString(), QStringLiteral("complete"));
    QCOMPARE(model.index(1).data(MessageListModel::GeneratedTokensRole).toLongLong(), 3);

    model.appendText(99, QStringLiteral("ignored"));
    model.remove(1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0).data(MessageListModel::RoleRole).toString(), QStringLiteral("assistant"));
    model.setMessages({});
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestChatModels)
#include "test_chat_models.moc"
