// SmolLM2-135M-Instruct (GGUF Q4_1) against transformers: see forward_real_model.h.
#include "forward_real_model.h"

class TestForwardSmolLM2 : public QObject {
    Q_OBJECT
    static constexpr const char* k_file = "SmolLM2-135M-Instruct.Q4_1.gguf";
    static constexpr const char* k_golden = "SmolLM2-135M-Instruct.Q4_1.json";

private slots:
    void teacherForcedArgmax() { forward_real::teacher_forced(k_file, k_golden); }
    void greedyContinuation() { forward_real::greedy_continuation(k_file, k_golden); }
};

QTEST_APPLESS_MAIN(TestForwardSmolLM2)
#include "test_forward_smollm2.moc"
