#include "template/parser.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>

#include "template/builtins.h"

namespace hearth::jinja {
namespace {

[[noreturn]] void syntax_error(std::string message, int line) { throw RenderError{std::move(message), line}; }

std::string describe(const Token& t) {
    switch (t.type) {
    case TokenType::data: return "template text";
    case TokenType::var_begin: return "'{{'";
    case TokenType::var_end: return "end of print statement";
    case TokenType::block_begin: return "'{%'";
    case TokenType::block_end: return "end of statement block";
    case TokenType::name: return "'" + t.text + "'";
    case TokenType::string: return "string";
    case TokenType::integer:
    case TokenType::floating: return "number";
    case TokenType::op: return "'" + t.text + "'";
    case TokenType::eof: return "end of template";
    }
    return "token";
}

ExprPtr make(ExprKind kind, int line) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->line = line;
    return e;
}

class Parser {
public:
    explicit Parser(const std::vector<Token>& tokens) : m_tokens(tokens) {}

    Body parse_template() {
        std::string end;
        Body body = parse_body({}, "", "", 0, end);
        return body;
    }

private:
    const std::vector<Token>& m_tokens;
    std::size_t m_pos = 0;
    int m_depth = 0;
    int m_loop_depth = 0;

    struct DepthGuard {
        int& depth;
        DepthGuard(int& d, int line) : depth(d) {
            if (++depth > max_parse_depth) syntax_error("template nested too deeply (more than 64 levels)", line);
        }
        ~DepthGuard() { --depth; }
    };

    const Token& cur() const { return m_tokens[m_pos]; }
    const Token& peek(std::size_t n = 1) const { return m_tokens[std::min(m_pos + n, m_tokens.size() - 1)]; }
    const Token& advance() {
        const Token& t = m_tokens[m_pos];
        if (m_pos + 1 < m_tokens.size()) ++m_pos;
        return t;
    }
    bool is_op(std::string_view op) const { return cur().type == TokenType::op && cur().text == op; }
    bool is_name(std::string_view n) const { return cur().type == TokenType::name && cur().text == n; }
    bool skip_op(std::string_view op) {
        if (!is_op(op)) return false;
        advance();
        return true;
    }
    bool skip_name(std::string_view n) {
        if (!is_name(n)) return false;
        advance();
        return true;
    }
    [[noreturn]] void unexpected(std::string_view expected = {}) const {
        std::string msg = "unexpected " + describe(cur());
        if (!expected.empty()) msg += ", expected " + std::string(expected);
        syntax_error(msg, cur().line);
    }
    void expect_op(std::string_view op) {
        if (!skip_op(op)) unexpected("'" + std::string(op) + "'");
    }
    std::string expect_name() {
        if (cur().type != TokenType::name) unexpected("a name");
        return advance().text;
    }
    void expect_block_end() {
        if (cur().type != TokenType::block_end) unexpected("end of statement block");
        advance();
    }

    // ---- statements ----------------------------------------------------------------------------

    Body parse_body(std::initializer_list<std::string_view> end_names, std::string_view main_end,
                    std::string_view opener, int opener_line, std::string& ended_with) {
        DepthGuard guard(m_depth, cur().line);
        Body body;
        auto closing_hint = [&] {
            std::string hint = "'";
            hint += main_end;
            hint += "' to close '";
            hint += opener;
            hint += "' from line " + std::to_string(opener_line);
            return hint;
        };
        while (true) {
            const Token& t = cur();
            switch (t.type) {
            case TokenType::data: {
                auto s = std::make_unique<Stmt>();
                s->kind = StmtKind::text;
                s->line = t.line;
                s->text = t.text;
                body.push_back(std::move(s));
                advance();
                break;
            }
            case TokenType::var_begin: {
                advance();
                auto s = std::make_unique<Stmt>();
                s->kind = StmtKind::output;
                s->line = t.line;
                s->expr = parse_tuple(true, {}, false);
                if (cur().type != TokenType::var_end) unexpected("end of print statement");
                advance();
                body.push_back(std::move(s));
                break;
            }
            case TokenType::block_begin: {
                advance();
                if (cur().type != TokenType::name) unexpected("a tag name");
                const std::string& name = cur().text;
                if (std::find(end_names.begin(), end_names.end(), name) != end_names.end()) {
                    ended_with = name;
                    advance();
                    return body;
                }
                static constexpr std::string_view closers[] = {"endfor", "endif", "elif", "else", "endset",
                                                               "endmacro", "endfilter", "endgeneration", "endraw"};
                if (std::find(std::begin(closers), std::end(closers), name) != std::end(closers)) {
                    if (opener.empty()) syntax_error("unexpected '" + name + "'", cur().line);
                    syntax_error("unexpected '" + name + "', expected " + closing_hint(), cur().line);
                }
                body.push_back(parse_statement());
                break;
            }
            case TokenType::eof:
                if (!opener.empty()) syntax_error("unexpected end of template, expected " + closing_hint(), t.line);
                return body;
            default: unexpected();
            }
        }
    }

    StmtPtr parse_statement() {
        const Token& t = cur();
        const int line = t.line;
        auto s = std::make_unique<Stmt>();
        s->line = line;
        std::string end;
        if (t.text == "for") {
            advance();
            s->kind = StmtKind::for_;
            s->target = parse_target(false);
            if (!skip_name("in")) unexpected("'in'");
            s->expr = parse_tuple(false, {"recursive"}, false);
            if (skip_name("if")) s->condition = parse_expression(true);
            if (is_name("recursive")) syntax_error("recursive loops are not supported in chat templates", line);
            expect_block_end();
            ++m_loop_depth;
            s->body = parse_body({"endfor", "else"}, "endfor", "for", line, end);
            --m_loop_depth;
            expect_block_end();
            if (end == "else") {
                s->else_body = parse_body({"endfor"}, "endfor", "for", line, end);
                expect_block_end();
            }
        } else if (t.text == "if") {
            advance();
            s->kind = StmtKind::if_;
            auto condition = parse_tuple(false, {}, false);
            expect_block_end();
            Body body = parse_body({"elif", "else", "endif"}, "endif", "if", line, end);
            s->branches.emplace_back(std::move(condition), std::move(body));
            while (true) {
                if (end == "elif") {
                    auto c = parse_tuple(false, {}, false);
                    expect_block_end();
                    Body b = parse_body({"elif", "else", "endif"}, "endif", "if", line, end);
                    s->branches.emplace_back(std::move(c), std::move(b));
                } else if (end == "else") {
                    expect_block_end();
                    s->body = parse_body({"endif"}, "endif", "if", line, end);
                } else {
                    expect_block_end();
                    break;
                }
            }
        } else if (t.text == "set") {
            advance();
            s->target = parse_target(true);
            if (skip_op("=")) {
                s->kind = StmtKind::set;
                s->expr = parse_tuple(true, {}, false);
                expect_block_end();
            } else {
                s->kind = StmtKind::set_block;
                if (is_op("|")) s->expr = parse_filter_chain(nullptr);
                expect_block_end();
                s->body = parse_body({"endset"}, "endset", "set", line, end);
                expect_block_end();
            }
        } else if (t.text == "macro") {
            advance();
            s->kind = StmtKind::macro;
            s->text = expect_name();
            expect_op("(");
            while (!is_op(")")) {
                if (!s->params.empty()) expect_op(",");
                if (is_op(")")) break;
                std::string param = expect_name();
                ExprPtr fallback;
                if (skip_op("=")) fallback = parse_expression(true);
                s->params.emplace_back(std::move(param), std::move(fallback));
            }
            expect_op(")");
            expect_block_end();
            const int saved_loops = m_loop_depth;
            m_loop_depth = 0;
            s->body = parse_body({"endmacro"}, "endmacro", "macro", line, end);
            m_loop_depth = saved_loops;
            expect_block_end();
        } else if (t.text == "break" || t.text == "continue") {
            if (m_loop_depth == 0) syntax_error("'" + t.text + "' outside of a loop", line);
            s->kind = t.text == "break" ? StmtKind::break_ : StmtKind::continue_;
            advance();
            expect_block_end();
        } else if (t.text == "filter") {
            advance();
            s->kind = StmtKind::filter_block;
            s->expr = parse_filter_chain(nullptr, /*leading_pipe=*/false);
            expect_block_end();
            s->body = parse_body({"endfilter"}, "endfilter", "filter", line, end);
            expect_block_end();
        } else if (t.text == "generation") {
            // transformers' AssistantTracker tag: renders its body (as a call block, in its own scope).
            advance();
            s->kind = StmtKind::scope_block;
            expect_block_end();
            s->body = parse_body({"endgeneration"}, "endgeneration", "generation", line, end);
            expect_block_end();
        } else {
            syntax_error("unknown tag '" + t.text + "'", line);
        }
        return s;
    }

    // for-loop and set targets: `x`, `a, b`, `(a, b)`, and for set, `ns.attr`.
    Target parse_target(bool with_namespace) {
        Target target;
        if (with_namespace && cur().type == TokenType::name && peek().type == TokenType::op && peek().text == ".") {
            target.names.push_back(advance().text);
            advance();
            target.attribute = expect_name();
            return target;
        }
        const bool parens = skip_op("(");
        while (true) {
            target.names.push_back(expect_name());
            if (!skip_op(",")) break;
            target.is_tuple = true;
            if (cur().type != TokenType::name) break;
        }
        if (parens) {
            expect_op(")");
            target.is_tuple = true;
        }
        for (const auto& n : target.names) {
            if (n == "true" || n == "false" || n == "none" || n == "True" || n == "False" || n == "None")
                syntax_error("cannot assign to '" + n + "'", cur().line);
        }
        return target;
    }

    // ---- expressions ---------------------------------------------------------------------------

    bool is_tuple_end(std::initializer_list<std::string_view> extra_end_names) const {
        const Token& t = cur();
        if (t.type == TokenType::var_end || t.type == TokenType::block_end || t.type == TokenType::eof) return true;
        if (t.type == TokenType::op && t.text == ")") return true;
        if (t.type == TokenType::name)
            return std::find(extra_end_names.begin(), extra_end_names.end(), t.text) != extra_end_names.end();
        return false;
    }

    ExprPtr parse_tuple(bool with_condexpr, std::initializer_list<std::string_view> extra_end_names,
                        bool explicit_parentheses) {
        const int line = cur().line;
        std::vector<ExprPtr> items;
        bool is_tuple = false;
        while (true) {
            if (!items.empty()) expect_op(",");
            if (is_tuple_end(extra_end_names)) break;
            items.push_back(parse_expression(with_condexpr));
            if (is_op(",")) is_tuple = true;
            else break;
        }
        if (!is_tuple) {
            if (!items.empty()) return std::move(items[0]);
            if (!explicit_parentheses) unexpected("an expression");
        }
        auto e = make(ExprKind::tuple, line);
        e->items = std::move(items);
        return e;
    }

    ExprPtr parse_expression(bool with_condexpr) { return with_condexpr ? parse_condexpr() : parse_or(); }

    ExprPtr parse_condexpr() {
        int line = cur().line;
        ExprPtr a = parse_or();
        while (skip_name("if")) {
            auto e = make(ExprKind::cond, line);
            e->b = parse_or();
            if (skip_name("else")) e->c = parse_condexpr();
            e->a = std::move(a);
            a = std::move(e);
            line = cur().line;
        }
        return a;
    }

    ExprPtr parse_or() {
        ExprPtr left = parse_and();
        while (is_name("or")) {
            auto e = make(ExprKind::or_, advance().line);
            e->a = std::move(left);
            e->b = parse_and();
            left = std::move(e);
        }
        return left;
    }

    ExprPtr parse_and() {
        ExprPtr left = parse_not();
        while (is_name("and")) {
            auto e = make(ExprKind::and_, advance().line);
            e->a = std::move(left);
            e->b = parse_not();
            left = std::move(e);
        }
        return left;
    }

    ExprPtr parse_not() {
        if (is_name("not")) {
            DepthGuard guard(m_depth, cur().line);
            auto e = make(ExprKind::not_, advance().line);
            e->a = parse_not();
            return e;
        }
        return parse_compare();
    }

    ExprPtr parse_compare() {
        const int line = cur().line;
        ExprPtr first = parse_math1();
        std::vector<CompareOp> ops;
        std::vector<ExprPtr> operands;
        operands.push_back(std::move(first));
        while (true) {
            CompareOp op;
            if (is_op("==")) op = CompareOp::eq;
            else if (is_op("!=")) op = CompareOp::ne;
            else if (is_op("<")) op = CompareOp::lt;
            else if (is_op("<=")) op = CompareOp::le;
            else if (is_op(">")) op = CompareOp::gt;
            else if (is_op(">=")) op = CompareOp::ge;
            else if (is_name("in")) op = CompareOp::in;
            else if (is_name("not") && peek().type == TokenType::name && peek().text == "in") {
                advance();
                op = CompareOp::not_in;
            } else {
                break;
            }
            advance();
            ops.push_back(op);
            operands.push_back(parse_math1());
        }
        if (ops.empty()) return std::move(operands[0]);
        auto e = make(ExprKind::compare, line);
        e->compare_ops = std::move(ops);
        e->items = std::move(operands);
        return e;
    }

    ExprPtr binary(BinaryOp op, ExprPtr left, ExprPtr right, int line) {
        auto e = make(ExprKind::binary, line);
        e->op = op;
        e->a = std::move(left);
        e->b = std::move(right);
        return e;
    }

    ExprPtr parse_math1() {
        ExprPtr left = parse_concat();
        while (is_op("+") || is_op("-")) {
            const Token& t = advance();
            const BinaryOp op = t.text == "+" ? BinaryOp::add : BinaryOp::sub;
            left = binary(op, std::move(left), parse_concat(), t.line);
        }
        return left;
    }

    ExprPtr parse_concat() {
        ExprPtr left = parse_math2();
        while (is_op("~")) {
            const int line = advance().line;
            left = binary(BinaryOp::concat, std::move(left), parse_math2(), line);
        }
        return left;
    }

    ExprPtr parse_math2() {
        ExprPtr left = parse_pow();
        while (is_op("*") || is_op("/") || is_op("//") || is_op("%")) {
            const Token& t = advance();
            const BinaryOp op = t.text == "*" ? BinaryOp::mul : t.text == "/" ? BinaryOp::div
                                : t.text == "//" ? BinaryOp::floordiv : BinaryOp::mod;
            left = binary(op, std::move(left), parse_pow(), t.line);
        }
        return left;
    }

    ExprPtr parse_pow() {
        ExprPtr left = parse_unary(true);
        while (is_op("**")) {
            const int line = advance().line;
            left = binary(BinaryOp::pow, std::move(left), parse_unary(true), line);
        }
        return left;
    }

    ExprPtr parse_unary(bool with_filter) {
        DepthGuard guard(m_depth, cur().line);
        ExprPtr node;
        if (is_op("-") || is_op("+")) {
            const Token& t = advance();
            node = make(t.text == "-" ? ExprKind::neg : ExprKind::pos, t.line);
            node->a = parse_unary(false);
        } else {
            node = parse_primary();
        }
        node = parse_postfix(std::move(node));
        if (with_filter) node = parse_filter_expr(std::move(node));
        return node;
    }

    ExprPtr parse_primary() {
        const Token& t = cur();
        switch (t.type) {
        case TokenType::name: {
            advance();
            auto e = make(ExprKind::literal, t.line);
            if (t.text == "true" || t.text == "True") e->value = Value(true);
            else if (t.text == "false" || t.text == "False") e->value = Value(false);
            else if (t.text == "none" || t.text == "None") e->value = Value::none();
            else {
                e->kind = ExprKind::name;
                e->name = t.text;
            }
            return e;
        }
        case TokenType::string: {
            auto e = make(ExprKind::literal, t.line);
            std::string s;
            while (cur().type == TokenType::string) s += advance().text;  // adjacent literals concatenate
            e->value = Value(std::move(s));
            return e;
        }
        case TokenType::integer: {
            advance();
            auto e = make(ExprKind::literal, t.line);
            std::string_view digits = t.text;
            int base = 10;
            if (digits.size() > 2 && digits[0] == '0') {
                base = digits[1] == 'x' ? 16 : digits[1] == 'o' ? 8 : 2;
                digits.remove_prefix(2);
            }
            std::int64_t v = 0;
            const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
            if (r.ec != std::errc()) syntax_error("integer literal too large", t.line);
            e->value = Value(v);
            return e;
        }
        case TokenType::floating: {
            advance();
            auto e = make(ExprKind::literal, t.line);
            double d = 0;
            std::from_chars(t.text.data(), t.text.data() + t.text.size(), d);
            e->value = Value(d);
            return e;
        }
        case TokenType::op:
            if (t.text == "(") {
                advance();
                auto e = parse_tuple(true, {}, true);
                expect_op(")");
                return e;
            }
            if (t.text == "[") {
                advance();
                auto e = make(ExprKind::list, t.line);
                while (!is_op("]")) {
                    if (!e->items.empty()) expect_op(",");
                    if (is_op("]")) break;
                    e->items.push_back(parse_expression(true));
                }
                expect_op("]");
                return e;
            }
            if (t.text == "{") {
                advance();
                auto e = make(ExprKind::dict, t.line);
                while (!is_op("}")) {
                    if (!e->items.empty()) expect_op(",");
                    if (is_op("}")) break;
                    e->items.push_back(parse_expression(true));
                    expect_op(":");
                    e->items.push_back(parse_expression(true));
                }
                expect_op("}");
                return e;
            }
            unexpected();
        default: unexpected();
        }
    }

    ExprPtr parse_postfix(ExprPtr node) {
        while (true) {
            if (is_op(".") || is_op("[")) node = parse_subscript(std::move(node));
            else if (is_op("(")) node = parse_call(std::move(node));
            else return node;
        }
    }

    ExprPtr parse_filter_expr(ExprPtr node) {
        while (true) {
            if (is_op("|")) node = parse_filter_chain(std::move(node), true, /*single=*/true);
            else if (is_name("is")) node = parse_test(std::move(node));
            else if (is_op("(")) node = parse_call(std::move(node));
            else return node;
        }
    }

    ExprPtr parse_subscript(ExprPtr node) {
        const Token& t = advance();
        if (t.text == ".") {
            const Token& attr = cur();
            if (attr.type == TokenType::name) {
                advance();
                auto e = make(ExprKind::getattr, t.line);
                e->a = std::move(node);
                e->name = attr.text;
                return e;
            }
            if (attr.type != TokenType::integer) unexpected("a name or number");
            advance();
            auto e = make(ExprKind::getitem, t.line);
            e->a = std::move(node);
            auto index = make(ExprKind::literal, attr.line);
            std::int64_t v = 0;
            if (std::from_chars(attr.text.data(), attr.text.data() + attr.text.size(), v).ec != std::errc())
                syntax_error("integer literal too large", attr.line);
            index->value = Value(v);
            e->b = std::move(index);
            return e;
        }
        std::vector<ExprPtr> args;
        while (!is_op("]")) {
            if (!args.empty()) expect_op(",");
            args.push_back(parse_subscribed());
        }
        expect_op("]");
        if (args.size() != 1) syntax_error("tuple subscripts are not supported in chat templates", t.line);
        if (args[0]->kind == ExprKind::slice) {
            args[0]->a = std::move(node);
            return std::move(args[0]);
        }
        auto e = make(ExprKind::getitem, t.line);
        e->a = std::move(node);
        e->b = std::move(args[0]);
        return e;
    }

    ExprPtr parse_subscribed() {
        const int line = cur().line;
        std::vector<ExprPtr> parts;
        if (skip_op(":")) {
            parts.push_back(nullptr);
        } else {
            auto node = parse_expression(true);
            if (!skip_op(":")) return node;
            parts.push_back(std::move(node));
        }
        if (is_op(":") || is_op("]") || is_op(",")) parts.push_back(nullptr);
        else parts.push_back(parse_expression(true));
        if (skip_op(":")) {
            if (is_op("]") || is_op(",")) parts.push_back(nullptr);
            else parts.push_back(parse_expression(true));
        } else {
            parts.push_back(nullptr);
        }
        auto e = make(ExprKind::slice, line);
        e->items = std::move(parts);
        return e;
    }

    void parse_call_args(Expr& e) {
        expect_op("(");
        while (!is_op(")")) {
            if (!e.items.empty() || !e.kwargs.empty()) {
                expect_op(",");
                if (is_op(")")) break;
            }
            if (is_op("*") || is_op("**")) syntax_error("*args and **kwargs are not supported in chat templates", cur().line);
            if (cur().type == TokenType::name && peek().type == TokenType::op && peek().text == "=") {
                std::string key = advance().text;
                advance();
                e.kwargs.emplace_back(std::move(key), parse_expression(true));
            } else {
                if (!e.kwargs.empty()) syntax_error("positional argument after keyword argument", cur().line);
                e.items.push_back(parse_expression(true));
            }
        }
        expect_op(")");
    }

    ExprPtr parse_call(ExprPtr node) {
        auto e = make(ExprKind::call, cur().line);
        e->a = std::move(node);
        parse_call_args(*e);
        return e;
    }

    std::string dotted_name() {
        std::string name = expect_name();
        while (is_op(".")) {
            advance();
            name += '.';
            name += expect_name();
        }
        return name;
    }

    // `| f(…) | g` (or, in a filter block, `f(…) | g`). With `single`, only one filter is taken (the
    // caller's loop takes the rest, interleaved with tests and calls).
    ExprPtr parse_filter_chain(ExprPtr node, bool leading_pipe = true, bool single = false) {
        bool first = true;
        while (true) {
            if (!first || leading_pipe) {
                if (!skip_op("|")) return node;
            }
            first = false;
            const int line = cur().line;
            auto e = make(ExprKind::filter, line);
            e->name = dotted_name();
            e->filter = find_filter(e->name);
            if (!e->filter) syntax_error("unknown filter '" + e->name + "'", line);
            if (is_op("(")) parse_call_args(*e);
            e->a = std::move(node);
            node = std::move(e);
            if (single) return node;
        }
    }

    ExprPtr parse_test(ExprPtr node) {
        const int line = advance().line;  // 'is'
        const bool negated = skip_name("not");
        auto e = make(ExprKind::test, line);
        e->name = dotted_name();
        e->test = find_test(e->name);
        if (!e->test) syntax_error("unknown test '" + e->name + "'", line);
        if (is_op("(")) {
            parse_call_args(*e);
        } else {
            const Token& t = cur();
            const bool starts_arg =
                (t.type == TokenType::name && t.text != "else" && t.text != "or" && t.text != "and") ||
                t.type == TokenType::string || t.type == TokenType::integer || t.type == TokenType::floating ||
                (t.type == TokenType::op && (t.text == "(" || t.text == "[" || t.text == "{"));
            if (starts_arg) {
                if (is_name("is")) syntax_error("cannot chain multiple tests with 'is'", t.line);
                e->items.push_back(parse_postfix(parse_primary()));
            }
        }
        e->a = std::move(node);
        if (!negated) return e;
        auto n = make(ExprKind::not_, line);
        n->a = std::move(e);
        return n;
    }
};

}  // namespace

Body parse(const std::vector<Token>& tokens) { return Parser(tokens).parse_template(); }

}  // namespace hearth::jinja
