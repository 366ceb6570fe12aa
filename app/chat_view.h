#pragma once
// The conversation on screen: one MessageWidget per row of a MessageListModel, in a scroll area that
// follows the newest text while the user is at the bottom. Answers are rendered as Markdown (QLabel's
// Qt::MarkdownText, i.e. QTextDocument::setMarkdown), with their statistics and a copy button below.

#include <QScrollArea>
#include <QList>

class MessageListModel;
class QLabel;
class QToolButton;
class QVBoxLayout;

class MessageWidget final : public QFrame {
    Q_OBJECT

public:
    explicit MessageWidget(QWidget* parent = nullptr);

    // Reads the row `row` of `model` again.
    void update(const MessageListModel& model, int row);
    QString markdown() const { return m_markdown; }
    QString role() const { return m_role; }

signals:
    void copyRequested(const QString& markdown);

private:
    QLabel* m_header = nullptr;
    QLabel* m_content = nullptr;
    QLabel* m_footer = nullptr;
    QToolButton* m_copy = nullptr;
    QString m_markdown;
    QString m_role;
};

class ChatView final : public QScrollArea {
    Q_OBJECT

public:
    explicit ChatView(QWidget* parent = nullptr);

    void setModel(MessageListModel* model);
    int messageCount() const { return int(m_widgets.size()); }
    MessageWidget* messageAt(int row) const { return m_widgets.value(row); }

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
};
