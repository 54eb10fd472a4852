#include "sshpath/core/record_file.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <random>
#include <stdexcept>
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

// A record that says which one it is (its number, then filler).
std::vector<char> numbered(std::size_t number, std::size_t n = 24) {
    std::vector<char> r(std::max(n, sizeof number), 'x');
    std::memcpy(r.data(), &number, sizeof number);
    return r;
}

std::size_t number_of(const std::vector<char>& r) {
    std::size_t number = 0;
    std::memcpy(&number, r.data(), sizeof number);
    return number;
}

// The numbers of the records in the order SortedReader gives them.
std::vector<std::size_t> read_sorted(const RecordFile& f) {
    std::vector<std::size_t> out;
    RecordFile::SortedReader reader(f);
    while (const std::vector<char>* r = reader.next()) out.push_back(number_of(*r));
    return out;
}

constexpr std::size_t kBlock = RecordFile::kIndexBlock;

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
    RecordFile::SortedReader reader(f);
    for (std::size_t i = 0; i < f.size(); ++i) {
        const std::vector<char>* r = reader.next();
        ASSERT_NE(r, nullptr) << "record " << i;
        EXPECT_EQ(*r, put[put.size() - 1 - i]) << "record " << i;
        EXPECT_EQ(reader.key(), i + 1);
    }
    EXPECT_EQ(reader.next(), nullptr);
}

// Connections of a few lengths, retired in order of their first packet: the file holds one run
// per length, and reading them back in order of first packet interleaves the runs. Each run is
// read a block at a time, not a system call per record.
TEST(RecordFileTest, ReadsInterleavedRunsABlockAtATime) {
    constexpr std::size_t kRuns = 10, kPerRun = 2000, kSize = 2900;
    RecordFile f;
    for (std::size_t run = 0; run < kRuns; ++run)
        for (std::size_t i = 0; i < kPerRun; ++i) {
            const std::size_t key = i * kRuns + run;  // the runs' keys interleave
            f.put(numbered(key, kSize), key);
        }
    f.sort();
    const std::size_t before = f.reads();
    RecordFile::SortedReader reader(f);
    std::size_t expected = 0;
    while (const std::vector<char>* r = reader.next()) {
        ASSERT_EQ(number_of(*r), expected);
        ASSERT_EQ(r->size(), kSize);
        ++expected;
    }
    EXPECT_EQ(expected, kRuns * kPerRun);
    // 58 MB in 32 KiB blocks is under 2,000 reads (and some for the index); a read per record
    // would be 20,000.
    EXPECT_LT(f.reads() - before, 2500u);
}

TEST(RecordFileTest, KeyOrderKeepsEqualKeysInTheOrderPutAcrossManyRuns) {
    // Many runs, few distinct keys (ties within and across runs), a partial last run; keys that
    // drift upwards like the first packets of retired connections, some far behind.
    for (const std::size_t count : {kBlock - 1, kBlock, kBlock + 1, 7 * kBlock + 123}) {
        RecordFile f;
        std::vector<std::uint64_t> keys;
        std::mt19937 rng(static_cast<unsigned>(count));
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint64_t key = rng() % 4 == 0 ? rng() % 40 : i / 500 + rng() % 8;
            keys.push_back(key);
            f.put(numbered(i), key);
        }
        f.sort();
        std::vector<std::size_t> expected(count);
        std::iota(expected.begin(), expected.end(), std::size_t{0});
        std::stable_sort(expected.begin(), expected.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
        EXPECT_EQ(read_sorted(f), expected) << count << " records";
        // Sorting leaves the order put as it was, and may be repeated.
        EXPECT_EQ(number_of(f.get(count - 1)), count - 1);
        f.sort();
        EXPECT_EQ(read_sorted(f), expected) << count << " records, sorted twice";
    }
}

TEST(RecordFileTest, ReadsAnyRecordAndKeyAcrossIndexBlocks) {
    RecordFile f;
    const std::size_t count = 5 * kBlock + 77;
    for (std::size_t i = 0; i < count; ++i) f.put(numbered(i, 8 + i % 200), i * 3 + 1);
    ASSERT_EQ(f.size(), count);
    for (std::size_t i = 0; i < count; ++i) {
        ASSERT_EQ(number_of(f.get(i)), i);
        ASSERT_EQ(f.get(i).size(), 8 + i % 200);
        ASSERT_EQ(f.key(i), i * 3 + 1);
    }
    // In any order: more index blocks than are cached, back and forth.
    std::mt19937 rng(3);
    for (int k = 0; k < 20000; ++k) {
        const std::size_t i = rng() % count;
        ASSERT_EQ(number_of(f.get(i)), i);
        ASSERT_EQ(f.key(i), i * 3 + 1);
    }
    for (std::size_t i = count; i-- > 0;) ASSERT_EQ(f.key(i), i * 3 + 1);
    EXPECT_THROW(f.get(count), std::out_of_range);
    EXPECT_THROW(f.key(count), std::out_of_range);
}

TEST(RecordFileTest, EmptyAndOneRecord) {
    RecordFile empty;
    EXPECT_EQ(empty.size(), 0u);
    EXPECT_THROW(empty.get(0), std::out_of_range);
    EXPECT_EQ(RecordFile::SortedReader(empty).next(), nullptr);
    empty.sort();
    EXPECT_EQ(RecordFile::SortedReader(empty).next(), nullptr);

    RecordFile one;
    one.put(record(100, 1), 42);
    EXPECT_EQ(one.get(0), record(100, 1));
    EXPECT_EQ(one.key(0), 42u);
    one.sort();
    RecordFile::SortedReader reader(one);
    const std::vector<char>* r = reader.next();
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(*r, record(100, 1));
    EXPECT_EQ(reader.key(), 42u);
    EXPECT_EQ(reader.next(), nullptr);

    RecordFile blank;  // a record of no bytes
    blank.put({}, 1);
    blank.sort();
    EXPECT_TRUE(blank.get(0).empty());
    RecordFile::SortedReader blank_reader(blank);
    ASSERT_NE(blank_reader.next(), nullptr);
    EXPECT_EQ(blank_reader.next(), nullptr);
}

TEST(RecordFileTest, ReadingByKeyNeedsSortAfterTheLastPut) {
    RecordFile f;
    f.put(numbered(0), 1);
    EXPECT_THROW(RecordFile::SortedReader{f}, std::logic_error);
    f.sort();
    f.put(numbered(1), 0);
    EXPECT_THROW(RecordFile::SortedReader{f}, std::logic_error);
    f.sort();
    EXPECT_EQ(read_sorted(f), (std::vector<std::size_t>{1, 0}));
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

TEST(RecordFileTest, ReadsIndexBlocksWhileTheyAreStillBeingWritten) {
    // Reads between puts, each time past an index block just filled (still in the unwritten
    // block of the file or already in it) and in the one being filled.
    RecordFile f;
    for (std::size_t i = 0; i < 3 * kBlock + 10; ++i) {
        f.put(numbered(i, 300), i);
        if (i % 997 == 0 || i % kBlock == 0 || i % kBlock == kBlock - 1) {
            ASSERT_EQ(number_of(f.get(i)), i);
            ASSERT_EQ(number_of(f.get(i / 2)), i / 2);
            ASSERT_EQ(f.key(i / 3), i / 3);
        }
    }
    for (std::size_t i = 0; i < f.size(); ++i) ASSERT_EQ(number_of(f.get(i)), i);
}

TEST(RecordFileTest, KeepsRecordsOf16MiBAndMore) {
    RecordFile f;
    const auto small = record(10, 1), big = record((std::size_t{1} << 24) + 5, 2);
    f.put(small, 2);
    f.put(big, 1);
    f.put(small, 0);
    EXPECT_EQ(f.get(1), big);
    EXPECT_EQ(f.get(2), small);
    f.sort();
    RecordFile::SortedReader reader(f);
    EXPECT_EQ(*reader.next(), small);
    EXPECT_EQ(*reader.next(), big);
    EXPECT_EQ(*reader.next(), small);
    EXPECT_EQ(reader.next(), nullptr);
}

TEST(RecordFileTest, RecordsMostlyOfZerosComeBackWhole) {
    // Records are written with their words of zeros left out: whatever their length and
    // however they are read back (pending, through the block cache, alone, in key order).
    RecordFile f;
    std::vector<std::vector<char>> put;
    for (std::size_t i = 0; i < 3 * kBlock; ++i) {
        std::vector<char> r(16 + (i * 37) % 3000, 0);
        std::memcpy(r.data(), &i, sizeof i);
        r[8 + (r.size() - 8) / 2] = 'x';
        r.back() = static_cast<char>(i);
        put.push_back(r);
        f.put(r, put.size() % 7);
    }
    EXPECT_EQ(f.get(put.size() - 1), put.back());  // still in the block not yet written
    for (std::size_t i = 0; i < put.size(); i += 97) EXPECT_EQ(f.get(i), put[i]) << i;
    f.sort();
    RecordFile::SortedReader reader(f);
    std::size_t n = 0;
    while (const std::vector<char>* r = reader.next()) {
        EXPECT_EQ(*r, put[number_of(*r)]);
        ++n;
    }
    EXPECT_EQ(n, put.size());
}

}  // namespace
}  // namespace sshpath
