#include "sshpath/probe/decide.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "sshpath/core/contract.h"
#include "sshpath/probe/render.h"
#include "sshpath/rules/rule_set.h"

namespace sshpath::probe {
namespace {

IpAddress ip(const char* text) {
    IpAddress a;
    EXPECT_TRUE(IpAddress::parse(text, a)) << text;
    return a;
}

/// The lab's path: client 198.51.100.10 - [1] 198.51.100.1 (edge) - [2] 198.18.2.2 -
/// [3] 198.18.3.2 (cloud edge) - [4] 203.0.113.7 (the VM).
const char* const kHop[] = {"", "198.51.100.1", "198.18.2.2", "198.18.3.2", "203.0.113.7"};
constexpr const char* kVm = "203.0.113.7";

/// The rules of rules/: the probe's verdicts come from them, as in the installed program.
const rules::RuleSet& project_rules() {
    static const rules::RuleSet rules = rules::RuleSet::load(SSHPATH_SOURCE_DIR "/rules");
    return rules;
}

/// The segment a rule id names ("probe.silent-drop.edge.given" names edge), or "".
std::string segment_in_id(const std::string& id) {
    for (const char* s : {"organisation", "edge", "internet", "destination", "beyond-edge"})
        if (id.find(std::string(".") + s + ".") != std::string::npos || id.ends_with(std::string(".") + s)) return s;
    return "";
}

struct Answer {
    ReplyKind kind;
    const char* from;
    int ttl = 64;              ///< TTL the answer arrived with
    std::string icmp_kind = "";
};

class DecideTest : public ::testing::Test {
protected:
    DecideTest() {
        r_.target = kVm;
        r_.address = ip(kVm);
        r_.source = ip("198.51.100.10");
        r_.raw = true;
        r_.connect.ran = true;
        r_.connect.result = ConnectResult::kTimeout;
    }

    /// A trace probing TTL 1..max_ttl, one probe each; `answers` by TTL, silence otherwise.
    void trace(TraceRole role, int dport, int max_ttl, std::map<int, Answer> answers, const char* dst = kVm) {
        Trace t;
        t.role = role;
        t.destination = ip(dst);
        t.dport = dport;
        for (int ttl = role == TraceRole::kLastHop ? 64 : 1; ttl <= max_ttl; ++ttl) {
            Probe p;
            p.ttl = ttl;
            p.sent = 10.0 + ttl;
            p.packet = static_cast<std::size_t>(2 * ttl);
            if (auto it = answers.find(ttl); it != answers.end()) {
                p.reply.kind = it->second.kind;
                p.reply.from = ip(it->second.from);
                p.reply.ttl = it->second.ttl;
                p.reply.hops = hops_from_ttl(it->second.ttl);
                p.reply.time = p.sent + 0.001;
                p.reply.packet = p.packet + 1;
                p.reply.icmp_kind = it->second.icmp_kind;
            }
            t.hops.push_back(Hop{ttl, {p}});
        }
        r_.traces.push_back(t);
    }
    /// Routers 1..n answer time exceeded (their TTL as if they were n hops away).
    static std::map<int, Answer> routers(int n) {
        std::map<int, Answer> m;
        for (int i = 1; i <= n; ++i) m[i] = {ReplyKind::kTimeExceeded, kHop[i], 64 - (i - 1)};
        return m;
    }
    static std::map<int, Answer> plus(std::map<int, Answer> m, int ttl, Answer a) {
        m[ttl] = a;
        return m;
    }
    Decision run() {
        facts_ = observe(r_);
        r_.edge_hop = facts_.edge_hop;
        Decision d = decide(project_rules(), facts_, "probe.pcap", 10.0);
        const auto& v = d.verdict;
        EXPECT_FALSE(v.candidates.empty()) << v.rule;
        if (v.component != contract::Component::kUnknown) {
            EXPECT_EQ(v.candidates, std::vector<contract::Component>{v.component}) << v.rule;
        }
        EXPECT_FALSE(v.summary.empty());
        EXPECT_EQ(v.summary.find('{'), std::string::npos) << v.summary;
        EXPECT_FALSE(v.next_steps.empty());
        EXPECT_TRUE(v.rule.starts_with("probe.")) << v.rule;
        // A rule placed in a segment and the segment the report shows agree.
        if (const std::string seg = segment_in_id(v.rule); !seg.empty()) {
            EXPECT_EQ(segment_name(d.segment), seg) << v.rule;
        }
        return d;
    }
    ProbeResult r_;
    PathFacts facts_;
};

TEST_F(DecideTest, EdgeDropSpecificToThePort) {
    trace(TraceRole::kPort, 22, 6, routers(1));
    trace(TraceRole::kControl, 443, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 61}));
    const Decision d = run();
    EXPECT_EQ(contract::name(d.verdict.cause), "silent-drop");
    EXPECT_EQ(contract::name(d.verdict.component), "edge");
    EXPECT_EQ(contract::name(d.verdict.confidence), "medium");  // the edge hop is a guess
    EXPECT_EQ(d.verdict.rule, "probe.silent-drop.edge");
    EXPECT_EQ(d.segment, Segment::kEdge);
    EXPECT_EQ(d.drop_scope, "port-specific");
    EXPECT_EQ(d.last_seen_hop, 1);
    EXPECT_EQ(d.last_seen_address, "198.51.100.1");
    EXPECT_EQ(facts_.destination_hop, 4);
    EXPECT_EQ(d.verdict.summary,
              "SYNs to port 22 were last seen at hop 1 (198.51.100.1), nothing answered beyond it (drop scope: "
              "port-specific): dropped at the organisation's edge");
    // Cited: the last time exceeded, the first silent probe, the control port's answer.
    ASSERT_EQ(d.verdict.evidence.size(), 3u);
    EXPECT_EQ(d.verdict.evidence[0].packet, 3u);
    EXPECT_EQ(d.verdict.evidence[0].file, "probe.pcap");
    EXPECT_NEAR(d.verdict.evidence[0].time, 1.001, 1e-9);
    EXPECT_EQ(d.verdict.evidence[1].what, "SYN to port 22 with TTL 2: no answer");
    EXPECT_EQ(d.verdict.evidence[2].what, "control port 443: RST from 203.0.113.7 at hop 4");
}

TEST_F(DecideTest, FillsTheProbeFactsWithTheirPackets) {
    trace(TraceRole::kPort, 22, 6, routers(1));
    trace(TraceRole::kControl, 443, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 61}));
    const facts::FactSet fs = probe_facts(observe(r_), 10.0);
    namespace P = facts::probe;
    EXPECT_EQ(fs.scope(), facts::Scope::kProbe);
    EXPECT_EQ(fs.get(P::destination), kVm);
    EXPECT_TRUE(fs.get(P::ttl_probes));
    EXPECT_EQ(fs.get(P::port_answer), "none");
    EXPECT_EQ(fs.get(P::last_seen_hop), 1);
    EXPECT_EQ(fs.get(P::last_seen_segment), "edge");
    EXPECT_EQ(fs.get(P::first_silent_ttl), 2);
    EXPECT_EQ(fs.get(P::control_reach_hop), 4);
    EXPECT_EQ(fs.get(P::drop_scope), "port-specific");
    EXPECT_EQ(fs.get(P::destination_hop), 4);
    EXPECT_EQ(fs.get(P::destination_hops), 3);
    EXPECT_EQ(fs.get(P::edge_hop_source), "guessed");
    EXPECT_EQ(fs.get(P::port_answer_sender_hop), -1);  // nothing answered
    ASSERT_EQ(fs.observations().size(), 3u);
    EXPECT_EQ(fs.observations()[0].fact, P::last_seen_hop.index);
    EXPECT_EQ(fs.observations()[0].packet, 3u);
}

TEST_F(DecideTest, WithoutAControlTraceTheDropScopeIsUntested) {
    trace(TraceRole::kPort, 22, 6, routers(1));
    const Decision d = run();
    EXPECT_EQ(d.verdict.rule, "probe.silent-drop.edge");
    EXPECT_EQ(d.drop_scope, "");
    EXPECT_NE(d.verdict.summary.find("(drop scope: untested)"), std::string::npos) << d.verdict.summary;
}

TEST_F(DecideTest, ResetFromTheConnectTestIsPlacedAtItsOwnHop) {
    r_.connect.result = ConnectResult::kConnected;
    r_.connect.banner_outcome = BannerOutcome::kReset;
    r_.connect.synack_hops = 3;
    r_.connect.rst_hops = 2;
    trace(TraceRole::kPort, 22, 4, plus(routers(3), 4, {ReplyKind::kSynAck, kVm, 61}));
    const Decision d = run();
    EXPECT_EQ(d.verdict.rule, "probe.forged-reset.after-connect.destination");
    EXPECT_EQ(d.blamed_hop, 3);
    EXPECT_EQ(contract::names(d.verdict.candidates), (std::vector<std::string>{"path", "edge"}));
    EXPECT_EQ(d.last_seen_hop, 4);  // the SYN-ACK came from the host itself
}

TEST_F(DecideTest, WithoutProbeRulesNoRuleDecides) {
    const rules::RuleSet none = rules::RuleSet::from_sources({});
    trace(TraceRole::kPort, 22, 6, routers(1));
    const Decision d = decide(none, observe(r_), "", 10.0);
    EXPECT_EQ(d.verdict.rule, "");
    EXPECT_EQ(contract::name(d.verdict.cause), "unknown");
    EXPECT_EQ(d.segment, Segment::kUnknown);
}

TEST_F(DecideTest, EdgeGivenOnTheCommandLineMakesItCertain) {
    r_.edge_hop = 1;
    r_.edge_hop_given = true;
    trace(TraceRole::kPort, 22, 6, routers(1));
    trace(TraceRole::kControl, 443, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 61}));
    const Decision d = run();
    EXPECT_EQ(contract::name(d.verdict.confidence), "high");
    EXPECT_EQ(d.verdict.rule, "probe.silent-drop.edge.given");
    EXPECT_NE(d.verdict.explanation.find("Hop 1 is the edge, as --edge-hop says."), std::string::npos) << d.verdict.explanation;
}

TEST_F(DecideTest, DropBetweenTheLastRouterAndTheHostIsAtTheDestination) {
    trace(TraceRole::kPort, 22, 8, routers(3));
    trace(TraceRole::kControl, 443, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 61}));
    const Decision d = run();
    EXPECT_EQ(contract::name(d.verdict.cause), "silent-drop");
    EXPECT_EQ(contract::name(d.verdict.component), "unknown");
    EXPECT_EQ(contract::names(d.verdict.candidates), (std::vector<std::string>{"nsg", "acl", "vm"}));
    EXPECT_EQ(d.segment, Segment::kDestination);
    EXPECT_EQ(d.last_seen_hop, 3);
    EXPECT_EQ(d.drop_scope, "port-specific");
}

TEST_F(DecideTest, DropInTheMiddleIsBetweenEdgeAndCloud) {
    trace(TraceRole::kPort, 22, 7, routers(2));
    trace(TraceRole::kControl, 443, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 61}));
    const Decision d = run();
    EXPECT_EQ(d.segment, Segment::kInternet);
    EXPECT_EQ(contract::names(d.verdict.candidates), (std::vector<std::string>{"path", "acl"}));
}

TEST_F(DecideTest, HostWideDropWithTheDestinationDistanceUnknown) {
    trace(TraceRole::kPort, 22, 8, routers(3));
    trace(TraceRole::kControl, 443, 8, routers(3));
    const Decision d = run();
    EXPECT_EQ(d.segment, Segment::kBeyondEdge);
    EXPECT_EQ(d.drop_scope, "host-wide");
    EXPECT_EQ(contract::name(d.verdict.confidence), "low");
    EXPECT_EQ(contract::names(d.verdict.candidates), (std::vector<std::string>{"acl", "nsg", "vm", "path"}));
}

TEST_F(DecideTest, NothingAnsweredAtAllIsBeforeTheEdge) {
    trace(TraceRole::kPort, 22, 5, {});
    trace(TraceRole::kControl, 443, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 61}));
    const Decision d = run();
    EXPECT_EQ(d.segment, Segment::kOrganisation);
    EXPECT_EQ(contract::names(d.verdict.candidates), (std::vector<std::string>{"client", "edge"}));
    EXPECT_EQ(d.last_seen_hop, 0);
    EXPECT_EQ(d.verdict.rule, "probe.silent-drop.organisation.no-answer");
}

TEST_F(DecideTest, OnLinkDestinationDropsItsOwnPort) {
    // No router in between: the destination answers the control port at TTL 1.
    const char* host = "198.18.9.7";
    r_.target = host;
    r_.address = ip(host);
    trace(TraceRole::kPort, 22, 5, {}, host);
    trace(TraceRole::kControl, 443, 1, {{1, {ReplyKind::kRst, host, 64}}}, host);
    const Decision d = run();
    EXPECT_EQ(d.verdict.rule, "probe.silent-drop.destination.on-link");
    EXPECT_EQ(contract::names(d.verdict.candidates), (std::vector<std::string>{"vm", "nsg"}));
    EXPECT_EQ(d.segment, Segment::kDestination);
    EXPECT_EQ(d.destination_hop, 1);
    EXPECT_EQ(segment_of(0, 1, 1), Segment::kDestination);
    // The diagram ends at the destination: the TTLs probed past it are not hops.
    const std::string diagram = nlohmann::json::parse(render_json(r_, d, "0.0.0"))["probe"]["diagram"];
    EXPECT_NE(diagram.find("[1] 198.18.9.7 (destination)"), std::string::npos) << diagram;
    EXPECT_EQ(diagram.find("[2"), std::string::npos) << diagram;
}

TEST_F(DecideTest, SynsThatNeverLeftTheClientAreItsFirewall) {
    trace(TraceRole::kPort, 22, 5, {});
    for (auto& h : r_.traces.back().hops)
        for (auto& p : h.probes) p.packet = 0;  // not in the capture: stopped before it
    trace(TraceRole::kControl, 443, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 61}));
    const Decision d = run();
    EXPECT_EQ(d.verdict.rule, "probe.local-firewall.syn-never-left");
    EXPECT_EQ(contract::name(d.verdict.component), "client");
    EXPECT_EQ(d.segment, Segment::kNone);
}

TEST_F(DecideTest, GuessesTheEdgeAsTheLastPrivateHop) {
    const char* path[] = {"", "192.168.1.1", "10.0.0.1", "198.18.2.2"};
    std::map<int, Answer> m;
    for (int i = 1; i <= 3; ++i) m[i] = {ReplyKind::kTimeExceeded, path[i]};
    trace(TraceRole::kPort, 22, 7, m);
    const Decision d = run();
    EXPECT_EQ(facts_.edge_hop, 2);
    EXPECT_EQ(d.segment, Segment::kBeyondEdge);
    EXPECT_EQ(segment_of(1, 2, -1), Segment::kOrganisation);
    EXPECT_EQ(segment_of(2, 2, -1), Segment::kEdge);
    EXPECT_EQ(segment_of(3, 2, 6), Segment::kInternet);
    EXPECT_EQ(segment_of(5, 2, 6), Segment::kDestination);
}

TEST_F(DecideTest, ResetFromNearerThanTheHostIsForged) {
    r_.connect.result = ConnectResult::kRefused;
    trace(TraceRole::kPort, 22, 2, plus(routers(1), 2, {ReplyKind::kRst, kVm, 64}));
    trace(TraceRole::kControl, 443, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 61}));
    const Decision d = run();
    EXPECT_EQ(contract::name(d.verdict.cause), "forged-reset");
    EXPECT_EQ(contract::name(d.verdict.component), "edge");
    EXPECT_EQ(d.verdict.rule, "probe.forged-reset.syn.edge");
    EXPECT_EQ(d.blamed_hop, 1);
    EXPECT_EQ(d.last_seen_hop, 1);
}

TEST_F(DecideTest, ResetForgedNearTheCloudNamesTheCloudSide) {
    r_.connect.result = ConnectResult::kRefused;
    trace(TraceRole::kPort, 22, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 62}));
    trace(TraceRole::kControl, 443, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 61}));
    const Decision d = run();
    EXPECT_EQ(contract::name(d.verdict.cause), "forged-reset");
    EXPECT_EQ(d.segment, Segment::kDestination);
    EXPECT_EQ(contract::names(d.verdict.candidates), (std::vector<std::string>{"path", "edge"}));
}

TEST_F(DecideTest, ResetWithoutAControlIsJudgedByItsOwnTtl) {
    r_.connect.result = ConnectResult::kRefused;
    trace(TraceRole::kPort, 22, 2, plus(routers(1), 2, {ReplyKind::kRst, kVm, 64}));
    const Decision d = run();
    EXPECT_EQ(contract::name(d.verdict.cause), "forged-reset");
    EXPECT_EQ(d.blamed_hop, 1);
}

TEST_F(DecideTest, ShorterWayBackIsNoForgeryWhenTheHostAnswersTheSameWay) {
    r_.connect.result = ConnectResult::kRefused;
    trace(TraceRole::kPort, 22, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 62}));
    trace(TraceRole::kControl, 443, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 62}));
    EXPECT_EQ(contract::name(run().verdict.cause), "port-closed");
}

TEST_F(DecideTest, ResetFromTheHostItselfIsPortClosed) {
    r_.connect.result = ConnectResult::kRefused;
    trace(TraceRole::kPort, 22, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 61}));
    trace(TraceRole::kControl, 443, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 61}));
    const Decision d = run();
    EXPECT_EQ(contract::name(d.verdict.cause), "port-closed");
    EXPECT_EQ(contract::name(d.verdict.component), "vm");
    EXPECT_EQ(d.segment, Segment::kDestination);
    EXPECT_EQ(d.last_seen_hop, 4);
}

TEST_F(DecideTest, IcmpRejectFromTheEdgeRouter) {
    r_.connect.result = ConnectResult::kUnreachable;
    trace(TraceRole::kPort, 22, 2, plus(routers(1), 2, {ReplyKind::kUnreachable, kHop[1], 64, "admin-prohibited"}));
    trace(TraceRole::kControl, 443, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 61}));
    const Decision d = run();
    EXPECT_EQ(contract::name(d.verdict.cause), "icmp-reject");
    EXPECT_EQ(contract::name(d.verdict.component), "edge");
    EXPECT_EQ(d.blamed_hop, 1);
}

TEST_F(DecideTest, HostUnreachableFromTheLastRouterSaysTheHostIsDown) {
    trace(TraceRole::kPort, 22, 4, plus(routers(3), 4, {ReplyKind::kUnreachable, "203.0.113.1", 62, "host-unreachable"}));
    trace(TraceRole::kControl, 443, 4, plus(routers(3), 4, {ReplyKind::kUnreachable, "203.0.113.1", 62, "host-unreachable"}));
    const Decision d = run();
    EXPECT_EQ(contract::name(d.verdict.cause), "icmp-reject");
    EXPECT_EQ(d.verdict.rule, "probe.icmp-reject.unreachable");
    EXPECT_EQ(contract::names(d.verdict.candidates), (std::vector<std::string>{"vm", "path"}));
    EXPECT_EQ(d.blamed_hop, 3);
}

TEST_F(DecideTest, IcmpRejectFromTheHostIsItsGuestFirewall) {
    r_.connect.result = ConnectResult::kRefused;
    trace(TraceRole::kPort, 22, 4, plus(routers(3), 4, {ReplyKind::kUnreachable, kVm, 61, "port-unreachable"}));
    const Decision d = run();
    EXPECT_EQ(contract::name(d.verdict.cause), "icmp-reject");
    EXPECT_EQ(contract::name(d.verdict.component), "vm");
}

TEST_F(DecideTest, HealthyPathIsOk) {
    r_.connect.result = ConnectResult::kConnected;
    r_.connect.banner_outcome = BannerOutcome::kSsh;
    r_.connect.banner = "SSH-2.0-OpenSSH_9.2p1";
    r_.connect.after_banner = AfterBanner::kData;
    trace(TraceRole::kPort, 22, 4, plus(routers(3), 4, {ReplyKind::kSynAck, kVm, 61}));
    const Decision d = run();
    EXPECT_EQ(contract::name(d.verdict.cause), "ok");
    EXPECT_EQ(contract::name(d.verdict.component), "none");
    EXPECT_EQ(d.segment, Segment::kNone);
    EXPECT_NE(d.verdict.summary.find("SSH-2.0-OpenSSH_9.2p1"), std::string::npos);
}

TEST_F(DecideTest, BannerProblemsBlameTheVm) {
    r_.connect.result = ConnectResult::kConnected;
    const std::pair<BannerOutcome, const char*> cases[] = {{BannerOutcome::kTimeout, "banner-timeout"},
                                                           {BannerOutcome::kClosed, "closed-before-banner"},
                                                           {BannerOutcome::kReset, "closed-before-banner"},
                                                           {BannerOutcome::kNotSsh, "not-ssh"}};
    for (const auto& [outcome, cause] : cases) {
        SCOPED_TRACE(std::string(banner_outcome_name(outcome)));
        r_.connect.banner_outcome = outcome;
        const Decision d = run();
        EXPECT_EQ(contract::name(d.verdict.cause), cause);
        EXPECT_EQ(contract::name(d.verdict.component), "vm");
    }
}

TEST_F(DecideTest, ResetWithAnotherHopDistanceThanTheSynAckIsForged) {
    r_.connect.result = ConnectResult::kConnected;
    r_.connect.banner_outcome = BannerOutcome::kSsh;
    r_.connect.after_banner = AfterBanner::kReset;
    r_.connect.synack_hops = 3;
    r_.connect.synack_packet = 2;
    r_.connect.rst_hops = 0;
    r_.connect.rst_packet = 5;
    const Decision d = run();
    EXPECT_EQ(contract::name(d.verdict.cause), "forged-reset");
    EXPECT_EQ(contract::name(d.verdict.component), "edge");
    EXPECT_EQ(d.verdict.rule, "probe.forged-reset.after-connect.edge");
    r_.connect.rst_hops = 3;
    EXPECT_EQ(contract::name(run().verdict.cause), "kex-failed");
}

TEST_F(DecideTest, SynAckToTheProbesButNotToTheKernelIsTheLocalFirewall) {
    trace(TraceRole::kPort, 22, 4, plus(routers(3), 4, {ReplyKind::kSynAck, kVm, 61}));
    const Decision d = run();
    EXPECT_EQ(contract::name(d.verdict.cause), "local-firewall");
    EXPECT_EQ(contract::name(d.verdict.component), "client");
}

TEST_F(DecideTest, WithoutTtlProbesTheConnectTestDecides) {
    r_.raw = false;
    const std::pair<ConnectResult, const char*> cases[] = {{ConnectResult::kTimeout, "silent-drop"},
                                                           {ConnectResult::kRefused, "port-closed"},
                                                           {ConnectResult::kUnreachable, "icmp-reject"},
                                                           {ConnectResult::kError, "unknown"}};
    for (const auto& [result, cause] : cases) {
        SCOPED_TRACE(std::string(connect_result_name(result)));
        r_.connect.result = result;
        const Decision d = run();
        EXPECT_EQ(contract::name(d.verdict.cause), cause);
        EXPECT_EQ(contract::name(d.verdict.component), "unknown");
        EXPECT_EQ(d.segment, Segment::kUnknown);
    }
}

TEST_F(DecideTest, ReportsRenderInTheContractWords) {
    trace(TraceRole::kPort, 22, 6, routers(1));
    trace(TraceRole::kControl, 443, 4, plus(routers(3), 4, {ReplyKind::kRst, kVm, 61}));
    trace(TraceRole::kLastHop, 22, 64, {{64, {ReplyKind::kRst, kHop[1], 64}}}, kHop[1]);
    const Decision d = run();
    const auto j = nlohmann::json::parse(render_json(r_, d, "0.0.0"));
    EXPECT_EQ(j["schema_version"], 1);
    EXPECT_EQ(j["verdict"]["cause"], "silent-drop");
    EXPECT_EQ(j["verdict"]["component"], "edge");
    EXPECT_TRUE(j["verdict"]["candidates"].is_array());
    EXPECT_EQ(j["verdict"]["rule"], "probe.silent-drop.edge");
    EXPECT_EQ(j["probe"]["segment"], "edge");
    EXPECT_EQ(j["probe"]["last_seen_hop"], 1);
    EXPECT_EQ(j["probe"]["traces"].size(), 3u);
    EXPECT_EQ(j["probe"]["traces"][2]["role"], "last-hop");
    const std::string text = render_text(r_, d, "0.0.0");
    EXPECT_NE(text.find("VERDICT     silent-drop (confidence medium)"), std::string::npos) << text;
    EXPECT_NE(text.find("segment     edge: at the organisation's edge"), std::string::npos) << text;
    EXPECT_NE(text.find("X-- port 22 dropped after this"), std::string::npos) << text;
    // docs/probe.md shows these lines.
    EXPECT_NE(text.find("summary     SYNs to port 22 were last seen at hop 1 (198.51.100.1), nothing answered beyond it "
                        "(drop scope: port-specific): dropped at the organisation's edge\nrule        probe.silent-drop.edge\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("#9            4.001 s  control port 443: RST from 203.0.113.7 at hop 4"), std::string::npos) << text;
    EXPECT_NE(text.find("[4] 203.0.113.7 (destination)"), std::string::npos) << text;
    const std::string md = render_markdown(r_, d, "0.0.0");
    EXPECT_NE(md.find("| cause | `silent-drop` |"), std::string::npos) << md;
}

TEST_F(DecideTest, ListsMiddleboxChangesAtTheHopThatFirstShowsThem) {
    std::map<int, Answer> m = routers(3);
    trace(TraceRole::kPort, 22, 4, plus(m, 4, {ReplyKind::kSynAck, kVm, 61}));
    for (auto& h : r_.traces[0].hops)
        for (auto& p : h.probes)
            if (p.reply.kind == ReplyKind::kTimeExceeded) {
                p.reply.quote_full = true;
                if (p.ttl == 3) p.reply.changes = {{"mss", "1460", "1200"}};
            }
    const auto changes = changes_by_hop(r_);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].field, "mss");
    EXPECT_EQ(changes[0].hop, 3);
    EXPECT_EQ(changes[0].address, "198.18.3.2");
    EXPECT_EQ(changes[0].previous_hop, 2);
    EXPECT_EQ(changes[0].previous_address, "198.18.2.2");
}

}  // namespace
}  // namespace sshpath::probe
