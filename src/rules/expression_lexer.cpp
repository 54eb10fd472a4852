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

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> out;
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto fail = [](std::size_t at, std::string problem) { throw ExpressionError(at, std::move(problem)); };
    while (true) {
        while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
        Token t;
        t.begin = i;
        if (i == n) {
            t.kind = Tok::kEnd;
            t.end = n;
            out.push_back(std::move(t));
            return out;
        }
        const char c = text[i];
        if (is_digit(c)) {
            std::size_t j = i;
            while (j < n && is_digit(text[j])) ++j;
            if (j + 1 < n && text[j] == '.' && is_digit(text[j + 1])) {
                ++j;
                while (j < n && is_digit(text[j])) ++j;
            }
            if (j < n && (text[j] == 'e' || text[j] == 'E')) {
                std::size_t k = j + 1;
                if (k < n && (text[k] == '+' || text[k] == '-')) ++k;
                if (k < n && is_digit(text[k])) {
                    while (k < n && is_digit(text[k])) ++k;
                    j = k;
                }
            }
            if (j < n && (is_ident_char(text[j]) || text[j] == '.'))
                fail(i, fmt::format("malformed number '{}'", shown(text.substr(i, j + 1 - i))));
            t.kind = Tok::kNumber;
            t.text = std::string(text.substr(i, j - i));
            i = j;
        } else if (c == '\'' || c == '"') {
            std::size_t j = i + 1;
            std::string value;
            bool closed = false;
            while (j < n) {
                if (text[j] == '\\' && j + 1 < n && (text[j + 1] == c || text[j + 1] == '\\')) {
                    value += text[j + 1];
                    j += 2;
                } else if (text[j] == c) {
                    closed = true;
                    ++j;
                    break;
                } else {
                    value += text[j++];
                }
            }
            if (!closed) fail(i, fmt::format("unterminated string (no closing {})", c));
            t.kind = Tok::kString;
            t.text = std::move(value);
            i = j;
        } else if (is_ident_start(c)) {
            std::size_t j = i;
            while (j < n && is_ident_char(text[j])) ++j;
            const std::string_view word = text.substr(i, j - i);
            if (word == "param") {
                if (j >= n || text[j] != '.')
                    fail(i, "'param' must be followed by '.NAME' (e.g. param.silent_drop_min_syns)");
                std::size_t k = j + 1;
                while (k < n && is_ident_char(text[k])) ++k;
                if (k == j + 1) fail(i, "expected a parameter name after 'param.'");
                t.kind = Tok::kParam;
                t.text = std::string(text.substr(j + 1, k - j - 1));
                i = k;
            } else if (j < n && text[j] == '.' && j + 1 < n && is_ident_start(text[j + 1])) {
                if (!facts::scope_from_name(word)) {
                    std::vector<std::string_view> prefixes = {"param"};
                    for (std::size_t s = 0; s < facts::kScopeCount; ++s)
                        prefixes.push_back(facts::scope_name(static_cast<facts::Scope>(s)));
                    fail(i, fmt::format("'{}.' is not a prefix: facts are written bare (syn_count) or as SCOPE.NAME "
                                        "(capture.packets), parameters as param.NAME{}",
                                        shown(word), did_you_mean(word, prefixes)));
                }
                // A fact of another scope: SCOPE.NAME, one token.
                std::size_t k = j + 1;
                while (k < n && is_ident_char(text[k])) ++k;
                t.kind = Tok::kIdent;
                t.text = std::string(text.substr(i, k - i));
                i = k;
            } else {
                t.kind = Tok::kIdent;
                t.text = std::string(word);
                i = j;
            }
        } else {
            auto two = [&](char next) { return i + 1 < n && text[i + 1] == next; };
            t.kind = Tok::kOp;
            switch (c) {
            case '(': t.kind = Tok::kLParen; ++i; break;
            case ')': t.kind = Tok::kRParen; ++i; break;
            case '[': t.kind = Tok::kLBracket; ++i; break;
            case ']': t.kind = Tok::kRBracket; ++i; break;
            case ',': t.kind = Tok::kComma; ++i; break;
            case '+': case '-': case '*': case '/':
                t.text = std::string(1, c);
                ++i;
                break;
            case '<': case '>':
                t.text = two('=') ? std::string{c, '='} : std::string(1, c);
                i += t.text.size();
                break;
            case '=':
                if (!two('=')) fail(i, "'=' is not an operator; use '==' to compare");
                t.text = "==";
                i += 2;
                break;
            case '!':
                if (!two('=')) fail(i, "'!' is not an operator; use 'not'");
                t.text = "!=";
                i += 2;
                break;
            case '&': fail(i, "use 'and' instead of '&&'"); break;
            case '|': fail(i, "use 'or' instead of '||'"); break;
            default: fail(i, fmt::format("unexpected character '{}'", shown(text.substr(i, 1))));
            }
        }
        t.end = i;
        out.push_back(std::move(t));
    }
}

}  // namespace sshpath::rules
