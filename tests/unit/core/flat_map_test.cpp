#include "sshpath/core/flat_map.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "sshpath/core/boxed.h"

namespace sshpath {
namespace {

// Few distinct hashes, so that runs of colliding keys form and erasing must shift them back.
struct CollidingHash {
    std::uint64_t operator()(int k) const { return static_cast<std::uint64_t>(k % 7) * 0x9E3779B97F4A7C15ULL; }
};
struct GoodHash {
    std::uint64_t operator()(int k) const { return static_cast<std::uint64_t>(k) * 0x9E3779B97F4A7C15ULL; }
};

template <class Hash>
void same_as_std_map(unsigned seed) {
    FlatMap<int, std::string, Hash> flat;
    std::map<int, std::string> reference;
    std::mt19937 rng(seed);
    for (int step = 0; step < 20000; ++step) {
        const int key = static_cast<int>(rng() % 500);
        switch (rng() % 4) {
            case 0:
            case 1: {
                auto [value, inserted] = flat.try_emplace(key);
                EXPECT_EQ(inserted, !reference.count(key)) << "key " << key;
                *value = "v" + std::to_string(step);
                reference[key] = *value;
                break;
            }
            case 2:
                EXPECT_EQ(flat.erase(key), reference.erase(key) == 1) << "key " << key;
                break;
            default: {
                const int cut = static_cast<int>(rng() % 500);
                std::size_t seen = 0;
                flat.erase_if([&](int k, const std::string&) {
                    ++seen;
                    return k % 13 == cut % 13;
                });
                EXPECT_EQ(seen, reference.size()) << "erase_if visits every entry once";
                std::erase_if(reference, [&](const auto& kv) { return kv.first % 13 == cut % 13; });
            }
        }
        ASSERT_EQ(flat.size(), reference.size());
    }
    for (const auto& [k, v] : reference) {
        const std::string* found = flat.find(k);
        ASSERT_NE(found, nullptr) << "key " << k;
        EXPECT_EQ(*found, v);
    }
    for (int k = 0; k < 500; ++k) EXPECT_EQ(flat.find(k) != nullptr, reference.count(k) == 1) << "key " << k;
}

TEST(FlatMapTest, BehavesAsAMapUnderInsertsAndErasures) { same_as_std_map<GoodHash>(1); }

TEST(FlatMapTest, BehavesAsAMapWhenHashesCollide) { same_as_std_map<CollidingHash>(2); }

TEST(FlatMapTest, ClearEmptiesIt) {
    FlatMap<int, int, GoodHash> m;
    for (int i = 0; i < 100; ++i) *m.try_emplace(i).first = i;
    m.clear();
    EXPECT_TRUE(m.empty());
    EXPECT_EQ(m.find(5), nullptr);
    EXPECT_TRUE(m.try_emplace(5).second);
}

struct Big {
    std::string text;
    int number = 7;
};
template <typename Ar>
void field(Ar& ar, Big& b) {
    archive::fields(ar, b.text, b.number);
}

TEST(BoxedTest, ReadsAsDefaultUntilWritten) {
    Boxed<Big> b;
    const Boxed<Big>& view = b;
    EXPECT_EQ(view->number, 7);
    EXPECT_FALSE(b.has_value()) << "reading allocates nothing";
    b->text = "written";
    EXPECT_TRUE(b.has_value());
    Boxed<Big> copy = b;
    copy->text = "changed";
    EXPECT_EQ(b->text, "written") << "copies are deep";
}

TEST(BoxedTest, RoundTripsThroughTheArchive) {
    Boxed<Big> empty, full;
    full = Big{"kept", 3};
    const auto back_empty = archive::from_bytes<Boxed<Big>>(archive::to_bytes(empty));
    const auto back_full = archive::from_bytes<Boxed<Big>>(archive::to_bytes(full));
    EXPECT_FALSE(back_empty.has_value());
    ASSERT_TRUE(back_full.has_value());
    EXPECT_EQ(back_full->text, "kept");
    EXPECT_EQ(back_full->number, 3);
    // Read into a box that holds a value: an empty one empties it.
    Boxed<Big> into = full;
    const std::vector<char> bytes = archive::to_bytes(empty);
    archive::from_bytes(std::span<const char>(bytes), into);
    EXPECT_FALSE(into.has_value());
}

TEST(PackZerosTest, GivesBackWhatItWasGiven) {
    std::mt19937 rng(3);
    for (int round = 0; round < 200; ++round) {
        std::vector<char> bytes(rng() % 2000);
        // Runs of zeros of every length, single zeros, and bytes of every value.
        for (auto& b : bytes) b = rng() % 3 == 0 ? static_cast<char>(rng()) : 0;
        const auto packed = archive::pack_zeros(bytes);
        EXPECT_EQ(archive::unpack_zeros(packed), bytes) << "round " << round;
    }
    const std::vector<char> zeros(1000, 0);
    EXPECT_LT(archive::pack_zeros(zeros).size(), 10u) << "a run of zeros takes a byte per 129";
    EXPECT_THROW(archive::unpack_zeros(std::vector<char>{5, 'a'}), Error) << "a literal run cut short";
}

}  // namespace
}  // namespace sshpath
