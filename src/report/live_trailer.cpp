#include "live_trailer.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "report_util.h"
#include "sshpath/report/json.h"

namespace sshpath::report {

namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

}  // namespace

std::string shell_quote(const std::string& word) {
    if (!word.empty() && word.find_first_of(" \t\n'\"\\$`*?[]{}()<>|&;!#~") == std::string::npos) return word;
    std::string out = "'";
    for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string shell_join(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv) out += (out.empty() ? "" : " ") + shell_quote(a);
    return out;
}

std::string stopped_by_words(engine::StoppedBy by, bool with_command, double grace) {
    switch (by) {
    case engine::StoppedBy::kInterrupt: return with_command ? "SIGINT (passed to the command)" : "SIGINT";
    case engine::StoppedBy::kTerminate: return with_command ? "SIGTERM (passed to the command)" : "SIGTERM";
    case engine::StoppedBy::kDuration: return "--duration";
    case engine::StoppedBy::kUntilVerdict: return fmt::format("--until-verdict (+{} s grace)", grace);
    case engine::StoppedBy::kCommandExit: return fmt::format("the command ended (+{} s grace)", grace);
    case engine::StoppedBy::kError: break;
    }
    return "a capture error";
}

std::vector<std::pair<std::string, std::string>> live_rows(const LiveTrailer& t) {
    std::vector<std::pair<std::string, std::string>> rows;
    if (t.run) {
        rows.emplace_back("command", fmt::format("{} (exit status {})", shell_join(t.run->argv), t.run->exit_status));
        rows.emplace_back("it said", t.run->client_error.empty()
                                         ? fmt::format("nothing that names an error ({})", t.run->client_error_kind)
                                         : fmt::format("{} [{}]", t.run->client_error, t.run->client_error_kind));
    }
    rows.emplace_back("interface", t.interface);
    rows.emplace_back("filter", t.shown_filter);
    if (!t.host.empty())
        rows.emplace_back("host", t.addresses.empty() ? t.host
                                  : t.resolved       ? fmt::format("{} = {}", t.host, joined(t.addresses))
                                                     : joined(t.addresses));
    for (const auto& n : t.notes) rows.emplace_back("note", n);
    rows.emplace_back("stopped by", fmt::format("{}, after {:.3f} s: {} packets, {} dropped by the kernel",
                                                stopped_by_words(t.stopped_by, t.run.has_value(), t.grace_s), t.duration_s, t.packets,
                                                t.kernel_drops));
    rows.emplace_back("privileges", t.privileges);
    if (t.capture_file) {
        const LiveCaptureFile& f = *t.capture_file;
        rows.emplace_back("saved to", fmt::format("{} ({}, {} packets{}): 'sshpath analyze {}' analyses it again", f.path,
                                                  capture::dump_format_name(f.format), f.packets,
                                                  f.error.empty() ? "" : ", INCOMPLETE: " + f.error, shell_quote(f.path)));
    }
    return rows;
}

std::string live_section(const LiveTrailer& t, bool markdown) {
    std::string out = markdown ? "\n## Live capture\n\n" : "\nLive capture\n";
    for (const auto& [k, v] : live_rows(t)) out += markdown ? fmt::format("- **{}**: {}\n", k, md_text(v)) : fmt::format("  {:<11} {}\n", k, v);
    return out;
}

nlohmann::ordered_json live_json(const LiveTrailer& t) {
    nlohmann::ordered_json live;
    live["command"] = t.command;
    live["interface"] = t.interface;
    live["filter"] = t.filter;
    live["host"] = t.host;
    live["addresses"] = t.addresses;
    live["port"] = t.port;
    live["notes"] = t.notes;
    live["started"] = t.started;
    live["duration_s"] = round3(t.duration_s);
    live["stopped_by"] = engine::stopped_by_name(t.stopped_by);
    live["grace_s"] = t.grace_s;
    live["packets"] = t.packets;
    live["kernel_drops"] = t.kernel_drops;
    live["interface_drops"] = t.interface_drops;
    live["privileges"] = t.privileges;
    if (t.capture_file)
        live["capture_file"] = {{"path", t.capture_file->path},
                                {"format", capture::dump_format_name(t.capture_file->format)},
                                {"packets", t.capture_file->packets},
                                {"error", t.capture_file->error}};
    if (t.run)
        live["run"] = {{"argv", t.run->argv},
                       {"exit_status", t.run->exit_status},
                       {"client_error", t.run->client_error},
                       {"client_error_kind", t.run->client_error_kind}};
    return live;
}

}  // namespace sshpath::report
