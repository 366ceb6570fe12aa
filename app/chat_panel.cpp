#include "chat_panel.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "chat_session.h"
#include "chat_view.h"
#include "engine_controller.h"

ChatInput::ChatInput(QWidget* parent)
    : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("chatInput"));
    setTabChangesFocus(true);
}

void ChatInput::keyPressEvent(QKeyEvent* event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        emit sendRequested();
        event->accept();
        return;
    }
    if (enter) {
        // Shift+Enter: a plain newline (QPlainTextEdit would insert a line separator for Shift+Return).
        insertPlainText(QStringLiteral("\n"));
        event->accept();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

ChatPanel::ChatPanel(ChatSession& session, EngineController& engine, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_engine(engine)
{
    setObjectName(QStringLiteral("chatPanel"));
    m_view = new ChatView(this);
    m_view->setModel(session.messages());

    m_reason = new QLabel(this);
    m_reason->setObjectName(QStringLiteral("inputDisabledReason"));
    m_reason->setTextFormat(Qt::PlainText);
    m_reason->setWordWrap(true);
    m_loadButton = new QPushButton(tr("Load a model…"), this);
    m_loadButton->setObjectName(QStringLiteral("loadModelButton"));
    auto* reasonRow = new QHBoxLayout;
    reasonRow->addWidget(m_reason, 1);
    reasonRow->addWidget(m_loadButton);

    m_input = new ChatInput(this);
    m_input->setPlaceholderText(tr("Message (Enter sends, Shift+Enter for a new line)"));
    m_input->setMaximumHeight(120);

    m_sendButton = new QPushButton(tr("Send"), this);
    m_sendButton->setObjectName(QStringLiteral("sendButton"));
    m_stopButton = new QPushButton(tr("Stop"), this);
    m_stopButton->setObjectName(QStringLiteral("stopButton"));
    m_stopButton->setShortcut(QKeySequence(Qt::Key_Escape));
    m_regenerateButton = new QPushButton(tr("Regenerate"), this);
    m_regenerateButton->setObjectName(QStringLiteral("regenerateButton"));
    m_regenerateButton->setToolTip(tr("Write the last answer again"));
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(m_sendButton);
    buttons->addWidget(m_stopButton);
    buttons->addWidget(m_regenerateButton);
    buttons->addStretch(1);
    auto* inputRow = new QHBoxLayout;
    inputRow->addWidget(m_input, 1);
    inputRow->addLayout(buttons);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addLayout(reasonRow);
    layout->addLayout(inputRow);

    connect(m_input, &ChatInput::sendRequested, this, &ChatPanel::send);
    connect(m_sendButton, &QPushButton::clicked, this, &ChatPanel::send);
    connect(m_stopButton, &QPushButton::clicked, &m_session, &ChatSession::stop);
    connect(m_regenerateButton, &QPushButton::clicked, &m_session, &ChatSession::regenerate);
    connect(m_loadButton, &QPushButton::clicked, this, &ChatPanel::loadModelRequested);
    connect(m_view, &ChatView::resendRequested, &m_session, &ChatSession::editAndResend);
    connect(&m_engine, &EngineController::stateChanged, this, &ChatPanel::updateState);
    connect(&m_session, &ChatSession::answeringChanged, this, &ChatPanel::updateState);
    connect(&m_session, &ChatSession::conversationChanged, this, &ChatPanel::updateState);
    connect(session.messages(), &QAbstractItemModel::rowsInserted, this, &ChatPanel::updateState);
    connect(session.messages(), &QAbstractItemModel::modelReset, this, &ChatPanel::updateState);
    updateState();
}

QString ChatPanel::disabledReason() const
{
    switch (m_engine.state()) {
    case EngineController::State::empty: return tr("No model is loaded. Load one to start chatting.");
    case EngineController::State::loading: return tr("The model is loading…");
    case EngineController::State::ready: return {};
    }
    return {};
}

void ChatPanel::send()
{
    const QString text = m_input->toPlainText();
    if (text.trimmed().isEmpty() || !m_session.canSend())
        return;
    if (m_session.send(text))
        m_input->clear();
}

void ChatPanel::updateState()
{
    const QString reason = disabledReason();
    const bool ready = reason.isEmpty();
    m_reason->setText(reason);
    m_reason->setVisible(!ready);
    m_loadButton->setVisible(m_engine.state() == EngineController::State::empty);
    // NOTE: the input stays enabled while an answer is being written, so the next message can be typed;
    // sending waits for the answer to end.
    m_input->setEnabled(ready);
    m_input->setToolTip(reason);
    m_sendButton->setEnabled(ready && !m_session.isAnswering());
    m_stopButton->setEnabled(m_session.isAnswering());
    m_regenerateButton->setEnabled(m_session.canRegenerate());
    m_view->setEditable(m_session.canSend());
}
