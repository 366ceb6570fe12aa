#include "conversation_list_model.h"

#include <QHash>

ConversationListModel::ConversationListModel(ConversationStore& store, QObject* parent)
    : QAbstractListModel(parent)
    , m_store(store)
{
    reload();
}

int ConversationListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

QVariant ConversationListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item& item = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
    case TitleRole: return item.conversation.title;
    case Qt::ToolTipRole:
        return item.snippet.isEmpty() ? item.conversation.title : item.conversation.title + QLatin1Char('\n') + item.snippet;
    case IdRole: return item.conversation.id;
    case UpdatedAtRole: return item.conversation.updatedAt;
    case SnippetRole: return item.snippet;
    default: return {};
    }
}

bool ConversationListModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const QString title = value.toString().simplified();
    Item& item = m_items[index.row()];
    if (title.isEmpty() || title == item.conversation.title)
        return false;
    if (!m_store.renameConversation(item.conversation.id, title))
        return false;
    item.conversation.title = title;
    emit dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole, Qt::ToolTipRole, TitleRole});
    return true;
}

Qt::ItemFlags ConversationListModel::flags(const QModelIndex& index) const
{
    const Qt::ItemFlags base = QAbstractListModel::flags(index);
    return index.isValid() ? base | Qt::ItemIsEditable : base;
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {{Qt::DisplayRole, "display"},
            {IdRole, "id"},
            {TitleRole, "title"},
            {UpdatedAtRole, "updatedAt"},
            {SnippetRole, "snippet"}};
}

QList<ConversationListModel::Item> ConversationListModel::load() const
{
    QList<Item> items;
    const QList<StoredConversation> all = m_store.conversations();
    if (m_search.trimmed().isEmpty()) {
        for (const StoredConversation& c : all)
            items.push_back({c, {}});
        return items;
    }
    QHash<qint64, QString> snippets;
    for (const SearchHit& hit : m_store.search(m_search))
        snippets.insert(hit.conversationId, hit.snippet);
    for (const StoredConversation& c : all)
        if (snippets.contains(c.id))
            items.push_back({c, snippets.value(c.id)});
    return items;
}

void ConversationListModel::reload()
{
    beginResetModel();
    m_items = load();
    endResetModel();
}

void ConversationListModel::setSearchText(const QString& text)
{
    if (text == m_search)
        return;
    m_search = text;
    reload();
}

void ConversationListModel::conversationTouched(qint64 id)
{
    const auto stored = m_store.conversation(id);
    const int row = rowOf(id);
    if (!stored) {
        if (row >= 0)
            removeConversation(row);
        return;
    }
    if (!m_search.trimmed().isEmpty()) {
        // Whether it matches may have changed with the new message.
        reload();
        return;
    }
    if (row < 0) {
        beginInsertRows({}, 0, 0);
        m_items.prepend({*stored, {}});
        endInsertRows();
        return;
    }
    if (row > 0) {
        beginMoveRows({}, row, row, {}, 0);
        m_items.move(row, 0);
        endMoveRows();
    }
    m_items[0].conversation = *stored;
    emit dataChanged(index(0), index(0));
}

bool ConversationListModel::removeConversation(int row)
{
    if (row < 0 || row >= m_items.size())
        return false;
    if (!m_store.deleteConversation(m_items.at(row).conversation.id))
        return false;
    beginRemoveRows({}, row, row);
    m_items.removeAt(row);
    endRemoveRows();
    return true;
}

int ConversationListModel::rowOf(qint64 id) const
{
    for (int row = 0; row < m_items.size(); ++row)
        if (m_items.at(row).conversation.id == id)
            return row;
    return -1;
}
