#include "sshpath/core/terminal.h"

#include <gtest/gtest.h>

using namespace sshpath;
using terminal::Colour;

TEST(TerminalTest, DisplayWidthSkipsColourAndCountsCodePoints) {
    EXPECT_EQ(terminal::display_width("abc"), 3u);
    EXPECT_EQ(terminal::display_width(terminal::paint("abc", Colour::kBoldRed, true)), 3u);
    EXPECT_EQ(terminal::display_width("d\xc3\xa9j\xc3\xa0"), 4u);  // "déjà"
}

TEST(TerminalTest, PaintOnlyWhenAsked) {
    EXPECT_EQ(terminal::paint("ok", Colour::kGreen, false), "ok");
    EXPECT_EQ(terminal::paint("ok", Colour::kGreen, true), "\033[32mok\033[0m");
}

TEST(TerminalTest, WrapsAtSpacesWithHangingIndent) {
    EXPECT_EQ(terminal::wrap("summary     one two three four five six seven", 40, 12),
              "summary     one two three four five six\n            seven\n");
    const std::string text = terminal::wrap("summary     one two three four five six seven eight nine ten", 30, 12);
    EXPECT_EQ(text, "summary     one two three four\n    five six seven eight nine\n    ten\n") << "too little room: a small indent";
}

TEST(TerminalTest, ShortLineAndWidthZeroUnchanged) {
    EXPECT_EQ(terminal::wrap("a  b   c", 80, 4), "a  b   c\n");
    const std::string wide(200, 'x');
    EXPECT_EQ(terminal::wrap(wide + " y", 0, 4), wide + " y\n");
}

TEST(TerminalTest, QuoteOfAPacketIsNeverBroken) {
    const std::string text = terminal::wrap("first data, 41 bytes: \"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\" ttl 64", 40, 4);
    EXPECT_EQ(text, "first data, 41 bytes:\n    \"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\"\n    ttl 64\n");
}

TEST(TerminalTest, SingleQuotedRuleOrCommandIsNeverBrokenButApostrophesAreWords) {
    EXPECT_EQ(terminal::wrap("next step   Remove it: 'iptables -t filter -D OUTPUT -p tcp --dport 22 -j DROP' now", 40, 12),
              "next step   Remove it:\n            'iptables -t filter -D OUTPUT -p tcp --dport 22 -j DROP'\n            now\n");
    EXPECT_EQ(terminal::wrap("the client's own firewall drops the server's answer", 30, 4),
              "the client's own firewall\n    drops the server's answer\n");
    EXPECT_EQ(terminal::wrap("run 'sudo sshpath check vm'. then more words", 26, 4), "run\n    'sudo sshpath check vm'.\n    then more words\n");
    EXPECT_EQ(terminal::wrap("and its state ('sudo ss -ltn sport = :22').", 30, 4), "and its state\n    ('sudo ss -ltn sport = :22').\n");
}

TEST(TerminalTest, ReflowJoinsParagraphsAndKeepsListsAndBlankLines) {
    const std::string text = terminal::reflow(
        "one two\nthree four\n\n- item one that is long enough to wrap at forty columns\n  goes on\n- item two\n\n"
        "    sudo tcpdump -i any\n",
        40);
    EXPECT_EQ(text, "one two three four\n\n- item one that is long enough to wrap\n  at forty columns goes on\n- item two\n\n"
                    "    sudo tcpdump -i any\n");
    EXPECT_EQ(terminal::reflow("a b c d e f g h i j k l m n o p q r s t u v w x y z\nnext", 40),
              "a b c d e f g h i j k l m n o p q r s t\nu v w x y z next\n");
}

TEST(TerminalTest, WrapLinesHangsIndentedLinesAndWrapIndentedKeepsEachLinesIndent) {
    const std::string text =
        "Access: denied by the rule deny-ssh-in of the group\n  - a note that goes on well past the width\n";
    EXPECT_EQ(terminal::wrap_lines(text, 40, 6),
              "Access: denied by the rule deny-ssh-in\nof the group\n  - a note that goes on well past the\n      width\n");
    EXPECT_EQ(terminal::wrap_indented(text, 40, 2),
              "Access: denied by the rule deny-ssh-in\n  of the group\n  - a note that goes on well past the\n    width\n");
}
