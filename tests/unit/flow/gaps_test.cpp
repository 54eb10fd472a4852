#include "sshpath/flow/gaps.h"

#include <gtest/gtest.h>

namespace sshpath::flow {
namespace {

class StreamGapsTest : public ::testing::Test {
protected:
    void segment(std::uint64_t off, std::uint64_t end) { gaps_.seen(off, end); }
    void fin(std::uint64_t at) { gaps_.seen(at, at + 1); }
    std::uint64_t ack(std::int64_t upto) { return gaps_.acked(upto); }
    StreamGaps gaps_;
};

TEST_F(StreamGapsTest, InOrderStreamMissesNothing) {
    segment(0, 100);
    segment(100, 200);
    EXPECT_EQ(ack(100), 0u);
    EXPECT_EQ(ack(200), 0u);
    fin(200);
    EXPECT_EQ(ack(201), 0u);  // the FIN seen
    EXPECT_EQ(gaps_.missed, 0u);
}

TEST_F(StreamGapsTest, AcknowledgedHoleIsMissed) {
    segment(0, 100);
    segment(150, 200);  // 100..150 never captured
    EXPECT_EQ(ack(100), 0u);
    EXPECT_EQ(ack(200), 50u);
    EXPECT_EQ(ack(200), 0u);  // counted once
    EXPECT_EQ(gaps_.missed, 50u);
}

TEST_F(StreamGapsTest, HoleFilledByARetransmissionIsNotMissed) {
    segment(0, 100);
    segment(150, 200);
    segment(100, 150);  // the retransmission the capture caught (loss before the capture point)
    EXPECT_EQ(ack(200), 0u);
    EXPECT_TRUE(gaps_.open.empty());
}

TEST_F(StreamGapsTest, PartlyFilledHoleKeepsTheRest) {
    segment(0, 100);
    segment(200, 300);
    segment(120, 150);  // splits 100..200 in two
    EXPECT_EQ(ack(300), 20u + 50u);
}

TEST_F(StreamGapsTest, AcknowledgementBeyondEverythingSeen) {
    segment(0, 100);
    EXPECT_EQ(ack(160), 60u);
    EXPECT_EQ(ack(160), 0u);
    EXPECT_EQ(ack(161), 1u);  // a FIN the capture does not hold counts as one
    segment(200, 250);        // nothing counted twice when later data shows up
    EXPECT_EQ(ack(250), 39u);
    EXPECT_EQ(gaps_.missed, 100u);
}

TEST_F(StreamGapsTest, FinAfterUncapturedDataShowsTheGap) {
    fin(21);  // the server's 21-byte banner was not captured, its FIN was
    EXPECT_EQ(ack(21), 21u);
    EXPECT_EQ(ack(22), 0u);
    EXPECT_EQ(gaps_.missed, 21u);
}

TEST_F(StreamGapsTest, AcknowledgementsOfNothingCountNothing) {
    EXPECT_EQ(ack(0), 0u);
    EXPECT_EQ(ack(-5), 0u);
    EXPECT_EQ(gaps_.missed, 0u);
}

TEST_F(StreamGapsTest, GapsAreBounded) {
    for (std::uint64_t i = 0; i < 2 * StreamGaps::kMaxGaps; ++i) segment(i * 20 + 10, i * 20 + 20);
    EXPECT_EQ(gaps_.open.size(), StreamGaps::kMaxGaps);
}

}  // namespace
}  // namespace sshpath::flow
