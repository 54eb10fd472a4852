#include "sshpath/engine/analysis.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <stdexcept>

#include "sshpath/core/archive.h"

namespace sshpath::engine {

namespace {

// The bytes of an attempt as a report of many shows it in one line: its verdict, where and when;
// not its other facts, SSH details or timeline. The verdict is lent to the record being written,
// not copied, and given back.
std::span<const char> brief_bytes(verdict::Attempt& a, std::vector<char>& scratch) {
    namespace F = facts::flow;
    verdict::Attempt b;
    b.file = a.file;
    b.rank = a.rank;
    b.example = a.example;
    b.conversation.first_packet = a.conversation.first_packet;
    b.facts.set(F::client, std::string(a.facts.string_at(F::client.index)));
    b.facts.set(F::server, std::string(a.facts.string_at(F::server.index)));
    b.facts.set(F::start_time, a.facts.get(F::start_time));
    b.facts.set(F::ssh_stage, std::string(a.facts.string_at(F::ssh_stage.index)));
    struct Lent {
        verdict::Verdict& owner;
        verdict::Verdict& borrower;
        ~Lent() { owner = std::move(borrower); }
    } lent{a.verdict, b.verdict};
    b.verdict = std::move(a.verdict);
    return archive::to_bytes(b, scratch);
}

// An attempt's key as the 64 bits a record's key holds: rank, cause, component, example.
std::uint64_t packed(const AttemptKey& k) {
    return std::uint64_t{static_cast<std::uint32_t>(k.rank)} | std::uint64_t{static_cast<std::uint8_t>(k.cause)} << 32 |
           std::uint64_t{static_cast<std::uint8_t>(k.component)} << 40 | std::uint64_t{k.example} << 48;
}

AttemptKey unpacked(std::uint64_t v) {
    return {static_cast<int>(static_cast<std::uint32_t>(v)), static_cast<contract::Cause>(static_cast<std::uint8_t>(v >> 32)),
            static_cast<contract::Component>(static_cast<std::uint8_t>(v >> 40)), ((v >> 48) & 1) != 0};
}

}  // namespace

void StoredAttempts::put(verdict::Attempt&& a) {
    const AttemptKey key = AttemptKey::of(a);
    // Written before `a` may be moved into `whole`.
    const std::span<const char> bytes = brief ? brief_bytes(a, scratch) : archive::to_bytes(a, scratch);
    if (brief) {
        // The same choice as choose_examples(): the latest of the highest rank.
        auto [it, added] = whole.try_emplace({key.cause, key.component});
        if (added || key.rank >= it->second.second.rank) it->second = {file.size(), std::move(a)};
    }
    file.put(bytes, packed(key));
}

const verdict::Attempt& StoredAttempts::get(std::size_t i, verdict::Attempt& scratch) const {
    if (brief) {
        const AttemptKey k = key(i);
        if (auto it = whole.find({k.cause, k.component}); it != whole.end() && it->second.first == i) return it->second.second;
    }
    archive::from_bytes(std::span<const char>(file.get(i)), scratch);
    return scratch;
}

AttemptKey StoredAttempts::key(std::size_t i) const { return unpacked(file.key(i)); }

std::size_t AttemptList::size() const {
    std::size_t n = 0;
    for (const auto& p : parts_) n += p.size();
    return n;
}

void AttemptList::push_back(verdict::Attempt a) {
    if (parts_.empty() || parts_.back().stored || !parts_.back().stores.empty()) parts_.emplace_back();
    parts_.back().memory.push_back(std::move(a));
}

void AttemptList::append(std::shared_ptr<const StoredAttempts> stored) {
    Part p;
    p.stored = std::move(stored);
    parts_.push_back(std::move(p));
}

void AttemptList::append(std::vector<std::shared_ptr<const StoredAttempts>> stores, std::vector<std::uint64_t> order) {
    Part p;
    p.stores = std::move(stores);
    p.order = std::move(order);
    parts_.push_back(std::move(p));
}

const verdict::Attempt& AttemptList::Part::get(std::size_t i, verdict::Attempt& scratch) const {
    if (stored) return stored->get(i, scratch);
    if (stores.empty()) return memory[i];
    const std::uint64_t at = order[i];
    return stores[at >> kStoreShift]->get(at & ((std::uint64_t{1} << kStoreShift) - 1), scratch);
}

AttemptKey AttemptList::Part::key(std::size_t i) const {
    if (stored) return stored->key(i);
    if (stores.empty()) return AttemptKey::of(memory[i]);
    const std::uint64_t at = order[i];
    return stores[at >> kStoreShift]->key(at & ((std::uint64_t{1} << kStoreShift) - 1));
}

void AttemptList::append(AttemptList&& other) {
    std::move(other.parts_.begin(), other.parts_.end(), std::back_inserter(parts_));
    other.parts_.clear();
}

const verdict::Attempt& AttemptList::get(std::size_t i, verdict::Attempt& scratch) const {
    for (const auto& p : parts_) {
        if (i < p.size()) return p.get(i, scratch);
        i -= p.size();
    }
    throw std::out_of_range("AttemptList: no attempt at that index");
}

verdict::Attempt AttemptList::operator[](std::size_t i) const {
    verdict::Attempt scratch;
    return get(i, scratch);
}

AttemptKey AttemptList::key(std::size_t i) const {
    for (const auto& p : parts_) {
        if (i < p.size()) return p.key(i);
        i -= p.size();
    }
    throw std::out_of_range("AttemptList: no attempt at that index");
}

const verdict::Attempt& AttemptList::const_iterator::operator*() const {
    if (loaded_ != i_) {
        if (!scratch_) scratch_ = std::make_shared<verdict::Attempt>();
        current_ = &list_->get(i_, *scratch_);
        loaded_ = i_;
    }
    return *current_;
}

int best_attempt(const AttemptList& attempts, std::size_t from, std::size_t to) {
    int found = -1, best = 0;
    for (std::size_t i = from; i < to; ++i) {
        const int r = attempts.rank(i);
        if (found < 0 || r >= best) best = r, found = static_cast<int>(i);
    }
    return found;
}

void choose_examples(Analysis& a) {
    // The same choice as best_attempt within each cause and component: the attempt that answers for it.
    std::map<std::pair<contract::Cause, contract::Component>, std::pair<std::size_t, AttemptKey>> group_best;
    for (std::size_t i = 0; i < a.attempts.size(); ++i) {
        const AttemptKey k = a.attempts.key(i);
        auto [it, added] = group_best.try_emplace({k.cause, k.component}, i, k);
        if (!added && k.rank >= it->second.second.rank) it->second = {i, k};
    }
    a.examples.clear();
    for (const auto& [group, best_of] : group_best)
        if (best_of.second.example) a.examples.push_back(best_of.first);
    if (a.verdict_attempt >= 0) a.examples.push_back(static_cast<std::size_t>(a.verdict_attempt));
    std::sort(a.examples.begin(), a.examples.end());
    a.examples.erase(std::unique(a.examples.begin(), a.examples.end()), a.examples.end());
}

void choose_verdict(Analysis& a) {
    a.verdict_attempt = best_attempt(a.attempts, 0, a.attempts.size());
    choose_examples(a);
    if (a.verdict_attempt >= 0) {
        verdict::Attempt scratch;  // used only when the attempt has to be read back from the temporary file
        a.verdict = a.attempts.get(static_cast<std::size_t>(a.verdict_attempt), scratch).verdict;
    } else if (!a.captures.empty()) {
        a.verdict = a.captures.back().verdict;
    }
}

}  // namespace sshpath::engine
