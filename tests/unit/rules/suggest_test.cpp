#include "sshpath/rules/suggest.h"

#include <gtest/gtest.h>

#include <array>

namespace sshpath::rules {
namespace {

class SuggestTest : public ::testing::Test {
protected:
    static constexpr std::array<std::string_view, 5> kNames = {"syn_count", "synack_seen", "syn_seen", "server_banner",
                                                               "client_banner"};
};

TEST_F(SuggestTest, CountsInsertionsDeletionsSubstitutionsAndTranspositions) {
    EXPECT_EQ(edit_distance("syn_count", "syn_count"), 0u);
    EXPECT_EQ(edit_distance("syn_cnt", "syn_count"), 2u);
    EXPECT_EQ(edit_distance("syn_cuont", "syn_count"), 1u);
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST_F(SuggestTest, SuggestsTheNearestName) {
    EXPECT_EQ(did_you_mean("syn_cnt", kNames), " (did you mean 'syn_count'?)");
    EXPECT_EQ(did_you_mean("synack_sen", kNames), " (did you mean 'synack_seen'?)");
}

TEST_F(SuggestTest, SuggestsNamesContainingTheWordWhenNoneIsNear) {
    EXPECT_EQ(did_you_mean("banner", kNames), " (did you mean 'server_banner' or 'client_banner'?)");
}

TEST_F(SuggestTest, SuggestsNothingForUnrelatedWords) {
    EXPECT_EQ(did_you_mean("throughput", kNames), "");
    EXPECT_EQ(did_you_mean("", kNames), "");
}

TEST_F(SuggestTest, PutsThePrefixBeforeSuggestions) {
    constexpr std::array<std::string_view, 1> params = {"silent_drop_min_syns"};
    EXPECT_EQ(did_you_mean("silent_drop_min_syn", params, "param."), " (did you mean 'param.silent_drop_min_syns'?)");
}

}  // namespace
}  // namespace sshpath::rules
