#pragma once
// The sidebar's conversations, newest first, straight from the ConversationStore. Renaming goes through
// setData() (the view's editor); a search narrows the list to conversations whose messages or title match
// and fills the snippet role.

#include <QAbstractListModel>
#include <QList>

#include "conversation_store.h"

class ConversationListModel final : public QAbstractListModel {
    Q_OBJECT

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        TitleRole,
        UpdatedAtRole,
        SnippetRole,  // the matching text while a search is active, else empty
    };

    // `store` must outlive the model.
    explicit ConversationListModel(ConversationStore& store, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Reads the list again from the store (with the current search).
    void reload();
    void setSearchText(const QString& text);
    QString searchText() const { return m_search; }

    // A conversation was created or got a message: it moves to the top (or appears there).
    void conversationTouched(qint64 id);
    bool removeConversation(int row);

    int rowOf(qint64 id) const;  // -1 when absent
    qint64 idAt(int row) const { return m_items.at(row).conversation.id; }

private:
    struct Item {
        StoredConversation conversation;
        QString snippet;
    };
    QList<Item> load() const;

    ConversationStore& m_store;
    QString m_search;
    QList<Item> m_items;
};
