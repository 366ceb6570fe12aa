#pragma once
// The sidebar: a "New chat" button, a search field (full-text, across every message) and the
// conversations, newest first. Double-click or F2 renames; the context menu renames, exports and deletes
// (after asking).

#include <QWidget>

class ConversationListModel;
class QLineEdit;
class QListView;
class QPushButton;

class ConversationSidebar final : public QWidget {
    Q_OBJECT

public:
    explicit ConversationSidebar(ConversationListModel& model, QWidget* parent = nullptr);

    // Selects the conversation (0: none) without emitting conversationActivated.
    void setCurrentConversation(qint64 id);
    QListView* listView() const { return m_list; }
    QLineEdit* searchField() const { return m_search; }

signals:
    void newConversationRequested();
    void conversationActivated(qint64 id);
    void exportRequested(qint64 id);
    void conversationDeleted(qint64 id);

private:
    void showContextMenu(const QPoint& position);
    void deleteConversation(int row);

    ConversationListModel& m_model;
    QPushButton* m_new = nullptr;
    QLineEdit* m_search = nullptr;
    QListView* m_list = nullptr;
    bool m_selecting = false;
};
