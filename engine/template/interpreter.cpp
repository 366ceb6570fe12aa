#include "template/interpreter.h"

#include <cmath>
#include <limits>

#include "template/builtins.h"
#include "template/py_string.h"
#include "template/slice.h"

namespace hearth::jinja {

namespace {

[[noreturn]] void fail_undefined(const Value& v) { fail(v.undefined_reason()); }

// namespace(): attributes set with {% set ns.x = … %}.
class Namespace final : public Object {
public:
    std::string_view type_name() const override { return "Namespace"; }
    Value get_attr(std::string_view name) const override {
        if (const Value* v = m_attrs.find(name)) return *v;
        return Value::undefined("'Namespace' object has no attribute '" + std::string(name) + "'");
    }
    bool set_attr(const std::string& name, Value value) override {
        if (!name.empty() && name[0] == '_')
            fail("chat templates cannot store underscore-prefixed attributes on a namespace, but got '" + name + "'");
        m_attrs.set(name, std::move(value));
        return true;
    }
    std::string repr() const override {
        std::string out = "<Namespace {";
        bool first = true;
        for (const auto& [k, v] : m_attrs.items()) {
            if (!first) out += ", ";
            first = false;
            out += jinja::repr(Value(k)) + ": " + jinja::repr(v);
        }
        return out + "}>";
    }

private:
    Dict m_attrs;
};

// The `loop` variable of a for loop.
class LoopObject final : public Object {
public:
    LoopObject(std::shared_ptr<const std::vector<Value>> items) : m_items(std::move(items)) {}
    std::size_t index0 = 0;

    std::string_view type_name() const override { return "LoopContext"; }
    Value get_attr(std::string_view name) const override {
        const auto n = static_cast<std::int64_t>(m_items->size());
        const auto i = static_cast<std::int64_t>(index0);
        if (name == "index") return Value(i + 1);
        if (name == "index0") return Value(i);
        if (name == "revindex") return Value(n - i);
        if (name == "revindex0") return Value(n - i - 1);
        if (name == "first") return Value(i == 0);
        if (name == "last") return Value(i == n - 1);
        if (name == "length") return Value(n);
        if (name == "depth") return Value(1);
        if (name == "depth0") return Value(0);
        if (name == "previtem") {
            if (i == 0) return Value::undefined("there is no previous item");
            return (*m_items)[index0 - 1];
        }
        if (name == "nextitem") {
            if (i + 1 >= n) return Value::undefined("there is no next item");
            return (*m_items)[index0 + 1];
        }
        if (name == "cycle") {
            const std::size_t at = index0;
            return Value(std::make_shared<Callable>(Callable{"cycle", [at](Interpreter&, CallArgs& args) -> Value {
                if (args.positional.empty()) fail("no items for cycling given");
                return args.positional[at % args.positional.size()];
            }}));
        }
        return Value::undefined("'LoopContext' object has no attribute '" + std::string(name) + "'");
    }
    std::string repr() const override {
        return "<LoopContext " + std::to_string(index0 + 1) + "/" + std::to_string(m_items->size()) + ">";
    }

private:
    std::shared_ptr<const std::vector<Value>> m_items;
};

bool checked_add(std::int64_t a, std::int64_t b, std::int64_t& out) { return !__builtin_add_overflow(a, b, &out); }
bool checked_sub(std::int64_t a, std::int64_t b, std::int64_t& out) { return !__builtin_sub_overflow(a, b, &out); }
bool checked_mul(std::int64_t a, std::int64_t b, std::int64_t& out) { return !__builtin_mul_overflow(a, b, &out); }

[[noreturn]] void fail_operands(std::string_view op, const Value& a, const Value& b) {
    fail("unsupported operand type(s) for " + std::string(op) + ": '" + type_name(a) + "' and '" + type_name(b) + "'");
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
    std::int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

double float_mod(double a, double b) {
    double r = std::fmod(a, b);
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    if (r == 0) r = std::copysign(0.0, b);
    return r;
}

}  // namespace

Value make_namespace(CallArgs& args) {
    auto ns = std::make_shared<Namespace>();
    for (const auto& positional : args.positional) {
        if (!positional.is_dict()) fail("namespace() takes a dict or keyword arguments");
        for (const auto& [k, v] : positional.dict().items()) ns->set_attr(k, v);
    }
    for (const auto& [k, v] : args.keyword) ns->set_attr(k, v);
    return Value(std::shared_ptr<Object>(std::move(ns)));
}

bool contains(const Value& container, const Value& item) {
    switch (container.kind()) {
    case Value::Kind::string:
        if (!item.is_string()) {
            if (item.is_undefined()) fail_undefined(item);
            fail("'in <string>' requires string as left operand, not " + type_name(item));
        }
        return container.as_string().find(item.as_string()) != std::string::npos;
    case Value::Kind::list:
        for (const auto& v : container.list().items)
            if (equals(v, item)) return true;
        return false;
    case Value::Kind::dict: return item.is_string() && container.dict().find(item.as_string()) != nullptr;
    case Value::Kind::undefined: return false;
    default: fail("argument of type '" + type_name(container) + "' is not iterable");
    }
}

Value* Interpreter::Scope::find(std::string_view name) {
    for (auto& [k, v] : vars)
        if (k == name) return &v;
    return nullptr;
}

void Interpreter::Scope::set(const std::string& name, Value value) {
    if (Value* v = find(name)) *v = std::move(value);
    else vars.emplace_back(name, std::move(value));
}

Interpreter::Interpreter(const Limits& limits, const Value& globals) : m_limits(limits), m_globals(globals) {}

std::string Interpreter::render(const Body& program, const Value& context) {
    Scope root;
    if (context.is_dict())
        for (const auto& [k, v] : context.dict().items()) root.vars.emplace_back(k, v);
    m_root = m_scope = &root;
    std::string out;
    m_out = &out;
    exec(program);
    return out;
}

void Interpreter::charge(std::uint64_t bytes) {
    m_work += bytes;
    if (m_work > m_limits.max_work) fail("the template did too much work (more than " + std::to_string(m_limits.max_work >> 20) + " MiB of values copied)");
}

void Interpreter::check_string(std::size_t bytes) const {
    if (bytes > m_limits.max_output_bytes)
        fail("string longer than the limit of " + std::to_string(m_limits.max_output_bytes) + " bytes");
}

void Interpreter::check_list(std::size_t items) const {
    if (items > m_limits.max_list_items)
        fail("list longer than the limit of " + std::to_string(m_limits.max_list_items) + " items");
}

void Interpreter::count_iteration() {
    if (++m_iterations > m_limits.max_loop_iterations)
        fail("loop iteration limit exceeded (" + std::to_string(m_limits.max_loop_iterations) + " iterations)");
}

void Interpreter::emit(std::string_view text) {
    if (m_out->size() + text.size() > m_limits.max_output_bytes)
        fail("output longer than the limit of " + std::to_string(m_limits.max_output_bytes) + " bytes");
    m_out->append(text);
}

std::string Interpreter::capture(const Body& body, Scope* scope) {
    std::string buffer;
    std::string* saved_out = m_out;
    Scope* saved_scope = m_scope;
    m_out = &buffer;
    m_scope = scope;
    try {
        exec(body);
    } catch (...) {
        m_out = saved_out;
        m_scope = saved_scope;
        throw;
    }
    m_out = saved_out;
    m_scope = saved_scope;
    return buffer;
}

Value Interpreter::lookup(const std::string& name) {
    for (Scope* s = m_scope; s; s = s->parent)
        if (Value* v = s->find(name)) return *v;
    if (const Value* v = m_globals.dict().find(name)) return *v;
    return Value::undefined("'" + name + "' is undefined");
}

void Interpreter::assign(const Target& target, const Value& value) {
    if (!target.attribute.empty()) {
        const Value ns = lookup(target.names[0]);
        if (!ns.is_object() || !ns.object().set_attr(target.attribute, value))
            fail("cannot assign attribute on non-namespace object");
        return;
    }
    if (!target.is_tuple) {
        m_scope->set(target.names[0], value);
        return;
    }
    if (value.is_undefined()) fail_undefined(value);
    const auto items = iterate(value);
    if (items.size() != target.names.size()) {
        if (items.size() > target.names.size())
            fail("too many values to unpack (expected " + std::to_string(target.names.size()) + ")");
        fail("not enough values to unpack (expected " + std::to_string(target.names.size()) + ", got " +
             std::to_string(items.size()) + ")");
    }
    for (std::size_t i = 0; i < items.size(); ++i) m_scope->set(target.names[i], items[i]);
}

Interpreter::Flow Interpreter::exec(const Body& body) {
    for (const auto& s : body) {
        const Flow f = exec(*s);
        if (f != Flow::normal) return f;
    }
    return Flow::normal;
}

Interpreter::Flow Interpreter::exec(const Stmt& s) {
    try {
        switch (s.kind) {
        case StmtKind::text: emit(s.text); return Flow::normal;
        case StmtKind::output: {
            const Value v = eval(*s.expr);
            if (v.is_string()) emit(v.as_string());
            else emit(to_str(v));
            return Flow::normal;
        }
        case StmtKind::if_:
            for (const auto& [condition, body] : s.branches)
                if (truthy(eval(*condition))) return exec(body);
            return exec(s.body);
        case StmtKind::for_: return exec_for(s);
        case StmtKind::set: assign(s.target, eval(*s.expr)); return Flow::normal;
        case StmtKind::set_block: {
            Value v(capture(s.body, m_scope));
            if (s.expr) v = eval_filter(*s.expr, &v);
            assign(s.target, v);
            return Flow::normal;
        }
        case StmtKind::macro: {
            const Stmt* macro = &s;
            m_scope->set(s.text, Value(std::make_shared<Callable>(Callable{
                                      s.text, [macro](Interpreter& in, CallArgs& args) { return in.call_macro(*macro, args); }})));
            return Flow::normal;
        }
        case StmtKind::break_: return Flow::break_;
        case StmtKind::continue_: return Flow::continue_;
        case StmtKind::filter_block: {
            const Value body(capture(s.body, m_scope));
            const Value v = eval_filter(*s.expr, &body);
            emit(to_str(v));
            return Flow::normal;
        }
        case StmtKind::scope_block: {
            Scope inner{m_scope, {}};
            const std::string text = capture(s.body, &inner);
            emit(text);
            return Flow::normal;
        }
        }
    } catch (RenderError& e) {
        if (e.line == 0) e.line = s.line;
        throw;
    }
    return Flow::normal;
}

Interpreter::Flow Interpreter::exec_for(const Stmt& s) {
    const Value iterable = eval(*s.expr);
    if (iterable.is_none()) fail("'NoneType' object is not iterable");
    auto all = iterate(iterable);
    charge_items(all.size());
    std::vector<Value> kept;
    if (s.condition) {
        for (auto& item : all) {
            count_iteration();
            Scope probe{m_scope, {}};
            Scope* saved = m_scope;
            m_scope = &probe;
            bool keep = false;
            try {
                assign(s.target, item);
                keep = truthy(eval(*s.condition));
            } catch (...) {
                m_scope = saved;
                throw;
            }
            m_scope = saved;
            if (keep) kept.push_back(std::move(item));
        }
    } else {
        kept = std::move(all);
    }
    if (kept.empty()) return exec(s.else_body);
    auto items = std::make_shared<const std::vector<Value>>(std::move(kept));
    auto loop = std::make_shared<LoopObject>(items);
    const Value loop_value{std::shared_ptr<Object>(loop)};
    Scope* saved = m_scope;
    try {
        for (std::size_t i = 0; i < items->size(); ++i) {
            count_iteration();
            Scope iteration{saved, {}};
            m_scope = &iteration;
            loop->index0 = i;
            iteration.set("loop", loop_value);
            assign(s.target, (*items)[i]);
            const Flow f = exec(s.body);
            m_scope = saved;
            if (f == Flow::break_) break;
        }
    } catch (...) {
        m_scope = saved;
        throw;
    }
    m_scope = saved;
    return Flow::normal;
}

Value Interpreter::call_macro(const Stmt& macro, CallArgs& args) {
    if (m_call_depth >= m_limits.max_call_depth)
        fail("maximum recursion depth exceeded (" + std::to_string(m_limits.max_call_depth) + " nested macro calls)");
    if (args.positional.size() > macro.params.size())
        fail("macro '" + macro.text + "' takes not more than " + std::to_string(macro.params.size()) + " argument(s)");
    Scope scope{m_root, {}};
    Scope* saved = m_scope;
    ++m_call_depth;
    struct Restore {
        Interpreter& in;
        Scope* scope;
        ~Restore() { in.m_scope = scope; --in.m_call_depth; }
    } restore{*this, saved};
    m_scope = &scope;
    for (const auto& [k, v] : args.keyword) {
        bool known = false;
        for (const auto& p : macro.params) known = known || p.first == k;
        if (!known) fail("macro '" + macro.text + "' takes no keyword argument '" + k + "'");
    }
    for (std::size_t i = 0; i < macro.params.size(); ++i) {
        const auto& [name, fallback] = macro.params[i];
        if (args.has(i, name)) scope.set(name, args.get(i, name));
        else if (fallback) scope.set(name, eval(*fallback));
        else scope.set(name, Value::undefined("parameter '" + name + "' was not provided"));
    }
    return Value(capture(macro.body, &scope));
}

Value Interpreter::call(const Value& callee, CallArgs& args) {
    if (callee.is_callable()) return callee.callable().call(*this, args);
    if (callee.is_undefined()) fail_undefined(callee);
    fail("'" + type_name(callee) + "' object is not callable");
}

Value Interpreter::eval(const Expr& e) {
    try {
        return eval_inner(e);
    } catch (RenderError& err) {
        if (err.line == 0) err.line = e.line;
        throw;
    }
}

Value Interpreter::eval_filter(const Expr& e, const Value* block_subject) {
    Value subject;
    if (!e.a) subject = *block_subject;
    else if (e.a->kind == ExprKind::filter) subject = eval_filter(*e.a, block_subject);
    else subject = eval(*e.a);
    CallArgs args;
    for (const auto& item : e.items) args.positional.push_back(eval(*item));
    for (const auto& [k, v] : e.kwargs) args.keyword.emplace_back(k, eval(*v));
    try {
        return e.filter(*this, subject, args);
    } catch (RenderError& err) {
        if (err.line == 0) err.line = e.line;
        throw;
    }
}

Value Interpreter::eval_inner(const Expr& e) {
    switch (e.kind) {
    case ExprKind::literal: return e.value;
    case ExprKind::name: return lookup(e.name);
    case ExprKind::list:
    case ExprKind::tuple: {
        std::vector<Value> items;
        items.reserve(e.items.size());
        for (const auto& item : e.items) items.push_back(eval(*item));
        return Value::make_list(std::move(items), e.kind == ExprKind::tuple);
    }
    case ExprKind::dict: {
        auto d = std::make_shared<Dict>();
        for (std::size_t i = 0; i + 1 < e.items.size(); i += 2) {
            const Value key = eval(*e.items[i]);
            if (!key.is_string()) fail("dict keys must be strings in chat templates, not " + type_name(key));
            d->set(key.as_string(), eval(*e.items[i + 1]));
        }
        return Value(std::move(d));
    }
    case ExprKind::neg:
    case ExprKind::pos: {
        const Value v = eval(*e.a);
        if (v.is_undefined()) fail_undefined(v);
        if (!v.is_number()) fail("bad operand type for unary " + std::string(e.kind == ExprKind::neg ? "-" : "+") + ": '" + type_name(v) + "'");
        if (e.kind == ExprKind::pos) return v.is_bool() ? Value(v.as_int()) : v;
        if (v.is_float()) return Value(-v.as_float());
        if (v.as_int() == std::numeric_limits<std::int64_t>::min()) fail("integer overflow");
        return Value(-v.as_int());
    }
    case ExprKind::not_: return Value(!truthy(eval(*e.a)));
    case ExprKind::and_: {
        Value a = eval(*e.a);
        return truthy(a) ? eval(*e.b) : a;
    }
    case ExprKind::or_: {
        Value a = eval(*e.a);
        return truthy(a) ? a : eval(*e.b);
    }
    case ExprKind::binary: {
        const Value a = eval(*e.a);
        const Value b = eval(*e.b);
        return binary(e.op, a, b);
    }
    case ExprKind::compare: {
        Value left = eval(*e.items[0]);
        for (std::size_t i = 0; i < e.compare_ops.size(); ++i) {
            Value right = eval(*e.items[i + 1]);
            bool r = false;
            switch (e.compare_ops[i]) {
            case CompareOp::eq: r = equals(left, right); break;
            case CompareOp::ne: r = !equals(left, right); break;
            case CompareOp::in: r = contains(right, left); break;
            case CompareOp::not_in: r = !contains(right, left); break;
            default: {
                if (left.is_undefined()) fail_undefined(left);
                if (right.is_undefined()) fail_undefined(right);
                const int c = compare(left, right);
                const auto op = e.compare_ops[i];
                r = op == CompareOp::lt ? c < 0 : op == CompareOp::le ? c <= 0 : op == CompareOp::gt ? c > 0 : c >= 0;
            }
            }
            if (!r) return Value(false);
            left = std::move(right);
        }
        return Value(true);
    }
    case ExprKind::cond:
        if (truthy(eval(*e.b))) return eval(*e.a);
        if (e.c) return eval(*e.c);
        return Value::undefined("the inline if-expression on line " + std::to_string(e.line) +
                                " evaluated to false and no else section was defined");
    case ExprKind::getattr: return get_attribute(eval(*e.a), e.name);
    case ExprKind::getitem: {
        const Value obj = eval(*e.a);
        return get_item(obj, eval(*e.b));
    }
    case ExprKind::slice: {
        const Value obj = eval(*e.a);
        std::optional<long long> parts[3];
        for (int i = 0; i < 3; ++i) {
            if (!e.items[static_cast<std::size_t>(i)]) continue;
            const Value p = eval(*e.items[static_cast<std::size_t>(i)]);
            if (p.is_none()) continue;
            if (p.is_undefined()) fail_undefined(p);
            if (!p.is_int() && !p.is_bool()) fail("slice indices must be integers or None");
            parts[i] = p.as_int();
        }
        const long long step = parts[2].value_or(1);
        if (obj.is_undefined()) fail_undefined(obj);
        if (obj.is_string()) return Value(py_slice(obj.as_string(), parts[0], parts[1], step));
        if (obj.is_list()) {
            std::vector<Value> items;
            for (std::size_t i : slice_indices(obj.list().items.size(), parts[0], parts[1], step))
                items.push_back(obj.list().items[i]);
            charge_items(items.size());
            return Value::make_list(std::move(items), obj.list().is_tuple);
        }
        return Value::undefined("'" + type_name(obj) + " object' is not subscriptable");
    }
    case ExprKind::call: {
        const Value callee = eval(*e.a);
        CallArgs args;
        for (const auto& item : e.items) args.positional.push_back(eval(*item));
        for (const auto& [k, v] : e.kwargs) args.keyword.emplace_back(k, eval(*v));
        return call(callee, args);
    }
    case ExprKind::filter: return eval_filter(e, nullptr);
    case ExprKind::test: {
        const Value subject = eval(*e.a);
        CallArgs args;
        for (const auto& item : e.items) args.positional.push_back(eval(*item));
        for (const auto& [k, v] : e.kwargs) args.keyword.emplace_back(k, eval(*v));
        return Value(e.test(*this, subject, args));
    }
    }
    fail("unsupported expression");
}

Value Interpreter::binary(BinaryOp op, const Value& a, const Value& b) {
    if (op == BinaryOp::concat) {
        std::string s = to_str(a);
        const std::string t = to_str(b);
        check_string(s.size() + t.size());
        charge(s.size() + t.size());
        return Value(s + t);
    }
    if (a.is_undefined()) fail_undefined(a);
    if (b.is_undefined()) fail_undefined(b);
    const bool numbers = a.is_number() && b.is_number();
    const bool floats = numbers && (a.is_float() || b.is_float());
    std::int64_t r = 0;
    switch (op) {
    case BinaryOp::add:
        if (floats) return Value(a.as_float() + b.as_float());
        if (numbers) {
            if (!checked_add(a.as_int(), b.as_int(), r)) fail("integer overflow");
            return Value(r);
        }
        if (a.is_string() && b.is_string()) {
            check_string(a.as_string().size() + b.as_string().size());
            charge(a.as_string().size() + b.as_string().size());
            return Value(a.as_string() + b.as_string());
        }
        if (a.is_list() && b.is_list() && a.list().is_tuple == b.list().is_tuple) {
            check_list(a.list().items.size() + b.list().items.size());
            charge_items(a.list().items.size() + b.list().items.size());
            std::vector<Value> items = a.list().items;
            items.insert(items.end(), b.list().items.begin(), b.list().items.end());
            return Value::make_list(std::move(items), a.list().is_tuple);
        }
        if (a.is_string()) fail("can only concatenate str (not \"" + type_name(b) + "\") to str");
        if (a.is_list()) fail("can only concatenate " + type_name(a) + " (not \"" + type_name(b) + "\") to " + type_name(a));
        fail_operands("+", a, b);
    case BinaryOp::sub:
        if (floats) return Value(a.as_float() - b.as_float());
        if (numbers) {
            if (!checked_sub(a.as_int(), b.as_int(), r)) fail("integer overflow");
            return Value(r);
        }
        fail_operands("-", a, b);
    case BinaryOp::mul: {
        if (floats) return Value(a.as_float() * b.as_float());
        if (numbers) {
            if (!checked_mul(a.as_int(), b.as_int(), r)) fail("integer overflow");
            return Value(r);
        }
        const Value* seq = (a.is_string() || a.is_list()) ? &a : &b;
        const Value* count = seq == &a ? &b : &a;
        if ((seq->is_string() || seq->is_list()) && (count->is_int() || count->is_bool())) {
            const std::int64_t n = std::max<std::int64_t>(count->as_int(), 0);
            if (seq->is_string()) {
                const auto& s = seq->as_string();
                if (n > 0 && s.size() > m_limits.max_output_bytes / static_cast<std::uint64_t>(n)) check_string(m_limits.max_output_bytes + 1);
                std::string out;
                out.reserve(s.size() * static_cast<std::size_t>(n));
                for (std::int64_t i = 0; i < n; ++i) out += s;
                charge(out.size());
                return Value(std::move(out));
            }
            const auto& items = seq->list().items;
            if (n > 0 && items.size() > m_limits.max_list_items / static_cast<std::uint64_t>(n)) check_list(m_limits.max_list_items + 1);
            std::vector<Value> out;
            for (std::int64_t i = 0; i < n; ++i) out.insert(out.end(), items.begin(), items.end());
            charge_items(out.size());
            return Value::make_list(std::move(out), seq->list().is_tuple);
        }
        fail_operands("*", a, b);
    }
    case BinaryOp::div:
        if (!numbers) fail_operands("/", a, b);
        if (b.as_float() == 0.0) fail("division by zero");
        return Value(a.as_float() / b.as_float());
    case BinaryOp::floordiv:
        if (!numbers) fail_operands("//", a, b);
        if (floats) {
            if (b.as_float() == 0.0) fail("float floor division by zero");
            return Value(std::floor(a.as_float() / b.as_float()));
        }
        if (b.as_int() == 0) fail("integer division or modulo by zero");
        if (a.as_int() == std::numeric_limits<std::int64_t>::min() && b.as_int() == -1) fail("integer overflow");
        return Value(floor_div(a.as_int(), b.as_int()));
    case BinaryOp::mod:
        if (a.is_string()) fail("string formatting with '%' is not supported in chat templates");
        if (!numbers) fail_operands("%", a, b);
        if (floats) {
            if (b.as_float() == 0.0) fail("float modulo");
            return Value(float_mod(a.as_float(), b.as_float()));
        }
        if (b.as_int() == 0) fail("integer division or modulo by zero");
        if (b.as_int() == -1) return Value(std::int64_t{0});
        return Value(floor_mod(a.as_int(), b.as_int()));
    case BinaryOp::pow: {
        if (!numbers) fail_operands("**", a, b);
        if (floats || b.as_int() < 0) {
            if (a.as_float() == 0.0 && b.as_float() < 0) fail("zero cannot be raised to a negative power");
            return Value(std::pow(a.as_float(), b.as_float()));
        }
        std::int64_t base = a.as_int(), exp = b.as_int(), result = 1;
        while (exp > 0) {
            if (exp & 1) {
                if (!checked_mul(result, base, result)) fail("integer overflow");
            }
            exp >>= 1;
            if (exp > 0 && !checked_mul(base, base, base)) fail("integer overflow");
        }
        return Value(result);
    }
    case BinaryOp::concat: break;
    }
    fail("unsupported operator");
}

}  // namespace hearth::jinja
