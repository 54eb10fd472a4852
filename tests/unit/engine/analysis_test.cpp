#include "sshpath/engine/analysis.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace sshpath::engine {
namespace {

using contract::Cause;
using contract::Component;

// Attempt i: a rank, cause and component that vary with i (ranks negative too), ties in rank.
verdict::Attempt attempt(std::size_t i) {
    verdict::Attempt a;
    a.file = "capture-" + std::to_string(i);
    a.rank = static_cast<int>(i % 7) * 1000 - 3000 + (i % 11 == 0 ? 2147480000 : 0);
    a.verdict.cause = static_cast<Cause>(i % contract::kCauses.size());
    a.verdict.component = static_cast<Component>(i % 5 == 0 ? 8 : i % 3);
    a.verdict.summary = "summary " + std::to_string(i);
    a.example = i % 4 != 1;
    a.beside.emplace_back(facts::Scope::kCapture);  // what a brief attempt does not keep
    return a;
}

bool same_key(const AttemptKey& a, const AttemptKey& b) {
    return a.rank == b.rank && a.cause == b.cause && a.component == b.component && a.example == b.example;
}

// The same attempts in memory and stored (across several index blocks), in three parts.
struct Lists {
    AttemptList memory, stored;
};

Lists lists(std::size_t count, bool brief) {
    Lists l;
    auto part = std::make_shared<StoredAttempts>(brief);
    for (std::size_t i = 0; i < count; ++i) {
        l.memory.push_back(attempt(i));
        if (i < 10 || i >= count - 10)
            l.stored.push_back(attempt(i));
        else
            part->put(attempt(i));
        if (i == 9) l.stored.append(part);
        if (i == count - 11) part.reset();
    }
    return l;
}

TEST(StoredAttemptsTest, KeysComeBackWithoutReadingTheAttempts) {
    StoredAttempts stored;
    const std::size_t count = 2 * RecordFile::kIndexBlock + 5;
    for (std::size_t i = 0; i < count; ++i) stored.put(attempt(i));
    ASSERT_EQ(stored.size(), count);
    for (std::size_t i = 0; i < count; ++i) ASSERT_TRUE(same_key(stored.key(i), AttemptKey::of(attempt(i)))) << i;
    verdict::Attempt scratch;
    for (std::size_t i : {std::size_t{0}, std::size_t{4095}, std::size_t{4096}, count - 1}) {
        const verdict::Attempt& a = stored.get(i, scratch);
        EXPECT_EQ(a.file, attempt(i).file);
        EXPECT_EQ(a.verdict.summary, attempt(i).verdict.summary);
        EXPECT_EQ(a.rank, attempt(i).rank);
        EXPECT_EQ(a.beside.size(), 1u);
    }
}

TEST(StoredAttemptsTest, BriefKeepsWholeTheAttemptThatAnswersForEachVerdict) {
    StoredAttempts stored(true);
    const std::size_t count = RecordFile::kIndexBlock + 100;
    for (std::size_t i = 0; i < count; ++i) stored.put(attempt(i));
    ASSERT_FALSE(stored.whole.empty());
    for (const auto& [verdict, kept] : stored.whole) {
        // The latest of the highest rank of its cause and component.
        std::size_t expected = count;
        for (std::size_t i = 0; i < count; ++i) {
            const verdict::Attempt a = attempt(i);
            if (std::pair(a.verdict.cause, a.verdict.component) != verdict) continue;
            if (expected == count || a.rank >= attempt(expected).rank) expected = i;
        }
        EXPECT_EQ(kept.first, expected);
        verdict::Attempt scratch;
        EXPECT_EQ(stored.get(kept.first, scratch).beside.size(), 1u) << kept.first;
    }
    verdict::Attempt scratch = attempt(7);  // read into: nothing of what it held stays
    const verdict::Attempt& one = stored.get(1, scratch);
    EXPECT_TRUE(one.beside.empty());  // rank -2000: never the best of its verdict
    EXPECT_EQ(one.file, attempt(1).file);
    EXPECT_EQ(one.verdict.summary, attempt(1).verdict.summary);
}

TEST(AttemptListTest, StoredAttemptsChooseAsInMemory) {
    for (const bool brief : {false, true}) {
        Lists l = lists(RecordFile::kIndexBlock + 700, brief);
        ASSERT_EQ(l.stored.size(), l.memory.size());
        for (std::size_t i = 0; i < l.memory.size(); ++i) {
            ASSERT_TRUE(same_key(l.stored.key(i), l.memory.key(i))) << i;
            ASSERT_EQ(l.stored.rank(i), l.memory.rank(i)) << i;
        }
        for (const auto& [from, to] : {std::pair<std::size_t, std::size_t>{0, 10}, {5, 4000}, {3000, 4796}, {0, 4796}, {7, 7}})
            EXPECT_EQ(best_attempt(l.stored, from, to), best_attempt(l.memory, from, to)) << from << " " << to;

        Analysis in_memory, stored;
        in_memory.attempts = std::move(l.memory);
        stored.attempts = std::move(l.stored);
        choose_verdict(in_memory);
        choose_verdict(stored);
        EXPECT_GE(stored.verdict_attempt, 0);
        EXPECT_EQ(stored.verdict_attempt, in_memory.verdict_attempt);
        EXPECT_EQ(stored.verdict.summary, in_memory.verdict.summary);
        EXPECT_FALSE(stored.examples.empty());
        EXPECT_EQ(stored.examples, in_memory.examples);
        // Every attempt a report shows in full is whole.
        for (std::size_t i : stored.examples) EXPECT_EQ(stored.attempts[i].beside.size(), 1u) << i;
    }
}

}  // namespace
}  // namespace sshpath::engine
