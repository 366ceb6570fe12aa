#include "template/builtins.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <unordered_map>

#include "template/interpreter.h"
#include "template/py_string.h"

namespace hearth::jinja {
namespace {

// ---- argument helpers ------------------------------------------------------------------------------

std::optional<std::string> opt_string(const Value& v, std::string_view what) {
    if (v.is_none() || v.is_undefined()) return std::nullopt;
    if (!v.is_string()) fail(std::string(what) + " must be a string or None, not " + type_name(v));
    return v.as_string();
}

std::int64_t int_arg(const Value& v, std::string_view what) {
    if (v.is_undefined()) fail(v.undefined_reason());
    if (!v.is_int() && !v.is_bool()) fail(std::string(what) + " must be an integer, not " + type_name(v));
    return v.as_int();
}

std::string string_arg(const Value& v, std::string_view what) {
    if (v.is_undefined()) fail(v.undefined_reason());
    if (!v.is_string()) fail(std::string(what) + " must be a string, not " + type_name(v));
    return v.as_string();
}

Value tuple2(Value a, Value b) { return Value::make_list({std::move(a), std::move(b)}, true); }

Value make_function(std::string name, NativeFunction f) {
    return Value(std::make_shared<Callable>(Callable{std::move(name), std::move(f)}));
}

// Jinja2's make_attrgetter: "a.b.0" → item lookups, integer parts as indices.
Value get_path(const Value& obj, const Value& attribute) {
    if (!attribute.is_string()) return get_item(obj, attribute);
    Value v = obj;
    std::string_view path = attribute.as_string();
    while (true) {
        const auto dot = path.find('.');
        const std::string_view part = path.substr(0, dot);
        const bool numeric = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (numeric) {
            std::int64_t i = 0;
            std::from_chars(part.data(), part.data() + part.size(), i);
            v = get_item(v, Value(i));
        } else {
            v = get_item(v, Value(part));
        }
        if (dot == std::string_view::npos) return v;
        path.remove_prefix(dot + 1);
    }
}

// ---- Python number parsing (int(str), float(str)) --------------------------------------------------

std::string strip_ascii_and_unicode(std::string_view s) { return py_strip(s, std::nullopt, true, true); }

std::optional<std::int64_t> parse_py_int(std::string_view text, int base) {
    std::string s = strip_ascii_and_unicode(text);
    bool negative = false;
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    if (i + 1 < s.size() && s[i] == '0') {
        const char p = static_cast<char>(s[i + 1] | 0x20);
        if ((p == 'x' && base == 16) || (p == 'o' && base == 8) || (p == 'b' && base == 2)) {
            i += 2;
            if (i < s.size() && s[i] == '_') ++i;
        }
    }
    std::string digits;
    for (; i < s.size(); ++i) {
        if (s[i] == '_' && !digits.empty() && i + 1 < s.size() && s[i + 1] != '_') continue;
        digits.push_back(s[i]);
    }
    if (digits.empty()) return std::nullopt;
    std::uint64_t v = 0;
    const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
    if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return std::nullopt;
    if (v > static_cast<std::uint64_t>(INT64_MAX) + (negative ? 1 : 0)) return std::nullopt;
    return negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
}

std::optional<double> parse_py_float(std::string_view text) {
    std::string s = strip_ascii_and_unicode(text);
    std::string clean;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '_') {
            const bool ok = i > 0 && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
                            std::isdigit(static_cast<unsigned char>(s[i + 1]));
            if (!ok) return std::nullopt;
            continue;
        }
        clean.push_back(s[i]);
    }
    std::string lower = py_lower(clean);
    std::string_view body = lower;
    bool negative = false;
    if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
        negative = body[0] == '-';
        body.remove_prefix(1);
    }
    if (body == "inf" || body == "infinity") return negative ? -HUGE_VAL : HUGE_VAL;
    if (body == "nan") return std::nan("");
    if (body.empty() || !(std::isdigit(static_cast<unsigned char>(body[0])) || body[0] == '.')) return std::nullopt;
    double d = 0;
    const auto r = std::from_chars(body.data(), body.data() + body.size(), d);
    if (r.ec != std::errc() || r.ptr != body.data() + body.size()) {
        if (r.ec == std::errc::result_out_of_range) return negative ? -HUGE_VAL : HUGE_VAL;
        return std::nullopt;
    }
    return negative ? -d : d;
}

// ---- filters ---------------------------------------------------------------------------------------

Value f_abs(Interpreter&, const Value& v, CallArgs& args) {
    args.check("abs", 0, {});
    if (v.is_undefined()) fail(v.undefined_reason());
    if (v.is_float()) return Value(std::fabs(v.as_float()));
    if (v.is_number()) {
        if (v.as_int() == INT64_MIN) fail("integer overflow");
        return Value(v.as_int() < 0 ? -v.as_int() : v.as_int());
    }
    fail("bad operand type for abs(): '" + type_name(v) + "'");
}

Value f_capitalize(Interpreter&, const Value& v, CallArgs& args) {
    args.check("capitalize", 0, {});
    return Value(py_capitalize(to_str(v)));
}

Value f_length(Interpreter&, const Value& v, CallArgs& args) {
    args.check("length", 0, {});
    return Value(length(v));
}

Value f_default(Interpreter&, const Value& v, CallArgs& args) {
    args.check("default", 2, {"default_value", "boolean"});
    const Value fallback = args.get(0, "default_value", Value(""));
    const bool boolean = truthy(args.get(1, "boolean", Value(false)));
    if (v.is_undefined() || (boolean && !truthy(v))) return fallback;
    return v;
}

Value f_dictsort(Interpreter& in, const Value& v, CallArgs& args) {
    args.check("dictsort", 3, {"case_sensitive", "by", "reverse"});
    if (v.is_undefined()) fail(v.undefined_reason());
    if (!v.is_dict()) fail("dictsort: '" + type_name(v) + "' object has no attribute 'items'");
    const bool case_sensitive = truthy(args.get(0, "case_sensitive", Value(false)));
    const std::string by = to_str(args.get(1, "by", Value("key")));
    const bool reverse = truthy(args.get(2, "reverse", Value(false)));
    if (by != "key" && by != "value") fail("You can only sort by either 'key' or 'value'");
    std::vector<std::pair<std::string, Value>> items = v.dict().items();
    in.charge_items(items.size());
    auto key = [&](const std::pair<std::string, Value>& p) {
        Value k = by == "key" ? Value(p.first) : p.second;
        if (!case_sensitive && k.is_string()) k = Value(py_lower(k.as_string()));
        return k;
    };
    std::stable_sort(items.begin(), items.end(), [&](const auto& a, const auto& b) {
        return reverse ? compare(key(b), key(a)) < 0 : compare(key(a), key(b)) < 0;
    });
    std::vector<Value> out;
    for (auto& [k, item] : items) out.push_back(tuple2(Value(k), item));
    return Value::make_list(std::move(out));
}

Value f_escape(Interpreter&, const Value& v, CallArgs& args) {
    args.check("escape", 0, {});
    std::string out;
    for (char c : to_str(v)) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&#34;"; break;
        case '\'': out += "&#39;"; break;
        default: out.push_back(c);
        }
    }
    return Value(std::move(out));
}

Value f_first(Interpreter&, const Value& v, CallArgs& args) {
    args.check("first", 0, {});
    if (v.is_list()) {
        if (v.list().items.empty()) return Value::undefined("No first item, sequence was empty.");
        return v.list().items.front();
    }
    auto items = iterate(v);
    if (items.empty()) return Value::undefined("No first item, sequence was empty.");
    return items.front();
}

Value f_last(Interpreter&, const Value& v, CallArgs& args) {
    args.check("last", 0, {});
    if (v.is_list()) {
        if (v.list().items.empty()) return Value::undefined("No last item, sequence was empty.");
        return v.list().items.back();
    }
    auto items = iterate(v);
    if (items.empty()) return Value::undefined("No last item, sequence was empty.");
    return items.back();
}

Value f_float(Interpreter&, const Value& v, CallArgs& args) {
    args.check("float", 1, {"default"});
    const Value fallback = args.get(0, "default", Value(0.0));
    if (v.is_number()) return Value(v.as_float());
    if (v.is_string()) {
        if (auto d = parse_py_float(v.as_string())) return Value(*d);
        return fallback;
    }
    if (v.is_undefined()) fail(v.undefined_reason());
    return fallback;
}

Value f_int(Interpreter&, const Value& v, CallArgs& args) {
    args.check("int", 2, {"default", "base"});
    const Value fallback = args.get(0, "default", Value(0));
    const std::int64_t base = int_arg(args.get(1, "base", Value(10)), "base");
    if (v.is_undefined()) fail(v.undefined_reason());
    auto from_double = [&](double d) -> Value {
        if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) return fallback;
        return Value(static_cast<std::int64_t>(std::trunc(d)));
    };
    if (v.is_int() || v.is_bool()) return Value(v.as_int());
    if (v.is_float()) return from_double(v.as_float());
    if (v.is_string()) {
        if (base >= 2 && base <= 36)
            if (auto i = parse_py_int(v.as_string(), static_cast<int>(base))) return Value(*i);
        if (auto d = parse_py_float(v.as_string())) return from_double(*d);
        return fallback;
    }
    return fallback;
}

Value f_indent(Interpreter& in, const Value& v, CallArgs& args) {
    args.check("indent", 3, {"width", "first", "blank"});
    const Value width = args.get(0, "width", Value(4));
    const bool first = truthy(args.get(1, "first", Value(false)));
    const bool blank = truthy(args.get(2, "blank", Value(false)));
    std::string indention = width.is_string() ? width.as_string()
                                              : std::string(static_cast<std::size_t>(std::max<std::int64_t>(int_arg(width, "width"), 0)), ' ');
    const std::string s = to_str(v) + "\n";
    const auto lines = py_splitlines(s);
    std::string rv;
    if (blank) {
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (i) rv += "\n" + indention;
            rv += lines[i];
        }
    } else {
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (i == 0) { rv += lines[0]; continue; }
            rv += "\n";
            if (!lines[i].empty()) rv += indention;
            rv += lines[i];
        }
    }
    if (first) rv = indention + rv;
    in.check_string(rv.size());
    return Value(std::move(rv));
}

Value f_items(Interpreter& in, const Value& v, CallArgs& args) {
    args.check("items", 0, {});
    if (v.is_undefined()) return Value::make_list();
    if (!v.is_dict()) fail("Can only get item pairs from a mapping.");
    std::vector<Value> out;
    out.reserve(v.dict().size());
    for (const auto& [k, item] : v.dict().items()) out.push_back(tuple2(Value(k), item));
    in.charge(out.size());
    return Value::make_list(std::move(out));
}

Value f_join(Interpreter& in, const Value& v, CallArgs& args) {
    args.check("join", 2, {"d", "attribute"});
    const std::string sep = to_str(args.get(0, "d", Value("")));
    const Value attribute = args.get(1, "attribute", Value::none());
    std::string out;
    bool first = true;
    for (const auto& item : iterate(v)) {
        if (!first) out += sep;
        first = false;
        out += to_str(attribute.is_none() ? item : get_path(item, attribute));
        in.check_string(out.size());
    }
    in.charge_items(out.size());
    return Value(std::move(out));
}

Value f_list(Interpreter& in, const Value& v, CallArgs& args) {
    args.check("list", 0, {});
    auto items = iterate(v);
    in.charge_items(items.size());
    return Value::make_list(std::move(items));
}

Value f_lower(Interpreter&, const Value& v, CallArgs& args) {
    args.check("lower", 0, {});
    return Value(py_lower(to_str(v)));
}

Value f_upper(Interpreter&, const Value& v, CallArgs& args) {
    args.check("upper", 0, {});
    return Value(py_upper(to_str(v)));
}

Value f_title(Interpreter&, const Value& v, CallArgs& args) {
    args.check("title", 0, {});
    // Jinja2's own title: words start after "-", whitespace or an opening bracket.
    const auto text = decode(to_str(v));
    std::u32string out;
    bool word_start = true;
    for (char32_t c : text) {
        const bool separator = c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || is_space(c);
        if (separator) {
            out.push_back(c);
            word_start = true;
        } else {
            out.push_back(word_start ? to_upper(c) : to_lower(c));
            word_start = false;
        }
    }
    return Value(encode(out));
}

Value f_trim(Interpreter&, const Value& v, CallArgs& args) {
    args.check("trim", 1, {"chars"});
    return Value(py_strip(to_str(v), opt_string(args.get(0, "chars", Value::none()), "chars"), true, true));
}

Value f_replace(Interpreter& in, const Value& v, CallArgs& args) {
    args.check("replace", 3, {"old", "new", "count"});
    const Value count = args.get(2, "count", Value::none());
    std::string out = py_replace(to_str(v), to_str(args.get(0, "old")), to_str(args.get(1, "new")),
                                 count.is_none() ? -1 : int_arg(count, "count"));
    in.check_string(out.size());
    in.charge(out.size());
    return Value(std::move(out));
}

Value f_reverse(Interpreter& in, const Value& v, CallArgs& args) {
    args.check("reverse", 0, {});
    if (v.is_string()) return Value(py_slice(v.as_string(), std::nullopt, std::nullopt, -1));
    auto items = iterate(v);
    std::reverse(items.begin(), items.end());
    in.charge_items(items.size());
    return Value::make_list(std::move(items));
}

Value f_round(Interpreter&, const Value& v, CallArgs& args) {
    args.check("round", 2, {"precision", "method"});
    const std::int64_t precision = int_arg(args.get(0, "precision", Value(0)), "precision");
    const std::string method = to_str(args.get(1, "method", Value("common")));
    if (method != "common" && method != "ceil" && method != "floor")
        fail("method must be 'common', 'ceil' or 'floor'");
    if (v.is_undefined()) fail(v.undefined_reason());
    if (!v.is_number()) fail("type " + type_name(v) + " doesn't define __round__ method");
    if (method == "common") {
        if (!v.is_float()) {
            if (precision >= 0) return Value(v.as_int());
            fail("round() with a negative precision is not supported in chat templates");
        }
        const double d = v.as_float();
        if (!std::isfinite(d)) return v;
        if (precision == 0) return Value(std::nearbyint(d));
        if (precision < 0 || precision > 300) fail("round() precision out of range in chat templates");
        char buf[512];
        std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(precision), d);
        double r = 0;
        std::from_chars(buf, buf + std::char_traits<char>::length(buf), r);
        if (buf[0] == '-' && r == 0) r = -0.0;
        return Value(r);
    }
    const double scale = std::pow(10.0, static_cast<double>(precision));
    const double scaled = v.as_float() * scale;
    const double rounded = method == "ceil" ? std::ceil(scaled) : std::floor(scaled);
    return Value(rounded / scale);
}

Value f_string(Interpreter&, const Value& v, CallArgs& args) {
    args.check("string", 0, {});
    return Value(to_str(v));
}

// Sort key with Jinja2's ignore_case: strings compare lower-cased unless case_sensitive.
Value sort_key(const Value& item, const Value& attribute, bool case_sensitive) {
    Value k = attribute.is_none() ? item : get_path(item, attribute);
    if (!case_sensitive && k.is_string()) k = Value(py_lower(k.as_string()));
    return k;
}

Value f_sort(Interpreter& in, const Value& v, CallArgs& args) {
    args.check("sort", 3, {"reverse", "case_sensitive", "attribute"});
    const bool reverse = truthy(args.get(0, "reverse", Value(false)));
    const bool case_sensitive = truthy(args.get(1, "case_sensitive", Value(false)));
    const Value attribute = args.get(2, "attribute", Value::none());
    auto items = iterate(v);
    in.charge_items(items.size());
    std::vector<std::pair<Value, Value>> keyed;
    for (auto& item : items) keyed.emplace_back(sort_key(item, attribute, case_sensitive), std::move(item));
    for (auto& [k, item] : keyed)
        if (k.is_undefined()) fail(k.undefined_reason());
    std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
        return reverse ? compare(b.first, a.first) < 0 : compare(a.first, b.first) < 0;
    });
    std::vector<Value> out;
    for (auto& [k, item] : keyed) out.push_back(std::move(item));
    return Value::make_list(std::move(out));
}

Value f_unique(Interpreter& in, const Value& v, CallArgs& args) {
    args.check("unique", 2, {"case_sensitive", "attribute"});
    const bool case_sensitive = truthy(args.get(0, "case_sensitive", Value(false)));
    const Value attribute = args.get(1, "attribute", Value::none());
    std::vector<Value> out, seen;
    for (auto& item : iterate(v)) {
        Value k = sort_key(item, attribute, case_sensitive);
        in.charge_items(seen.size() + 1);
        if (std::any_of(seen.begin(), seen.end(), [&](const Value& s) { return equals(s, k); })) continue;
        seen.push_back(std::move(k));
        out.push_back(std::move(item));
    }
    return Value::make_list(std::move(out));
}

Value aggregate(Interpreter& in, const Value& v, CallArgs& args, bool want_max) {
    args.check(want_max ? "max" : "min", 2, {"case_sensitive", "attribute"});
    const bool case_sensitive = truthy(args.get(0, "case_sensitive", Value(false)));
    const Value attribute = args.get(1, "attribute", Value::none());
    auto items = iterate(v);
    in.charge_items(items.size());
    if (items.empty()) return Value::undefined("No aggregated item, sequence was empty.");
    std::size_t best = 0;
    Value best_key = sort_key(items[0], attribute, case_sensitive);
    for (std::size_t i = 1; i < items.size(); ++i) {
        Value k = sort_key(items[i], attribute, case_sensitive);
        const int c = compare(k, best_key);
        if (want_max ? c > 0 : c < 0) {
            best = i;
            best_key = std::move(k);
        }
    }
    return items[best];
}

Value f_min(Interpreter& in, const Value& v, CallArgs& args) { return aggregate(in, v, args, false); }
Value f_max(Interpreter& in, const Value& v, CallArgs& args) { return aggregate(in, v, args, true); }

Value f_sum(Interpreter& in, const Value& v, CallArgs& args) {
    args.check("sum", 2, {"attribute", "start"});
    const Value attribute = args.get(0, "attribute", Value::none());
    Value total = args.get(1, "start", Value(0));
    for (const auto& item : iterate(v)) {
        in.count_iteration();
        const Value x = attribute.is_none() ? item : get_path(item, attribute);
        if (!x.is_number() || !total.is_number()) fail("sum() supports numbers only in chat templates");
        if (x.is_float() || total.is_float()) total = Value(total.as_float() + x.as_float());
        else {
            std::int64_t r = 0;
            if (__builtin_add_overflow(total.as_int(), x.as_int(), &r)) fail("integer overflow");
            total = Value(r);
        }
    }
    return total;
}

Value f_safe(Interpreter&, const Value& v, CallArgs& args) {
    args.check("safe", 0, {});
    return Value(to_str(v));
}

Value f_tojson(Interpreter& in, const Value& v, CallArgs& args) {
    // transformers' override: json.dumps(x, ensure_ascii=False, indent=indent, separators=separators,
    // sort_keys=sort_keys) — no HTML escaping, unlike Jinja2's own tojson.
    args.check("tojson", 4, {"ensure_ascii", "indent", "separators", "sort_keys"});
    JsonOptions options;
    options.ensure_ascii = truthy(args.get(0, "ensure_ascii", Value(false)));
    const Value indent = args.get(1, "indent", Value::none());
    if (!indent.is_none()) options.indent = static_cast<int>(std::clamp<std::int64_t>(int_arg(indent, "indent"), 0, 64));
    const Value separators = args.get(2, "separators", Value::none());
    if (!separators.is_none()) {
        if (!separators.is_list() || separators.list().items.size() != 2)
            fail("separators must be a pair of strings");
        options.separators = std::make_pair(string_arg(separators.list().items[0], "separator"),
                                            string_arg(separators.list().items[1], "separator"));
    }
    options.sort_keys = truthy(args.get(3, "sort_keys", Value(false)));
    std::string out = to_json(v, options);
    in.check_string(out.size());
    in.charge(out.size());
    return Value(std::move(out));
}

Value f_map(Interpreter& in, const Value& v, CallArgs& args) {
    std::vector<Value> out;
    bool by_attribute = false;
    Value attribute, fallback;
    for (const auto& [k, x] : args.keyword) {
        if (k == "attribute") { by_attribute = true; attribute = x; }
        else if (k == "default") fallback = x;
    }
    if (by_attribute) {
        if (!args.positional.empty()) fail("map: unexpected positional arguments with attribute=");
        for (const auto& item : iterate(v)) {
            in.count_iteration();
            Value x = get_path(item, attribute);
            if (x.is_undefined() && !fallback.is_undefined()) x = fallback;
            out.push_back(std::move(x));
        }
        return Value::make_list(std::move(out));
    }
    if (args.positional.empty()) fail("map requires a filter argument");
    const std::string name = string_arg(args.positional[0], "map filter name");
    const FilterFn f = find_filter(name);
    if (!f) fail("unknown filter '" + name + "'");
    CallArgs rest;
    rest.positional.assign(args.positional.begin() + 1, args.positional.end());
    rest.keyword = args.keyword;
    for (const auto& item : iterate(v)) {
        in.count_iteration();
        CallArgs copy = rest;
        out.push_back(f(in, item, copy));
    }
    return Value::make_list(std::move(out));
}

Value select_impl(Interpreter& in, const Value& v, CallArgs& args, bool by_attribute, bool keep_when) {
    std::size_t next = 0;
    Value attribute;
    if (by_attribute) {
        if (args.positional.empty()) fail("selectattr/rejectattr need an attribute name");
        attribute = args.positional[next++];
    }
    TestFn test = nullptr;
    if (next < args.positional.size()) {
        const std::string name = string_arg(args.positional[next++], "test name");
        test = find_test(name);
        if (!test) fail("unknown test '" + name + "'");
    }
    CallArgs rest;
    rest.positional.assign(args.positional.begin() + static_cast<std::ptrdiff_t>(next), args.positional.end());
    rest.keyword = args.keyword;
    std::vector<Value> out;
    for (const auto& item : iterate(v)) {
        in.count_iteration();
        const Value subject = by_attribute ? get_path(item, attribute) : item;
        bool r;
        if (test) {
            CallArgs copy = rest;
            r = test(in, subject, copy);
        } else {
            r = truthy(subject);
        }
        if (r == keep_when) out.push_back(item);
    }
    return Value::make_list(std::move(out));
}

Value f_select(Interpreter& in, const Value& v, CallArgs& a) { return select_impl(in, v, a, false, true); }
Value f_reject(Interpreter& in, const Value& v, CallArgs& a) { return select_impl(in, v, a, false, false); }
Value f_selectattr(Interpreter& in, const Value& v, CallArgs& a) { return select_impl(in, v, a, true, true); }
Value f_rejectattr(Interpreter& in, const Value& v, CallArgs& a) { return select_impl(in, v, a, true, false); }

const std::unordered_map<std::string_view, FilterFn>& filters() {
    static const std::unordered_map<std::string_view, FilterFn> table = {
        {"abs", f_abs},           {"capitalize", f_capitalize}, {"count", f_length},   {"d", f_default},
        {"default", f_default},   {"dictsort", f_dictsort},     {"e", f_escape},       {"escape", f_escape},
        {"first", f_first},       {"float", f_float},           {"indent", f_indent},  {"int", f_int},
        {"items", f_items},       {"join", f_join},             {"last", f_last},      {"length", f_length},
        {"list", f_list},         {"lower", f_lower},           {"map", f_map},        {"max", f_max},
        {"min", f_min},           {"reject", f_reject},         {"rejectattr", f_rejectattr},
        {"replace", f_replace},   {"reverse", f_reverse},       {"round", f_round},    {"safe", f_safe},
        {"select", f_select},     {"selectattr", f_selectattr}, {"sort", f_sort},      {"string", f_string},
        {"sum", f_sum},           {"title", f_title},           {"tojson", f_tojson},  {"trim", f_trim},
        {"unique", f_unique},     {"upper", f_upper},
    };
    return table;
}

// ---- tests -----------------------------------------------------------------------------------------

Value test_arg(CallArgs& args, std::string_view test) {
    if (args.positional.size() != 1 || !args.keyword.empty())
        fail("test '" + std::string(test) + "' takes exactly one argument");
    return args.positional[0];
}

bool no_args(CallArgs& args, std::string_view test) {
    if (!args.positional.empty() || !args.keyword.empty()) fail("test '" + std::string(test) + "' takes no arguments");
    return true;
}

bool t_defined(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "defined") && !v.is_undefined(); }
bool t_undefined(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "undefined") && v.is_undefined(); }
bool t_none(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "none") && v.is_none(); }
bool t_string(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "string") && v.is_string(); }
bool t_number(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "number") && v.is_number(); }
bool t_integer(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "integer") && v.is_int(); }
bool t_float(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "float") && v.is_float(); }
bool t_mapping(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "mapping") && v.is_dict(); }
bool t_boolean(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "boolean") && v.is_bool(); }
bool t_true(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "true") && v.is_bool() && v.as_bool(); }
bool t_false(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "false") && v.is_bool() && !v.as_bool(); }
// Jinja2's Undefined is iterable, a sequence and callable (it defines __iter__, __len__, __getitem__
// and __call__), so these tests say yes to it.
bool t_iterable(Interpreter&, const Value& v, CallArgs& a) {
    return no_args(a, "iterable") && (v.is_string() || v.is_list() || v.is_dict() || v.is_undefined());
}
bool t_sequence(Interpreter&, const Value& v, CallArgs& a) {
    return no_args(a, "sequence") && (v.is_string() || v.is_list() || v.is_dict() || v.is_undefined());
}
bool t_callable(Interpreter&, const Value& v, CallArgs& a) {
    return no_args(a, "callable") && (v.is_callable() || v.is_undefined());
}
bool t_eq(Interpreter&, const Value& v, CallArgs& a) { return equals(v, test_arg(a, "eq")); }
bool t_ne(Interpreter&, const Value& v, CallArgs& a) { return !equals(v, test_arg(a, "ne")); }
int ordered(const Value& v, const Value& other) {
    if (v.is_undefined()) fail(v.undefined_reason());
    if (other.is_undefined()) fail(other.undefined_reason());
    return compare(v, other);
}
bool t_lt(Interpreter&, const Value& v, CallArgs& a) { return ordered(v, test_arg(a, "lt")) < 0; }
bool t_le(Interpreter&, const Value& v, CallArgs& a) { return ordered(v, test_arg(a, "le")) <= 0; }
bool t_gt(Interpreter&, const Value& v, CallArgs& a) { return ordered(v, test_arg(a, "gt")) > 0; }
bool t_ge(Interpreter&, const Value& v, CallArgs& a) { return ordered(v, test_arg(a, "ge")) >= 0; }
std::int64_t integer_subject(const Value& v, std::string_view test) {
    if (v.is_undefined()) fail(v.undefined_reason());
    if (!v.is_int() && !v.is_bool()) fail("test '" + std::string(test) + "' needs an integer, not " + type_name(v));
    return v.as_int();
}
bool t_odd(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "odd") && integer_subject(v, "odd") % 2 != 0; }
bool t_even(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "even") && integer_subject(v, "even") % 2 == 0; }
bool t_divisibleby(Interpreter&, const Value& v, CallArgs& a) {
    const std::int64_t n = integer_subject(test_arg(a, "divisibleby"), "divisibleby");
    if (n == 0) fail("integer division or modulo by zero");
    return integer_subject(v, "divisibleby") % n == 0;
}
bool t_in(Interpreter&, const Value& v, CallArgs& a) { return contains(test_arg(a, "in"), v); }
bool t_sameas(Interpreter&, const Value& v, CallArgs& a) {
    const Value other = test_arg(a, "sameas");
    if (v.kind() != other.kind()) return false;
    switch (v.kind()) {
    case Value::Kind::none:
    case Value::Kind::undefined: return true;
    case Value::Kind::boolean: return v.as_bool() == other.as_bool();
    case Value::Kind::list: return &v.list() == &other.list();
    case Value::Kind::dict: return &v.dict() == &other.dict();
    case Value::Kind::object: return &v.object() == &other.object();
    case Value::Kind::callable: return &v.callable() == &other.callable();
    default: return equals(v, other);
    }
}
bool t_lower(Interpreter&, const Value& v, CallArgs& a) {
    no_args(a, "lower");
    const auto text = decode(to_str(v));
    bool cased = false;
    for (char32_t c : text) {
        if (to_lower(c) != c) return false;
        cased = cased || is_cased(c);
    }
    return cased;
}
bool t_upper(Interpreter&, const Value& v, CallArgs& a) {
    no_args(a, "upper");
    const auto text = decode(to_str(v));
    bool cased = false;
    for (char32_t c : text) {
        if (to_upper(c) != c) return false;
        cased = cased || is_cased(c);
    }
    return cased;
}
bool t_escaped(Interpreter&, const Value&, CallArgs& a) { return !no_args(a, "escaped"); }
bool t_filter(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "filter") && v.is_string() && find_filter(v.as_string()); }
bool t_test(Interpreter&, const Value& v, CallArgs& a) { return no_args(a, "test") && v.is_string() && find_test(v.as_string()); }

const std::unordered_map<std::string_view, TestFn>& tests() {
    static const std::unordered_map<std::string_view, TestFn> table = {
        {"defined", t_defined}, {"undefined", t_undefined}, {"none", t_none},         {"string", t_string},
        {"number", t_number},   {"integer", t_integer},     {"float", t_float},       {"mapping", t_mapping},
        {"iterable", t_iterable}, {"sequence", t_sequence}, {"boolean", t_boolean},   {"true", t_true},
        {"false", t_false},     {"callable", t_callable},   {"equalto", t_eq},        {"eq", t_eq},
        {"==", t_eq},           {"ne", t_ne},               {"!=", t_ne},             {"lt", t_lt},
        {"lessthan", t_lt},     {"<", t_lt},                {"le", t_le},             {"<=", t_le},
        {"gt", t_gt},           {"greaterthan", t_gt},      {">", t_gt},              {"ge", t_ge},
        {">=", t_ge},           {"odd", t_odd},             {"even", t_even},         {"divisibleby", t_divisibleby},
        {"in", t_in},           {"sameas", t_sameas},       {"lower", t_lower},       {"upper", t_upper},
        {"escaped", t_escaped}, {"filter", t_filter},       {"test", t_test},
    };
    return table;
}

// ---- methods of str, dict and list -----------------------------------------------------------------

Value str_format(const std::string& fmt, CallArgs& args) {
    std::string out;
    std::size_t auto_index = 0;
    for (std::size_t i = 0; i < fmt.size(); ++i) {
        const char c = fmt[i];
        if (c == '}') {
            if (i + 1 < fmt.size() && fmt[i + 1] == '}') { out.push_back('}'); ++i; continue; }
            fail("Single '}' encountered in format string");
        }
        if (c != '{') { out.push_back(c); continue; }
        if (i + 1 < fmt.size() && fmt[i + 1] == '{') { out.push_back('{'); ++i; continue; }
        const auto close = fmt.find('}', i);
        if (close == std::string::npos) fail("Single '{' encountered in format string");
        std::string field = fmt.substr(i + 1, close - i - 1);
        i = close;
        bool use_repr = false;
        if (const auto bang = field.find('!'); bang != std::string::npos) {
            const std::string conversion = field.substr(bang + 1);
            if (conversion != "r" && conversion != "s") fail("str.format: unsupported conversion '!" + conversion + "'");
            use_repr = conversion == "r";
            field.resize(bang);
        }
        if (field.find(':') != std::string::npos) fail("str.format: format specifications are not supported in chat templates");
        Value v;
        if (field.empty()) {
            if (auto_index >= args.positional.size()) fail("Replacement index " + std::to_string(auto_index) + " out of range for positional args tuple");
            v = args.positional[auto_index++];
        } else if (std::all_of(field.begin(), field.end(), [](char d) { return d >= '0' && d <= '9'; })) {
            const std::size_t index = std::stoul(field);
            if (index >= args.positional.size()) fail("Replacement index " + field + " out of range for positional args tuple");
            v = args.positional[index];
        } else {
            bool found = false;
            for (const auto& [k, x] : args.keyword)
                if (k == field) { v = x; found = true; }
            if (!found) fail("str.format: missing argument '" + field + "'");
        }
        out += use_repr ? repr(v) : to_str(v);
    }
    return Value(std::move(out));
}

bool starts_or_ends(const std::string& s, const Value& affix, bool start) {
    auto one = [&](const Value& a) {
        const std::string x = string_arg(a, start ? "startswith argument" : "endswith argument");
        return start ? s.compare(0, x.size(), x) == 0 && s.size() >= x.size()
                     : s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
    };
    if (affix.is_list() && affix.list().is_tuple) {
        for (const auto& a : affix.list().items)
            if (one(a)) return true;
        return false;
    }
    return one(affix);
}

template <class Pred>
bool all_chars(const std::string& s, Pred p) {
    const auto text = decode(s);
    return !text.empty() && std::all_of(text.begin(), text.end(), p);
}

Value string_method(const std::string& self, std::string_view name, Interpreter& in, CallArgs& a) {
    const std::string fn = "str." + std::string(name);
    if (name == "strip" || name == "lstrip" || name == "rstrip") {
        a.check(fn, 1, {"chars"});
        return Value(py_strip(self, opt_string(a.get(0, "chars", Value::none()), "chars"), name != "rstrip", name != "lstrip"));
    }
    if (name == "split" || name == "rsplit") {
        a.check(fn, 2, {"sep", "maxsplit"});
        auto parts = py_split(self, opt_string(a.get(0, "sep", Value::none()), "sep"),
                              int_arg(a.get(1, "maxsplit", Value(-1)), "maxsplit"), name == "rsplit");
        in.charge(self.size());
        in.charge_items(parts.size());
        std::vector<Value> out(parts.begin(), parts.end());
        return Value::make_list(std::move(out));
    }
    if (name == "splitlines") {
        a.check(fn, 0, {});
        auto parts = py_splitlines(self);
        return Value::make_list(std::vector<Value>(parts.begin(), parts.end()));
    }
    if (name == "startswith" || name == "endswith") {
        a.check(fn, 1, {});
        return Value(starts_or_ends(self, a.get(0, ""), name == "startswith"));
    }
    if (name == "replace") {
        a.check(fn, 3, {"count"});
        std::string out = py_replace(self, string_arg(a.get(0, "old"), "old"), string_arg(a.get(1, "new"), "new"),
                                     int_arg(a.get(2, "count", Value(-1)), "count"));
        in.check_string(out.size());
        in.charge(out.size());
        return Value(std::move(out));
    }
    if (name == "upper") { a.check(fn, 0, {}); return Value(py_upper(self)); }
    if (name == "lower") { a.check(fn, 0, {}); return Value(py_lower(self)); }
    if (name == "title") { a.check(fn, 0, {}); return Value(py_title(self)); }
    if (name == "capitalize") { a.check(fn, 0, {}); return Value(py_capitalize(self)); }
    if (name == "find" || name == "rfind" || name == "index" || name == "rindex") {
        a.check(fn, 1, {});
        const long long r = py_find(self, string_arg(a.get(0, ""), "substring"), name[0] == 'r');
        if (r < 0 && (name == "index" || name == "rindex")) fail("substring not found");
        return Value(static_cast<std::int64_t>(r));
    }
    if (name == "count") {
        a.check(fn, 1, {});
        return Value(static_cast<std::int64_t>(py_count(self, string_arg(a.get(0, ""), "substring"))));
    }
    if (name == "join") {
        a.check(fn, 1, {});
        std::string out;
        bool first = true;
        for (const auto& item : iterate(a.get(0, "iterable"))) {
            if (!first) out += self;
            first = false;
            out += string_arg(item, "str.join item");
            in.check_string(out.size());
        }
        in.charge(out.size());
        return Value(std::move(out));
    }
    if (name == "format") {
        Value out = str_format(self, a);
        in.check_string(out.as_string().size());
        return out;
    }
    if (name == "removeprefix" || name == "removesuffix") {
        a.check(fn, 1, {});
        const std::string x = string_arg(a.get(0, ""), "affix");
        if (name == "removeprefix" && self.compare(0, x.size(), x) == 0 && self.size() >= x.size()) return Value(self.substr(x.size()));
        if (name == "removesuffix" && !x.empty() && self.size() >= x.size() && self.compare(self.size() - x.size(), x.size(), x) == 0)
            return Value(self.substr(0, self.size() - x.size()));
        return Value(self);
    }
    a.check(fn, 0, {});
    if (name == "isdigit" || name == "isdecimal" || name == "isnumeric")
        return Value(all_chars(self, [](char32_t c) { return c >= '0' && c <= '9'; }));
    if (name == "isalpha") return Value(all_chars(self, is_alpha));
    if (name == "isalnum") return Value(all_chars(self, [](char32_t c) { return is_alpha(c) || (c >= '0' && c <= '9'); }));
    if (name == "isspace") return Value(all_chars(self, is_space));
    if (name == "islower" || name == "isupper") {
        CallArgs none;
        return Value(name == "islower" ? t_lower(in, Value(self), none) : t_upper(in, Value(self), none));
    }
    fail(fn + "() is not supported in chat templates");
}

constexpr std::string_view str_methods[] = {
    "capitalize", "casefold", "center", "count", "encode", "endswith", "expandtabs", "find", "format",
    "format_map", "index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower",
    "isnumeric", "isprintable", "isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip", "maketrans",
    "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit",
    "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title", "translate", "upper", "zfill"};
constexpr std::string_view dict_safe_methods[] = {"copy", "get", "items", "keys", "values"};
constexpr std::string_view dict_unsafe_methods[] = {"clear", "pop", "popitem", "setdefault", "update"};
constexpr std::string_view list_safe_methods[] = {"copy", "count", "index"};
constexpr std::string_view list_unsafe_methods[] = {"append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort"};

template <std::size_t N>
bool one_of(std::string_view name, const std::string_view (&names)[N]) {
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

Value unsafe(std::string_view name, const Value& obj) {
    return Value::undefined("access to attribute '" + std::string(name) + "' of '" + type_name(obj) + "' object is unsafe.");
}

Value dict_method(const Value& self, std::string_view name) {
    const std::string method(name);
    return make_function("dict." + method, [self, method](Interpreter& in, CallArgs& a) -> Value {
        const Dict& d = self.dict();
        if (method == "get") {
            a.check("dict.get", 2, {});
            const Value key = a.get(0, "key");
            if (key.is_string())
                if (const Value* v = d.find(key.as_string())) return *v;
            return a.get(1, "default", Value::none());
        }
        a.check("dict." + method, 0, {});
        in.charge_items(d.size());
        if (method == "copy") {
            auto c = std::make_shared<Dict>(d);
            return Value(std::move(c));
        }
        std::vector<Value> out;
        for (const auto& [k, v] : d.items()) {
            if (method == "items") out.push_back(tuple2(Value(k), v));
            else if (method == "keys") out.emplace_back(k);
            else out.push_back(v);
        }
        return Value::make_list(std::move(out));
    });
}

Value list_method(const Value& self, std::string_view name) {
    const std::string method(name);
    return make_function("list." + method, [self, method](Interpreter& in, CallArgs& a) -> Value {
        const auto& items = self.list().items;
        in.charge_items(items.size());
        if (method == "copy") {
            a.check("list.copy", 0, {});
            return Value::make_list(items, self.list().is_tuple);
        }
        a.check(type_name(self) + "." + method, 1, {});
        const Value x = a.get(0, "value");
        if (method == "count")
            return Value(static_cast<std::int64_t>(std::count_if(items.begin(), items.end(), [&](const Value& v) { return equals(v, x); })));
        for (std::size_t i = 0; i < items.size(); ++i)
            if (equals(items[i], x)) return Value(static_cast<std::int64_t>(i));
        fail(repr(x) + " is not in list");
    });
}

std::string object_description(const Value& obj) {
    if (obj.is_none()) return "None";
    return type_name(obj) + " object";
}

// ---- globals ---------------------------------------------------------------------------------------

Value g_range(Interpreter& in, CallArgs& a) {
    if (!a.keyword.empty() || a.positional.empty() || a.positional.size() > 3) fail("range() takes 1 to 3 integer arguments");
    std::int64_t start = 0, stop = 0, step = 1;
    if (a.positional.size() == 1) stop = int_arg(a.positional[0], "range() argument");
    else {
        start = int_arg(a.positional[0], "range() argument");
        stop = int_arg(a.positional[1], "range() argument");
        if (a.positional.size() == 3) step = int_arg(a.positional[2], "range() argument");
    }
    if (step == 0) fail("range() arg 3 must not be zero");
    std::int64_t n = 0;
    if (step > 0 && stop > start) n = (stop - start - 1) / step + 1;
    if (step < 0 && stop < start) n = (start - stop - 1) / (-step) + 1;
    if (n > 100000) fail("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
    std::vector<Value> out;
    out.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) out.emplace_back(start + i * step);
    in.charge_items(out.size());
    return Value::make_list(std::move(out));
}

Value g_dict(Interpreter&, CallArgs& a) {
    auto d = std::make_shared<Dict>();
    if (a.positional.size() > 1) fail("dict expected at most 1 argument");
    if (!a.positional.empty()) {
        const Value& src = a.positional[0];
        if (src.is_dict()) {
            *d = src.dict();
        } else {
            for (const auto& pair : iterate(src)) {
                const auto kv = iterate(pair);
                if (kv.size() != 2) fail("dictionary update sequence element has wrong length");
                if (!kv[0].is_string()) fail("dict keys must be strings in chat templates");
                d->set(kv[0].as_string(), kv[1]);
            }
        }
    }
    for (const auto& [k, v] : a.keyword) d->set(k, v);
    return Value(std::move(d));
}

Value g_raise_exception(Interpreter&, CallArgs& a) {
    if (a.positional.size() != 1) fail("raise_exception() takes one argument, the message");
    fail(to_str(a.positional[0]));
}

Value g_strftime_now(Interpreter&, CallArgs& a) {
    if (a.positional.size() != 1) fail("strftime_now() takes one argument, the format");
    const std::string format = string_arg(a.positional[0], "strftime_now format");
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    std::string buf(64 + format.size() * 4, '\0');
    const std::size_t n = format.empty() ? 0 : std::strftime(buf.data(), buf.size(), format.c_str(), &local);
    if (n == 0 && !format.empty()) fail("strftime_now: format produced no output or is too long");
    buf.resize(n);
    return Value(std::move(buf));
}

}  // namespace

FilterFn find_filter(std::string_view name) {
    const auto& t = filters();
    const auto it = t.find(name);
    return it == t.end() ? nullptr : it->second;
}

TestFn find_test(std::string_view name) {
    const auto& t = tests();
    const auto it = t.find(name);
    return it == t.end() ? nullptr : it->second;
}

Value make_globals() {
    auto d = std::make_shared<Dict>();
    d->set("range", make_function("range", g_range));
    d->set("dict", make_function("dict", g_dict));
    d->set("namespace", make_function("namespace", [](Interpreter&, CallArgs& a) { return make_namespace(a); }));
    d->set("raise_exception", make_function("raise_exception", g_raise_exception));
    d->set("strftime_now", make_function("strftime_now", g_strftime_now));
    return Value(std::move(d));
}

Value get_attribute(const Value& obj, std::string_view name) {
    switch (obj.kind()) {
    case Value::Kind::undefined: fail(obj.undefined_reason());
    case Value::Kind::string:
        if (one_of(name, str_methods)) {
            const std::string self = obj.as_string();
            const std::string method(name);
            return make_function("str." + method, [self, method](Interpreter& in, CallArgs& a) {
                return string_method(self, method, in, a);
            });
        }
        break;
    case Value::Kind::dict:
        if (one_of(name, dict_safe_methods)) return dict_method(obj, name);
        if (one_of(name, dict_unsafe_methods)) return unsafe(name, obj);
        if (const Value* v = obj.dict().find(name)) return *v;
        break;
    case Value::Kind::list:
        if (one_of(name, list_safe_methods) && !(obj.list().is_tuple && name == "copy")) return list_method(obj, name);
        if (!obj.list().is_tuple && one_of(name, list_unsafe_methods)) return unsafe(name, obj);
        break;
    case Value::Kind::object: return obj.object().get_attr(name);
    default: break;
    }
    return Value::undefined("'" + object_description(obj) + "' has no attribute '" + std::string(name) + "'");
}

Value get_item(const Value& obj, const Value& key) {
    if (obj.is_undefined()) fail(obj.undefined_reason());
    if ((obj.is_list() || obj.is_string()) && (key.is_int() || key.is_bool())) {
        std::int64_t i = key.as_int();
        if (obj.is_list()) {
            const auto n = static_cast<std::int64_t>(obj.list().items.size());
            if (i < 0) i += n;
            if (i >= 0 && i < n) return obj.list().items[static_cast<std::size_t>(i)];
        } else {
            const auto text = decode(obj.as_string());
            const auto n = static_cast<std::int64_t>(text.size());
            if (i < 0) i += n;
            if (i >= 0 && i < n) return Value(encode(text.substr(static_cast<std::size_t>(i), 1)));
        }
        return Value::undefined("'" + object_description(obj) + "' has no element " + std::to_string(key.as_int()));
    }
    if (obj.is_dict() && key.is_string()) {
        if (const Value* v = obj.dict().find(key.as_string())) return *v;
    }
    if (key.is_string()) {
        if (obj.is_dict() && !one_of(key.as_string(), dict_safe_methods) && !one_of(key.as_string(), dict_unsafe_methods))
            return Value::undefined("'" + object_description(obj) + "' has no attribute '" + key.as_string() + "'");
        return get_attribute(obj, key.as_string());
    }
    return Value::undefined("'" + object_description(obj) + "' has no element " + repr(key));
}

}  // namespace hearth::jinja
