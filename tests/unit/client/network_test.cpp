#include "sshpath/client/network.h"

#include <gtest/gtest.h>

using namespace sshpath::client;

TEST(ResolveTest, AddressesNeedNoLookup) {
    Resolution r = resolve_host("203.0.113.7", "any");
    EXPECT_TRUE(r.is_address);
    EXPECT_TRUE(r.resolved);
    ASSERT_EQ(r.ordered.size(), 1u);
    Resolution local = resolve_host("localhost", "inet");
    EXPECT_TRUE(local.resolved) << local.error;
    for (const auto& a : local.ordered) EXPECT_EQ(a.version, 4);
    // A name that does not resolve is tested in tests/client/check_test, inside a namespace:
    // asking it here would send a DNS query out of this machine.
}
