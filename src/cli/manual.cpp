#include "cli/manual.h"

#include <fmt/format.h>

#include <iostream>
#include <set>
#include <sstream>

#include "sshpath/report/terminal.h"

namespace po = boost::program_options;

namespace sshpath::cli {

namespace {

HelpCollector* collector = nullptr;

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::istringstream in{std::string(text)};
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// Blank-line separated groups of lines.
std::vector<std::vector<std::string>> paragraphs(const std::vector<std::string>& lines) {
    std::vector<std::vector<std::string>> out(1);
    for (const auto& l : lines) {
        if (l.find_first_not_of(' ') == std::string::npos) {
            if (!out.back().empty()) out.emplace_back();
        } else {
            out.back().push_back(l);
        }
    }
    if (out.back().empty()) out.pop_back();
    return out;
}

OptionHelp option_help(const po::option_description& d) {
    OptionHelp o;
    const std::string shortest = d.canonical_display_name(po::command_line_style::allow_dash_for_short);
    if (shortest.size() == 2 && shortest[0] == '-') o.short_name = shortest;
    if (!d.long_name().empty()) o.long_name = "--" + d.long_name();
    if (d.semantic()->max_tokens() > 0) {
        // "PORT (=22)": the value's name, then its default.
        o.value = d.format_parameter();
        if (const auto at = o.value.find(" (="); at != std::string::npos && o.value.back() == ')') {
            o.default_value = o.value.substr(at + 3, o.value.size() - at - 4);
            o.value.erase(at);
        }
    }
    o.description = d.description();
    return o;
}

// --- roff ------------------------------------------------------------------------------------------

// Text for roff: backslashes and minus signs escaped, a leading '.' or '\'' made literal.
std::string roff(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else
            out += c;
    }
    if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
    return out;
}

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(' ');
    return b == std::string_view::npos ? std::string() : std::string(s.substr(b));
}

// A paragraph of help text: lines set out as a list or as commands stay as they are, a heading
// ("Examples:") in bold; the rest is filled by the formatter.
std::string roff_paragraph(const std::vector<std::string>& lines) {
    std::string out = ".PP\n";
    std::size_t i = 0;
    if (lines[0].front() != ' ' && lines[0].back() == ':' && lines.size() > 1) {
        out += fmt::format("\\fB{}\\fR\n", roff(lines[0]));
        i = 1;
    }
    const bool set_out = i < lines.size() && lines[i].front() == ' ';
    if (set_out) out += ".RS 4\n.nf\n";
    for (; i < lines.size(); ++i) out += roff(set_out ? lines[i].substr(std::min<std::size_t>(2, lines[i].find_first_not_of(' '))) : trim(lines[i])) + "\n";
    if (set_out) out += ".fi\n.RE\n";
    return out;
}

std::string roff_rows(const std::vector<UsageRow>& rows) {
    std::string out;
    for (const auto& r : rows) out += fmt::format(".TP\n\\fB{}\\fR\n{}\n", roff(r.term), roff(r.text));
    return out;
}

std::string roff_option(const OptionHelp& o) {
    std::string names;
    if (!o.short_name.empty()) names = fmt::format("\\fB{}\\fR", roff(o.short_name));
    if (!o.long_name.empty()) names += fmt::format("{}\\fB{}\\fR", names.empty() ? "" : ", ", roff(o.long_name));
    if (!o.value.empty()) names += fmt::format(" \\fI{}\\fR", roff(o.value));
    std::string text = roff(o.description);
    if (!o.default_value.empty()) text += fmt::format(" (default: {})", roff(o.default_value));
    return fmt::format(".TP\n{}\n{}\n", names, text);
}

std::string roff_page(const HelpPage& p) {
    std::string out = fmt::format(".SS \"sshpath {}\"\n", p.command);
    std::vector<std::string> synopsis, rest;
    for (const auto& l : split_lines(p.caption)) {
        if (l.rfind("Usage: ", 0) == 0)
            synopsis.push_back(l.substr(7));
        else if (l.rfind("       sshpath", 0) == 0 || l.rfind("       sudo sshpath", 0) == 0)
            synopsis.push_back(trim(l));
        else
            rest.push_back(l);
    }
    if (!rest.empty() && rest.back() == "Options") rest.pop_back();
    if (!synopsis.empty()) {
        out += ".nf\n";
        for (const auto& s : synopsis) out += fmt::format("\\fB{}\\fR\n", roff(s));
        out += ".fi\n";
    }
    for (const auto& para : paragraphs(rest)) out += roff_paragraph(para);
    if (!p.options.empty()) {
        out += ".PP\nOptions:\n.RS 4\n";
        for (const auto& o : p.options) out += roff_option(o);
        out += ".RE\n";
    }
    for (const auto& para : paragraphs(split_lines(p.after))) out += roff_paragraph(para);
    return out;
}

// --- bash --------------------------------------------------------------------------------------

bool is_word(std::string_view w) {
    if (w.empty()) return false;
    for (char c : w)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

// The values an option's description lists ("text, json or markdown"; "colour the text report:
// auto (on a terminal ...), always or never"), or none when it is not such a list.
std::vector<std::string> choices(std::string_view description) {
    std::string text;
    int depth = 0;
    for (char c : description) {
        if (c == '(') ++depth;
        if (depth == 0) text += c;
        if (c == ')' && depth > 0) --depth;
    }
    if (const auto colon = text.rfind(':'); colon != std::string::npos) text.erase(0, colon + 1);
    if (text.find(" or ") == std::string::npos) return {};
    for (std::size_t at; (at = text.find(" or ")) != std::string::npos;) text.replace(at, 4, ",");
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        item = trim(item);
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (!is_word(item)) return {};
        out.push_back(item);
    }
    return out.size() >= 2 ? out : std::vector<std::string>{};
}

// The bash words that complete option `o`'s value into COMPREPLY; empty when it takes none.
std::string value_completion(const OptionHelp& o) {
    if (o.value.empty()) return {};
    if (const auto c = choices(o.description); !c.empty())
        return fmt::format("COMPREPLY=($(compgen -W \"{}\" -- \"$cur\"))", fmt::join(c, " "));
    if (o.value.find("IFACE") != std::string::npos) return "COMPREPLY=($(compgen -W \"$(_sshpath_interfaces)\" -- \"$cur\"))";
    if (o.value.find("FILE") != std::string::npos) return "_sshpath_files \"$cur\"";
    if (o.value == "DIR") return "_sshpath_dirs \"$cur\"";
    if (o.value == "ADDR" || o.value == "HOST") return "COMPREPLY=($(compgen -A hostname -- \"$cur\"))";
    return ":";  // a value, nothing to offer
}

constexpr const char* kBashHelpers = R"bash(# Files (and directories to descend into) for $1.
_sshpath_files() {
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$1"))
}

_sshpath_dirs() {
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -d -- "$1"))
}

# The network interfaces of this machine, and 'any'.
_sshpath_interfaces() {
    local d
    for d in /sys/class/net/*; do [ -e "$d" ] && printf '%s\n' "${d##*/}"; done
    echo any
}

_sshpath() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd=${COMP_WORDS[1]} i
    COMPREPLY=()
    if ((COMP_CWORD == 1)); then
        COMPREPLY=($(compgen -W "$_sshpath_commands --help --version" -- "$cur"))
        return 0
    fi
    # run: after '--' comes the command, completed as the shell would.
    if [[ $cmd == run ]]; then
        for ((i = 2; i < COMP_CWORD; i++)); do
            [[ ${COMP_WORDS[i]} == -- ]] || continue
            if declare -F _command_offset >/dev/null; then
                _command_offset $((i + 1))
            elif ((COMP_CWORD == i + 1)); then
                COMPREPLY=($(compgen -c -- "$cur"))
            else
                _sshpath_files "$cur"
            fi
            return 0
        done
    fi
    # --option=value: bash splits at '=' (COMP_WORDBREAKS), or leaves it in the word.
    if [[ $cur == = ]]; then
        _sshpath_value "$cmd" "$prev" ""
        return 0
    elif [[ $prev == = ]] && ((COMP_CWORD > 2)); then
        _sshpath_value "$cmd" "${COMP_WORDS[COMP_CWORD-2]}" "$cur"
        return 0
    elif [[ $cur == --*=* ]]; then
        _sshpath_value "$cmd" "${cur%%=*}" "${cur#*=}"
        return 0
    fi
    if [[ $prev == -* ]] && _sshpath_value "$cmd" "$prev" "$cur"; then
        return 0
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_sshpath_options "$cmd")" -- "$cur"))
        return 0
    fi
    _sshpath_words "$cmd" "$cur"
}
complete -F _sshpath sshpath
)bash";

}  // namespace

void show_help(const po::options_description& desc, std::string_view after) {
    if (collector == nullptr) {
        std::cout << desc << after;
        return;
    }
    if (collector->pages.empty()) return;
    HelpPage& p = collector->pages.back();
    // Boost prints the caption, a colon, then the options (each line starting "  -"); it has no
    // accessor for the caption.
    std::ostringstream printed;
    printed << desc;
    const std::string text = printed.str();
    p.caption = text.substr(0, text.find("\n  -"));
    if (!p.caption.empty() && p.caption.back() == ':') p.caption.pop_back();
    for (const auto& o : desc.options()) p.options.push_back(option_help(*o));
    p.after = after;
}

void note_positional(const char* positional) {
    if (collector != nullptr && !collector->pages.empty()) collector->pages.back().positional = positional;
}

HelpCollector::HelpCollector() { collector = this; }
HelpCollector::~HelpCollector() { collector = nullptr; }
void HelpCollector::start(std::string command) { pages.push_back(HelpPage{std::move(command), {}, {}, {}, {}}); }

std::string render_usage(const Overview& o) {
    auto table = [](const std::vector<UsageRow>& rows) {
        std::string out;
        for (const auto& r : rows) out += report::wrap(fmt::format("  {:<22} {}", r.term, r.text), 80, 25);
        return out;
    };
    std::string out = fmt::format("Usage: sshpath COMMAND [OPTIONS]\n\n{}\n", report::reflow(o.intro, 80));
    out += "Commands:\n" + table(o.commands) + "\nOptions:\n" + table(o.options);
    out += "\nEnvironment:\n" + table(o.environment);
    out += "\n" + report::reflow(fmt::format("Exit status: {}", o.exit_status), 80);
    return out;
}

std::string render_man(const Overview& o, const std::vector<HelpPage>& pages, std::string_view version) {
    std::string out = fmt::format(
        ".\\\" The manual page of sshpath, generated by 'sshpath --help-man' from its --help texts.\n"
        ".TH SSHPATH 1 \"\" \"sshpath {}\" \"User Commands\"\n.nh\n.ad l\n"
        ".SH NAME\nsshpath \\- explain from packets why an SSH connection fails\n.SH SYNOPSIS\n.nf\n",
        version);
    for (const auto& c : o.commands) out += fmt::format("\\fBsshpath\\fR {}\n", roff(c.term));
    out += ".fi\n.SH DESCRIPTION\n" + roff(trim(report::reflow(o.intro, 0))) + "\n";
    out += ".SH COMMANDS\n" + roff_rows(o.commands);
    out += ".SH OPTIONS\n" + roff_rows(o.options);
    out += ".SH \"COMMAND OPTIONS\"\n";
    for (const auto& p : pages) out += roff_page(p);
    out += ".SH ENVIRONMENT\n" + roff_rows(o.environment);
    out += ".SH FILES\n.TP\n\\fIPREFIX\\fR/share/sshpath/rules/\n"
           "the rule files (YAML) that decide, installed beside \\fIPREFIX\\fR/bin/sshpath (PREFIX is /usr for the Debian "
           "package, /usr/local for 'cmake \\-\\-install' by default)\n";
    out += ".SH \"EXIT STATUS\"\n" + roff(o.exit_status) + "\n";
    out += ".SH \"SEE ALSO\"\n\\fBssh\\fR(1), \\fBtcpdump\\fR(8), \\fBpcap\\-filter\\fR(7)\n";
    return out;
}

std::string render_bash(const Overview& o, const std::vector<HelpPage>& pages) {
    std::set<std::string> names;
    for (const auto& c : o.commands) names.insert(std::string(c.term.substr(0, c.term.find(' '))));
    std::string out = "# bash completion for sshpath(1), generated by 'sshpath --help-bash' from its --help texts.\n";
    out += fmt::format("_sshpath_commands=\"{}\"\n\n", fmt::join(names, " "));
    out += "# The options of command $1.\n_sshpath_options() {\n    case $1 in\n";
    for (const auto& p : pages) {
        std::vector<std::string> words;
        for (const auto& opt : p.options)
            for (const auto& n : {opt.short_name, opt.long_name})
                if (!n.empty()) words.push_back(n);
        out += fmt::format("        {}) echo \"{}\" ;;\n", p.command, fmt::join(words, " "));
    }
    out += "    esac\n}\n\n";
    out += "# Completes the value of option $2 of command $1 (the word so far: $3); fails when the option takes none.\n";
    out += "_sshpath_value() {\n    local cur=$3\n    case \"$1 $2\" in\n";
    for (const auto& p : pages)
        for (const auto& opt : p.options) {
            const std::string action = value_completion(opt);
            if (action.empty()) continue;
            std::vector<std::string> keys;
            for (const auto& n : {opt.short_name, opt.long_name})
                if (!n.empty()) keys.push_back(fmt::format("\"{} {}\"", p.command, n));
            out += fmt::format("        {}) {} ;;\n", fmt::join(keys, "|"), action);
        }
    out += "        *) return 1 ;;\n    esac\n}\n\n";
    out += "# The words of command $1 that are not options (the word so far: $2).\n_sshpath_words() {\n    case $1 in\n";
    for (const auto& p : pages) {
        if (p.positional == "file")
            out += fmt::format("        {}) _sshpath_files \"$2\" ;;\n", p.command);
        else if (p.positional == "host")
            out += fmt::format("        {}) COMPREPLY=($(compgen -A hostname -- \"$2\")) ;;\n", p.command);
    }
    // rules: the sub-command, then a rules directory.
    std::vector<std::string> rules_words;
    for (const auto& c : o.commands)
        if (c.term.rfind("rules ", 0) == 0) rules_words.emplace_back(c.term.substr(6, c.term.find(' ', 6) - 6));
    if (!rules_words.empty())
        out += fmt::format(
            "        rules) if ((COMP_CWORD == 2)); then COMPREPLY=($(compgen -W \"{}\" -- \"$2\")); else _sshpath_dirs \"$2\"; fi ;;\n",
            fmt::join(rules_words, " "));
    out += "    esac\n}\n\n";
    return out + kBashHelpers;
}

}  // namespace sshpath::cli
