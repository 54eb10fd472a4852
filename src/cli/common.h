#pragma once
#include <boost/program_options.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "sshpath/core/error.h"
#include "sshpath/report/report.h"
#include "sshpath/rules/rule_set.h"
#include "sshpath/engine/analyzer.h"

/// Pieces every command shares: option checks, rule loading, report output.
namespace sshpath::cli {

/// A bad command line: one-line message, exit status 2.
struct UsageError : Error {
    using Error::Error;
};

/// The rules in use when --rules is not given: $SSHPATH_RULES, else BUILD/rules when run from
/// the build directory (a link to the sources' rules/), else BINDIR/../share/sshpath/rules,
/// else the configured install directory. Error naming the places looked at when none exists.
std::filesystem::path default_rules_dir();
/// Loads the rules named by --rules in vm (or the default directory).
rules::RuleSet load_rules(const boost::program_options::variables_map& vm);
/// 1..65535, or UsageError naming the option.
int parse_port(const std::string& text, const char* option = "--port");
/// A whole number from min to max (at most 9 digits), or UsageError
/// "OPTION: 'TEXT' is not a number of WHAT (MIN-MAX)".
std::size_t parse_count(const std::string& text, const char* option, const char* what, std::size_t min, std::size_t max);
/// Every address of `name` (an address is itself), resolved once for `family` (AF_UNSPEC = 0,
/// AF_INET, AF_INET6), in the resolver's order; empty with `why` set when there is none.
std::vector<packet::IpAddress> resolve_addresses(const std::string& name, int family, std::string& why);
/// An IP address, or a host name resolved once (all its addresses). UsageError
/// "WHAT: 'TEXT' is neither an IP address nor a host name" or
/// "WHAT: cannot resolve 'TEXT' (give its address instead)".
std::vector<packet::IpAddress> resolve_host(const std::string& text, const std::string& what);
/// An IP address, or a host name resolved once (first address); UsageError when neither.
void parse_host(const std::string& text, engine::AnalyzeOptions& o);
/// --from ADDR: only attempts from this client address (an IP address; UsageError otherwise).
void parse_from(const std::string& text, engine::AnalyzeOptions& o);
/// text | json | markdown | html (and jsonl when `jsonl`), or UsageError.
std::string check_format(const std::string& format, bool jsonl = false);
/// --detail: auto | all | deciding, or UsageError.
report::Detail parse_detail(const std::string& text);
/// Parses a command's arguments: the options of `desc`, and every other word collected under
/// the name `positional` (a list of strings).
boost::program_options::variables_map parse_command_line(const std::vector<std::string>& args,
                                                          const boost::program_options::options_description& desc,
                                                          const char* positional);
/// Adds `--color WHEN` (the text report's colour) to a command's options; another WHEN than
/// auto, always or never is a UsageError when the command line is parsed.
void add_color_option(boost::program_options::options_description& desc);
/// Lays the text report out for file descriptor `fd`: the width is $COLUMNS when set, else the
/// terminal's (TIOCGWINSZ), else 80; colour per --color in vm: 'always', 'never', or 'auto'
/// (a terminal, unless NO_COLOR is set or TERM is 'dumb').
void set_text_layout(report::ReportOptions& ro, const boost::program_options::variables_map& vm, int fd);
/// Renders the analysis in the format (--format, --explain, --detail and --color of vm) and writes
/// it to standard output (std::cout), one connection at a time except for html.
void print_report(const engine::Analysis& analysis, const std::string& format, const boost::program_options::variables_map& vm);

}  // namespace sshpath::cli
