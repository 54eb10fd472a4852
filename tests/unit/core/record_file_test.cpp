#include "sshpath/core/record_file.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace sshpath {
namespace {

std::vector<char> record(std::size_t n, unsigned seed) {
    std::vector<char> r(n);
    std::mt19937 rng(seed);
    for (auto& c : r) c = static_cast<char>(rng());
    return r;
}

TEST(RecordFileTest, GivesBackEveryRecordInKeyOrder) {
    RecordFile f;
    std::vector<std::vector<char>> put;
    std::mt19937 rng(7);
    // Keys out of order, sizes from empty to several blocks.
    for (unsigned i = 0; i < 3000; ++i) {
        const std::size_t n = i % 500 == 0 ? 300000 : rng() % 5000;
        put.push_back(record(n, i));
        f.put(put.back(), 3000 - i);
    }
    f.sort();
    ASSERT_EQ(f.size(), put.size());
    for (std::size_t i = 0; i < f.size(); ++i) EXPECT_EQ(f.get(i), put[put.size() - 1 - i]) << "record " << i;
}

TEST(RecordFileTest, ReadsWhatWasWrittenAfterAnEarlierRead) {
    RecordFile f;
    std::vector<std::vector<char>> put;
    // Enough to reach the file, then read: the last block read is cut where the file ended.
    for (unsigned i = 0; i < 400; ++i) {
        put.push_back(record(4000, i));
        f.put(put.back(), i);
    }
    EXPECT_EQ(f.get(300), put[300]);
    for (unsigned i = 400; i < 800; ++i) {
        put.push_back(record(4000, i));
        f.put(put.back(), i);
    }
    for (std::size_t i = 0; i < f.size(); ++i) EXPECT_EQ(f.get(i), put[i]) << "record " << i;
}

TEST(RecordFileTest, KeepsRecordsOf16MiBAndMore) {
    RecordFile f;
    const auto small = record(10, 1), big = record((std::size_t{1} << 24) + 5, 2);
    f.put(small, 0);
    f.put(big, 1);
    f.put(small, 2);
    EXPECT_EQ(f.get(1), big);
    EXPECT_EQ(f.get(2), small);
}

}  // namespace
}  // namespace sshpath
