#include "expression_lexer.h"

#include <fmt/format.h>

#include <vector>

#include "sshpath/facts/facts.h"
#include "sshpath/rules/expression.h"
#include "sshpath/rules/suggest.h"

namespace sshpath::rules {

namespace {

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

}  // namespace

bool is_keyword(std::string_view s) {
    return s == "and" || s == "or" || s == "not" || s == "in" || s == "contains" || s == "startswith" ||
           s == "matches" || s == "true" || s == "false";
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string shown(std::string_view s, std::size_t max) {
    std::string out;
    for (char c : s.substr(0, max)) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f)
            out += fmt::format("\\x{:02x}", u);
        else
            out += c;
    }
    if (s.size() > max) out += "...";
    return out;
}

namespace {

// One method per kind of token; each reads from i_ and leaves i_ after the token.
class Lexer {
public:
    explicit Lexer(std::string_view text) : text_(text), n_(text.size()) {}

    std::vector<Token> run() {
        std::vector<Token> out;
        while (true) {
            while (i_ < n_ && (text_[i_] == ' ' || text_[i_] == '\t' || text_[i_] == '\n' || text_[i_] == '\r')) ++i_;
            Token t;
            t.begin = i_;
            if (i_ == n_) {
                t.kind = Tok::kEnd;
                t.end = n_;
                out.push_back(std::move(t));
                return out;
            }
            const char c = text_[i_];
            if (is_digit(c))
                number(t);
            else if (c == '\'' || c == '"')
                string(t, c);
            else if (is_ident_start(c))
                word(t);
            else
                op(t, c);
            t.end = i_;
            out.push_back(std::move(t));
        }
    }

private:
    [[noreturn]] static void fail(std::size_t at, std::string problem) { throw ExpressionError(at, std::move(problem)); }

    std::size_t skip_ident(std::size_t from) const {
        while (from < n_ && is_ident_char(text_[from])) ++from;
        return from;
    }

    void number(Token& t) {
        std::size_t j = i_;
        while (j < n_ && is_digit(text_[j])) ++j;
        if (j + 1 < n_ && text_[j] == '.' && is_digit(text_[j + 1])) {
            ++j;
            while (j < n_ && is_digit(text_[j])) ++j;
        }
        if (j < n_ && (text_[j] == 'e' || text_[j] == 'E')) {
            std::size_t k = j + 1;
            if (k < n_ && (text_[k] == '+' || text_[k] == '-')) ++k;
            if (k < n_ && is_digit(text_[k])) {
                while (k < n_ && is_digit(text_[k])) ++k;
                j = k;
            }
        }
        if (j < n_ && (is_ident_char(text_[j]) || text_[j] == '.'))
            fail(i_, fmt::format("malformed number '{}'", shown(text_.substr(i_, j + 1 - i_))));
        t.kind = Tok::kNumber;
        t.text = std::string(text_.substr(i_, j - i_));
        i_ = j;
    }

    void string(Token& t, char quote) {
        std::size_t j = i_ + 1;
        std::string value;
        bool closed = false;
        while (j < n_) {
            if (text_[j] == '\\' && j + 1 < n_ && (text_[j + 1] == quote || text_[j + 1] == '\\')) {
                value += text_[j + 1];
                j += 2;
            } else if (text_[j] == quote) {
                closed = true;
                ++j;
                break;
            } else {
                value += text_[j++];
            }
        }
        if (!closed) fail(i_, fmt::format("unterminated string (no closing {})", quote));
        t.kind = Tok::kString;
        t.text = std::move(value);
        i_ = j;
    }

    void word(Token& t) {
        const std::size_t j = skip_ident(i_);
        const std::string_view w = text_.substr(i_, j - i_);
        if (w == "param") {
            if (j >= n_ || text_[j] != '.') fail(i_, "'param' must be followed by '.NAME' (e.g. param.silent_drop_min_syns)");
            const std::size_t k = skip_ident(j + 1);
            if (k == j + 1) fail(i_, "expected a parameter name after 'param.'");
            t.kind = Tok::kParam;
            t.text = std::string(text_.substr(j + 1, k - j - 1));
            i_ = k;
            return;
        }
        t.kind = Tok::kIdent;
        if (j < n_ && text_[j] == '.' && j + 1 < n_ && is_ident_start(text_[j + 1])) {
            if (!facts::scope_from_name(w)) {
                std::vector<std::string_view> prefixes = {"param"};
                for (std::size_t s = 0; s < facts::kScopeCount; ++s) prefixes.push_back(facts::scope_name(static_cast<facts::Scope>(s)));
                fail(i_, fmt::format("'{}.' is not a prefix: facts are written bare (syn_count) or as SCOPE.NAME "
                                     "(capture.packets), parameters as param.NAME{}",
                                     shown(w), did_you_mean(w, prefixes)));
            }
            // A fact of another scope: SCOPE.NAME, one token.
            const std::size_t k = skip_ident(j + 1);
            t.text = std::string(text_.substr(i_, k - i_));
            i_ = k;
        } else {
            t.text = std::string(w);
            i_ = j;
        }
    }

    void op(Token& t, char c) {
        auto two = [&](char next) { return i_ + 1 < n_ && text_[i_ + 1] == next; };
        t.kind = Tok::kOp;
        switch (c) {
        case '(': t.kind = Tok::kLParen; ++i_; break;
        case ')': t.kind = Tok::kRParen; ++i_; break;
        case '[': t.kind = Tok::kLBracket; ++i_; break;
        case ']': t.kind = Tok::kRBracket; ++i_; break;
        case ',': t.kind = Tok::kComma; ++i_; break;
        case '+': case '-': case '*': case '/':
            t.text = std::string(1, c);
            ++i_;
            break;
        case '<': case '>':
            t.text = two('=') ? std::string{c, '='} : std::string(1, c);
            i_ += t.text.size();
            break;
        case '=':
            if (!two('=')) fail(i_, "'=' is not an operator; use '==' to compare");
            t.text = "==";
            i_ += 2;
            break;
        case '!':
            if (!two('=')) fail(i_, "'!' is not an operator; use 'not'");
            t.text = "!=";
            i_ += 2;
            break;
        case '&': fail(i_, "use 'and' instead of '&&'");
        case '|': fail(i_, "use 'or' instead of '||'");
        default: fail(i_, fmt::format("unexpected character '{}'", shown(text_.substr(i_, 1))));
        }
    }

    std::string_view text_;
    std::size_t n_;
    std::size_t i_ = 0;
};

}  // namespace

std::vector<Token> tokenize(std::string_view text) { return Lexer(text).run(); }

}  // namespace sshpath::rules
