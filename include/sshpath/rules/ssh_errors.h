#pragma once
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

/// ssh's error lines: the data table (rules/ssh-errors.yaml) that names the kind of failure a
/// line of the client's standard error tells, and the choice of the line that says why a
/// command failed (`sshpath run`).
namespace sshpath::rules {

/// One entry of the table: a substring or a regular expression, and the kind it names.
struct SshErrorPattern {
    std::string text;       ///< the substring, or the regular expression as written
    bool is_regex = false;
    std::string kind;       ///< e.g. "timed-out"; "ignore" for lines that never name a failure
    std::string note;
    int line = 0;           ///< where it is in its file
    std::shared_ptr<const std::regex> regex;  ///< compiled, when is_regex
    /// The substring is in the line, or the regular expression is found in it (lines over
    /// 2048 bytes never match a regular expression).
    bool matches(std::string_view line) const;
};

/// What sshpath learns from a finished client's standard error and exit status.
struct ClientError {
    std::string line;   ///< the line that names why it failed ("" when none)
    std::string kind;   ///< a kind of the table; "other" for a failed command's unrecognised last
                        ///< line; "none" when the command succeeded or printed nothing that names a failure
};

/// The kind a table never gives, spelled for marking lines that never name a failure.
inline constexpr std::string_view kIgnoreKind = "ignore";

/// The ordered table of ssh's error lines.
class SshErrorTable {
public:
    /// An empty table: no line has a kind.
    SshErrorTable() = default;
    /// Parses and validates the table's text (`file` names it in messages). Throws
    /// sshpath::RuleError "file:line: problem": not a list of entries, an unknown or missing key,
    /// both or neither of contains and regex, an empty pattern, a regex that does not compile,
    /// a kind that is not lower-case words joined by '-' or is "none" or "other" (sshpath's
    /// own), or a pattern given twice.
    static SshErrorTable parse(std::string_view text, const std::string& file);
    /// Reads and parses a file.
    static SshErrorTable load(const std::filesystem::path& path);

    const std::vector<SshErrorPattern>& entries() const { return entries_; }
    /// The kind of one line (a leading "debug1: ", "debug2: " or "debug3: " and surrounding
    /// white space are ignored): that of the first entry that matches; "" when none does or
    /// that entry's kind is "ignore".
    std::string_view classify(std::string_view line) const;
    /// The line that says why the command failed: the first line with a kind that is not a
    /// debug line, else the first debug line with a kind, else (when the command failed) the
    /// last line that no entry matched, as kind "other". Kind "none" when the command exited 0
    /// or nothing qualifies.
    ClientError find_client_error(std::string_view stderr_text, int exit_status) const;

private:
    const SshErrorPattern* match(std::string_view line) const;
    std::vector<SshErrorPattern> entries_;
};

}  // namespace sshpath::rules
