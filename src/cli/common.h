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

/// --rules DIR, else $SSHPATH_RULES, else the source tree's rules/ when run from the build
/// directory, else PREFIX/share/sshpath/rules next to the binary, else the configured install dir.
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
/// text | json | markdown (and jsonl when `jsonl`), or UsageError.
std::string check_format(const std::string& format, bool jsonl = false);
/// --detail: auto | all | deciding, or UsageError.
report::Detail parse_detail(const std::string& text);
/// Parses a command's arguments: the options of `desc`, and every other word collected under
/// the name `positional` (a list of strings).
boost::program_options::variables_map parse_command_line(const std::vector<std::string>& args,
                                                          const boost::program_options::options_description& desc,
                                                          const char* positional);
/// Renders the analysis in the format and writes it to standard output (std::cout).
void print_report(const engine::Analysis& analysis, const std::string& format, bool explain,
                  report::Detail detail = report::Detail::kAuto);

}  // namespace sshpath::cli
