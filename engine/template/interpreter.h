#pragma once
// The tree-walking evaluator. One Interpreter renders one template once; it owns the scopes, the output
// buffer and the limits that keep a hostile template or input bounded in time, memory and stack.
//
// Scoping follows Jinja2: each for-loop iteration and each macro call gets its own scope; `if` does not.
// A `set` writes to the innermost scope, so assignments inside a loop body are gone after the loop
// (templates use namespace() to carry state out of loops).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "template/ast.h"
#include "template/value.h"

namespace hearth::jinja {

struct Limits {
    std::size_t max_output_bytes = std::size_t{16} << 20;  // also bounds every string value
    std::uint64_t max_loop_iterations = 1'000'000;         // across the whole render
    int max_call_depth = 64;                               // nested macro calls
    std::size_t max_list_items = std::size_t{1} << 20;     // any one list built by the template
    std::uint64_t max_work = std::uint64_t{1} << 28;       // bytes copied by operators and filters
};

class Interpreter {
public:
    Interpreter(const Limits& limits, const Value& globals);

    // Renders `program` with the variables of `context` (a dict). Throws RenderError.
    std::string render(const Body& program, const Value& context);

    Value eval(const Expr& e);
    Value call(const Value& callee, CallArgs& args);

    // Budget checks for builtins that build values: bytes of strings, items of lists and dicts copied.
    void charge(std::uint64_t bytes);
    void charge_items(std::uint64_t items) { charge(items * sizeof(Value)); }
    void check_string(std::size_t bytes) const;
    void check_list(std::size_t items) const;
    void count_iteration();

private:
    enum class Flow { normal, break_, continue_ };

    struct Scope {
        Scope* parent = nullptr;
        std::vector<std::pair<std::string, Value>> vars;
        Value* find(std::string_view name);
        void set(const std::string& name, Value value);
    };

    Limits m_limits;
    const Value& m_globals;
    Scope* m_scope = nullptr;
    Scope* m_root = nullptr;
    std::string* m_out = nullptr;
    std::uint64_t m_iterations = 0;
    std::uint64_t m_work = 0;
    int m_call_depth = 0;

    Flow exec(const Body& body);
    Flow exec(const Stmt& s);
    Flow exec_for(const Stmt& s);
    void emit(std::string_view text);
    std::string capture(const Body& body, Scope* scope);
    Value lookup(const std::string& name);
    void assign(const Target& target, const Value& value);
    Value eval_inner(const Expr& e);
    Value eval_filter(const Expr& e, const Value* block_subject);
    Value binary(BinaryOp op, const Value& a, const Value& b);
    Value call_macro(const Stmt& macro, CallArgs& args);
};

// Python's `a in b`.
bool contains(const Value& container, const Value& item);
// namespace(**kwargs) / namespace(dict), as transformers defines it (no underscore-prefixed names).
Value make_namespace(CallArgs& args);

}  // namespace hearth::jinja
