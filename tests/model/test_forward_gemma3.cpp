// Gemma-3-270M (GGUF Q4_K_M) against transformers: see forward_real_model.h.
#include "forward_real_model.h"

class TestForwardGemma3 : public QObject {
    Q_OBJECT
    static constexpr const char* k_file = "gemma-3-270m-Q4_K_M.gguf";
    static constexpr const char* k_golden = "gemma-3-270m-Q4_K_M.json";

private slots:
    void teacherForcedArgmax() { forward_real::teacher_forced(k_file, k_golden); }
    void greedyContinuation() { forward_real::greedy_continuation(k_file, k_golden); }
};

QTEST_APPLESS_MAIN(TestForwardGemma3)
#include "test_forward_gemma3.moc"
