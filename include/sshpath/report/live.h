#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sshpath/capture/live.h"
#include "sshpath/engine/live_session.h"

namespace sshpath::report {

/// Where a live capture saved its packets (--write).
struct LiveCaptureFile {
    std::string path;
    capture::DumpFormat format = capture::DumpFormat::kPcap;
    std::uint64_t packets = 0;
    std::string error;  ///< why the file is incomplete, "" when it is not
};

/// What `sshpath run` ran and what became of it.
struct LiveRun {
    std::vector<std::string> argv;
    int exit_status = -1;
    std::string client_error;       ///< the line of its standard error that says why it failed
    std::string client_error_kind;  ///< its kind (rules/ssh-errors.yaml), "other" or "none"
};

/// The part of a `capture` or `run` report that says how the packets were captured: the
/// "Live capture" section of the text and Markdown reports, `live` (and `capture_file`) in JSON.
struct LiveTrailer {
    std::string command;               ///< "capture" or "run"
    std::string interface;
    std::string filter;                ///< the filter set in the kernel
    std::string shown_filter;          ///< the same without its VLAN repetitions, for people
    std::string host;                  ///< as given or derived, "" for any host
    std::vector<std::string> addresses;
    bool resolved = false;             ///< host is a name that was resolved to the addresses
    int port = 22;
    std::vector<std::string> notes;    ///< what the filter keeps and why
    std::string started;               ///< UTC, e.g. 2024-05-01T12:00:00Z
    double duration_s = 0;
    engine::StoppedBy stopped_by = engine::StoppedBy::kError;
    double grace_s = 0;
    std::uint64_t packets = 0;
    std::uint64_t kernel_drops = 0;
    std::uint64_t interface_drops = 0;
    std::string privileges;            ///< who sshpath (and the command) ran as
    std::optional<LiveCaptureFile> capture_file;
    std::optional<LiveRun> run;
};

/// How the capture stopped, in words: "SIGINT (passed to the command)", "--duration",
/// "--until-verdict (+0.5 s grace)", "the command ended (+0.5 s grace)", ...
std::string stopped_by_words(engine::StoppedBy by, bool with_command, double grace);

/// A word of a command line quoted for a POSIX shell when it needs it.
std::string shell_quote(const std::string& word);
/// A command line, each word quoted when it needs it.
std::string shell_join(const std::vector<std::string>& argv);

}  // namespace sshpath::report
