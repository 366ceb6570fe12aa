#pragma once
// One chat at a time on screen, and the answer being written: the glue between the ConversationStore, the
// EngineController and the MessageListModel the chat view shows. No widgets, so it runs in tests and in
// the crash-test child process as it does in the window.
//
// Durability: send() commits the user message (and an empty "streaming" answer) before the request is
// queued. Streamed text is appended to the model as it arrives and written to the store every
// kCommitIntervalMs and when the answer ends, so a crash loses at most that much of an answer and never a
// message that had been sent.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <optional>

#include "conversation_store.h"
#include "engine_controller.h"
#include "message_list_model.h"

class ChatSession final : public QObject {
    Q_OBJECT

public:
    static constexpr int kCommitIntervalMs = 500;

    // `store` and `engine` must outlive the session.
    ChatSession(ConversationStore& store, EngineController& engine, QObject* parent = nullptr);

    MessageListModel* messages() { return &m_messages; }
    qint64 conversationId() const { return m_conversationId; }  // 0: a new chat, not yet stored

    void newConversation();
    void openConversation(qint64 id);

    bool canSend() const;   // a model is ready and no answer is being written
    bool isAnswering() const { return m_active.has_value(); }
    qint64 answeringConversation() const { return m_active ? m_active->message.conversationId : 0; }

    // Stores the user message and starts the answer. False (nothing stored) when canSend() is false or
    // `text` is blank.
    bool send(const QString& text);
    // Stops the answer being written; what was written stays, marked stopped.
    void stop();
    // Replaces the last answer of the open conversation with a new one.
    bool regenerate();
    bool canRegenerate() const;
    // Replaces the text of the user message `messageId` of the open conversation with `text`, deletes
    // every later message of the conversation (in the store too) and answers again. False (nothing changed)
    // when canSend() is false, `text` is blank or `messageId` is not a user message on screen.
    bool editAndResend(qint64 messageId, const QString& text);

    void setSampling(const hearth::SamplingParams& sampling) { m_sampling = sampling; }
    void setMaxTokens(qint64 maxTokens) { m_maxTokens = maxTokens; }
    void setSystemPrompt(const QString& prompt) { m_systemPrompt = prompt; }
    void setCommitInterval(int ms) { m_commitTimer.setInterval(ms); }
    const hearth::SamplingParams& sampling() const { return m_sampling; }
    qint64 maxTokens() const { return m_maxTokens; }
    QString systemPrompt() const { return m_systemPrompt; }

signals:
    // A conversation was created or got a message (the sidebar moves it to the top).
    void conversationTouched(qint64 id);
    void conversationChanged(qint64 id);  // another conversation (or a new chat, 0) is on screen
    void answeringChanged(bool answering);
    // The answer's message was committed for the first time with content (tests and the crash child use it).
    void answerCommitted(qint64 messageId, int characters);
    void answerFinished(qint64 messageId, StoredMessage::State state);

private:
    struct Active {
        quint64 key = 0;
        StoredMessage message;
        bool dirty = false;
    };

    bool startAnswer();
    nlohmann::ordered_json history() const;
    void onText(quint64 key, const QString& text, qint64 tokens);
    void onFinished(quint64 key, GenerationEnd end, const QString& error, const GenerationStats& stats);
    void commitActive();

    ConversationStore& m_store;
    EngineController& m_engine;
    MessageListModel m_messages;
    QTimer m_commitTimer;          // commits when text stops arriving
    QElapsedTimer m_sinceCommit;   // commits while it keeps arriving (a flood of text events starves timers)
    qint64 m_conversationId = 0;
    std::optional<Active> m_active;

    hearth::SamplingParams m_sampling;
    qint64 m_maxTokens = 1024;
    QString m_systemPrompt;
};
