#pragma once
// Simple case mapping (one code point to one) shared by the chat-template interpreter (Python's str.lower /
// str.upper) and the tokenizer (tokenizer.json's Lowercase normalizer).
// NOTE: covers ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic letters, Armenian, Roman numerals, circled
// and fullwidth Latin letters; every other code point maps to itself. Python and Rust map the whole of
// Unicode (a few code points, such as U+0130 and U+00DF, to several); none of the models Hearth targets
// lowercases in its tokenizer.

namespace hearth {

char32_t simple_lower(char32_t c);
char32_t simple_upper(char32_t c);

}  // namespace hearth
