#include "sshpath/report/terminal.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "sshpath/engine/analyzer.h"
#include "sshpath/report/report.h"

using namespace sshpath;
using report::Colour;

namespace {

std::vector<std::string> rows(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

}  // namespace

TEST(TerminalTest, DisplayWidthSkipsColourAndCountsCodePoints) {
    EXPECT_EQ(report::display_width("abc"), 3u);
    EXPECT_EQ(report::display_width(report::paint("abc", Colour::kBoldRed, true)), 3u);
    EXPECT_EQ(report::display_width("d\xc3\xa9j\xc3\xa0"), 4u);  // "déjà"
}

TEST(TerminalTest, PaintOnlyWhenAsked) {
    EXPECT_EQ(report::paint("ok", Colour::kGreen, false), "ok");
    EXPECT_EQ(report::paint("ok", Colour::kGreen, true), "\033[32mok\033[0m");
}

TEST(TerminalTest, WrapsAtSpacesWithHangingIndent) {
    EXPECT_EQ(report::wrap("summary     one two three four five six seven", 40, 12),
              "summary     one two three four five six\n            seven\n");
    const std::string text = report::wrap("summary     one two three four five six seven eight nine ten", 30, 12);
    EXPECT_EQ(text, "summary     one two three four\n    five six seven eight nine\n    ten\n") << "too little room: a small indent";
}

TEST(TerminalTest, ShortLineAndWidthZeroUnchanged) {
    EXPECT_EQ(report::wrap("a  b   c", 80, 4), "a  b   c\n");
    const std::string wide(200, 'x');
    EXPECT_EQ(report::wrap(wide + " y", 0, 4), wide + " y\n");
}

TEST(TerminalTest, QuoteOfAPacketIsNeverBroken) {
    const std::string text = report::wrap("first data, 41 bytes: \"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\" ttl 64", 40, 4);
    EXPECT_EQ(text, "first data, 41 bytes:\n    \"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\"\n    ttl 64\n");
}

TEST(TerminalTest, ReflowJoinsParagraphsAndKeepsListsAndBlankLines) {
    const std::string text = report::reflow(
        "one two\nthree four\n\n- item one that is long enough to wrap at forty columns\n  goes on\n- item two\n\n"
        "    sudo tcpdump -i any\n",
        40);
    EXPECT_EQ(text, "one two three four\n\n- item one that is long enough to wrap\n  at forty columns goes on\n- item two\n\n"
                    "    sudo tcpdump -i any\n");
    EXPECT_EQ(report::reflow("a b c d e f g h i j k l m n o p q r s t u v w x y z\nnext", 40),
              "a b c d e f g h i j k l m n o p q r s t\nu v w x y z next\n");
}

TEST(TerminalTest, TextReportFitsTheWidthButForQuotes) {
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
            // Over the width only a packet quote, or one word that has no place to break (the
            // capture's path, as long as the checkout's directory makes it).
            const std::size_t text = r.find_first_not_of(' ');
            const bool one_word = text != std::string::npos && r.find(' ', text) == std::string::npos;
            if (r.size() > width && !one_word) {
                EXPECT_NE(r.find('"'), std::string::npos) << width << ": " << r;
            }
        }
        EXPECT_GT(longest, width - 20) << "the rows use the width";
    }
}

TEST(TerminalTest, ColourMarksVerdictConfidenceAndEvidenceOnlyWhenAsked) {
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
