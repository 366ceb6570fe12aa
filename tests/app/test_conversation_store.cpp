// ConversationStore on a real SQLite file: migrations from an older schema, messages in order, newest
// conversation first, full-text search (prefixes, odd characters, every word), deleting with messages,
// answers left streaming marked interrupted on reopen, and the Markdown / JSON exports.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "conversation_store.h"

class TestConversationStore final : public QObject {
    Q_OBJECT

private slots:
    void init();

    void createsSchema();
    void migratesFromVersionOne();
    void refusesNewerSchema();
    void messagesInOrder();
    void newestConversationFirst();
    void renameAndDelete();
    void search_data();
    void search();
    void streamingBecomesInterrupted();
    void exportsMarkdown();
    void exportsJson();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("chats.sqlite")); }
    qint64 addConversation(ConversationStore& store, const QString& title, const QStringList& contents);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestConversationStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

qint64 TestConversationStore::addConversation(ConversationStore& store, const QString& title,
                                              const QStringList& contents)
{
    const auto id = store.createConversation(title);
    if (!id)
        return 0;
    for (int i = 0; i < contents.size(); ++i) {
        StoredMessage m;
        m.conversationId = *id;
        m.role = i % 2 == 0 ? QStringLiteral("user") : QStringLiteral("assistant");
        m.content = contents.at(i);
        if (!store.addMessage(m))
            return 0;
    }
    return *id;
}

void TestConversationStore::createsSchema()
{
    ConversationStore store;
    QVERIFY2(store.open(path()), qPrintable(store.lastError()));
    QCOMPARE(store.schemaVersion(), ConversationStore::kSchemaVersion);
    QVERIFY(store.conversations().isEmpty());
}

void TestConversationStore::migratesFromVersionOne()
{
    qint64 id = 0;
    {
        // A database as the first schema left it: no full-text index yet.
        ConversationStore old;
        QVERIFY2(old.open(path(), 1), qPrintable(old.lastError()));
        QCOMPARE(old.schemaVersion(), 1);
        id = addConversation(old, QStringLiteral("Old chat"), {QStringLiteral("tell me about marmalade")});
        QVERIFY(id > 0);
        QVERIFY(old.search(QStringLiteral("marmalade")).isEmpty());  // no messages_fts: the query fails
    }
    ConversationStore store;
    QVERIFY2(store.open(path()), qPrintable(store.lastError()));
    QCOMPARE(store.schemaVersion(), 2);
    // The migration indexed the message written before it.
    const QList<SearchHit> hits = store.search(QStringLiteral("marma"));
    QCOMPARE(hits.size(), 1);
    QCOMPARE(hits.first().conversationId, id);
    QVERIFY2(hits.first().snippet.contains(QStringLiteral("marmalade")), qPrintable(hits.first().snippet));
    QCOMPARE(store.messages(id).size(), 1);
}

void TestConversationStore::refusesNewerSchema()
{
    {
        ConversationStore store;
        QVERIFY(store.open(path()));
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(path());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 99")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    ConversationStore store;
    QVERIFY(!store.open(path()));
    QVERIFY2(store.lastError().contains(QStringLiteral("newer")), qPrintable(store.lastError()));
    QVERIFY(store.lastError().contains(path()));
}

void TestConversationStore::messagesInOrder()
{
    ConversationStore store;
    QVERIFY(store.open(path()));
    const qint64 id = addConversation(store, QStringLiteral("Order"),
                                      {QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")});
    QVERIFY(id > 0);
    QList<StoredMessage> messages = store.messages(id);
    QCOMPARE(messages.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(messages.at(i).position, i);
    QCOMPARE(messages.at(0).content, QStringLiteral("one"));
    QCOMPARE(messages.at(1).role, QStringLiteral("assistant"));

    StoredMessage answer = messages.at(1);
    answer.content = QStringLiteral("two, rewritten");
    answer.state = StoredMessage::State::stopped;
    answer.generatedTokens = 7;
    answer.promptTokens = 12;
    answer.tokensPerSecond = 33.5;
    QVERIFY(store.updateMessage(answer));
    QVERIFY(store.deleteMessage(messages.at(2).id));
    messages = store.messages(id);
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(1).content, QStringLiteral("two, rewritten"));
    QCOMPARE(messages.at(1).state, StoredMessage::State::stopped);
    QCOMPARE(messages.at(1).generatedTokens, 7);
    QCOMPARE(messages.at(1).promptTokens, 12);
    QCOMPARE(messages.at(1).tokensPerSecond, 33.5);

    // A message added after a deletion goes after the last one still there.
    StoredMessage next;
    next.conversationId = id;
    next.role = QStringLiteral("user");
    next.content = QStringLiteral("four");
    QVERIFY(store.addMessage(next));
    QCOMPARE(next.position, 2);
}

void TestConversationStore::newestConversationFirst()
{
    ConversationStore store;
    QVERIFY(store.open(path()));
    const qint64 a = addConversation(store, QStringLiteral("A"), {QStringLiteral("a")});
    QThread::msleep(5);
    const qint64 b = addConversation(store, QStringLiteral("B"), {QStringLiteral("b")});
    QCOMPARE(store.conversations().first().id, b);
    QThread::msleep(5);
    StoredMessage m;
    m.conversationId = a;
    m.role = QStringLiteral("user");
    m.content = QStringLiteral("again");
    QVERIFY(store.addMessage(m));
    const QList<StoredConversation> all = store.conversations();
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.at(0).id, a);
    QCOMPARE(all.at(1).id, b);
}

void TestConversationStore::renameAndDelete()
{
    ConversationStore store;
    QVERIFY(store.open(path()));
    const qint64 id = addConversation(store, QStringLiteral("Before"), {QStringLiteral("unique-word-zebra")});
    QVERIFY(store.renameConversation(id, QStringLiteral("After")));
    QCOMPARE(store.conversation(id)->title, QStringLiteral("After"));
    QVERIFY(store.deleteConversation(id));
    QVERIFY(!store.conversation(id));
    QVERIFY(store.messages(id).isEmpty());  // cascaded
    QVERIFY(store.search(QStringLiteral("zebra")).isEmpty());
}

void TestConversationStore::search_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("titles");

    QTest::newRow("word") << "quantization" << QStringList{"GPU"};
    QTest::newRow("prefix") << "quant" << QStringList{"GPU"};
    QTest::newRow("case") << "QUANTIZATION" << QStringList{"GPU"};
    QTest::newRow("two conversations") << "recipe" << QStringList{"Soup", "Bread"};
    QTest::newRow("every word must match") << "recipe onions" << QStringList{"Soup"};
    QTest::newRow("title") << "Brea" << QStringList{"Bread"};
    QTest::newRow("FTS operators are text") << "AND OR NOT" << QStringList{};
    QTest::newRow("quote") << "\"onions" << QStringList{"Soup"};
    QTest::newRow("punctuation") << "c++ (templates)" << QStringList{"C++"};
    QTest::newRow("no match") << "xylophone" << QStringList{};
    QTest::newRow("blank") << "   " << QStringList{};
}

void TestConversationStore::search()
{
    QFETCH(QString, query);
    QFETCH(QStringList, titles);

    ConversationStore store;
    QVERIFY(store.open(path()));
    QVERIFY(addConversation(store, QStringLiteral("GPU"), {QStringLiteral("What does quantization do?"), QStringLiteral("It stores weights in fewer bits.")}));
    QThread::msleep(3);
    QVERIFY(addConversation(store, QStringLiteral("Bread"), {QStringLiteral("A bread recipe please")}));
    QThread::msleep(3);
    QVERIFY(addConversation(store, QStringLiteral("Soup"), {QStringLiteral("Soup recipe with onions")}));
    QVERIFY(addConversation(store, QStringLiteral("C++"), {QStringLiteral("How do C++ templates work?")}));

    QStringList found;
    for (const SearchHit& hit : store.search(query))
        found << store.conversation(hit.conversationId)->title;
    QCOMPARE(found, titles);
    QVERIFY(store.lastError().isEmpty());
}

void TestConversationStore::streamingBecomesInterrupted()
{
    qint64 id = 0;
    {
        ConversationStore store;
        QVERIFY(store.open(path()));
        id = addConversation(store, QStringLiteral("Cut"), {QStringLiteral("question")});
        StoredMessage answer;
        answer.conversationId = id;
        answer.role = QStringLiteral("assistant");
        answer.content = QStringLiteral("half an ans");
        answer.state = StoredMessage::State::streaming;
        QVERIFY(store.addMessage(answer));
    }
    ConversationStore store;
    QVERIFY(store.open(path()));
    const QList<StoredMessage> messages = store.messages(id);
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(1).state, StoredMessage::State::interrupted);
    QCOMPARE(messages.at(1).content, QStringLiteral("half an ans"));
}

void TestConversationStore::exportsMarkdown()
{
    ConversationStore store;
    QVERIFY(store.open(path()));
    const qint64 id = addConversation(store, QStringLiteral("Greeting"),
                                      {QStringLiteral("Hello?"), QStringLiteral("Hi! Here is `code`.")});
    QCOMPARE(store.exportMarkdown(id),
             QStringLiteral("# Greeting\n\n## User\n\nHello?\n\n## Assistant\n\nHi! Here is `code`.\n\n"));
    QVERIFY(store.exportMarkdown(id + 100).isEmpty());
}

void TestConversationStore::exportsJson()
{
    ConversationStore store;
    QVERIFY(store.open(path()));
    const qint64 id = addConversation(store, QStringLiteral("Greeting \"quoted\""),
                                      {QStringLiteral("Hello?"), QStringLiteral("Hi 你好")});
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(store.exportJson(id), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject root = doc.object();
    QCOMPARE(root.value(QStringLiteral("title")).toString(), QStringLiteral("Greeting \"quoted\""));
    const QJsonArray messages = root.value(QStringLiteral("messages")).toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("user"));
    QCOMPARE(messages.at(1).toObject().value(QStringLiteral("content")).toString(), QStringLiteral("Hi 你好"));
    QVERIFY(messages.at(1).toObject().contains(QStringLiteral("generated_tokens")));
}

QTEST_GUILESS_MAIN(TestConversationStore)
#include "test_conversation_store.moc"
