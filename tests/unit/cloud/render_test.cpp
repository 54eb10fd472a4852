#include "sshpath/cloud/render.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

}  // namespace
}  // namespace sshpath::cloud
