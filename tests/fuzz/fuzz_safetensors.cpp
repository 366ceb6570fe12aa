// SafetensorsFile::parse on arbitrary bytes. FormatError is the only allowed failure; a crash, a sanitizer
// report, another exception, a hang or a parsed file that breaks the consistency promised in
// safetensors_reader.h is a finding.
#include <optional>

#include "format/format_error.h"
#include "format/safetensors_reader.h"
#include "fuzz_common.h"

using namespace hearth;
using namespace hearth::format;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto file = SafetensorsFile::parse(fuzz::as_bytes(data, size), "fuzz.safetensors");
        HEARTH_FUZZ_CHECK(file.file_size() == size);
        HEARTH_FUZZ_CHECK(file.data_offset() >= 8 && file.data_offset() <= size);
        const SafetensorsTensor* prev = nullptr;
        for (const auto& t : file.tensors()) {
            HEARTH_FUZZ_CHECK(!t.name.empty());
            HEARTH_FUZZ_CHECK(t.offset >= file.data_offset());
            HEARTH_FUZZ_CHECK(t.offset <= size && t.n_bytes <= size - t.offset);
            HEARTH_FUZZ_CHECK(bytes_for(t.type, t.n_elements) == std::optional<std::uint64_t>(t.n_bytes));
            if (prev) HEARTH_FUZZ_CHECK(prev->offset + prev->n_bytes <= t.offset);  // in data order, no overlap
            prev = &t;
        }
    } catch (const FormatError&) {
    }
    return 0;
}
