#pragma once
// Inside the format readers a malformed file is reported by throwing FormatError from the point where the
// problem is found; the public entry points (inspect(), the readers' open()) catch it and return an Error.
// The message already names the file and the key or tensor.
#include <stdexcept>
#include <string>

namespace hearth::format {

class FormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace hearth::format
