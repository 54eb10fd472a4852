#include "sshpath/capture/link_name.h"

#include <gtest/gtest.h>

namespace sshpath::capture {
namespace {

TEST(LinkNameTest, NamesLinkTypes) {
    EXPECT_STREQ(link_type_name(1), "EN10MB (Ethernet)");
    EXPECT_STREQ(link_type_name(113), "LINUX_SLL (Linux cooked v1)");
    EXPECT_STREQ(link_type_name(276), "LINUX_SLL2 (Linux cooked v2)");
    EXPECT_STREQ(link_type_name(101), "RAW (raw IP)");
    EXPECT_STREQ(link_type_name(0), "NULL (BSD loopback)");
    EXPECT_STREQ(link_type_name(105), "IEEE802_11 (802.11)");
    EXPECT_STREQ(link_type_name(123456), "link type 123456");
    EXPECT_EQ(link_type_name(105), link_type_name(105));  // cached: pointer stays valid
}

}  // namespace
}  // namespace sshpath::capture
