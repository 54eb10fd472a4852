#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sshpath/facts/facts.h"
#include "sshpath/pair/match.h"
#include "sshpath/pair/vantage.h"
#include "sshpath/rules/rule_set.h"
#include "sshpath/verdict/verdict.h"

namespace sshpath::pair {

/// One capture of the pair: its log, its judged attempts (as the capture alone judges them) and
/// its own verdict (what answers when it holds no attempt).
struct Side {
    std::string file;
    const PacketLog* log = nullptr;
    std::vector<verdict::Attempt> attempts;
    std::vector<int> attempt_index;  ///< each attempt's index in the whole analysis
    verdict::Verdict capture_verdict;
    int deciding = -1;               ///< index into attempts of the one that answers for the capture, -1: none
};

/// Where each capture was taken and how that was found.
struct Places {
    bool swapped = false;             ///< the second file given is the client's
    Vantage far = Vantage::kVm;       ///< the other capture: vm or middle
    std::string found_by;             ///< given, packets or order
    std::string client_why, far_why;  ///< one sentence each
};

/// Decides whether two captures are a pair and which one is the client's: from the places given
/// (FILE@client, FILE@vm, FILE@middle) or found in the packets. nullopt when they are not a pair
/// (both the client's, or both the far end's): they are then read as one case. Throws
/// InputError for places given that cannot be (both client, both far, a middle without client).
std::optional<Places> place(const std::optional<Vantage>& given_a, const VantageFinding& found_a,
                            const std::optional<Vantage>& given_b, const VantageFinding& found_b);

/// One packet of a paired attempt, as a report shows it side by side.
struct PacketRow {
    bool from_client = true;
    std::uint64_t client_packet = 0, vm_packet = 0;   ///< 0: not in that capture
    double client_time = 0, vm_time = 0;              ///< seconds since each capture's start
    std::string what;      ///< "SYN", "SYN-ACK", "RST+ACK", "ACK", "data 33 bytes", "FIN+ACK"
    Fate fate = Fate::kBoth;
    std::string change;    ///< what changed between the ends besides the TTL, e.g. "MSS 1460 -> 1200"
    int ttl_drop = -1;     ///< TTL decrement between the ends, -1 when not seen at both
};

/// One attempt of the client's capture, paired with the far capture.
struct PairedAttempt {
    int client_attempt = -1;   ///< index in the whole analysis; -1: the client's capture holds no attempt
    int vm_attempt = -1;       ///< index in the whole analysis of the matched attempt; -1: none
    std::string client, server;              ///< as the client sees them
    std::string client_at_vm, server_at_vm;  ///< as the far capture sees them ("" when not matched)
    facts::FactSet facts{facts::Scope::kPair};
    verdict::Verdict verdict;
    std::vector<PacketRow> packets;
    std::uint64_t packets_omitted = 0;  ///< rows beyond the cap
};

/// Everything the pair shows.
struct PairAnalysis {
    std::string client_file, far_file;
    Places places;
    double clock_offset_s = 0;          ///< far clock minus client clock
    bool clock_offset_known = false;
    std::vector<PairedAttempt> attempts;
    int verdict_attempt = -1;           ///< index into attempts of the one that answers
};

/// Facts of other scopes for one connection (engine::FlowFactSource): what pair rules read as cloud.*.
using FlowFacts = std::function<std::vector<facts::FactSet>(const facts::FactSet& flow)>;

/// Matches the client's attempts with the far capture's, classifies their packets, fills each
/// pair's facts and applies the rules of scope pair. The pair verdict of the client's deciding
/// attempt (or, without any, of its capture) answers.
PairAnalysis judge(const Side& client, const Side& far, const Places& places, const rules::RuleSet& rules,
                   const FlowFacts& flow_facts, bool explain);

}  // namespace sshpath::pair
