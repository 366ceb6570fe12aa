#include "template/value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "template/py_string.h"
#include "template/slice.h"

namespace hearth::jinja {

void fail(std::string message) { throw RenderError{std::move(message), 0}; }

std::vector<std::size_t> slice_indices(std::size_t length, std::optional<long long> start,
                                       std::optional<long long> stop, long long step) {
    if (step == 0) fail("slice step cannot be zero");
    const auto n = static_cast<long long>(length);
    auto adjust = [&](std::optional<long long> v, long long if_absent) {
        if (!v) return if_absent;
        long long i = *v;
        if (i < 0) {
            i += n;
            if (i < 0) i = step < 0 ? -1 : 0;
        } else if (i >= n) {
            i = step < 0 ? n - 1 : n;
        }
        return i;
    };
    const long long b = adjust(start, step < 0 ? n - 1 : 0);
    const long long e = adjust(stop, step < 0 ? -1 : n);
    std::vector<std::size_t> out;
    if (step > 0) {
        for (long long i = b; i < e; i += step) out.push_back(static_cast<std::size_t>(i));
    } else {
        for (long long i = b; i > e; i += step) out.push_back(static_cast<std::size_t>(i));
    }
    return out;
}

Value Value::make_list(std::vector<Value> items, bool tuple) {
    auto l = std::make_shared<List>();
    l->items = std::move(items);
    l->is_tuple = tuple;
    return Value(std::move(l));
}

Value Value::make_dict() { return Value(std::make_shared<Dict>()); }

std::int64_t Value::as_int() const {
    if (is_bool()) return as_bool() ? 1 : 0;
    return std::get<std::int64_t>(m_data);
}

double Value::as_float() const {
    if (is_float()) return std::get<double>(m_data);
    return static_cast<double>(as_int());
}

const Value* Dict::find(std::string_view key) const {
    if (m_items.size() <= 8) {
        for (const auto& [k, v] : m_items)
            if (k == key) return &v;
        return nullptr;
    }
    const auto it = m_index.find(std::string(key));
    return it == m_index.end() ? nullptr : &m_items[it->second].second;
}

void Dict::set(const std::string& key, Value value) {
    const auto it = m_index.find(key);
    if (it != m_index.end()) {
        m_items[it->second].second = std::move(value);
        return;
    }
    m_index.emplace(key, m_items.size());
    m_items.emplace_back(key, std::move(value));
}

Value CallArgs::get(std::size_t i, std::string_view name, Value fallback) const {
    if (i < positional.size()) return positional[i];
    for (const auto& [k, v] : keyword)
        if (k == name) return v;
    return fallback;
}

bool CallArgs::has(std::size_t i, std::string_view name) const {
    if (i < positional.size()) return true;
    for (const auto& [k, v] : keyword)
        if (k == name) return true;
    return false;
}

void CallArgs::check(std::string_view function, std::size_t max_positional,
                     std::initializer_list<std::string_view> keywords) const {
    if (positional.size() > max_positional)
        fail(std::string(function) + "() takes at most " + std::to_string(max_positional) +
             " positional arguments (" + std::to_string(positional.size()) + " given)");
    for (const auto& [k, v] : keyword) {
        if (std::find(keywords.begin(), keywords.end(), k) == keywords.end())
            fail(std::string(function) + "() got an unexpected keyword argument '" + k + "'");
    }
}

bool truthy(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::undefined:
    case Value::Kind::none: return false;
    case Value::Kind::boolean: return v.as_bool();
    case Value::Kind::integer: return v.as_int() != 0;
    case Value::Kind::floating: return v.as_float() != 0.0;
    case Value::Kind::string: return !v.as_string().empty();
    case Value::Kind::list: return !v.list().items.empty();
    case Value::Kind::dict: return v.dict().size() != 0;
    case Value::Kind::callable:
    case Value::Kind::object: return true;
    }
    return false;
}

std::string type_name(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::undefined: return "Undefined";
    case Value::Kind::none: return "NoneType";
    case Value::Kind::boolean: return "bool";
    case Value::Kind::integer: return "int";
    case Value::Kind::floating: return "float";
    case Value::Kind::string: return "str";
    case Value::Kind::list: return v.list().is_tuple ? "tuple" : "list";
    case Value::Kind::dict: return "dict";
    case Value::Kind::callable: return "function";
    case Value::Kind::object: return std::string(v.object().type_name());
    }
    return "object";
}

std::string format_float(double d) {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
    // Shortest round-trip digits, then Python's layout: fixed notation when the decimal exponent is in
    // [-4, 16), scientific otherwise, always with a ".0" or a fraction in fixed notation.
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));
    std::string out;
    if (sci.front() == '-') { out.push_back('-'); sci.remove_prefix(1); }
    const auto e_pos = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e_pos))
        if (c != '.') digits.push_back(c);
    int exponent = 0;
    std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+'), sci.data() + sci.size(), exponent);
    const int decpt = exponent + 1;  // digits × 10^(decpt - ndigits)
    const int ndigits = static_cast<int>(digits.size());
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) {
            out += "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
        } else if (decpt >= ndigits) {
            out += digits + std::string(static_cast<std::size_t>(decpt - ndigits), '0') + ".0";
        } else {
            out += digits.substr(0, static_cast<std::size_t>(decpt)) + "." + digits.substr(static_cast<std::size_t>(decpt));
        }
        return out;
    }
    out += digits.substr(0, 1);
    if (ndigits > 1) out += "." + digits.substr(1);
    const int e = decpt - 1;
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    return out + ebuf;
}

namespace {

void repr_string(std::string& out, std::string_view s) {
    const bool has_single = s.find('\'') != std::string_view::npos;
    const bool has_double = s.find('"') != std::string_view::npos;
    const char quote = has_single && !has_double ? '"' : '\'';
    out.push_back(quote);
    for (char32_t c : decode(s)) {
        if (c == static_cast<char32_t>(quote) || c == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (!is_printable(c)) {
            append_python_escape(out, c);
        } else {
            append_code_point(out, c);
        }
    }
    out.push_back(quote);
}

void repr_into(std::string& out, const Value& v, int depth) {
    if (depth > max_value_depth) fail("value nested too deeply to print");
    switch (v.kind()) {
    case Value::Kind::undefined: out += "Undefined"; return;
    case Value::Kind::string: repr_string(out, v.as_string()); return;
    case Value::Kind::list: {
        const auto& l = v.list();
        out.push_back(l.is_tuple ? '(' : '[');
        for (std::size_t i = 0; i < l.items.size(); ++i) {
            if (i) out += ", ";
            repr_into(out, l.items[i], depth + 1);
        }
        if (l.is_tuple && l.items.size() == 1) out.push_back(',');
        out.push_back(l.is_tuple ? ')' : ']');
        return;
    }
    case Value::Kind::dict: {
        out.push_back('{');
        bool first = true;
        for (const auto& [k, item] : v.dict().items()) {
            if (!first) out += ", ";
            first = false;
            repr_string(out, k);
            out += ": ";
            repr_into(out, item, depth + 1);
        }
        out.push_back('}');
        return;
    }
    default: out += to_str(v); return;
    }
}

}  // namespace

std::string to_str(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::undefined: return "";
    case Value::Kind::none: return "None";
    case Value::Kind::boolean: return v.as_bool() ? "True" : "False";
    case Value::Kind::integer: return std::to_string(v.as_int());
    case Value::Kind::floating: return format_float(v.as_float());
    case Value::Kind::string: return v.as_string();
    case Value::Kind::list:
    case Value::Kind::dict: return repr(v);
    case Value::Kind::callable: return "<function " + v.callable().name + ">";
    case Value::Kind::object: return v.object().repr();
    }
    return "";
}

std::string repr(const Value& v) {
    std::string out;
    repr_into(out, v, 0);
    return out;
}

namespace {

bool equals_at(const Value& a, const Value& b, int depth) {
    if (depth > max_value_depth) fail("value nested too deeply to compare");
    if (a.is_number() && b.is_number()) {
        if (a.is_float() || b.is_float()) return a.as_float() == b.as_float();
        return a.as_int() == b.as_int();
    }
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
    case Value::Kind::undefined:
    case Value::Kind::none: return true;
    case Value::Kind::string: return a.as_string() == b.as_string();
    case Value::Kind::list: {
        const auto& x = a.list();
        const auto& y = b.list();
        if (&x == &y) return true;
        if (x.is_tuple != y.is_tuple || x.items.size() != y.items.size()) return false;
        for (std::size_t i = 0; i < x.items.size(); ++i)
            if (!equals_at(x.items[i], y.items[i], depth + 1)) return false;
        return true;
    }
    case Value::Kind::dict: {
        const auto& x = a.dict();
        const auto& y = b.dict();
        if (&x == &y) return true;
        if (x.size() != y.size()) return false;
        for (const auto& [k, item] : x.items()) {
            const Value* other = y.find(k);
            if (!other || !equals_at(item, *other, depth + 1)) return false;
        }
        return true;
    }
    case Value::Kind::callable: return &a.callable() == &b.callable();
    case Value::Kind::object: return &a.object() == &b.object();
    default: return false;
    }
}

int compare_at(const Value& a, const Value& b, int depth) {
    if (depth > max_value_depth) fail("value nested too deeply to compare");
    if (a.is_number() && b.is_number()) {
        if (a.is_float() || b.is_float()) {
            const double x = a.as_float(), y = b.as_float();
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        const auto x = a.as_int(), y = b.as_int();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.is_string() && b.is_string()) {
        const int c = a.as_string().compare(b.as_string());  // UTF-8 byte order is code point order
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    if (a.is_list() && b.is_list() && a.list().is_tuple == b.list().is_tuple) {
        const auto& x = a.list().items;
        const auto& y = b.list().items;
        for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
            if (equals_at(x[i], y[i], depth + 1)) continue;
            return compare_at(x[i], y[i], depth + 1);
        }
        return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
    }
    fail("'<' not supported between instances of '" + type_name(a) + "' and '" + type_name(b) + "'");
}

}  // namespace

bool equals(const Value& a, const Value& b) { return equals_at(a, b, 0); }
int compare(const Value& a, const Value& b) { return compare_at(a, b, 0); }

std::vector<Value> iterate(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::undefined: return {};
    case Value::Kind::list: return v.list().items;
    case Value::Kind::dict: {
        std::vector<Value> keys;
        keys.reserve(v.dict().size());
        for (const auto& [k, item] : v.dict().items()) keys.emplace_back(k);
        return keys;
    }
    case Value::Kind::string: {
        std::vector<Value> chars;
        for (char32_t c : decode(v.as_string())) {
            std::string s;
            append_code_point(s, c);
            chars.emplace_back(std::move(s));
        }
        return chars;
    }
    default: fail("'" + type_name(v) + "' object is not iterable");
    }
}

std::int64_t length(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::undefined: return 0;
    case Value::Kind::string: return static_cast<std::int64_t>(code_point_count(v.as_string()));
    case Value::Kind::list: return static_cast<std::int64_t>(v.list().items.size());
    case Value::Kind::dict: return static_cast<std::int64_t>(v.dict().size());
    default: fail("object of type '" + type_name(v) + "' has no len()");
    }
}

namespace {

template <class Json>
Value from_json_impl(const Json& json, int max_depth) {
    if (max_depth < 0) fail("input nested too deeply (more than 256 levels)");
    switch (json.type()) {
    case nlohmann::detail::value_t::null: return Value::none();
    case nlohmann::detail::value_t::boolean: return Value(json.template get<bool>());
    case nlohmann::detail::value_t::number_integer: return Value(json.template get<std::int64_t>());
    case nlohmann::detail::value_t::number_unsigned: {
        const auto u = json.template get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(INT64_MAX)) return Value(static_cast<std::int64_t>(u));
        return Value(static_cast<double>(u));
    }
    case nlohmann::detail::value_t::number_float: return Value(json.template get<double>());
    case nlohmann::detail::value_t::string: return Value(json.template get_ref<const std::string&>());
    case nlohmann::detail::value_t::array: {
        std::vector<Value> items;
        items.reserve(json.size());
        for (const auto& item : json) items.push_back(from_json_impl(item, max_depth - 1));
        return Value::make_list(std::move(items));
    }
    case nlohmann::detail::value_t::object: {
        auto d = std::make_shared<Dict>();
        for (const auto& [k, item] : json.items()) d->set(k, from_json_impl(item, max_depth - 1));
        return Value(std::move(d));
    }
    default: fail("unsupported value in the template context (binary data)");
    }
}

}  // namespace

Value from_json(const nlohmann::ordered_json& json, int max_depth) { return from_json_impl(json, max_depth); }
Value from_json(const nlohmann::json& json, int max_depth) { return from_json_impl(json, max_depth); }

namespace {

void json_string(std::string& out, std::string_view s, bool ensure_ascii) {
    out.push_back('"');
    auto escape_u = [&](unsigned c) {
        char buf[16];  // "\uXXXX" needs 7; room for any unsigned the compiler imagines
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
    };
    auto plain = [&](char32_t c) {
        switch (c) {
        case '"': out += "\\\""; return;
        case '\\': out += "\\\\"; return;
        case '\n': out += "\\n"; return;
        case '\r': out += "\\r"; return;
        case '\t': out += "\\t"; return;
        case '\b': out += "\\b"; return;
        case '\f': out += "\\f"; return;
        default:
            if (c < 0x20) escape_u(static_cast<unsigned>(c));
            else out.push_back(static_cast<char>(c));
        }
    };
    if (!ensure_ascii) {
        for (char ch : s) {
            const auto b = static_cast<unsigned char>(ch);
            if (b < 0x80) plain(b);
            else out.push_back(ch);
        }
    } else {
        for (char32_t c : decode(s)) {
            if (c < 0x80) plain(c);
            else if (c < 0x10000) escape_u(static_cast<unsigned>(c));
            else {
                const char32_t v = c - 0x10000;
                escape_u(0xD800 + static_cast<unsigned>(v >> 10));
                escape_u(0xDC00 + static_cast<unsigned>(v & 0x3FF));
            }
        }
    }
    out.push_back('"');
}

struct JsonWriter {
    const JsonOptions& options;
    std::string indent_unit;
    std::string item_sep;
    std::string key_sep;
    std::string out;

    void newline(int level) {
        out.push_back('\n');
        for (int i = 0; i < level; ++i) out += indent_unit;
    }

    void write(const Value& v, int level) {
        if (level > max_value_depth) fail("value nested too deeply for tojson");
        switch (v.kind()) {
        case Value::Kind::none: out += "null"; return;
        case Value::Kind::boolean: out += v.as_bool() ? "true" : "false"; return;
        case Value::Kind::integer: out += std::to_string(v.as_int()); return;
        case Value::Kind::floating: {
            const double d = v.as_float();
            if (std::isnan(d)) out += "NaN";
            else if (std::isinf(d)) out += d < 0 ? "-Infinity" : "Infinity";
            else out += format_float(d);
            return;
        }
        case Value::Kind::string: json_string(out, v.as_string(), options.ensure_ascii); return;
        case Value::Kind::list: {
            const auto& items = v.list().items;
            if (items.empty()) { out += "[]"; return; }
            out.push_back('[');
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (i) out += item_sep;
                if (options.indent >= 0) newline(level + 1);
                write(items[i], level + 1);
            }
            if (options.indent >= 0) newline(level);
            out.push_back(']');
            return;
        }
        case Value::Kind::dict: {
            const auto& d = v.dict();
            if (d.size() == 0) { out += "{}"; return; }
            std::vector<const std::pair<std::string, Value>*> entries;
            for (const auto& e : d.items()) entries.push_back(&e);
            if (options.sort_keys)
                std::stable_sort(entries.begin(), entries.end(),
                                 [](auto* a, auto* b) { return a->first < b->first; });
            out.push_back('{');
            bool first = true;
            for (const auto* e : entries) {
                if (!first) out += item_sep;
                first = false;
                if (options.indent >= 0) newline(level + 1);
                json_string(out, e->first, options.ensure_ascii);
                out += key_sep;
                write(e->second, level + 1);
            }
            if (options.indent >= 0) newline(level);
            out.push_back('}');
            return;
        }
        default: fail("Object of type " + type_name(v) + " is not JSON serializable");
        }
    }
};

}  // namespace

std::string to_json(const Value& v, const JsonOptions& options) {
    JsonWriter w{options, std::string(static_cast<std::size_t>(std::max(options.indent, 0)), ' '),
                 options.indent >= 0 ? "," : ", ", ": ", {}};
    if (options.separators) {
        w.item_sep = options.separators->first;
        w.key_sep = options.separators->second;
    }
    w.write(v, 0);
    return std::move(w.out);
}

}  // namespace hearth::jinja
