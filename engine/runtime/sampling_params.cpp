// SamplingParams::validate(): the ranges every front end (CLI flags, GUI fields, API requests) is held to.
#include "hearth/sampling.h"

#include <cmath>
#include <sstream>

namespace hearth {

namespace {

std::string out_of_range(const char* field, const char* must_be, double got) {
    std::ostringstream text;
    text << field << " must be " << must_be << " (got " << got << ")";
    return text.str();
}

}  // namespace

std::optional<std::string> SamplingParams::validate() const {
    // Written as !(in range) so that NaN, which fails every comparison, is rejected too.
    if (!(temperature >= 0.0 && std::isfinite(temperature)))
        return out_of_range("temperature", "a finite number >= 0", temperature);
    if (top_k < 0)
        return out_of_range("top_k", ">= 0 (0 turns it off)", top_k);
    if (!(top_p > 0.0 && top_p <= 1.0))
        return out_of_range("top_p", "in (0, 1] (1 turns it off)", top_p);
    if (!(min_p >= 0.0 && min_p <= 1.0))
        return out_of_range("min_p", "in [0, 1] (0 turns it off)", min_p);
    if (!(repetition_penalty > 0.0 && std::isfinite(repetition_penalty)))
        return out_of_range("repetition_penalty", "a finite number > 0 (1 turns it off)", repetition_penalty);
    if (!std::isfinite(frequency_penalty))
        return out_of_range("frequency_penalty", "a finite number", frequency_penalty);
    if (!std::isfinite(presence_penalty))
        return out_of_range("presence_penalty", "a finite number", presence_penalty);
    for (const std::string& s : stop) {
        // An empty stop string would match before the first token and end every generation at once.
        if (s.empty())
            return std::string("stop strings must not be empty");
    }
    return std::nullopt;
}

}  // namespace hearth
