#include "chat_view.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "message_list_model.h"

MessageWidget::MessageWidget(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("message"));
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("messageHeader"));
    QFont bold = m_header->font();
    bold.setBold(true);
    m_header->setFont(bold);
    m_copy = new QToolButton(this);
    m_copy->setObjectName(QStringLiteral("copyMessageButton"));
    m_copy->setText(tr("Copy"));
    m_copy->setToolTip(tr("Copy this message as Markdown"));
    m_copy->setAutoRaise(true);
    top->addWidget(m_header, 1);
    top->addWidget(m_copy);
    layout->addLayout(top);

    m_content = new QLabel(this);
    m_content->setObjectName(QStringLiteral("messageContent"));
    m_content->setWordWrap(true);
    m_content->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    m_content->setOpenExternalLinks(true);
    layout->addWidget(m_content);

    m_footer = new QLabel(this);
    m_footer->setObjectName(QStringLiteral("messageFooter"));
    m_footer->setTextFormat(Qt::PlainText);
    m_footer->setEnabled(false);  // drawn in the palette's muted colour
    layout->addWidget(m_footer);

    connect(m_copy, &QToolButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_markdown);
        emit copyRequested(m_markdown);
    });
}

void MessageWidget::update(const MessageListModel& model, int row)
{
    const QModelIndex index = model.index(row);
    m_role = index.data(MessageListModel::RoleRole).toString();
    m_markdown = index.data(MessageListModel::ContentRole).toString();
    const QString state = index.data(MessageListModel::StateRole).toString();
    const bool user = m_role == QLatin1String("user");

    m_header->setText(user ? tr("You") : m_role == QLatin1String("assistant") ? tr("Assistant") : tr("System"));
    if (state == QLatin1String("failed")) {
        m_content->setTextFormat(Qt::PlainText);
        m_content->setText(tr("Could not answer: %1").arg(m_markdown));
    } else if (user) {
        // What the user typed is shown as typed, never interpreted.
        m_content->setTextFormat(Qt::PlainText);
        m_content->setText(m_markdown);
    } else {
        m_content->setTextFormat(Qt::MarkdownText);
        m_content->setText(m_markdown.isEmpty() && state == QLatin1String("streaming") ? tr("…") : m_markdown);
    }

    QStringList footer;
    if (!user) {
        const qint64 generated = index.data(MessageListModel::GeneratedTokensRole).toLongLong();
        const qint64 prompt = index.data(MessageListModel::PromptTokensRole).toLongLong();
        const double speed = index.data(MessageListModel::TokensPerSecondRole).toDouble();
        if (generated > 0 && prompt > 0)
            footer << tr("tokens: %1 generated, %2 in the prompt")
                          .arg(QLocale().toString(generated), QLocale().toString(prompt));
        else if (generated > 0)
            footer << tr("tokens: %1 generated").arg(QLocale().toString(generated));
        if (speed > 0.0)
            footer << tr("%1 tokens/s").arg(QLocale().toString(speed, 'f', 1));
        if (state == QLatin1String("streaming"))
            footer << tr("writing…");
        else if (state == QLatin1String("stopped"))
            footer << tr("stopped");
        else if (state == QLatin1String("interrupted"))
            footer << tr("interrupted (Hearth closed while it was being written)");
    }
    m_footer->setText(footer.join(QStringLiteral(" · ")));
    m_footer->setVisible(!footer.isEmpty());
}

ChatView::ChatView(QWidget* parent)
    : QScrollArea(parent)
{
    setObjectName(QStringLiteral("chatView"));
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // messages wrap to the width
    m_canvas = new QWidget(this);
    m_layout = new QVBoxLayout(m_canvas);
    m_emptyLabel = new QLabel(tr("Send a message to start the conversation."), m_canvas);
    m_emptyLabel->setObjectName(QStringLiteral("chatEmptyLabel"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setEnabled(false);
    m_layout->addWidget(m_emptyLabel);
    m_layout->addStretch(1);
    setWidget(m_canvas);

    // Follow new text only while the user is at the bottom; scrolling up to read stops following.
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this,
            [this](int value) { m_following = value >= verticalScrollBar()->maximum() - 8; });
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, [this](int, int max) {
        if (m_following)
            verticalScrollBar()->setValue(max);
    });
}

void ChatView::setModel(MessageListModel* model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    connect(model, &QAbstractItemModel::modelReset, this, &ChatView::rebuild);
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { insertRows(first, last); });
    connect(model, &QAbstractItemModel::rowsRemoved, this,
            [this](const QModelIndex&, int first, int last) { removeRows(first, last); });
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) { updateRows(from.row(), to.row()); });
    rebuild();
}

void ChatView::rebuild()
{
    qDeleteAll(m_widgets);
    m_widgets.clear();
    if (m_model && m_model->rowCount() > 0)
        insertRows(0, m_model->rowCount() - 1);
    m_emptyLabel->setVisible(m_widgets.isEmpty());
    m_following = true;
}

void ChatView::insertRows(int first, int last)
{
    for (int row = first; row <= last; ++row) {
        auto* widget = new MessageWidget(m_canvas);
        widget->update(*m_model, row);
        // The empty label is item 0 of the layout; the stretch stays last.
        m_layout->insertWidget(row + 1, widget);
        m_widgets.insert(row, widget);
    }
    m_emptyLabel->setVisible(m_widgets.isEmpty());
}

void ChatView::removeRows(int first, int last)
{
    for (int row = last; row >= first; --row)
        delete m_widgets.takeAt(row);
    m_emptyLabel->setVisible(m_widgets.isEmpty());
}

void ChatView::updateRows(int first, int last)
{
    for (int row = first; row <= last && row < m_widgets.size(); ++row)
        m_widgets.at(row)->update(*m_model, row);
}
