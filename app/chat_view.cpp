#include "chat_view.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "message_list_model.h"

namespace {

constexpr int kCopiedFeedbackMs = 1500;

// Shows "Copied" on `button` for a moment after its text went to the clipboard.
void showCopied(QToolButton* button, const QString& label)
{
    button->setText(QCoreApplication::translate("ChatView", "Copied"));
    QTimer::singleShot(kCopiedFeedbackMs, button, [button, label] { button->setText(label); });
}

QLabel* newMarkdownLabel(QWidget* parent, bool plain)
{
    auto* label = new QLabel(parent);
    label->setObjectName(QStringLiteral("messageContent"));
    label->setWordWrap(true);
    label->setTextFormat(plain ? Qt::PlainText : Qt::MarkdownText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    label->setOpenExternalLinks(true);
    return label;
}

}  // namespace

QList<MarkdownSegment> splitCodeBlocks(const QString& markdown)
{
    // CommonMark fences: up to three spaces, then three or more ` or ~; a backtick fence's info string
    // has no backtick. The closing fence is the same character, at least as long, and nothing else.
    static const QRegularExpression opening(QStringLiteral("^( {0,3})(`{3,}|~{3,})(.*)$"));
    QList<MarkdownSegment> segments;
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    QStringList text;
    auto flushText = [&] {
        if (!text.join(QString()).trimmed().isEmpty())
            segments.append({MarkdownSegment::Kind::markdown, text.join(QLatin1Char('\n')), {}});
        text.clear();
    };
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QRegularExpressionMatch fence = opening.match(lines.at(i));
        const QString fenceText = fence.captured(2);
        if (!fence.hasMatch() || (fenceText.front() == QLatin1Char('`') && fence.captured(3).contains(QLatin1Char('`')))) {
            text << lines.at(i);
            continue;
        }
        flushText();
        const qsizetype indent = fence.captured(1).size();
        const QRegularExpression closing(QStringLiteral("^ {0,3}%1{%2,}\\s*$")
                                             .arg(QRegularExpression::escape(fenceText.left(1)))
                                             .arg(fenceText.size()));
        QStringList code;
        for (++i; i < lines.size() && !closing.match(lines.at(i)).hasMatch(); ++i) {
            QString line = lines.at(i);
            qsizetype strip = 0;
            while (strip < indent && strip < line.size() && line.at(strip) == QLatin1Char(' '))
                ++strip;
            code << line.mid(strip);
        }
        const QString language = fence.captured(3).trimmed().section(QLatin1Char(' '), 0, 0);
        segments.append({MarkdownSegment::Kind::code, code.join(QLatin1Char('\n')), language});
    }
    flushText();
    return segments;
}

CodeBlockWidget::CodeBlockWidget(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("codeBlock"));
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::AlternateBase);
    setAutoFillBackground(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 6);
    auto* top = new QHBoxLayout;
    m_language = new QLabel(this);
    m_language->setObjectName(QStringLiteral("codeLanguage"));
    m_language->setTextFormat(Qt::PlainText);
    m_language->setEnabled(false);  // muted
    m_copy = new QToolButton(this);
    m_copy->setObjectName(QStringLiteral("copyCodeButton"));
    m_copy->setText(tr("Copy code"));
    m_copy->setToolTip(tr("Copy this code block"));
    m_copy->setAutoRaise(true);
    top->addWidget(m_language, 1);
    top->addWidget(m_copy);
    layout->addLayout(top);

    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("codeText"));
    m_text->setTextFormat(Qt::PlainText);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setWordWrap(true);  // NOTE: the chat view has no horizontal scroll bar; long lines wrap
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    layout->addWidget(m_text);

    connect(m_copy, &QToolButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_code);
        showCopied(m_copy, tr("Copy code"));
    });
}

void CodeBlockWidget::setCode(const QString& code, const QString& language)
{
    m_code = code;
    m_text->setText(code);
    m_language->setText(language);
}

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
    m_edit = new QToolButton(this);
    m_edit->setObjectName(QStringLiteral("editMessageButton"));
    m_edit->setText(tr("Edit"));
    m_edit->setToolTip(tr("Change this message and send it again; the answers after it are replaced"));
    m_edit->setAutoRaise(true);
    m_edit->hide();
    m_copy = new QToolButton(this);
    m_copy->setObjectName(QStringLiteral("copyMessageButton"));
    m_copy->setText(tr("Copy"));
    m_copy->setToolTip(tr("Copy this message as Markdown"));
    m_copy->setAutoRaise(true);
    top->addWidget(m_header, 1);
    top->addWidget(m_edit);
    top->addWidget(m_copy);
    layout->addLayout(top);

    m_body = new QVBoxLayout;
    m_body->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_body);

    m_footer = new QLabel(this);
    m_footer->setObjectName(QStringLiteral("messageFooter"));
    m_footer->setTextFormat(Qt::PlainText);
    m_footer->setEnabled(false);  // drawn in the palette's muted colour
    layout->addWidget(m_footer);

    connect(m_copy, &QToolButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_markdown);
        showCopied(m_copy, tr("Copy"));
        emit copyRequested(m_markdown);
    });
    connect(m_edit, &QToolButton::clicked, this, &MessageWidget::startEditing);
}

void MessageWidget::update(const MessageListModel& model, int row)
{
    const QModelIndex index = model.index(row);
    m_id = index.data(MessageListModel::IdRole).toLongLong();
    m_role = index.data(MessageListModel::RoleRole).toString();
    m_markdown = index.data(MessageListModel::ContentRole).toString();
    m_state = index.data(MessageListModel::StateRole).toString();
    const bool user = m_role == QLatin1String("user");

    m_header->setText(user ? tr("You") : m_role == QLatin1String("assistant") ? tr("Assistant") : tr("System"));
    if (m_state == QLatin1String("failed"))
        showContent(tr("Could not answer: %1").arg(m_markdown), true);
    else if (user)
        showContent(m_markdown, true);  // what the user typed is shown as typed, never interpreted
    else
        showContent(m_markdown.isEmpty() && m_state == QLatin1String("streaming") ? tr("…") : m_markdown, false);
    m_edit->setVisible(user && m_editable && !isEditing());

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
        if (m_state == QLatin1String("streaming"))
            footer << tr("writing…");
        else if (m_state == QLatin1String("stopped"))
            footer << tr("stopped");
        else if (m_state == QLatin1String("interrupted"))
            footer << tr("interrupted (Hearth closed while it was being written)");
    }
    m_footer->setText(footer.join(QStringLiteral(" · ")));
    m_footer->setVisible(!footer.isEmpty());
}

void MessageWidget::showContent(const QString& text, bool plain)
{
    // Plain text is one label; Markdown is cut at its code blocks. While an answer streams the cut
    // rarely changes, so the widgets are kept and only their texts set.
    const QList<MarkdownSegment> segments =
        plain ? QList<MarkdownSegment>{{MarkdownSegment::Kind::markdown, text, QStringLiteral("plain")}} : splitCodeBlocks(text);
    // The widgets that still show a segment of the same kind are kept (a block that grows stays the same
    // widget); from the first difference on they are made again.
    qsizetype keep = 0;
    while (keep < segments.size() && keep < m_segments.size() && segments.at(keep).kind == m_segments.at(keep).kind &&
           segments.at(keep).language == m_segments.at(keep).language)
        ++keep;
    while (m_parts.size() > keep)
        delete m_parts.takeLast();
    for (qsizetype i = keep; i < segments.size(); ++i) {
        const MarkdownSegment& segment = segments.at(i);
        QWidget* part = segment.kind == MarkdownSegment::Kind::code ? static_cast<QWidget*>(new CodeBlockWidget(this))
                                                                    : newMarkdownLabel(this, plain);
        part->setVisible(!isEditing());
        m_body->insertWidget(int(i), part);
        m_parts.append(part);
    }
    for (qsizetype i = 0; i < segments.size(); ++i) {
        if (segments.at(i).kind == MarkdownSegment::Kind::code)
            static_cast<CodeBlockWidget*>(m_parts.at(i))->setCode(segments.at(i).text, segments.at(i).language);
        else
            static_cast<QLabel*>(m_parts.at(i))->setText(segments.at(i).text);
    }
    m_segments = segments;
}

QList<CodeBlockWidget*> MessageWidget::codeBlocks() const
{
    QList<CodeBlockWidget*> blocks;
    for (QWidget* part : m_parts)
        if (auto* block = qobject_cast<CodeBlockWidget*>(part))
            blocks.append(block);
    return blocks;
}

void MessageWidget::setEditable(bool editable)
{
    m_editable = editable;
    m_edit->setVisible(m_role == QLatin1String("user") && editable && !isEditing());
    if (m_editor)
        m_editor->findChild<QPushButton*>(QStringLiteral("resendButton"))->setEnabled(editable);
}

void MessageWidget::startEditing()
{
    if (m_role != QLatin1String("user") || isEditing())
        return;
    m_editor = new QWidget(this);
    m_editor->setObjectName(QStringLiteral("messageEditor"));
    auto* layout = new QVBoxLayout(m_editor);
    layout->setContentsMargins(0, 0, 0, 0);
    m_editorText = new QPlainTextEdit(m_editor);
    m_editorText->setObjectName(QStringLiteral("editMessageText"));
    m_editorText->setPlainText(m_markdown);
    m_editorText->setMaximumHeight(160);
    auto* send = new QPushButton(tr("Send"), m_editor);
    send->setObjectName(QStringLiteral("resendButton"));
    send->setToolTip(tr("Send the changed message; the answers after it are replaced"));
    send->setEnabled(m_editable);
    auto* cancel = new QPushButton(tr("Cancel"), m_editor);
    cancel->setObjectName(QStringLiteral("cancelEditButton"));
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(cancel);
    buttons->addWidget(send);
    layout->addWidget(m_editorText);
    layout->addLayout(buttons);
    for (QWidget* part : m_parts)
        part->hide();
    m_body->addWidget(m_editor);
    m_edit->hide();
    m_editorText->setFocus();

    connect(cancel, &QPushButton::clicked, this, &MessageWidget::stopEditing);
    connect(send, &QPushButton::clicked, this, [this] {
        const QString text = m_editorText->toPlainText();
        if (text.trimmed().isEmpty())
            return;
        const qint64 id = m_id;
        stopEditing();
        emit resendRequested(id, text);  // may delete this widget's later siblings, never this one
    });
}

void MessageWidget::stopEditing()
{
    if (!m_editor)
        return;
    m_editor->hide();
    m_editor->deleteLater();
    m_editor = nullptr;
    m_editorText = nullptr;
    for (QWidget* part : m_parts)
        part->show();
    m_edit->setVisible(m_role == QLatin1String("user") && m_editable);
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

void ChatView::setEditable(bool editable)
{
    m_editable = editable;
    for (MessageWidget* widget : std::as_const(m_widgets))
        widget->setEditable(editable);
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
        widget->setEditable(m_editable);
        widget->update(*m_model, row);
        connect(widget, &MessageWidget::resendRequested, this, &ChatView::resendRequested);
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
