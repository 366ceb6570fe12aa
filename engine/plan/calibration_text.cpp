// The built-in text that KV quality measurements run (hearth-cli doctor --measure, the load dialog).
#include "hearth/plan.h"

namespace hearth {

std::string_view calibration_text() {
    static constexpr std::string_view k_text =
#include "plan/calibration_text.inc"
        ;
    return k_text;
}

}  // namespace hearth
