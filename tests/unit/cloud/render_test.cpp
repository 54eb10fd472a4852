#include "sshpath/cloud/render.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "sshpath/cloud/evaluate.h"
#include "sshpath/cloud/load.h"

namespace sshpath::cloud {
namespace {

Decision decide(const std::vector<std::string>& files, const char* from, const char* to) {
    std::vector<std::string> paths;
    for (const auto& f : files) paths.push_back(std::string(SSHPATH_SOURCE_DIR) + "/tests/fixtures/cloud/" + f);
    Flow flow;
    parse_endpoint(from, flow.source, flow.source_port);
    parse_endpoint(to, flow.destination, flow.destination_port);
    return evaluate(load_files(paths), flow, Context{});
}

FactValue value(const std::vector<Fact>& facts, std::string_view name) {
    for (const auto& f : facts)
        if (f.name == name) return f.value;
    ADD_FAILURE() << "no fact " << name;
    return false;
}

class RenderTest : public ::testing::Test {};

TEST_F(RenderTest, TextReadsLikeIpFlowVerify) {
    const std::string out = render_text(decide({"azure-nsg-show.json", "azure-nsg-nic.json"}, "198.51.100.150", "10.0.1.4:22"));
    EXPECT_EQ(out.rfind("Access: Deny\nRule: DenyAllInBound (priority 65500, default rule)\n", 0), 0u) << out;
    EXPECT_NE(out.find("  in network security group nsg-nic (NIC level), file "), std::string::npos);
    EXPECT_NE(out.find("  1. network security group nsg-web (subnet level): allow by AllowSSHOffice (priority 200)\n"), std::string::npos);
    EXPECT_NE(out.find("  2. network security group nsg-nic (NIC level): deny by DenyAllInBound (priority 65500, default rule)\n"),
              std::string::npos);
    EXPECT_NE(out.find("To let it through:\n  az network nsg rule create --resource-group rg-ssh --nsg-name nsg-nic "), std::string::npos);
}

TEST_F(RenderTest, JsonHoldsTheDecisionAndTheFacts) {
    const auto j = nlohmann::json::parse(render_json(decide({"azure-nsg-show.json"}, "203.0.113.9", "10.0.1.4:22"), "9.9"));
    EXPECT_EQ(j["access"], "deny");
    EXPECT_EQ(j["rule_name"], "DenySSHFromBlocked");
    EXPECT_EQ(j["rule"]["priority"], 100);
    EXPECT_EQ(j["rule"]["table"], "nsg-web");
    EXPECT_EQ(j["rule"]["level"], "subnet");
    EXPECT_EQ(j["next"][0]["name"], "DenyInternetSSH");
    EXPECT_EQ(j["flow"]["destination_port"], 22);
    EXPECT_EQ(j["flow"]["source_port"], -1);
    EXPECT_TRUE(j["return_path"].is_null());
    EXPECT_EQ(j["facts"]["access"], "deny");
    EXPECT_EQ(j["facts"]["rule_priority"], 100);
    EXPECT_EQ(j["facts"]["component"], "nsg");
    EXPECT_EQ(j["sshpath_version"], "9.9");
}

TEST_F(RenderTest, FactsHaveUniqueDocumentedNames) {
    const auto facts_of = facts(Decision{});
    std::set<std::string_view> names;
    for (const auto& f : facts_of) {
        EXPECT_EQ(f.name.find('.'), std::string_view::npos) << f.name;
        EXPECT_TRUE(names.insert(f.name).second) << "twice: " << f.name;
        EXPECT_FALSE(f.description.empty()) << f.name;
        const std::set<std::string_view> types = {"bool", "int", "real", "string"};
        EXPECT_TRUE(types.count(f.type)) << f.name;
    }
    // Nothing evaluated: every fact holds its unset value.
    EXPECT_EQ(std::get<bool>(value(facts_of, "rules_loaded")), false);
    EXPECT_EQ(std::get<std::int64_t>(value(facts_of, "rule_priority")), -1);
    EXPECT_EQ(std::get<std::string>(value(facts_of, "access")), "");
}

TEST_F(RenderTest, FactsOfAReturnPathAndAnEndpoint) {
    const auto aws = facts(decide({"aws-security-groups.json", "aws-network-acls.json"}, "198.51.100.10", "10.1.0.5:22"));
    EXPECT_EQ(std::get<std::string>(value(aws, "access")), "allow");
    EXPECT_EQ(std::get<std::string>(value(aws, "return_access")), "partial");
    EXPECT_EQ(std::get<std::string>(value(aws, "return_denied_ports")), "1024-32767");
    EXPECT_EQ(std::get<std::int64_t>(value(aws, "layers")), 2);
    const auto classic = facts(decide({"classic-endpoints.json"}, "198.51.100.70", "203.0.113.50:22"));
    EXPECT_EQ(std::get<std::string>(value(classic, "component")), "acl");
    EXPECT_EQ(std::get<std::string>(value(classic, "rule")), "100");
    EXPECT_EQ(std::get<bool>(value(classic, "endpoint_port_mismatch")), true);
    EXPECT_EQ(std::get<std::int64_t>(value(classic, "endpoint_private_port")), 2222);
    EXPECT_EQ(std::get<std::string>(value(classic, "next_rule")), "200 (allow)");
}

}  // namespace
}  // namespace sshpath::cloud
