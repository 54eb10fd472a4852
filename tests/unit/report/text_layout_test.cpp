#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "sshpath/engine/analyzer.h"
#include "sshpath/report/report.h"

using namespace sshpath;

namespace {

std::vector<std::string> rows(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

}  // namespace

TEST(TextLayoutTest, TextReportFitsTheWidthButForQuotes) {
    const std::string capture = std::string(SSHPATH_SOURCE_DIR) + "/captures/closed-after-banners.pcap";
    if (!std::filesystem::exists(capture)) GTEST_SKIP() << "capture not recorded";
    const rules::RuleSet rules = rules::RuleSet::load(std::string(SSHPATH_SOURCE_DIR) + "/rules");
    const engine::Analysis analysis = engine::analyze({capture}, engine::AnalyzeOptions{}, rules);
    report::ReportOptions o;
    o.version = "test";
    for (std::size_t width : {60u, 80u, 100u}) {
        o.width = width;
        std::size_t longest = 0;
        for (const auto& r : rows(report::render_text(analysis, o))) {
            longest = std::max(longest, r.size());
            // Over the width only a packet quote, a command to copy ('...') on its own row, or one
            // word that has no place to break (the capture's path, as long as the checkout's
            // directory makes it).
            const std::size_t text = r.find_first_not_of(' ');
            const bool one_word = text != std::string::npos && r.find(' ', text) == std::string::npos;
            if (r.size() > width && !one_word) {
                EXPECT_TRUE(r.find('"') != std::string::npos || r[text] == '\'' || r.compare(text, 2, "('") == 0) << width << ": " << r;
            }
        }
        EXPECT_GT(longest, width - 20) << "the rows use the width";
    }
}

TEST(TextLayoutTest, ColourMarksVerdictConfidenceAndEvidenceOnlyWhenAsked) {
    const std::string capture = std::string(SSHPATH_SOURCE_DIR) + "/captures/edge-silent-drop.pcap";
    if (!std::filesystem::exists(capture)) GTEST_SKIP() << "capture not recorded";
    const rules::RuleSet rules = rules::RuleSet::load(std::string(SSHPATH_SOURCE_DIR) + "/rules");
    const engine::Analysis analysis = engine::analyze({capture}, engine::AnalyzeOptions{}, rules);
    report::ReportOptions o;
    o.version = "test";
    EXPECT_EQ(report::render_text(analysis, o).find('\033'), std::string::npos);
    o.colour = true;
    const std::string text = report::render_text(analysis, o);
    EXPECT_NE(text.find("\033[1mVERDICT\033[0m     \033[1;31msilent-drop\033[0m (confidence \033[33mmedium\033[0m)"),
              std::string::npos);
    EXPECT_NE(text.find("  \033[36m#3\033[0m          0.000 s  SYN from"), std::string::npos);
}
