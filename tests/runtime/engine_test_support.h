#pragma once
// Runs Engine requests from a test: collects every update of every request and waits for their finish.

#include <QtTest>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

#include "hearth/engine.h"

struct CollectedRequest {
    std::vector<hearth::TokenId> tokens;
    std::string text;
    std::optional<hearth::FinishReason> finish;
    std::string error;
    hearth::RequestStats stats;
    int updates_after_finish = 0;
};

class RequestCollector {
public:
    // A callback for one request; `on_token` (optional) runs on the engine thread after each update.
    std::function<void(const hearth::RequestUpdate&)> callback(int key, std::function<void(int)> on_token = {}) {
        return [this, key, on_token](const hearth::RequestUpdate& update) {
            {
                std::lock_guard lock(m_mutex);
                CollectedRequest& r = m_requests[key];
                if (r.finish) ++r.updates_after_finish;
                r.tokens.insert(r.tokens.end(), update.tokens.begin(), update.tokens.end());
                r.text += update.text;
                if (update.finish) {
                    r.finish = update.finish;
                    r.error = update.error;
                    r.stats = update.stats;
                }
            }
            m_changed.notify_all();
            if (on_token) on_token(key);
        };
    }

    // Waits until `count` requests have finished; false on timeout.
    bool wait_finished(int count, std::chrono::seconds timeout = std::chrono::seconds(50)) {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, timeout, [&] {
            int finished = 0;
            for (const auto& [key, r] : m_requests) finished += r.finish.has_value();
            return finished >= count;
        });
    }

    CollectedRequest get(int key) {
        std::lock_guard lock(m_mutex);
        return m_requests[key];
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::map<int, CollectedRequest> m_requests;
};

// Polls `condition` for up to a second: engine statistics are published just after a step's updates.
template <class F>
bool eventually(F condition) {
    for (int i = 0; i < 200; ++i) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}
