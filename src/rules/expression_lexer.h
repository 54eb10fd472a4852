#pragma once
#include <string>
#include <string_view>
#include <vector>

// The tokens of a rule condition (private to the rules stage).
namespace sshpath::rules {

enum class Tok { kNumber, kString, kIdent, kParam, kLParen, kRParen, kLBracket, kRBracket, kComma, kOp, kEnd };

struct Token {
    Tok kind = Tok::kEnd;
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string text;  // identifier, parameter name, operator, unescaped string, number as written
};

bool is_keyword(std::string_view s);
std::string lower(std::string_view s);
/// User text quoted inside a one-line message: control characters escaped, length capped.
std::string shown(std::string_view s, std::size_t max = 60);
/// The tokens of a condition, ending with Tok::kEnd. Throws ExpressionError at the first problem.
std::vector<Token> tokenize(std::string_view text);

}  // namespace sshpath::rules
