#include "sshpath/core/archive.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <initializer_list>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "sshpath/core/error.h"

namespace sshpath {
namespace {

struct Plain {
    int a = 0;
    double b = 0;
    bool c = false;
};

struct Record {
    std::uint16_t port = 0;
    Plain plain;
    std::string name;
    std::string list;  // written with put_text, read back with get_text
    std::vector<std::string> lines;
    std::vector<Plain> plains;
    std::optional<std::string> maybe;
    std::map<int, std::string> by_number;
};

template <typename Ar>
void field(Ar& ar, Record& r) {
    archive::fields(ar, r.port, r.plain, r.name);
    if constexpr (std::is_same_v<Ar, archive::Out>)
        archive::put_text(ar, r.list);
    else
        r.list = std::string(archive::get_text(ar));
    archive::fields(ar, r.lines, r.plains, r.maybe, r.by_number);
}

Record sample() {
    Record r;
    r.port = 22;
    r.plain = {7, 2.5, true};
    r.name = "a name longer than the fifteen bytes a string holds in place";
    r.list = "curve25519-sha256,ecdh-sha2-nistp256";
    r.lines = {"", "one", std::string(300, 'x')};
    r.plains = {{1, 1.5, false}, {2, -0.0, true}};
    r.maybe = "present";
    r.by_number = {{1, "first"}, {-4, ""}};
    return r;
}

bool same(const Record& x, const Record& y) {
    auto plain_eq = [](const Plain& p, const Plain& q) { return p.a == q.a && p.b == q.b && p.c == q.c; };
    if (x.plains.size() != y.plains.size()) return false;
    for (std::size_t i = 0; i < x.plains.size(); ++i)
        if (!plain_eq(x.plains[i], y.plains[i])) return false;
    return x.port == y.port && plain_eq(x.plain, y.plain) && x.name == y.name && x.list == y.list && x.lines == y.lines &&
           x.maybe == y.maybe && x.by_number == y.by_number;
}

TEST(ArchiveTest, RoundTripsEveryKindOfField) {
    const Record r = sample();
    EXPECT_TRUE(same(archive::from_bytes<Record>(archive::to_bytes(r)), r));
    const Record empty;
    EXPECT_TRUE(same(archive::from_bytes<Record>(archive::to_bytes(empty)), empty));
}

TEST(ArchiveTest, AValueReadIntoAgainHoldsOnlyTheLastRecord) {
    const Record full = sample();
    Record sparse;  // absent optional, fewer lines, an empty map
    sparse.name = "short";
    sparse.lines = {"only"};
    Record other = sample();
    other.maybe = "another";
    other.by_number = {{9, "nine"}};
    other.plains.clear();
    for (const Record* next : std::initializer_list<const Record*>{&sparse, &full, &other, &sparse}) {
        Record into = sample();
        into.by_number[100] = "left over";
        const std::vector<char> bytes = archive::to_bytes(*next);
        archive::from_bytes(std::span<const char>(bytes), into);
        EXPECT_TRUE(same(into, *next));
    }
    Record reused;
    for (const Record* next : std::initializer_list<const Record*>{&full, &sparse, &other, &full, &sparse}) {
        const std::vector<char> bytes = archive::to_bytes(*next);
        archive::from_bytes(std::span<const char>(bytes), reused);
        EXPECT_TRUE(same(reused, *next));
    }
}

TEST(ArchiveTest, AReusedBufferGrowsAndHoldsOnlyTheLastRecord) {
    std::vector<char> buffer;
    const Record big = sample();
    Record small;
    small.name = "x";
    const auto big_bytes = archive::to_bytes(big);
    EXPECT_EQ(archive::to_bytes(big, buffer).size(), big_bytes.size());
    const std::size_t capacity = buffer.size();
    const auto written = archive::to_bytes(small, buffer);
    EXPECT_EQ(buffer.size(), capacity);  // never cut back
    const std::vector<char> bytes(written.begin(), written.end());
    EXPECT_TRUE(same(archive::from_bytes<Record>(bytes), small));
}

TEST(ArchiveTest, EveryCutAndTrailingByteIsAnError) {
    const std::vector<char> bytes = archive::to_bytes(sample());
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        const std::vector<char> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
        EXPECT_THROW(archive::from_bytes<Record>(cut), Error) << n << " of " << bytes.size() << " bytes";
    }
    std::vector<char> longer = bytes;
    longer.push_back(0);
    EXPECT_THROW(archive::from_bytes<Record>(longer), Error);
}

TEST(ArchiveTest, ACountLargerThanTheRecordIsAnError) {
    // A string's length of 2^40 in a record of a few bytes: refused before any allocation.
    std::vector<char> bytes;
    archive::Out out{bytes};
    std::uint64_t huge = std::uint64_t{1} << 40;
    archive::field(out, huge);
    bytes.resize(out.used);
    EXPECT_THROW(archive::from_bytes<std::string>(bytes), Error);
}

// Bytes of `n` with about `zero_share` of their 8-byte words zero, the rest random (some of
// those words holding zero bytes too).
std::vector<char> words_with_zeros(std::size_t n, double zero_share, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> coin(0, 1);
    std::vector<char> out(n);
    for (std::size_t i = 0; i < n; i += 8) {
        const bool zero = coin(rng) < zero_share;
        for (std::size_t k = i; k < std::min(n, i + 8); ++k) out[k] = zero ? 0 : static_cast<char>(rng() % 3 == 0 ? 0 : rng());
    }
    return out;
}

TEST(ArchiveTest, ZeroWordsLeftOutComeBack) {
    std::vector<char> packed, back;
    for (std::size_t n : {0, 1, 7, 8, 9, 504, 512, 513, 520, 1027, 5000, 70001}) {
        for (double share : {0.0, 0.5, 0.9, 1.0}) {
            SCOPED_TRACE(std::to_string(n) + " bytes, zero words " + std::to_string(share));
            const std::vector<char> bytes = words_with_zeros(n, share, static_cast<unsigned>(n));
            archive::pack_zero_words(bytes, packed);
            archive::unpack_zero_words(packed, back);
            EXPECT_EQ(back, bytes);
            // The count, a mask per 64 words, the words that are not zero, the tail.
            std::size_t kept = 0;
            for (std::size_t i = 0; i + 8 <= n; i += 8) kept += std::any_of(bytes.begin() + static_cast<long>(i), bytes.begin() + static_cast<long>(i + 8), [](char c) { return c != 0; });
            EXPECT_EQ(packed.size(), 4 + (n / 8 + 63) / 64 * 8 + kept * 8 + n % 8);
        }
    }
    // A record of zeros: 64 KiB in 1,028 bytes (a mask per 512 bytes).
    archive::pack_zero_words(std::vector<char>(65536, 0), packed);
    EXPECT_EQ(packed.size(), 4u + 128u * 8u);
}

TEST(ArchiveTest, PackedWordsCutShortOrAlteredAreAnError) {
    std::vector<char> packed, back;
    archive::pack_zero_words(words_with_zeros(1000, 0.5, 7), packed);
    for (std::size_t n = 0; n < packed.size(); ++n)
        EXPECT_THROW(archive::unpack_zero_words(std::span<const char>(packed.data(), n), back), Error) << n;
    std::vector<char> longer = packed;
    longer.push_back(1);
    EXPECT_THROW(archive::unpack_zero_words(longer, back), Error);
    // A mask naming a word past the last one (125 words: the second mask has 61 bits).
    std::vector<char> bad = packed;
    std::uint64_t mask;
    const std::size_t first_kept = static_cast<std::size_t>(std::popcount([&] {
        std::uint64_t m;
        std::memcpy(&m, bad.data() + 4, 8);
        return m;
    }()));
    const std::size_t second = 4 + 8 + first_kept * 8;
    std::memcpy(&mask, bad.data() + second, 8);
    mask |= std::uint64_t{1} << 63;
    std::memcpy(bad.data() + second, &mask, 8);
    EXPECT_THROW(archive::unpack_zero_words(bad, back), Error);
}

}  // namespace
}  // namespace sshpath
