// GgufFile::parse on arbitrary bytes, then model_info_from_gguf on whatever parses. FormatError is the only
// allowed failure; a crash, a sanitizer report, another exception, a hang or a parsed file that breaks the
// consistency promised in gguf_reader.h is a finding.
#include <algorithm>
#include <optional>
#include <vector>

#include "format/format_error.h"
#include "format/gguf_reader.h"
#include "format/model_info_builders.h"
#include "fuzz_common.h"

using namespace hearth;
using namespace hearth::format;

namespace {

void check_consistent(const GgufFile& file, std::size_t size) {
    HEARTH_FUZZ_CHECK(file.file_size() == size);
    HEARTH_FUZZ_CHECK(file.data_offset() % file.alignment() == 0);
    std::vector<const GgufTensor*> by_offset;
    for (const auto& t : file.tensors()) {
        HEARTH_FUZZ_CHECK(!t.ne.empty() && t.ne.size() <= 4);
        HEARTH_FUZZ_CHECK(t.offset >= file.data_offset());
        HEARTH_FUZZ_CHECK(t.offset % file.alignment() == 0);
        HEARTH_FUZZ_CHECK(t.offset <= size && t.n_bytes <= size - t.offset);
        HEARTH_FUZZ_CHECK(bytes_for(t.type, t.n_elements) == std::optional<std::uint64_t>(t.n_bytes));
        by_offset.push_back(&t);
    }
    std::sort(by_offset.begin(), by_offset.end(), [](auto* a, auto* b) { return a->offset < b->offset; });
    for (std::size_t k = 1; k < by_offset.size(); ++k) {
        HEARTH_FUZZ_CHECK(by_offset[k - 1]->offset + by_offset[k - 1]->n_bytes <= by_offset[k]->offset);
    }
}

// The public accessors of every value, as a model builder or `hearth-cli inspect` would use them.
void touch(const GgufValue& value) {
    (void)value.as_integer();
    (void)value.as_number();
    (void)value.as_string();
    (void)value.as_bool();
    if (const auto* array = value.as_array()) {
        for (std::uint64_t i = 0; i < std::min<std::uint64_t>(array->count, 4); ++i) {
            (void)array->number(i);
            (void)array->integer(i);
        }
        for (const auto& nested : array->arrays) touch(nested);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::optional<GgufFile> file;
    try {
        file.emplace(GgufFile::parse(fuzz::as_bytes(data, size), "fuzz.gguf"));
    } catch (const FormatError&) {
        return 0;
    }
    check_consistent(*file, size);
    try {
        (void)model_info_from_gguf(*file, "/models/fuzz.gguf");
    } catch (const FormatError&) {
    }
    for (const auto& [key, value] : file->metadata()) {
        HEARTH_FUZZ_CHECK(file->find(key) != nullptr);
        touch(value);
    }
    return 0;
}
