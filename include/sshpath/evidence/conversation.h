#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sshpath/flow/flow.h"
#include "sshpath/ssh/ssh.h"

namespace sshpath::evidence {

/// What one side said in the clear, as a report shows it.
struct SshSide {
    std::optional<std::string> identification;   ///< its identification string, when seen
    std::string identification_problem;          ///< why it breaks RFC 4253 4.2 ("" when valid or absent)
    std::vector<std::string> pre_banner_lines;   ///< lines before it (printable form)
    std::optional<ssh::KexInit> kexinit;         ///< its KEXINIT's algorithm lists
    std::vector<std::uint8_t> messages;          ///< numbers of the clear-text SSH messages, in order
};

/// A connection as a report shows it beside its facts and verdict: the SSH conversation and the
/// timeline of its notable packets. Self-contained: no flow-table state.
struct Conversation {
    std::uint64_t first_packet = 0;
    SshSide client, server;
    std::vector<flow::TimelineEvent> timeline;
    std::uint64_t timeline_omitted = 0;   ///< notable packets beyond the timeline's cap
};

template <typename Ar>
void field(Ar& ar, SshSide& s) {
    archive::fields(ar, s.identification, s.identification_problem, s.pre_banner_lines, s.kexinit, s.messages);
}
template <typename Ar>
void field(Ar& ar, Conversation& c) {
    archive::fields(ar, c.first_packet, c.client, c.server, c.timeline, c.timeline_omitted);
}

/// Takes the conversation out of a finished flow (its timeline is moved).
Conversation conversation_of(flow::Flow&& f);

}  // namespace sshpath::evidence
