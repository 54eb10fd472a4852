#pragma once
#include <string_view>

#include "sshpath/core/error.h"
#include "sshpath/facts/facts.h"

namespace sshpath::rules {

/// A fact name that does not resolve; what() says why, with a suggestion where there is one.
class FactNameError : public Error {
public:
    using Error::Error;
};

/// The fact a rule of `scope` means by `name`: NAME (a fact of its own scope) or SCOPE.NAME (a
/// fact of a scope it may read, facts::readable_from). Throws FactNameError ("unknown fact 'x'
/// (did you mean 'y'?)", "'x' is a capture fact; write capture.x", ...).
const facts::Spec& resolve_fact(std::string_view name, facts::Scope scope);

}  // namespace sshpath::rules
