#include "sshpath/core/ascii.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace sshpath {
namespace {

// The byte-by-byte answer the word-at-a-time one must give.
bool reference(std::string_view s, std::string_view excluded) {
    for (unsigned char c : s)
        if (c < 0x20 || c >= 0x7f || excluded.find(static_cast<char>(c)) != std::string_view::npos) return false;
    return true;
}

bool under_test(std::string_view s, std::string_view excluded) {
    if (excluded.empty()) return ascii::printable(s);
    return ascii::printable(s, excluded[0], excluded[1]);
}

TEST(AsciiTest, EveryByteAtEveryPlaceOfEveryLength) {
    // Every byte value, at every position of strings 0-24 long (three words and a tail), among
    // printable neighbours of every kind: the edges 0x20 and 0x7e, and the bytes next to the
    // excluded ones (a borrow or carry from one byte must not hide or invent another).
    for (std::string_view excluded : {std::string_view(), std::string_view("\"\\")}) {
        for (char fill : {'a', ' ', '~', '!', '#', '[', ']'}) {
            for (std::size_t length = 0; length <= 24; ++length) {
                std::string s(length, fill);
                EXPECT_EQ(under_test(s, excluded), reference(s, excluded)) << length;
                for (std::size_t at = 0; at < length; ++at) {
                    for (int b = 0; b < 256; ++b) {
                        s[at] = static_cast<char>(b);
                        ASSERT_EQ(under_test(s, excluded), reference(s, excluded))
                            << "byte " << b << " at " << at << " of " << length << ", fill '" << fill << "'";
                    }
                    s[at] = fill;
                }
            }
        }
    }
}

TEST(AsciiTest, RandomStringsOfNearlyPrintableBytes) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> len(0, 70), byte(0x1e, 0x81), rare(0, 255), pick(0, 9);
    int rejected = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string s(static_cast<std::size_t>(len(rng)), ' ');
        for (char& c : s) c = static_cast<char>(pick(rng) == 0 ? rare(rng) : byte(rng) % 0x5f + 0x20);
        if (pick(rng) == 0 && !s.empty()) s[s.size() / 2] = static_cast<char>(byte(rng));
        for (std::string_view excluded : {std::string_view(), std::string_view("\"\\")}) {
            const bool expected = reference(s, excluded);
            rejected += expected ? 0 : 1;
            ASSERT_EQ(under_test(s, excluded), expected) << i;
        }
    }
    EXPECT_GT(rejected, 1000);  // both answers were asked for
}

}  // namespace
}  // namespace sshpath
