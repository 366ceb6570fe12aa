#pragma once
// The conversation on screen: one MessageWidget per row of a MessageListModel, in a scroll area that
// follows the newest text while the user is at the bottom. Answers are rendered as Markdown (QLabel's
// Qt::MarkdownText, i.e. QTextDocument::setMarkdown), except fenced code blocks, which get their own box
// in the system's monospace font with a Copy button; statistics and a copy-message button go below.
// A user message has an Edit button: the text becomes editable in place, and "Send" resends it (the
// ChatSession replaces the later messages).

#include <QList>
#include <QScrollArea>

class MessageListModel;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QToolButton;
class QVBoxLayout;

// A Markdown text cut at its fenced code blocks (``` or ~~~). An unclosed fence (an answer still being
// written) runs to the end of the text.
struct MarkdownSegment {
    enum class Kind { markdown, code };
    Kind kind = Kind::markdown;
    QString text;      // Markdown, or the code without its fences
    QString language;  // a code block's info string (first word), may be empty
};
QList<MarkdownSegment> splitCodeBlocks(const QString& markdown);

// One fenced code block: its language and a Copy button above the code.
class CodeBlockWidget final : public QFrame {
    Q_OBJECT

public:
    explicit CodeBlockWidget(QWidget* parent = nullptr);
    void setCode(const QString& code, const QString& language);
    QString code() const { return m_code; }

private:
    QLabel* m_language = nullptr;
    QLabel* m_text = nullptr;
    QToolButton* m_copy = nullptr;
    QString m_code;
};

class MessageWidget final : public QFrame {
    Q_OBJECT

public:
    explicit MessageWidget(QWidget* parent = nullptr);

    // Reads the row `row` of `model` again.
    void update(const MessageListModel& model, int row);
    QString markdown() const { return m_markdown; }
    QString role() const { return m_role; }
    qint64 messageId() const { return m_id; }
    bool isEditing() const { return m_editor != nullptr; }
    // Shows the message in an editor (user messages only); the edit is sent with "Send".
    void startEditing();
    // Whether the Edit button is offered (the view allows edits only while a new answer could start).
    void setEditable(bool editable);
    QList<CodeBlockWidget*> codeBlocks() const;

signals:
    void copyRequested(const QString& markdown);
    void resendRequested(qint64 messageId, const QString& text);

private:
    void showContent(const QString& markdown, bool plain);
    void stopEditing();

    QLabel* m_header = nullptr;
    QVBoxLayout* m_body = nullptr;       // the content: labels and code blocks, or the editor
    QList<QWidget*> m_parts;             // what is in m_body now, one per MarkdownSegment
    QList<MarkdownSegment> m_segments;   // what m_parts show
    QLabel* m_footer = nullptr;
    QToolButton* m_copy = nullptr;
    QToolButton* m_edit = nullptr;
    QWidget* m_editor = nullptr;         // while editing: the editor and its buttons
    QPlainTextEdit* m_editorText = nullptr;
    QString m_markdown;
    QString m_role;
    QString m_state;
    qint64 m_id = 0;
    bool m_editable = false;
};

class ChatView final : public QScrollArea {
    Q_OBJECT

public:
    explicit ChatView(QWidget* parent = nullptr);

    void setModel(MessageListModel* model);
    int messageCount() const { return int(m_widgets.size()); }
    MessageWidget* messageAt(int row) const { return m_widgets.value(row); }
    // Offers Edit on user messages (the panel turns it off while an answer is written or no model is ready).
    void setEditable(bool editable);

signals:
    void resendRequested(qint64 messageId, const QString& text);

private:
    void rebuild();
    void insertRows(int first, int last);
    void removeRows(int first, int last);
    void updateRows(int first, int last);

    MessageListModel* m_model = nullptr;
    QWidget* m_canvas = nullptr;
    QVBoxLayout* m_layout = nullptr;
    QLabel* m_emptyLabel = nullptr;
    QList<MessageWidget*> m_widgets;
    bool m_following = true;  // the view was at the bottom before the last change
    bool m_editable = false;
};
