#include "conversation_store.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <spdlog/spdlog.h>

namespace {

// Migration n (1-based) takes the schema from version n-1 to n. Never edit one that has shipped; add one.
const QList<QStringList>& migrations()
{
    static const QList<QStringList> all{
        // 1: conversations and messages.
        {
            QStringLiteral("CREATE TABLE conversations ("
                           " id INTEGER PRIMARY KEY,"
                           " title TEXT NOT NULL,"
                           " created_at INTEGER NOT NULL,"
                           " updated_at INTEGER NOT NULL)"),
            QStringLiteral("CREATE TABLE messages ("
                           " id INTEGER PRIMARY KEY,"
                           " conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
                           " position INTEGER NOT NULL,"
                           " role TEXT NOT NULL,"
                           " content TEXT NOT NULL,"
                           " state TEXT NOT NULL,"
                           " prompt_tokens INTEGER NOT NULL DEFAULT 0,"
                           " generated_tokens INTEGER NOT NULL DEFAULT 0,"
                           " tokens_per_second REAL NOT NULL DEFAULT 0,"
                           " created_at INTEGER NOT NULL)"),
            QStringLiteral("CREATE INDEX messages_by_conversation ON messages(conversation_id, position)"),
            QStringLiteral("CREATE INDEX conversations_by_update ON conversations(updated_at)"),
        },
        // 2: full-text search over message content (an external-content FTS5 table kept by triggers),
        // filled from the messages already there.
        {
            QStringLiteral("CREATE VIRTUAL TABLE messages_fts USING fts5("
                           " content, content='messages', content_rowid='id')"),
            QStringLiteral("CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN"
                           " INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content); END"),
            QStringLiteral("CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN"
                           " INSERT INTO messages_fts(messages_fts, rowid, content)"
                           " VALUES ('delete', old.id, old.content); END"),
            QStringLiteral("CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN"
                           " INSERT INTO messages_fts(messages_fts, rowid, content)"
                           " VALUES ('delete', old.id, old.content);"
                           " INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content); END"),
            QStringLiteral("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')"),
        },
    };
    return all;
}

// A null QString binds as SQL NULL; content and titles are NOT NULL, empty is "".
QString notNull(const QString& text) { return text.isNull() ? QStringLiteral("") : text; }

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

QDateTime fromMs(qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC); }

// A user's words as an FTS5 query: each word quoted (so operators and punctuation are just text) and
// matched as a prefix; all words must match.
QString ftsQuery(const QString& text)
{
    QStringList terms;
    for (QString word : text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
        word.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        terms << QLatin1Char('"') + word + QStringLiteral("\"*");
    }
    return terms.join(QLatin1Char(' '));
}

StoredMessage readMessage(const QSqlQuery& q)
{
    StoredMessage m;
    m.id = q.value(0).toLongLong();
    m.conversationId = q.value(1).toLongLong();
    m.position = q.value(2).toInt();
    m.role = q.value(3).toString();
    m.content = q.value(4).toString();
    m.state = stateFromName(q.value(5).toString()).value_or(StoredMessage::State::complete);
    m.promptTokens = q.value(6).toLongLong();
    m.generatedTokens = q.value(7).toLongLong();
    m.tokensPerSecond = q.value(8).toDouble();
    m.createdAt = fromMs(q.value(9).toLongLong());
    return m;
}

}  // namespace

QString stateName(StoredMessage::State state)
{
    switch (state) {
    case StoredMessage::State::complete: return QStringLiteral("complete");
    case StoredMessage::State::streaming: return QStringLiteral("streaming");
    case StoredMessage::State::stopped: return QStringLiteral("stopped");
    case StoredMessage::State::interrupted: return QStringLiteral("interrupted");
    case StoredMessage::State::failed: return QStringLiteral("failed");
    }
    return QStringLiteral("complete");
}

std::optional<StoredMessage::State> stateFromName(const QString& name)
{
    for (auto state : {StoredMessage::State::complete, StoredMessage::State::streaming, StoredMessage::State::stopped,
                       StoredMessage::State::interrupted, StoredMessage::State::failed})
        if (stateName(state) == name)
            return state;
    return std::nullopt;
}

ConversationStore::ConversationStore()
{
    static QAtomicInteger<quint64> counter;
    m_connection = QStringLiteral("hearth-conversations-%1").arg(++counter);
}

ConversationStore::~ConversationStore()
{
    if (QSqlDatabase::contains(m_connection)) {
        QSqlDatabase::database(m_connection, false).close();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

bool ConversationStore::fail(const QString& what, const QString& error) const
{
    m_lastError = QStringLiteral("%1: %2 (%3)").arg(m_path, what, error);
    spdlog::error("conversation store: {}", m_lastError.toStdString());
    return false;
}

bool ConversationStore::open(const QString& path, int targetVersion)
{
    m_path = path;
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(path);
    if (!db.open())
        return fail(QStringLiteral("cannot open the database"), db.lastError().text());

    QSqlQuery q(db);
    // NOTE: WAL with synchronous=NORMAL keeps every committed transaction when the process dies (a crash or
    // SIGKILL); only a power cut can lose the last ones. Each write here is one short transaction.
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
                               "PRAGMA busy_timeout=5000"})
        if (!q.exec(QString::fromLatin1(pragma)))
            return fail(QString::fromLatin1(pragma), q.lastError().text());
    if (!migrate(targetVersion))
        return false;
    if (!q.exec(QStringLiteral("UPDATE messages SET state = 'interrupted' WHERE state = 'streaming'")))
        return fail(QStringLiteral("marking interrupted answers"), q.lastError().text());
    return true;
}

bool ConversationStore::isOpen() const
{
    return QSqlDatabase::contains(m_connection) && QSqlDatabase::database(m_connection, false).isOpen();
}

int ConversationStore::schemaVersion() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    return q.exec(QStringLiteral("PRAGMA user_version")) && q.next() ? q.value(0).toInt() : -1;
}

bool ConversationStore::migrate(int targetVersion)
{
    const int current = schemaVersion();
    if (current < 0)
        return fail(QStringLiteral("reading the schema version"), QStringLiteral("PRAGMA user_version failed"));
    if (current > kSchemaVersion)
        return fail(QStringLiteral("the database is newer than this version of Hearth"),
                    QStringLiteral("schema %1, this version knows %2").arg(current).arg(kSchemaVersion));
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    for (int version = current + 1; version <= std::min(targetVersion, kSchemaVersion); ++version) {
        // Each migration and its version number commit together, or not at all.
        if (!db.transaction())
            return fail(QStringLiteral("starting migration %1").arg(version), db.lastError().text());
        QSqlQuery q(db);
        for (const QString& statement : migrations()[version - 1]) {
            if (!q.exec(statement)) {
                const QString error = q.lastError().text();
                db.rollback();
                return fail(QStringLiteral("migration %1: %2").arg(version).arg(statement), error);
            }
        }
        if (!q.exec(QStringLiteral("PRAGMA user_version = %1").arg(version)) || !db.commit()) {
            const QString error = q.lastError().text() + db.lastError().text();
            db.rollback();
            return fail(QStringLiteral("migration %1").arg(version), error);
        }
        spdlog::info("conversation store {}: migrated to schema {}", m_path.toStdString(), version);
    }
    return true;
}

QList<StoredConversation> ConversationStore::conversations() const
{
    QList<StoredConversation> result;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (!q.exec(QStringLiteral("SELECT id, title, created_at, updated_at FROM conversations"
                               " ORDER BY updated_at DESC, id DESC"))) {
        fail(QStringLiteral("listing conversations"), q.lastError().text());
        return result;
    }
    while (q.next())
        result.push_back({q.value(0).toLongLong(), q.value(1).toString(), fromMs(q.value(2).toLongLong()),
                          fromMs(q.value(3).toLongLong())});
    return result;
}

std::optional<StoredConversation> ConversationStore::conversation(qint64 id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT id, title, created_at, updated_at FROM conversations WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return StoredConversation{q.value(0).toLongLong(), q.value(1).toString(), fromMs(q.value(2).toLongLong()),
                              fromMs(q.value(3).toLongLong())};
}

std::optional<qint64> ConversationStore::createConversation(const QString& title)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)"));
    const qint64 now = nowMs();
    q.addBindValue(notNull(title));
    q.addBindValue(now);
    q.addBindValue(now);
    if (!q.exec()) {
        fail(QStringLiteral("creating a conversation"), q.lastError().text());
        return std::nullopt;
    }
    return q.lastInsertId().toLongLong();
}

bool ConversationStore::renameConversation(qint64 id, const QString& title)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("UPDATE conversations SET title = ? WHERE id = ?"));
    q.addBindValue(notNull(title));
    q.addBindValue(id);
    return q.exec() ? true : fail(QStringLiteral("renaming conversation %1").arg(id), q.lastError().text());
}

bool ConversationStore::deleteConversation(qint64 id)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("DELETE FROM conversations WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() ? true : fail(QStringLiteral("deleting conversation %1").arg(id), q.lastError().text());
}

QList<StoredMessage> ConversationStore::messages(qint64 conversationId) const
{
    QList<StoredMessage> result;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT id, conversation_id, position, role, content, state, prompt_tokens,"
                             " generated_tokens, tokens_per_second, created_at FROM messages"
                             " WHERE conversation_id = ? ORDER BY position"));
    q.addBindValue(conversationId);
    if (!q.exec()) {
        fail(QStringLiteral("reading conversation %1").arg(conversationId), q.lastError().text());
        return result;
    }
    while (q.next())
        result.push_back(readMessage(q));
    return result;
}

bool ConversationStore::touch(qint64 conversationId, qint64 whenMs)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("UPDATE conversations SET updated_at = ? WHERE id = ?"));
    q.addBindValue(whenMs);
    q.addBindValue(conversationId);
    return q.exec() ? true : fail(QStringLiteral("updating conversation %1").arg(conversationId), q.lastError().text());
}

bool ConversationStore::addMessage(StoredMessage& message)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    if (!db.transaction())
        return fail(QStringLiteral("adding a message"), db.lastError().text());
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO messages (conversation_id, position, role, content, state, prompt_tokens,"
                             " generated_tokens, tokens_per_second, created_at)"
                             " VALUES (?, (SELECT COALESCE(MAX(position) + 1, 0) FROM messages WHERE conversation_id = ?),"
                             " ?, ?, ?, ?, ?, ?, ?)"));
    const qint64 now = nowMs();
    q.addBindValue(message.conversationId);
    q.addBindValue(message.conversationId);
    q.addBindValue(notNull(message.role));
    q.addBindValue(notNull(message.content));
    q.addBindValue(stateName(message.state));
    q.addBindValue(message.promptTokens);
    q.addBindValue(message.generatedTokens);
    q.addBindValue(message.tokensPerSecond);
    q.addBindValue(now);
    if (!q.exec()) {
        const QString error = q.lastError().text();
        db.rollback();
        return fail(QStringLiteral("adding a message to conversation %1").arg(message.conversationId), error);
    }
    const qint64 id = q.lastInsertId().toLongLong();
    if (!touch(message.conversationId, now) || !db.commit()) {
        db.rollback();
        return fail(QStringLiteral("adding a message"), db.lastError().text());
    }
    QSqlQuery position(db);
    position.prepare(QStringLiteral("SELECT position FROM messages WHERE id = ?"));
    position.addBindValue(id);
    message.id = id;
    message.position = position.exec() && position.next() ? position.value(0).toInt() : 0;
    message.createdAt = fromMs(now);
    return true;
}

bool ConversationStore::updateMessage(const StoredMessage& message)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("UPDATE messages SET content = ?, state = ?, prompt_tokens = ?, generated_tokens = ?,"
                             " tokens_per_second = ? WHERE id = ?"));
    q.addBindValue(notNull(message.content));
    q.addBindValue(stateName(message.state));
    q.addBindValue(message.promptTokens);
    q.addBindValue(message.generatedTokens);
    q.addBindValue(message.tokensPerSecond);
    q.addBindValue(message.id);
    return q.exec() ? true : fail(QStringLiteral("updating message %1").arg(message.id), q.lastError().text());
}

bool ConversationStore::deleteMessage(qint64 id)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("DELETE FROM messages WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() ? true : fail(QStringLiteral("deleting message %1").arg(id), q.lastError().text());
}

QList<SearchHit> ConversationStore::search(const QString& text) const
{
    QList<SearchHit> hits;
    const QString query = ftsQuery(text);
    if (query.isEmpty())
        return hits;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    // The best-ranked matching message of each conversation gives its snippet; titles match by substring.
    q.prepare(QStringLiteral(
        "SELECT c.id, (SELECT snippet(messages_fts, 0, '', '', '…', 12) FROM messages_fts"
        "   JOIN messages m ON m.id = messages_fts.rowid"
        "   WHERE messages_fts MATCH :q AND m.conversation_id = c.id ORDER BY rank LIMIT 1) AS snippet"
        " FROM conversations c"
        " WHERE c.id IN (SELECT m.conversation_id FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid"
        "                WHERE messages_fts MATCH :q)"
        "    OR c.title LIKE :like ESCAPE '\\'"
        " ORDER BY c.updated_at DESC, c.id DESC"));
    QString like = text.trimmed();
    like.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('%'), QStringLiteral("\\%"))
        .replace(QLatin1Char('_'), QStringLiteral("\\_"));
    q.bindValue(QStringLiteral(":q"), query);
    q.bindValue(QStringLiteral(":like"), QLatin1Char('%') + like + QLatin1Char('%'));
    if (!q.exec()) {
        fail(QStringLiteral("searching for \"%1\"").arg(text), q.lastError().text());
        return hits;
    }
    while (q.next())
        hits.push_back({q.value(0).toLongLong(), q.value(1).toString()});
    return hits;
}

QString ConversationStore::exportMarkdown(qint64 conversationId) const
{
    const auto conv = conversation(conversationId);
    if (!conv)
        return {};
    QString out = QStringLiteral("# %1\n\n").arg(conv->title);
    for (const StoredMessage& m : messages(conversationId)) {
        const QString who = m.role == QLatin1String("user")        ? QCoreApplication::translate("ConversationStore", "User")
                            : m.role == QLatin1String("assistant") ? QCoreApplication::translate("ConversationStore", "Assistant")
                                                                   : QCoreApplication::translate("ConversationStore", "System");
        out += QStringLiteral("## %1\n\n%2\n\n").arg(who, m.content);
    }
    return out;
}

QByteArray ConversationStore::exportJson(qint64 conversationId) const
{
    const auto conv = conversation(conversationId);
    if (!conv)
        return {};
    QJsonArray messagesJson;
    for (const StoredMessage& m : messages(conversationId)) {
        QJsonObject o{{QStringLiteral("role"), m.role},
                      {QStringLiteral("content"), m.content},
                      {QStringLiteral("state"), stateName(m.state)},
                      {QStringLiteral("created_at"), m.createdAt.toString(Qt::ISODateWithMs)}};
        if (m.role == QLatin1String("assistant")) {
            o.insert(QStringLiteral("prompt_tokens"), m.promptTokens);
            o.insert(QStringLiteral("generated_tokens"), m.generatedTokens);
            o.insert(QStringLiteral("tokens_per_second"), m.tokensPerSecond);
        }
        messagesJson.append(o);
    }
    const QJsonObject root{{QStringLiteral("title"), conv->title},
                           {QStringLiteral("created_at"), conv->createdAt.toString(Qt::ISODateWithMs)},
                           {QStringLiteral("updated_at"), conv->updatedAt.toString(Qt::ISODateWithMs)},
                           {QStringLiteral("messages"), messagesJson}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}
