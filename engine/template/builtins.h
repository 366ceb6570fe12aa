#pragma once
// The filters, tests, global functions and methods that chat templates may call, with Jinja2's and
// Python's semantics. Filters and tests are looked up once, when a template is compiled.

#include <string_view>

#include "template/ast.h"
#include "template/value.h"

namespace hearth::jinja {

FilterFn find_filter(std::string_view name);  // nullptr when unknown
TestFn find_test(std::string_view name);      // nullptr when unknown

// The globals every render sees (range, dict, namespace, raise_exception, strftime_now).
Value make_globals();

// obj.name as Jinja2's sandbox resolves it: methods of str/dict/list first, then items.
// Fails only when `obj` is undefined; unsafe (mutating) methods come back as an undefined value that
// fails when called.
Value get_attribute(const Value& obj, std::string_view name);
// obj[key]: items first, then (for string keys) methods. Fails only when `obj` is undefined.
Value get_item(const Value& obj, const Value& key);

}  // namespace hearth::jinja
