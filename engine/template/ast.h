#pragma once
// The syntax tree of a compiled chat template. Every node carries the template line it came from, so
// a render error can name it.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "template/value.h"

namespace hearth::jinja {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

struct CallArgs;
using FilterFn = Value (*)(Interpreter&, const Value& subject, CallArgs& args);
using TestFn = bool (*)(Interpreter&, const Value& subject, CallArgs& args);

enum class ExprKind {
    literal,   // value
    name,      // name
    list,      // items
    tuple,     // items
    dict,      // items: key, value, key, value …
    neg,       // -a
    pos,       // +a
    not_,      // not a
    binary,    // a op b
    and_,      // a and b
    or_,       // a or b
    compare,   // items[0] cmp[0] items[1] cmp[1] items[2] …
    cond,      // a if b else c (c may be null)
    getattr,   // a.name
    getitem,   // a[b]
    slice,     // a[items[0]:items[1]:items[2]], null parts absent
    call,      // a(items…, kwargs…)
    filter,    // a | name(items…, kwargs…); a is null in a filter block
    test,      // a is name(items…, kwargs…)
};

enum class BinaryOp { add, sub, mul, div, floordiv, mod, pow, concat };
enum class CompareOp { eq, ne, lt, le, gt, ge, in, not_in };

struct Expr {
    ExprKind kind;
    int line = 0;
    Value value;
    std::string name;
    BinaryOp op = BinaryOp::add;
    std::vector<CompareOp> compare_ops;
    ExprPtr a, b, c;
    std::vector<ExprPtr> items;
    std::vector<std::pair<std::string, ExprPtr>> kwargs;
    FilterFn filter = nullptr;
    TestFn test = nullptr;
};

enum class StmtKind { text, output, if_, for_, set, set_block, macro, break_, continue_, filter_block, scope_block };

// An assignment target: `x`, `a, b`, or `ns.attr`.
struct Target {
    std::vector<std::string> names;
    bool is_tuple = false;
    std::string attribute;  // non-empty: names[0].attribute (namespace assignment)
};

struct Stmt {
    StmtKind kind;
    int line = 0;
    std::string text;                             // text; macro name
    ExprPtr expr;                                 // output, set value, for iterable, filter-block filter chain
    ExprPtr condition;                            // for … if condition
    Target target;                                // for, set
    std::vector<std::pair<ExprPtr, Body>> branches;  // if / elif
    Body body;                                    // for, set block, macro, filter block, else of if
    Body else_body;                               // for … else
    std::vector<std::pair<std::string, ExprPtr>> params;  // macro parameters with optional defaults
};

}  // namespace hearth::jinja
