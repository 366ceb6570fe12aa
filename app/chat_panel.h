#pragma once
// The chat: the conversation (ChatView) above, the input below. Enter sends, Shift+Enter is a newline.
// While no model is ready the input is disabled and a line says why, with a button to load one.

#include <QPlainTextEdit>
#include <QWidget>

class ChatSession;
class ChatView;
class EngineController;
class QLabel;
class QPushButton;

// A QPlainTextEdit whose Enter sends (Shift+Enter, as everywhere else, starts a new line).
class ChatInput final : public QPlainTextEdit {
    Q_OBJECT

public:
    explicit ChatInput(QWidget* parent = nullptr);

signals:
    void sendRequested();

protected:
    void keyPressEvent(QKeyEvent* event) override;
};

class ChatPanel final : public QWidget {
    Q_OBJECT

public:
    // `session` and `engine` must outlive the panel.
    ChatPanel(ChatSession& session, EngineController& engine, QWidget* parent = nullptr);

    ChatView* view() const { return m_view; }
    ChatInput* input() const { return m_input; }
    // Why the input is disabled; empty while it is enabled.
    QString disabledReason() const;

signals:
    void loadModelRequested();

private:
    void send();
    void updateState();

    ChatSession& m_session;
    EngineController& m_engine;
    ChatView* m_view = nullptr;
    ChatInput* m_input = nullptr;
    QLabel* m_reason = nullptr;
    QPushButton* m_loadButton = nullptr;
    QPushButton* m_sendButton = nullptr;
    QPushButton* m_stopButton = nullptr;
    QPushButton* m_regenerateButton = nullptr;
};
