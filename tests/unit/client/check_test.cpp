#include "sshpath/client/check.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fixture.h"
#include "sshpath/client/ruleset_parse.h"
#include "sshpath/core/error.h"

using namespace sshpath::client;
namespace F = sshpath::facts::client;

namespace {

// A check as run_check would leave it for a client whose iptables (the recorded fixture) drops
// the SYN to 203.0.113.8 port 22.
CheckResult dropped_check() {
    CheckResult r;
    r.host = "vm.example";
    r.machine = "client";
    r.time = "2026-01-01T00:00:00Z";
    r.ssh.hostname = "vm.example";
    r.ssh_ran = true;
    IpAddress server, source;
    IpAddress::parse("203.0.113.8", server);
    IpAddress::parse("198.51.100.10", source);
    r.resolution.name = "vm.example";
    r.resolution.resolved = true;
    r.resolution.v4 = r.resolution.ordered = {server};
    Route route;
    route.found = true;
    route.destination = server;
    route.interface = "eth0";
    route.source = source;
    r.routes = {route};
    parse_iptables_save(client_fixture("iptables-legacy.txt"), 4, "iptables-legacy", "iptables-legacy", r.ruleset);
    r.firewall_read = true;
    fw::Packet syn;
    syn.daddr = server;
    syn.saddr = source;
    syn.sport = {32768, 60999};
    syn.dport = {22, 22};
    syn.oif = {true, "eth0"};
    syn.iif = {true, ""};
    syn.uid = 1000;
    r.paths.push_back(fw::evaluate_path(r.ruleset, fw::Direction::kOut, syn, "out-syn", "the client's SYN"));
    add_findings(r);
    return r;
}

}  // namespace

TEST(ClientFactsTest, FactsOfAFirewallDrop) {
    const CheckResult r = dropped_check();
    const auto facts = client_fact_set(r);
    EXPECT_TRUE(facts.get(F::checked));
    EXPECT_EQ(facts.get(F::out_verdict), "drop");
    EXPECT_TRUE(facts.get(F::out_certain));
    EXPECT_EQ(facts.get(F::out_rule), "-A sshguard -j DROP");
    EXPECT_EQ(facts.get(F::out_rule_packets), 1);
    EXPECT_EQ(facts.get(F::out_rule_packets_during), -1) << "one reading: not measured";
    EXPECT_EQ(facts.get(F::out_remove_command), "iptables-legacy -t filter -D sshguard -j DROP");
    EXPECT_EQ(facts.get(F::first_address), "203.0.113.8");
    EXPECT_EQ(facts.get(F::reply_verdict), "") << "no reply path evaluated";
    ASSERT_EQ(facts.observations().size(), 1u);
    EXPECT_EQ(facts.observations()[0].what, "iptables-legacy filter sshguard rule 3: '-A sshguard -j DROP' [1 packets]");
    bool problem = false;
    for (const auto& f : r.findings) problem |= f.level == "problem" && f.area == "firewall";
    EXPECT_TRUE(problem);
}

TEST(ClientFactsTest, SavedCheckReadsBack) {
    const CheckResult r = dropped_check();
    const std::string json = to_json(r, R"({"cause": "local-firewall"})");
    auto doc = nlohmann::json::parse(json);
    EXPECT_EQ(doc["format"], "sshpath-client-check");
    EXPECT_EQ(doc["schema_version"], 1);
    EXPECT_EQ(doc["verdict"]["cause"], "local-firewall");
    const SavedCheck saved = read_saved_check(json, "check.json");
    EXPECT_EQ(saved.host, "vm.example");
    EXPECT_EQ(saved.machine, "client");
    const auto original = client_fact_set(r);
    for (const auto& spec : sshpath::facts::facts_of(sshpath::facts::Scope::kClient))
        EXPECT_EQ(saved.facts.get(spec), original.get(spec)) << spec.name;
    EXPECT_FALSE(saved.notes.empty());
    EXPECT_EQ(saved.notes[0].rfind("problem: ", 0), 0u) << saved.notes[0];
}

TEST(ClientFactsTest, SavedCheckErrors) {
    EXPECT_THROW(read_saved_check("{", "x.json"), sshpath::InputError);
    EXPECT_THROW(read_saved_check(R"({"format": "other"})", "x.json"), sshpath::InputError);
    EXPECT_THROW(read_saved_check(R"({"format": "sshpath-client-check", "schema_version": 2, "facts": []})", "x.json"), sshpath::InputError);
    EXPECT_THROW(read_saved_check(R"({"format": "sshpath-client-check", "schema_version": 1,
                                      "facts": [{"name": "out_verdict", "value": 3}]})", "x.json"), sshpath::InputError);
    // A fact a newer version added is left out.
    const SavedCheck s = read_saved_check(R"({"format": "sshpath-client-check", "schema_version": 1,
        "facts": [{"name": "from_the_future", "value": 1}, {"name": "out_verdict", "value": "drop"}]})", "x.json");
    EXPECT_EQ(s.facts.get(F::out_verdict), "drop");
}

TEST(ClientFactsTest, SameRuleAcrossTwoReadings) {
    CheckResult before = dropped_check();
    CheckResult after = before;
    after.paths[0].decided_by->packets = 5;
    EXPECT_EQ(same_rule_packets(before, after, "out-syn"), std::optional<std::uint64_t>(5));
    after.paths[0].decided_by->rule_text = "-A OUTPUT -j DROP";
    EXPECT_FALSE(same_rule_packets(before, after, "out-syn").has_value()) << "another rule decides now";
    EXPECT_FALSE(same_rule_packets(before, after, "in-reply").has_value());
}
