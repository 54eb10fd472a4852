#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/evidence/facts.h"
#include "sshpath/rules/expression.h"

/// Templates of rule files (summary, explanation, next_steps): text with placeholders.
/// `{fact_name}` is replaced by the fact's value as text (FactSet::text), `{param.NAME}` by the
/// parameter's value (format_parameter), and `{{` and `}}` are literal braces.
namespace sshpath::rules {

/// Checks a template against the facts of `scope` and the parameters. Throws ExpressionError at
/// the offending offset: an unknown name (with a suggestion), an empty or unclosed placeholder,
/// or a single '}'.
void check_template(std::string_view tmpl, evidence::Scope scope, const ParameterValues& parameters);

/// The names a template uses, in order, each once: fact names and "param.NAME". Assumes a
/// template that passed check_template.
std::vector<std::string> template_names(std::string_view tmpl);

/// Fills in a template. Placeholders that name neither a fact of the fact set's scope nor a
/// parameter (which check_template rejects) are left as written, so rendering never throws.
std::string render_template(std::string_view tmpl, const evidence::FactSet& facts,
                            const ParameterValues& parameters);

}  // namespace sshpath::rules
