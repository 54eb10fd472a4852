#include "sshpath/engine/live_session.h"

#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <limits>

#include "sshpath/capture/reader.h"
#include "sshpath/core/error.h"
#include "sshpath/posix/clock.h"

namespace sshpath::engine {

namespace {

using posix::monotonic_now;
using posix::wall_now;

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// After a stop signal passed to the command: how long it may take to end before SIGKILL.
constexpr double kCommandKillAfter = 5.0;
// The packets so far are analysed again at most this often (and never more than a third of
// the time), keeping at most this many bytes of packets for it.
constexpr double kTrialInterval = 0.2;
constexpr std::size_t kTrialKeep = 64u << 20;
// Without --until-verdict (the progress line, `run`'s early verdict) less is worth keeping.
constexpr std::size_t kProgressKeep = 8u << 20;
// The command's standard error kept for the analysis (the rest is still passed on).
constexpr std::size_t kOutputKeep = 4u << 20;

// Something came back for the connection: a SYN-ACK, a reset, an ICMP error, any packet.
bool answered(const facts::FactSet& f) {
    namespace F = facts::flow;
    return f.get(F::synack_seen) || f.get(F::server_rst_seen) || f.get(F::icmp_errors) > 0 || f.get(F::server_packets) > 0;
}

}  // namespace

std::string_view stopped_by_name(StoppedBy by) {
    switch (by) {
    case StoppedBy::kInterrupt: return "interrupt";
    case StoppedBy::kTerminate: return "terminate";
    case StoppedBy::kDuration: return "duration";
    case StoppedBy::kUntilVerdict: return "until-verdict";
    case StoppedBy::kCommandExit: return "command-exit";
    case StoppedBy::kError: return "error";
    }
    return "error";
}

// The command being watched: the process, what it wrote, how it is being stopped.
struct LiveSession::Watched {
    posix::ChildProcess& process;
    std::string output;              ///< its standard error, up to kOutputKeep
    double signalled_at = -1;        ///< when a stop signal was passed on, -1 before
    bool killed = false;
};

LiveSession::LiveSession(capture::LiveCapture& capture, const rules::RuleSet& rules, AnalyzeOptions options,
                         capture::DumpWriter* writer, posix::SignalPipe& signals, LiveSettings settings, LiveHooks hooks)
    : capture_(capture), rules_(rules), options_(std::move(options)), analyzer_(options_, rules), writer_(writer), signals_(signals),
      settings_(std::move(settings)), hooks_(std::move(hooks)),
      watching_verdict_(settings_.until_verdict || settings_.announce_verdict || hooks_.progress) {
    begin(analyzer_);
}

void LiveSession::begin(Analyzer& a) const {
    a.begin_capture(settings_.name, capture_.link_type());
    // Known before the first packet, so that the verdicts judged while capturing read it too.
    a.set_fact(facts::capture::filter_records_icmp, settings_.filter_records_icmp);
    if (!settings_.place.empty()) a.set_fact(facts::capture::capture_place, settings_.place);
}

void LiveSession::note(const std::string& text) const {
    if (hooks_.note) hooks_.note(text);
}

LiveOutcome LiveSession::run(posix::ChildProcess* command, const std::vector<std::string>& argv) {
    std::optional<Watched> watched;
    if (command != nullptr) watched.emplace(Watched{*command, {}, -1, false});
    loop(watched ? &*watched : nullptr);
    LiveOutcome out = conclude(watched ? &*watched : nullptr);
    if (out.command) out.command->argv = argv;
    return out;
}

void LiveSession::loop(Watched* command) {
    started_ = monotonic_now();
    const double duration_end = settings_.duration > 0 ? started_ + settings_.duration : kInfinity;
    double stop_at = kInfinity, next_trial = 0;
    bool dirty = false;
    for (;;) {
        double now = monotonic_now();
        if (now >= duration_end && stop_at == kInfinity) {
            stopped_by_ = StoppedBy::kDuration;
            break;
        }
        if (now >= stop_at) break;
        if (command != nullptr) kill_when_deaf(*command, now);
        // Unanswered SYNs age without new packets: a silent drop becomes conclusive with time.
        if (last_trial_.syns_unanswered > 0) dirty = true;
        double wait = std::min(duration_end, stop_at) - now;
        if (watching_verdict_ && dirty) wait = std::min(wait, std::max(0.0, next_trial - now));
        if (command != nullptr && command->signalled_at >= 0 && !command->killed) wait = std::min(wait, 0.25);
        wait = std::clamp(wait, 0.0, 1.0);
        pollfd fds[3];
        nfds_t n = 0;
        const int pcap_fd = capture_.selectable_fd();
        if (pcap_fd >= 0) fds[n++] = pollfd{pcap_fd, POLLIN, 0};
        fds[n++] = pollfd{signals_.fd(), POLLIN, 0};
        if (command != nullptr && command->process.stderr_fd() >= 0) fds[n++] = pollfd{command->process.stderr_fd(), POLLIN, 0};
        // Without a selectable descriptor, poll at least every 50 ms.
        const int ms = static_cast<int>(std::ceil(wait * 1000));
        if (poll(fds, n, pcap_fd >= 0 ? ms : std::min(50, ms)) < 0 && errno != EINTR)
            throw Error(fmt::format("poll: {}", std::strerror(errno)));
        if (!read_packets()) break;
        if (packets_since_trial_ > 0) dirty = true;
        if (command != nullptr) pump_output(*command);
        now = monotonic_now();
        handle_signals(command, now, stop_at);
        if (watching_verdict_ && dirty && now >= next_trial && stop_at == kInfinity) {
            dirty = false;
            packets_since_trial_ = 0;
            const double t0 = monotonic_now();
            const Trial t = trial();
            next_trial = monotonic_now() + std::max(kTrialInterval, 2 * (monotonic_now() - t0));
            on_trial(t, command, now, stop_at);
        }
        if (hooks_.progress && stop_at == kInfinity) report_progress(now);
    }
    read_packets();
    if (writer_ != nullptr) writer_->flush();
    ended_ = monotonic_now();
    ended_wall_ = wall_now();
    if (command != nullptr) finish_command(*command);
}

void LiveSession::on_trial(const Trial& t, Watched* command, double now, double& stop_at) {
    const bool first_answer = t.answered && !last_trial_.answered;
    last_trial_ = t;
    // Said at once: a progress line must go before the command writes to the terminal again.
    if (first_answer && hooks_.progress) report_progress(now, true);
    const bool running = command != nullptr && !command->process.exited();
    if (t.conclusive && settings_.until_verdict) {
        const ConclusiveVerdict& c = *t.conclusive;
        stopped_by_ = StoppedBy::kUntilVerdict;
        stop_at = now + settings_.grace;
        note(fmt::format("conclusive: {} -> {}: {} (rule {}), which later packets cannot change ({}: {}); {}stopping in {} s",
                         c.client, c.server, c.cause, c.rule, c.stop_rule, c.stop_summary,
                         running ? "ending the command and " : "", settings_.grace));
        if (running && command->signalled_at < 0) {
            command->process.send(SIGTERM);
            command->signalled_at = now;
        }
        return;
    }
    if (t.conclusive && !announced_) {
        announced_ = true;
        if (settings_.announce_verdict && hooks_.conclusive) hooks_.conclusive(*t.conclusive, running);
    }
    // Once the server side has spoken and a verdict was told, nothing is left to wait for.
    if (!settings_.until_verdict && announced_ && t.answered && t.syns_unanswered == 0) stop_watching();
}

void LiveSession::report_progress(double now, bool now_or_never) {
    if (now < next_progress_ && !now_or_never) return;
    next_progress_ = now + 1.0;
    hooks_.progress(LiveProgress{now - started_, capture_.read_stats().packets, last_trial_.syns_unanswered, last_trial_.answered});
}

void LiveSession::stop_watching() {
    watching_verdict_ = false;
    stored_.clear();
    stored_.shrink_to_fit();
}

void LiveSession::handle_signals(Watched* command, double now, double& stop_at) {
    for (int sig : signals_.take()) {
        if (sig == SIGCHLD) {
            if (command != nullptr && command->process.reap(false) && stop_at == kInfinity) {
                if (!stopped_by_) stopped_by_ = StoppedBy::kCommandExit;
                stop_at = now + settings_.grace;
            }
            continue;
        }
        if (sig != SIGINT && sig != SIGTERM && sig != SIGHUP) continue;
        const StoppedBy by = sig == SIGINT ? StoppedBy::kInterrupt : StoppedBy::kTerminate;
        if (command != nullptr && !command->process.exited()) {
            if (command->signalled_at < 0) {
                note(fmt::format("{}: passing it to the command and waiting for it to end (again to stop at once)", strsignal(sig)));
                command->process.send(sig);
                command->signalled_at = now;
            } else {
                command->process.send(SIGKILL);
                command->killed = true;
                stop_at = now;
            }
            stopped_by_ = by;
        } else {
            if (!stopped_by_ || *stopped_by_ == StoppedBy::kCommandExit || *stopped_by_ == StoppedBy::kUntilVerdict) stopped_by_ = by;
            stop_at = now;
        }
    }
}

void LiveSession::kill_when_deaf(Watched& command, double now) {
    if (command.process.exited() || command.signalled_at < 0 || command.killed || now - command.signalled_at < kCommandKillAfter)
        return;
    note(fmt::format("the command did not end {} s after the signal: killing it", kCommandKillAfter));
    command.process.send(SIGKILL);
    command.killed = true;
}

bool LiveSession::read_packets() {
    if (!capture_error_.empty()) return false;
    try {
        const std::size_t n = capture_.dispatch([this](const packet::Packet& p, const capture::RawFrame& f) {
            analyzer_.add(p);
            if (writer_ != nullptr) writer_->add(f);
            if (watching_verdict_) keep_for_trial(f);
        });
        packets_since_trial_ += n;
        if (n > 0 && writer_ != nullptr) writer_->flush();
    } catch (const InputError& e) {
        capture_error_ = e.what();
        stopped_by_ = StoppedBy::kError;
        return false;
    }
    return true;
}

void LiveSession::keep_for_trial(const capture::RawFrame& f) {
    stored_bytes_ += f.data.size() + sizeof(StoredFrame);
    if (stored_bytes_ > (settings_.until_verdict ? kTrialKeep : kProgressKeep)) {
        stop_watching();
        // Without --until-verdict only the progress line and the early verdict lose it.
        if (!settings_.until_verdict) return;
        const std::string why = fmt::format("--until-verdict stopped watching after {} MiB of packets (too many to analyse again "
                                            "and again); the capture went on until it was stopped otherwise",
                                            kTrialKeep >> 20);
        note(why);
        analyzer_.warn(why);
        return;
    }
    stored_.push_back(StoredFrame{f.ts_sec, f.ts_usec, f.caplen, f.wirelen, std::vector<std::uint8_t>(f.data.begin(), f.data.end())});
}

LiveSession::Trial LiveSession::trial() const {
    Analyzer a(options_, rules_);
    begin(a);
    capture::ReadStats stats;
    stats.link_type = capture_.link_type();
    stats.snaplen = capture_.snaplen();
    packet::Packet p;
    for (const auto& s : stored_) {
        capture::RawFrame f;
        f.ts_sec = s.sec;
        f.ts_usec = s.usec;
        f.caplen = s.caplen;
        f.wirelen = s.wirelen;
        f.data = std::span<const std::uint8_t>(s.bytes);
        capture::decode_frame(stats.link_type, f, p, stats);
        a.add(p);
    }
    const double now = wall_now();
    a.set_capture_end(now);
    a.end_capture(stats);
    const Analysis result = a.finish();
    const double start = result.captures.empty() ? now : result.captures.front().start_time;
    Trial t;
    namespace F = facts::flow;
    for (const verdict::Attempt& flow : result.attempts) {
        const facts::FactSet& f = flow.facts;
        if (answered(f))
            t.answered = true;
        else if (f.get(F::syn_seen))
            t.syns_unanswered += f.get(F::syn_count);
        if (t.conclusive) continue;
        const double age = now - (start + f.get(F::start_time));
        const facts::FactSet& capture = result.captures.back().facts;
        if (auto stop = verdict::may_stop(rules_, flow.verdict, f, capture, age))
            t.conclusive = ConclusiveVerdict{f.get(F::client), f.get(F::server), std::string(contract::name(flow.verdict.cause)),
                                             flow.verdict.rule, flow.verdict.summary, stop->rule, stop->summary, age};
    }
    return t;
}

void LiveSession::pump_output(Watched& command) {
    while (command.process.stderr_fd() >= 0) {
        char buf[8192];
        const ssize_t n = ::read(command.process.stderr_fd(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return;  // EAGAIN: nothing more now
        if (n == 0) {
            command.process.close_stderr();
            return;
        }
        const std::string_view chunk(buf, static_cast<std::size_t>(n));
        if (hooks_.command_output) hooks_.command_output(chunk);
        if (command.output.size() < kOutputKeep) command.output.append(chunk.substr(0, kOutputKeep - command.output.size()));
    }
}

void LiveSession::finish_command(Watched& command) {
    posix::ChildProcess& p = command.process;
    if (!p.reap(false)) {
        if (command.signalled_at < 0) {
            p.send(SIGTERM);
            command.signalled_at = monotonic_now();
        }
        const double deadline = monotonic_now() + 2.0;
        while (!p.reap(false) && monotonic_now() < deadline) {
            pump_output(command);
            pollfd fd{p.stderr_fd(), POLLIN, 0};
            poll(&fd, p.stderr_fd() >= 0 ? 1 : 0, 50);
        }
        if (!p.reap(false)) {
            p.send(SIGKILL);
            p.reap(true);
        }
    }
    // Whatever it wrote before it ended (a ProxyCommand may hold the pipe open: no waiting).
    pump_output(command);
    p.close_stderr();
}

LiveOutcome LiveSession::conclude(const Watched* command) {
    LiveOutcome out;
    out.stopped_by = stopped_by_.value_or(StoppedBy::kError);
    out.duration = ended_ - started_;
    out.kernel = capture_.kernel_stats();
    out.packets = capture_.read_stats().packets;
    if (!capture_error_.empty())
        analyzer_.warn(fmt::format("the capture stopped early: {}; the analysis covers the packets before it", capture_error_));
    if (out.kernel.dropped > 0)
        analyzer_.warn(fmt::format("the kernel dropped {} packets that matched the filter (its capture buffer was full): the verdict "
                                   "rests on incomplete data, and a packet missing here may look like a drop on the network",
                                   out.kernel.dropped));
    if (out.kernel.if_dropped > 0)
        analyzer_.warn(fmt::format("the interface dropped {} packets during the capture (not only this connection's): the verdict may "
                                   "rest on incomplete data",
                                   out.kernel.if_dropped));
    analyzer_.set_fact(facts::capture::kernel_drops, static_cast<std::int64_t>(out.kernel.dropped));
    analyzer_.set_fact(facts::capture::interface_drops, static_cast<std::int64_t>(out.kernel.if_dropped));
    if (command != nullptr) {
        CommandResult c;
        c.exit_status = command->process.status();
        c.client_error = rules_.ssh_errors().find_client_error(command->output, c.exit_status);
        analyzer_.set_fact(facts::capture::client_error, c.client_error.line);
        analyzer_.set_fact(facts::capture::client_error_kind, c.client_error.kind);
        analyzer_.set_fact(facts::capture::command_exit_status, static_cast<std::int64_t>(c.exit_status));
        out.command = std::move(c);
    }
    if (hooks_.context_at_end)
        for (facts::FactSet& f : hooks_.context_at_end()) analyzer_.add_context(std::move(f));
    analyzer_.set_capture_end(ended_wall_);
    analyzer_.end_capture(capture_.read_stats());
    out.analysis = analyzer_.finish();
    return out;
}

}  // namespace sshpath::engine
