#pragma once
// The messages of the conversation on screen, in order. ChatSession fills it from the store and appends
// streamed text to the answer being written (one ranged dataChanged per batch); ChatView shows it.

#include <QAbstractListModel>
#include <QList>

#include "conversation_store.h"

class MessageListModel final : public QAbstractListModel {
    Q_OBJECT

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        RoleRole,             // "user", "assistant", "system"
        ContentRole,          // Markdown as the model wrote it
        StateRole,            // StoredMessage::State as its name ("complete", "streaming", …)
        PromptTokensRole,
        GeneratedTokensRole,
        TokensPerSecondRole,
    };

    explicit MessageListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setMessages(QList<StoredMessage> messages);
    void append(const StoredMessage& message);
    // Replaces the message with the same id (content, state, statistics).
    void update(const StoredMessage& message);
    void appendText(qint64 id, const QString& text);
    void remove(qint64 id);

    int rowOf(qint64 id) const;  // -1 when absent
    const StoredMessage& at(int row) const { return m_messages.at(row); }
    const QList<StoredMessage>& messages() const { return m_messages; }

private:
    QList<StoredMessage> m_messages;
};
