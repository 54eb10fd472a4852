#pragma once
#include <stdexcept>
#include <string>

namespace sshpath {

/// Base of every exception sshpath throws on purpose. The CLI turns it into a
/// one-line message on stderr and exit status 2.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Bad input: a capture that cannot be opened or read, an unsupported link type,
/// a bad command-line value.
class InputError : public Error {
public:
    using Error::Error;
};

/// A rule file or parameter file that is malformed. what() is "file:line: problem".
class RuleError : public Error {
public:
    RuleError(const std::string& file, int line, const std::string& problem)
        : Error(file + ":" + std::to_string(line) + ": " + problem), file_(file), line_(line) {}
    const std::string& file() const { return file_; }
    int line() const { return line_; }

private:
    std::string file_;
    int line_;
};

}  // namespace sshpath
