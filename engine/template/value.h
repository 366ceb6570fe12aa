#pragma once
// Values of the chat-template interpreter: Python's object model, cut down to what chat templates touch.
// Lists and dicts are shared by reference, as in Python (a namespace holding a list sees the same list).
// Strings are UTF-8; everything that Python counts in code points (length, indexing, slicing) is
// counted in code points here too.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace hearth::jinja {

class Value;
class Interpreter;
struct List;
class Dict;
struct Callable;
class Object;

// A render-time error. `line` is 0 until the evaluator attaches the line of the construct that failed.
// NOTE: the interpreter uses exceptions internally (a template error unwinds the whole render); they
// never leave ChatTemplate::render, which turns them into hearth::Error values.
struct RenderError {
    std::string message;
    int line = 0;
};
[[noreturn]] void fail(std::string message);

class Value {
public:
    enum class Kind : std::uint8_t { undefined, none, boolean, integer, floating, string, list, dict, callable, object };

    Value() : m_data(Undefined{}) {}
    Value(bool b) : m_data(b) {}
    Value(int i) : m_data(std::int64_t{i}) {}
    Value(std::int64_t i) : m_data(i) {}
    Value(double d) : m_data(d) {}
    Value(std::string s) : m_data(std::move(s)) {}
    Value(std::string_view s) : m_data(std::string(s)) {}
    Value(const char* s) : m_data(std::string(s)) {}
    Value(std::shared_ptr<List> l) : m_data(std::move(l)) {}
    Value(std::shared_ptr<Dict> d) : m_data(std::move(d)) {}
    Value(std::shared_ptr<Callable> c) : m_data(std::move(c)) {}
    Value(std::shared_ptr<Object> o) : m_data(std::move(o)) {}

    // An undefined value remembers why it is undefined, for the error raised when it is misused
    // (printing it gives "", iterating it gives nothing, as Jinja2's default Undefined).
    static Value undefined(std::string why) { Value v; v.m_data = Undefined{std::move(why)}; return v; }
    static Value none() { Value v; v.m_data = None{}; return v; }
    static Value make_list(std::vector<Value> items = {}, bool tuple = false);
    static Value make_dict();

    Kind kind() const { return static_cast<Kind>(m_data.index()); }
    bool is_undefined() const { return kind() == Kind::undefined; }
    bool is_none() const { return kind() == Kind::none; }
    bool is_bool() const { return kind() == Kind::boolean; }
    bool is_int() const { return kind() == Kind::integer; }
    bool is_float() const { return kind() == Kind::floating; }
    bool is_number() const { return is_int() || is_float() || is_bool(); }  // Python: bool is an int
    bool is_string() const { return kind() == Kind::string; }
    bool is_list() const { return kind() == Kind::list; }
    bool is_dict() const { return kind() == Kind::dict; }
    bool is_callable() const { return kind() == Kind::callable; }
    bool is_object() const { return kind() == Kind::object; }

    bool as_bool() const { return std::get<bool>(m_data); }
    std::int64_t as_int() const;  // bools and ints
    double as_float() const;      // any number
    const std::string& as_string() const { return std::get<std::string>(m_data); }
    List& list() const { return *std::get<std::shared_ptr<List>>(m_data); }
    Dict& dict() const { return *std::get<std::shared_ptr<Dict>>(m_data); }
    const Callable& callable() const { return *std::get<std::shared_ptr<Callable>>(m_data); }
    Object& object() const { return *std::get<std::shared_ptr<Object>>(m_data); }
    const std::string& undefined_reason() const { return std::get<Undefined>(m_data).why; }

private:
    struct Undefined { std::string why; };
    struct None {};
    std::variant<Undefined, None, bool, std::int64_t, double, std::string, std::shared_ptr<List>,
                 std::shared_ptr<Dict>, std::shared_ptr<Callable>, std::shared_ptr<Object>>
        m_data;
};

struct List {
    std::vector<Value> items;
    bool is_tuple = false;
};

// Insertion-ordered string-keyed map (Python dicts from JSON only ever have string keys).
class Dict {
public:
    const Value* find(std::string_view key) const;
    void set(const std::string& key, Value value);
    std::size_t size() const { return m_items.size(); }
    const std::vector<std::pair<std::string, Value>>& items() const { return m_items; }

private:
    std::vector<std::pair<std::string, Value>> m_items;
    std::unordered_map<std::string, std::size_t> m_index;
};

struct CallArgs {
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> keyword;

    // Python-style binding: positional index `i` or keyword `name`; `fallback` when given neither.
    Value get(std::size_t i, std::string_view name, Value fallback = Value()) const;
    bool has(std::size_t i, std::string_view name) const;
    // Fails naming `function` when more positional arguments or unknown keywords were passed.
    void check(std::string_view function, std::size_t max_positional,
               std::initializer_list<std::string_view> keywords) const;
};

using NativeFunction = std::function<Value(Interpreter&, CallArgs&)>;

struct Callable {
    std::string name;
    NativeFunction call;
};

// Objects with attributes: namespace(), the `loop` variable.
class Object {
public:
    virtual ~Object() = default;
    virtual std::string_view type_name() const = 0;
    virtual Value get_attr(std::string_view name) const = 0;
    virtual bool set_attr(const std::string&, Value) { return false; }
    virtual std::string repr() const { return "<" + std::string(type_name()) + " object>"; }
};

// Python semantics on values.
bool truthy(const Value& v);
std::string type_name(const Value& v);           // Python's type name: 'int', 'str', 'list', 'NoneType' …
std::string to_str(const Value& v);              // str(v); undefined prints as ""
std::string repr(const Value& v);                // repr(v)
bool equals(const Value& a, const Value& b);     // a == b
int compare(const Value& a, const Value& b);     // <0, 0, >0 for a < b …; fails on unorderable types
std::string format_float(double d);              // repr(float)
std::vector<Value> iterate(const Value& v);      // list(v): list items, dict keys, string characters
std::int64_t length(const Value& v);             // len(v)

// JSON interchange. from_json fails past `max_depth` levels of nesting. ordered_json keeps the key order
// of its input, as Python dicts do; plain json has its keys sorted.
Value from_json(const nlohmann::ordered_json& json, int max_depth = 256);
Value from_json(const nlohmann::json& json, int max_depth = 256);
struct JsonOptions {
    int indent = -1;  // < 0: None (one line)
    std::optional<std::pair<std::string, std::string>> separators;  // absent: json.dumps' default
    bool ensure_ascii = false;
    bool sort_keys = false;
};
std::string to_json(const Value& v, const JsonOptions& options);  // json.dumps(v, …)

// Nesting guard for recursive walks over values (repr, json, equality): values built by a template can
// be arbitrarily deep.
inline constexpr int max_value_depth = 512;

}  // namespace hearth::jinja
