#include "message_list_model.h"

MessageListModel::MessageListModel(QObject* parent)
    : QAbstractListModel(parent)
{
}

int MessageListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

QVariant MessageListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StoredMessage& m = m_messages.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case ContentRole: return m.content;
    case IdRole: return m.id;
    case RoleRole: return m.role;
    case StateRole: return stateName(m.state);
    case PromptTokensRole: return m.promptTokens;
    case GeneratedTokensRole: return m.generatedTokens;
    case TokensPerSecondRole: return m.tokensPerSecond;
    default: return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {{Qt::DisplayRole, "display"},
            {IdRole, "id"},
            {RoleRole, "role"},
            {ContentRole, "content"},
            {StateRole, "state"},
            {PromptTokensRole, "promptTokens"},
            {GeneratedTokensRole, "generatedTokens"},
            {TokensPerSecondRole, "tokensPerSecond"}};
}

void MessageListModel::setMessages(QList<StoredMessage> messages)
{
    beginResetModel();
    m_messages = std::move(messages);
    endResetModel();
}

void MessageListModel::append(const StoredMessage& message)
{
    const int row = int(m_messages.size());
    beginInsertRows({}, row, row);
    m_messages.push_back(message);
    endInsertRows();
}

void MessageListModel::update(const StoredMessage& message)
{
    const int row = rowOf(message.id);
    if (row < 0)
        return;
    m_messages[row] = message;
    emit dataChanged(index(row), index(row));
}

void MessageListModel::appendText(qint64 id, const QString& text)
{
    const int row = rowOf(id);
    if (row < 0 || text.isEmpty())
        return;
    m_messages[row].content += text;
    emit dataChanged(index(row), index(row), {Qt::DisplayRole, ContentRole});
}

void MessageListModel::remove(qint64 id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_messages.removeAt(row);
    endRemoveRows();
}

int MessageListModel::rowOf(qint64 id) const
{
    // The message being streamed is the last one: search from the end.
    for (int row = int(m_messages.size()) - 1; row >= 0; --row)
        if (m_messages.at(row).id == id)
            return row;
    return -1;
}
