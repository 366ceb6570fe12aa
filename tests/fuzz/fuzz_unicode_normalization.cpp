// normalize_utf8 on arbitrary bytes, in every form and both Unicode versions. Besides crashes, sanitizer
// reports and hangs (a long run of marks must not sort quadratically), the findings are broken invariants
// of UAX #15 that hold for any input:
//   each form is idempotent                       X(X(s)) == X(s)
//   composition after decomposition               NFC(NFD(s)) == NFC(s), NFKC(NFKD(s)) == NFKC(s)
//   decomposition after composition               NFD(NFC(s)) == NFD(s), NFKD(NFKC(s)) == NFKD(s)
//   the compatibility forms absorb the canonical  NFKD(NFD(s)) == NFKD(s), NFKC(NFC(s)) == NFKC(s)
// and well-formed UTF-8 stays well-formed (broken bytes are passed through, not made into characters).
#include <string>

#include "common/unicode_normalization.h"
#include "common/utf8.h"
#include "fuzz_common.h"

using namespace hearth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(fuzz::as_text(data, size));
    for (const UnicodeVersion version : {UnicodeVersion::v14_0, UnicodeVersion::v9_0}) {
        const auto n = [version](const std::string& s, NormalizationForm form) { return normalize_utf8(s, form, version); };
        const std::string nfc = n(text, NormalizationForm::nfc), nfd = n(text, NormalizationForm::nfd);
        const std::string nfkc = n(text, NormalizationForm::nfkc), nfkd = n(text, NormalizationForm::nfkd);
        HEARTH_FUZZ_CHECK(n(nfc, NormalizationForm::nfc) == nfc);
        HEARTH_FUZZ_CHECK(n(nfd, NormalizationForm::nfd) == nfd);
        HEARTH_FUZZ_CHECK(n(nfkc, NormalizationForm::nfkc) == nfkc);
        HEARTH_FUZZ_CHECK(n(nfkd, NormalizationForm::nfkd) == nfkd);
        HEARTH_FUZZ_CHECK(n(nfd, NormalizationForm::nfc) == nfc);
        HEARTH_FUZZ_CHECK(n(nfkd, NormalizationForm::nfkc) == nfkc);
        HEARTH_FUZZ_CHECK(n(nfc, NormalizationForm::nfd) == nfd);
        HEARTH_FUZZ_CHECK(n(nfkc, NormalizationForm::nfkd) == nfkd);
        HEARTH_FUZZ_CHECK(n(nfd, NormalizationForm::nfkd) == nfkd);
        HEARTH_FUZZ_CHECK(n(nfc, NormalizationForm::nfkc) == nfkc);
        if (is_valid_utf8(text)) {
            for (const std::string* s : {&nfc, &nfd, &nfkc, &nfkd}) HEARTH_FUZZ_CHECK(is_valid_utf8(*s));
        }
    }
    return 0;
}
