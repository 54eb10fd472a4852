#pragma once
#include <boost/program_options.hpp>
#include <string>
#include <string_view>
#include <vector>

/// One source for `--help`, the manual page and the shell completion: each command shows its
/// help through show_help, which a HelpCollector can record instead of printing; the manual page
/// (`sshpath --help-man`) and the bash completion (`sshpath --help-bash`) render the records.
namespace sshpath::cli {

/// A row of a two-column table of the usage text: "analyze FILE..." and what it does.
struct UsageRow {
    std::string_view term;
    std::string_view text;
};

/// The usage text of `sshpath --help`, in parts.
struct Overview {
    std::string_view intro;                 ///< what sshpath does (a paragraph)
    std::vector<UsageRow> commands;         ///< "analyze FILE...", "analyse pcap/pcapng captures"
    std::vector<UsageRow> options;          ///< the options before the command
    std::vector<UsageRow> environment;      ///< the environment variables read
    std::string_view exit_status;           ///< a paragraph
};

/// One option of a command, as its help lists it.
struct OptionHelp {
    std::string short_name;     ///< "-r", or empty
    std::string long_name;      ///< "--read", or empty
    std::string value;          ///< "FILE", or empty for a switch
    std::string default_value;  ///< or empty
    std::string description;
};

/// A command's help: the caption (usage lines and description), its options, the text after.
struct HelpPage {
    std::string command;
    std::string caption;
    std::vector<OptionHelp> options;
    std::string after;       ///< examples and notes
    std::string positional;  ///< what its other words are: "file", "host", "expression", "words"; empty for none
};

/// Prints `desc` then `after` to standard output, or records them while a HelpCollector lives.
void show_help(const boost::program_options::options_description& desc, std::string_view after = {});
/// Records the name a command gives its other words (parse_command_line calls it).
void note_positional(const char* positional);

/// While alive, show_help and note_positional record into `pages` instead of printing.
class HelpCollector {
public:
    HelpCollector();
    ~HelpCollector();
    HelpCollector(const HelpCollector&) = delete;
    HelpCollector& operator=(const HelpCollector&) = delete;
    /// Starts the page of `command`; what show_help records next goes into it.
    void start(std::string command);
    std::vector<HelpPage> pages;
};

/// `sshpath --help`: the overview as text, tables wrapped at 80 columns.
std::string render_usage(const Overview& o);
/// The manual page sshpath(1) in roff: the overview, then every command's help page.
std::string render_man(const Overview& o, const std::vector<HelpPage>& pages, std::string_view version);
/// A bash completion script: commands, each command's options, values of options that list
/// their choices (--format, --color), interfaces for IFACE, files for FILE, directories for DIR,
/// host names for HOST and ADDR.
std::string render_bash(const Overview& o, const std::vector<HelpPage>& pages);

}  // namespace sshpath::cli
