#pragma once
// Conversations and their messages in one SQLite file (Qt SQL, QSQLITE), so chats survive a restart, a
// crash or a kill. Every write is its own committed transaction: a user message is on disk when send()
// returns, and a streaming answer is on disk up to its last periodic update.
//
// Schema (PRAGMA user_version counts the migrations applied; see migrations() in the .cpp):
//   conversations(id, title, created_at, updated_at)            times in ms since the epoch (UTC)
//   messages(id, conversation_id, position, role, content, state, prompt_tokens, generated_tokens,
//            tokens_per_second, created_at)                      position: 0, 1, 2 … within its conversation
//   messages_fts                                                 FTS5 over messages.content, kept by triggers
//
// Lives on the GUI thread (or the thread that opened it): a QSqlDatabase connection is not shared across
// threads. Each store opens its own named connection, so tests can open the same file twice.

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <optional>

struct StoredConversation {
    qint64 id = 0;
    QString title;
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct StoredMessage {
    // What happened to a message; stored as these words.
    enum class State {
        complete,     // a user message, or an answer that ended by itself (stop or length)
        streaming,    // an answer still being written
        stopped,      // an answer the user stopped
        interrupted,  // an answer that was streaming when the app died (found so on the next start)
        failed,       // an answer that could not be generated; content holds the error
    };

    qint64 id = 0;
    qint64 conversationId = 0;
    int position = 0;
    QString role;  // "user", "assistant", "system"
    QString content;
    State state = State::complete;
    qint64 promptTokens = 0;
    qint64 generatedTokens = 0;
    double tokensPerSecond = 0.0;
    QDateTime createdAt;
};

Q_DECLARE_METATYPE(StoredMessage::State)

QString stateName(StoredMessage::State state);
std::optional<StoredMessage::State> stateFromName(const QString& name);

struct SearchHit {
    qint64 conversationId = 0;
    QString snippet;  // plain text around the first match
};

class ConversationStore final {
public:
    static constexpr int kSchemaVersion = 2;

    ConversationStore();
    ~ConversationStore();
    ConversationStore(const ConversationStore&) = delete;
    ConversationStore& operator=(const ConversationStore&) = delete;

    // Opens (creating when absent) the database at `path` and migrates it up to `targetVersion`; answers
    // still marked streaming are marked interrupted. Returns false with lastError() set.
    // NOTE: targetVersion exists for the migration tests; the app always opens at kSchemaVersion.
    bool open(const QString& path, int targetVersion = kSchemaVersion);
    bool isOpen() const;
    QString path() const { return m_path; }
    int schemaVersion() const;
    QString lastError() const { return m_lastError; }

    // Newest first (by the time of the last message).
    QList<StoredConversation> conversations() const;
    std::optional<StoredConversation> conversation(qint64 id) const;
    std::optional<qint64> createConversation(const QString& title);
    bool renameConversation(qint64 id, const QString& title);
    bool deleteConversation(qint64 id);  // with its messages

    QList<StoredMessage> messages(qint64 conversationId) const;
    // Appends a message at the end of its conversation and commits it; fills id, position and createdAt.
    bool addMessage(StoredMessage& message);
    // Rewrites a message's content, state and statistics.
    bool updateMessage(const StoredMessage& message);
    bool deleteMessage(qint64 id);

    // Conversations whose messages or title match every word of `text` (prefix matches), newest first.
    QList<SearchHit> search(const QString& text) const;

    QString exportMarkdown(qint64 conversationId) const;
    QByteArray exportJson(qint64 conversationId) const;

private:
    bool migrate(int targetVersion);
    bool touch(qint64 conversationId, qint64 whenMs);
    bool fail(const QString& what, const QString& error) const;

    QString m_connection;
    QString m_path;
    mutable QString m_lastError;
};
