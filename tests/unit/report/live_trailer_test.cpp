// The Live capture part of `capture` and `run` reports, rendered by each writer.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "sshpath/report/live.h"
#include "sshpath/report/report.h"

using namespace sshpath;

namespace {

class LiveTrailerTest : public ::testing::Test {
protected:
    void SetUp() override {
        const std::string capture = std::string(SSHPATH_SOURCE_DIR) + "/captures/edge-silent-drop.pcap";
        if (!std::filesystem::exists(capture)) GTEST_SKIP() << "capture not recorded";
        rules_ = rules::RuleSet::load(std::string(SSHPATH_SOURCE_DIR) + "/rules");
        analysis_ = engine::analyze({capture}, engine::AnalyzeOptions{}, rules_);
        trailer_.command = "run";
        trailer_.interface = "eth0";
        trailer_.filter = "(tcp and (host 203.0.113.7)) or (vlan and ...)";
        trailer_.shown_filter = "(tcp and (host 203.0.113.7)) (also behind one or two VLAN tags)";
        trailer_.host = "vm.example";
        trailer_.addresses = {"203.0.113.7"};
        trailer_.resolved = true;
        trailer_.notes = {"a note"};
        trailer_.started = "2024-05-01T12:00:00Z";
        trailer_.duration_s = 4.0004;
        trailer_.stopped_by = engine::StoppedBy::kUntilVerdict;
        trailer_.grace_s = 0.5;
        trailer_.packets = 5;
        trailer_.kernel_drops = 1;
        trailer_.privileges = "root only to open the capture, then uid 65534 (nobody)";
        trailer_.capture_file = report::LiveCaptureFile{"case file.pcapng", capture::DumpFormat::kPcapng, 5, ""};
        trailer_.run = report::LiveRun{{"ssh", "alice@vm.example"}, 255, "ssh: connect to host vm.example port 22: Connection timed out",
                                       "timed-out"};
        options_.version = "test";
        options_.live = &trailer_;
        options_.width = 0;  // the rows as written; wrapping is TerminalTest's
    }
    rules::RuleSet rules_;
    engine::Analysis analysis_;
    report::LiveTrailer trailer_;
    report::ReportOptions options_;
};

TEST_F(LiveTrailerTest, JsonEndsWithTheCaptureFileAndLive) {
    const auto j = nlohmann::ordered_json::parse(report::render_json(analysis_, options_));
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"schema_version", "sshpath_version", "verdict", "flows", "captures", "warnings",
                                              "capture_file", "live"}));
    EXPECT_EQ(j["capture_file"], "case file.pcapng");
    const auto& l = j["live"];
    std::vector<std::string> live_keys;
    for (const auto& [k, v] : l.items()) live_keys.push_back(k);
    EXPECT_EQ(live_keys, (std::vector<std::string>{"command", "interface", "filter", "host", "addresses", "port", "notes", "started",
                                                   "duration_s", "stopped_by", "grace_s", "packets", "kernel_drops", "interface_drops",
                                                   "privileges", "capture_file", "run"}));
    EXPECT_EQ(l["stopped_by"], "until-verdict");
    EXPECT_EQ(l["duration_s"], 4.0);
    EXPECT_EQ(l["filter"], trailer_.filter);
    EXPECT_EQ(l["capture_file"]["format"], "pcapng");
    EXPECT_EQ(l["run"]["exit_status"], 255);
    EXPECT_EQ(l["run"]["client_error_kind"], "timed-out");
}

TEST_F(LiveTrailerTest, CaptureHasNoRunAndNoFile) {
    trailer_.command = "capture";
    trailer_.run.reset();
    trailer_.capture_file.reset();
    trailer_.stopped_by = engine::StoppedBy::kInterrupt;
    const auto j = nlohmann::json::parse(report::render_json(analysis_, options_));
    EXPECT_FALSE(j.contains("capture_file"));
    EXPECT_FALSE(j["live"].contains("run"));
    EXPECT_EQ(j["live"]["stopped_by"], "interrupt");
    EXPECT_NE(report::render_text(analysis_, options_).find("  stopped by  SIGINT, after 4.000 s: 5 packets, 1 dropped by the kernel\n"),
              std::string::npos);
}

TEST_F(LiveTrailerTest, TextAndMarkdownEndWithTheLiveCapture) {
    const std::string text = report::render_text(analysis_, options_);
    const auto at = text.find("\nLive capture\n");
    ASSERT_NE(at, std::string::npos);
    const std::string tail = text.substr(at);
    EXPECT_NE(tail.find("  command     ssh alice@vm.example (exit status 255)\n"), std::string::npos) << tail;
    EXPECT_NE(tail.find("  it said     ssh: connect to host vm.example port 22: Connection timed out [timed-out]\n"), std::string::npos);
    EXPECT_NE(tail.find("  host        vm.example = 203.0.113.7\n"), std::string::npos);
    EXPECT_NE(tail.find("  stopped by  --until-verdict (+0.5 s grace), after 4.000 s: 5 packets, 1 dropped by the kernel\n"),
              std::string::npos);
    EXPECT_NE(tail.find("  saved to    case file.pcapng (pcapng, 5 packets): 'sshpath analyze 'case file.pcapng'' analyses it again\n"),
              std::string::npos);
    const std::string md = report::render_markdown(analysis_, options_);
    EXPECT_NE(md.find("\n## Live capture\n\n- **command**: ssh alice@vm.example (exit status 255)\n"), std::string::npos);
}

TEST(StoppedByTest, EveryReasonHasItsWords) {
    using engine::StoppedBy;
    EXPECT_EQ(engine::stopped_by_name(StoppedBy::kCommandExit), "command-exit");
    EXPECT_EQ(engine::stopped_by_name(StoppedBy::kTerminate), "terminate");
    EXPECT_EQ(report::stopped_by_words(StoppedBy::kTerminate, true, 0.5), "SIGTERM (passed to the command)");
    EXPECT_EQ(report::stopped_by_words(StoppedBy::kCommandExit, true, 1), "the command ended (+1 s grace)");
    EXPECT_EQ(report::stopped_by_words(StoppedBy::kError, false, 0.5), "a capture error");
    EXPECT_EQ(report::shell_join({"ssh", "-o", "ProxyCommand=nc %h %p", "it's"}), "ssh -o 'ProxyCommand=nc %h %p' 'it'\\''s'");
}

}  // namespace
