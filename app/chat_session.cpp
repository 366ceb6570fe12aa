#include "chat_session.h"

#include <spdlog/spdlog.h>

namespace {

constexpr int kTitleLength = 48;

QString titleFrom(const QString& text)
{
    const QString line = text.simplified();
    return line.size() <= kTitleLength ? line : line.left(kTitleLength - 1) + QChar(0x2026);
}

}  // namespace

ChatSession::ChatSession(ConversationStore& store, EngineController& engine, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_engine(engine)
{
    m_commitTimer.setInterval(kCommitIntervalMs);
    connect(&m_commitTimer, &QTimer::timeout, this, &ChatSession::commitActive);
    connect(&m_engine, &EngineController::textArrived, this, &ChatSession::onText);
    connect(&m_engine, &EngineController::finished, this, &ChatSession::onFinished);
}

void ChatSession::newConversation()
{
    m_conversationId = 0;
    m_messages.setMessages({});
    emit conversationChanged(0);
}

void ChatSession::openConversation(qint64 id)
{
    if (id == m_conversationId)
        return;
    m_conversationId = id;
    QList<StoredMessage> messages = m_store.messages(id);
    // The store has the answer being written only up to its last commit; the session has all of it.
    if (m_active && m_active->message.conversationId == id)
        for (StoredMessage& m : messages)
            if (m.id == m_active->message.id)
                m = m_active->message;
    m_messages.setMessages(std::move(messages));
    emit conversationChanged(id);
}

bool ChatSession::canSend() const
{
    return m_engine.state() == EngineController::State::ready && !m_active;
}

bool ChatSession::send(const QString& text)
{
    if (!canSend() || text.trimmed().isEmpty())
        return false;
    if (m_conversationId == 0) {
        const auto id = m_store.createConversation(titleFrom(text));
        if (!id)
            return false;
        m_conversationId = *id;
        emit conversationChanged(*id);
    }
    StoredMessage user;
    user.conversationId = m_conversationId;
    user.role = QStringLiteral("user");
    user.content = text;
    user.state = StoredMessage::State::complete;
    if (!m_store.addMessage(user))
        return false;
    m_messages.append(user);
    emit conversationTouched(m_conversationId);
    return startAnswer();
}

nlohmann::ordered_json ChatSession::history() const
{
    auto json = nlohmann::ordered_json::array();
    if (!m_systemPrompt.trimmed().isEmpty())
        json.push_back({{"role", "system"}, {"content", m_systemPrompt.toStdString()}});
    for (const StoredMessage& m : m_messages.messages()) {
        // Failed answers hold an error, not the model's words; the answer being started is empty.
        if (m.state == StoredMessage::State::failed || m.state == StoredMessage::State::streaming)
            continue;
        json.push_back({{"role", m.role.toStdString()}, {"content", m.content.toStdString()}});
    }
    return json;
}

bool ChatSession::startAnswer()
{
    const nlohmann::ordered_json messages = history();
    StoredMessage answer;
    answer.conversationId = m_conversationId;
    answer.role = QStringLiteral("assistant");
    answer.state = StoredMessage::State::streaming;
    if (!m_store.addMessage(answer))
        return false;
    m_messages.append(answer);
    m_active = Active{m_engine.generate(messages, m_sampling, m_maxTokens), answer, false};
    m_commitTimer.start();
    m_sinceCommit.start();
    emit conversationTouched(m_conversationId);
    emit answeringChanged(true);
    return true;
}

void ChatSession::onText(quint64 key, const QString& text, qint64 tokens)
{
    if (!m_active || key != m_active->key)
        return;
    m_active->message.content += text;
    m_active->message.generatedTokens += tokens;
    m_active->dirty = true;
    if (m_active->message.conversationId == m_conversationId)
        m_messages.appendText(m_active->message.id, text);
    // Qt runs timers only once the posted events are handled, and a fast engine posts text without pause:
    // the answer is committed from here too once the interval has passed.
    if (m_sinceCommit.isValid() && m_sinceCommit.hasExpired(m_commitTimer.interval()))
        commitActive();
}

void ChatSession::commitActive()
{
    if (!m_active || !m_active->dirty)
        return;
    m_sinceCommit.start();
    if (m_store.updateMessage(m_active->message)) {
        m_active->dirty = false;
        emit answerCommitted(m_active->message.id, int(m_active->message.content.size()));
    }
}

void ChatSession::onFinished(quint64 key, GenerationEnd end, const QString& error, const GenerationStats& stats)
{
    if (!m_active || key != m_active->key)
        return;
    StoredMessage& m = m_active->message;
    switch (end) {
    case GenerationEnd::stop:
    case GenerationEnd::length: m.state = StoredMessage::State::complete; break;
    case GenerationEnd::cancelled: m.state = StoredMessage::State::stopped; break;
    case GenerationEnd::error:
        m.state = StoredMessage::State::failed;
        m.content = error;
        spdlog::warn("answer failed: {}", error.toStdString());
        break;
    }
    m.promptTokens = stats.promptTokens;
    if (stats.generatedTokens > 0)
        m.generatedTokens = stats.generatedTokens;
    m.tokensPerSecond = stats.tokensPerSecond;
    m_store.updateMessage(m);
    if (m.conversationId == m_conversationId)
        m_messages.update(m);
    const StoredMessage finished = m;
    m_active.reset();
    m_commitTimer.stop();
    emit conversationTouched(finished.conversationId);
    emit answeringChanged(false);
    emit answerFinished(finished.id, finished.state);
}

void ChatSession::stop()
{
    if (m_active)
        m_engine.stop(m_active->key);
}

bool ChatSession::canRegenerate() const
{
    const auto& all = m_messages.messages();
    return canSend() && !all.isEmpty() && all.last().role == QLatin1String("assistant");
}

bool ChatSession::regenerate()
{
    if (!canRegenerate())
        return false;
    const qint64 last = m_messages.messages().last().id;
    if (!m_store.deleteMessage(last))
        return false;
    m_messages.remove(last);
    return startAnswer();
}

bool ChatSession::editAndResend(qint64 messageId, const QString& text)
{
    const int row = m_messages.rowOf(messageId);
    if (!canSend() || text.trimmed().isEmpty() || row < 0 || m_messages.at(row).role != QLatin1String("user"))
        return false;
    StoredMessage edited = m_messages.at(row);
    edited.content = text;
    if (!m_store.updateMessage(edited))
        return false;
    m_messages.update(edited);
    // Later messages go newest first, so a failure half-way leaves a conversation that still reads in order.
    while (m_messages.rowCount() > row + 1) {
        const qint64 last = m_messages.messages().last().id;
        if (!m_store.deleteMessage(last))
            return false;
        m_messages.remove(last);
    }
    emit conversationTouched(m_conversationId);
    return startAnswer();
}
