#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/capture/live.h"
#include "sshpath/posix/child.h"
#include "sshpath/posix/signals.h"
#include "sshpath/rules/rule_set.h"
#include "sshpath/rules/ssh_errors.h"
#include "sshpath/engine/analyzer.h"

/// The pipeline that turns packets into an analysis. Here: a live capture session, which reads
/// a capture handle, watches a command and the signals, analyses what it captured, and stops.
namespace sshpath::engine {

/// Why a live capture stopped.
enum class StoppedBy : std::uint8_t {
    kInterrupt,     ///< SIGINT
    kTerminate,     ///< SIGTERM or SIGHUP
    kDuration,      ///< the time limit
    kUntilVerdict,  ///< a conclusive verdict (and the grace after it)
    kCommandExit,   ///< the command ended (and the grace after it)
    kError,         ///< the capture failed
};
/// "interrupt", "terminate", "duration", "until-verdict", "command-exit", "error": the words of
/// the JSON report's live.stopped_by.
std::string_view stopped_by_name(StoppedBy by);

/// How a session runs.
struct LiveSettings {
    std::string name;            ///< the capture's name in the analysis, e.g. "live capture on eth0"
    double duration = 0;         ///< stop after this many seconds (the command is ended then); 0: no limit
    /// Stop once a connection's verdict is conclusive, `grace` later; a command still running is
    /// ended (SIGTERM) at once.
    bool until_verdict = false;
    /// Tell (LiveHooks::conclusive) when a connection's verdict becomes conclusive, once.
    bool announce_verdict = false;
    double grace = 0.5;          ///< how long to go on capturing after the command ended or the verdict
    /// The capture's filter is sshpath's own, which records the ICMP errors (capture fact
    /// filter_records_icmp); false for a filter the user gave.
    bool filter_records_icmp = false;
    /// Where the capture is taken (capture fact capture_place): "vm" when the server asked for
    /// is this machine itself; "" when not known.
    std::string place;
};

/// A connection whose verdict later packets cannot change.
struct ConclusiveVerdict {
    std::string client, server;  ///< "address:port" of both ends
    std::string cause, rule, summary;  ///< the attempt's verdict
    std::string stop_rule, stop_summary;  ///< the rule of scope live that said it may stop
    double after_first_packet_s = 0;  ///< from the connection's first packet to the moment it was seen conclusive
};

/// How the capture is going, for a progress line.
struct LiveProgress {
    double elapsed_s = 0;             ///< since the capture started
    std::uint64_t packets = 0;        ///< captured so far
    std::int64_t syns_unanswered = 0;  ///< SYNs of connections that nothing answered yet (at the last analysis)
    bool answered = false;            ///< some connection was answered (SYN-ACK, reset or ICMP error)
};

/// What the session says as it goes (each may be empty).
struct LiveHooks {
    std::function<void(const std::string&)> note;        ///< a progress line for the user
    std::function<void(std::string_view)> command_output;  ///< the command's standard error, as it comes
    /// About once a second while capturing, and at once when a connection is first answered;
    /// with it set, the packets so far are analysed now and then (as for --until-verdict).
    std::function<void(const LiveProgress&)> progress;
    /// The first conclusive verdict (with LiveSettings::announce_verdict), and whether the
    /// command is still running.
    std::function<void(const ConclusiveVerdict&, bool command_running)> conclusive;
    /// Facts of other scopes known once the capture ended (e.g. the client check's firewall
    /// counters read again): they join the verdicts as AnalyzeOptions::context does.
    std::function<std::vector<facts::FactSet>()> context_at_end;
};

/// What the command did (`sshpath run`).
struct CommandResult {
    std::vector<std::string> argv;
    int exit_status = -1;        ///< as a shell reports it: 128 + the signal when one ended it
    rules::ClientError client_error;
};

/// What a finished session observed.
struct LiveOutcome {
    Analysis analysis;    ///< the report's content, with the live facts and warnings
    StoppedBy stopped_by = StoppedBy::kError;
    double duration = 0;           ///< seconds from the start of the loop to the stop
    std::uint64_t packets = 0;     ///< packets captured
    capture::LiveStats kernel;
    std::optional<CommandResult> command;
};

/// One live capture, from the first packet to the analysis: a poll() loop over the capture
/// handle, the signal pipe and the command's standard error; every packet goes to the analyzer
/// (and the writer); with --until-verdict the packets so far are analysed again now and then
/// to see whether a verdict is conclusive. It stops on the first of: a stop signal (passed to
/// the command when there is one; a second one kills it), the time limit, the command's end
/// plus the grace, a conclusive verdict plus the grace, a capture error.
class LiveSession {
public:
    /// The capture must be open with its filter set; `writer` (or null) receives every packet.
    LiveSession(capture::LiveCapture& capture, const rules::RuleSet& rules, AnalyzeOptions options,
                capture::DumpWriter* writer, posix::SignalPipe& signals, LiveSettings settings, LiveHooks hooks);
    LiveSession(const LiveSession&) = delete;
    LiveSession& operator=(const LiveSession&) = delete;

    /// Captures until it stops, then analyses. `command` (or null) is the command already
    /// started, `argv` its words: its standard error is passed on and kept for the analysis,
    /// and it has ended when this returns.
    LiveOutcome run(posix::ChildProcess* command, const std::vector<std::string>& argv);

private:
    struct Watched;
    struct StoredFrame {
        std::int64_t sec;
        std::int32_t usec;
        std::uint32_t caplen, wirelen;
        std::vector<std::uint8_t> bytes;
    };

    /// What one analysis of the packets so far found.
    struct Trial {
        std::optional<ConclusiveVerdict> conclusive;
        std::int64_t syns_unanswered = 0;
        bool answered = false;
    };

    void loop(Watched* command);
    void handle_signals(Watched* command, double now, double& stop_at);
    void on_trial(const Trial& t, Watched* command, double now, double& stop_at);
    void report_progress(double now, bool now_or_never = false);
    void stop_watching();
    void kill_when_deaf(Watched& command, double now);
    bool read_packets();
    void keep_for_trial(const capture::RawFrame& f);
    Trial trial() const;
    /// Starts the capture in `a` with the capture facts the session knows before any packet.
    void begin(Analyzer& a) const;
    void pump_output(Watched& command);
    void finish_command(Watched& command);
    void note(const std::string& text) const;
    LiveOutcome conclude(const Watched* command);

    capture::LiveCapture& capture_;
    const rules::RuleSet& rules_;
    AnalyzeOptions options_;
    Analyzer analyzer_;
    capture::DumpWriter* writer_;
    posix::SignalPipe& signals_;
    LiveSettings settings_;
    LiveHooks hooks_;
    bool watching_verdict_;
    std::vector<StoredFrame> stored_;
    std::size_t stored_bytes_ = 0;
    std::size_t packets_since_trial_ = 0;
    bool announced_ = false;
    Trial last_trial_;
    double next_progress_ = 0;
    std::optional<StoppedBy> stopped_by_;
    std::string capture_error_;
    double started_ = 0, ended_ = 0, ended_wall_ = 0;
};

}  // namespace sshpath::engine
