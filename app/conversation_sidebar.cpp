#include "conversation_sidebar.h"

#include <QItemSelectionModel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include "conversation_list_model.h"

ConversationSidebar::ConversationSidebar(ConversationListModel& model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("conversationSidebar"));
    m_new = new QPushButton(QIcon::fromTheme(QStringLiteral("document-new")), tr("New chat"), this);
    m_new->setObjectName(QStringLiteral("newChatButton"));
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("conversationSearch"));
    m_search->setPlaceholderText(tr("Search all messages"));
    m_search->setClearButtonEnabled(true);
    m_list = new QListView(this);
    m_list->setObjectName(QStringLiteral("conversationList"));
    m_list->setModel(&m_model);
    m_list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setUniformItemSizes(true);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_new);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);

    connect(m_new, &QPushButton::clicked, this, &ConversationSidebar::newConversationRequested);
    connect(m_search, &QLineEdit::textChanged, &m_model, &ConversationListModel::setSearchText);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
        if (!m_selecting && current.isValid())
            emit conversationActivated(m_model.idAt(current.row()));
    });
    connect(m_list, &QListView::customContextMenuRequested, this, &ConversationSidebar::showContextMenu);
}

void ConversationSidebar::setCurrentConversation(qint64 id)
{
    m_selecting = true;
    const int row = id > 0 ? m_model.rowOf(id) : -1;
    if (row >= 0)
        m_list->selectionModel()->setCurrentIndex(m_model.index(row), QItemSelectionModel::ClearAndSelect);
    else
        m_list->selectionModel()->clear();
    m_selecting = false;
}

void ConversationSidebar::showContextMenu(const QPoint& position)
{
    const QModelIndex index = m_list->indexAt(position);
    if (!index.isValid())
        return;
    QMenu menu(this);
    menu.addAction(tr("Rename"), this, [this, index] { m_list->edit(index); });
    menu.addAction(tr("Export…"), this, [this, id = m_model.idAt(index.row())] { emit exportRequested(id); });
    menu.addSeparator();
    menu.addAction(tr("Delete…"), this, [this, row = index.row()] { deleteConversation(row); });
    menu.exec(m_list->viewport()->mapToGlobal(position));
}

void ConversationSidebar::deleteConversation(int row)
{
    const QString title = m_model.index(row).data().toString();
    QMessageBox box(QMessageBox::Question, tr("Delete Conversation"),
                    tr("Delete \"%1\" and all its messages? This cannot be undone.").arg(title),
                    QMessageBox::Cancel, this);
    QPushButton* remove = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != remove)
        return;
    const qint64 id = m_model.idAt(row);
    if (m_model.removeConversation(row))
        emit conversationDeleted(id);
}
