#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sshpath/capture/reader.h"
#include "sshpath/core/record_file.h"
#include "sshpath/engine/summary.h"
#include "sshpath/facts/facts.h"
#include "sshpath/pair/pair.h"
#include "sshpath/rules/rule_set.h"
#include "sshpath/verdict/verdict.h"

namespace sshpath::engine {

/// One capture file (or live capture) read.
struct CaptureInfo {
    std::string file;
    /// A capture split into files one after the other (a ring buffer: tcpdump -C or -G, dumpcap
    /// -b), read as one: every part in order, `file` first. Empty for a capture of one file.
    std::vector<std::string> parts;
    std::size_t attempts = 0;  ///< the attempts judged in it (they follow those of the captures before it)
    /// The threads its connections were split over (analyze -j with one file), 1 if none; the
    /// analysis is the same either way.
    unsigned shares = 1;
    capture::ReadStats stats;
    std::string link_type;
    double start_time = 0, end_time = 0;
    facts::FactSet facts{facts::Scope::kCapture};
    verdict::Verdict verdict;   ///< the capture-scope rules' verdict (what answers when it holds no attempt)
};

/// What stays in memory of a judged attempt, to choose the capture's answer and the attempts a
/// report shows in full without reading them back.
struct AttemptKey {
    int rank = 0;
    contract::Cause cause = contract::Cause::kUnknown;
    contract::Component component = contract::Component::kUnknown;
    bool example = true;
    static AttemptKey of(const verdict::Attempt& a) { return {a.rank, a.verdict.cause, a.verdict.component, a.example}; }
};

/// Judged attempts stored in an unnamed temporary file (beyond --keep-in-memory), read back one
/// at a time; their keys go with them, as the records' keys (read without the attempts).
///
/// In a report of many attempts most are shown in one line. Stored `brief`, an attempt keeps
/// only what that line shows (its verdict, file, first packet and the facts client, server,
/// start_time and ssh_stage); the attempts that may be shown in full (the one that answers for
/// each cause and component so far) are also kept whole in memory until another replaces them.
struct StoredAttempts {
    explicit StoredAttempts(bool brief = false) : brief(brief) {}
    RecordFile file;
    std::vector<char> scratch;  ///< the bytes of the attempt being put, reused
    bool brief = false;
    /// brief: the latest attempt of the highest rank of each cause and component, whole, by index.
    std::map<std::pair<contract::Cause, contract::Component>, std::pair<std::size_t, verdict::Attempt>> whole;
    /// Stores `a` (moved into `whole` when brief and it answers for its cause and component).
    void put(verdict::Attempt&& a);
    std::size_t size() const { return file.size(); }
    /// The i-th attempt: one kept whole, or read back into `scratch` (an attempt read into
    /// before keeps the room of its strings and lists).
    const verdict::Attempt& get(std::size_t i, verdict::Attempt& scratch) const;
    /// The i-th attempt's key, without reading the attempt back.
    AttemptKey key(std::size_t i) const;
};

/// The judged attempts in order: in memory, or read back one at a time while iterating.
/// Iterating yields `const verdict::Attempt&`, valid until the iterator moves.
class AttemptList {
public:
    std::size_t size() const;
    bool empty() const { return size() == 0; }
    void push_back(verdict::Attempt a);
    void append(std::shared_ptr<const StoredAttempts> stored);
    /// Attempts judged apart into several stores (one per share of a capture's connections), in
    /// one order: order[i] is the i-th attempt's store (the bits from kStoreShift up) and its
    /// index in that store (the bits below).
    void append(std::vector<std::shared_ptr<const StoredAttempts>> stores, std::vector<std::uint64_t> order);
    static constexpr int kStoreShift = 40;
    void append(AttemptList&& other);
    /// The i-th attempt: a reference into memory, or the attempt read into `scratch`.
    const verdict::Attempt& get(std::size_t i, verdict::Attempt& scratch) const;
    /// A copy of the i-th attempt.
    verdict::Attempt operator[](std::size_t i) const;
    /// The i-th attempt's rank, without reading it back.
    int rank(std::size_t i) const { return key(i).rank; }
    /// The i-th attempt's key, without reading it back.
    AttemptKey key(std::size_t i) const;

    class const_iterator {
    public:
        using value_type = verdict::Attempt;
        using difference_type = std::ptrdiff_t;
        const_iterator() = default;
        const_iterator(const AttemptList* list, std::size_t i) : list_(list), i_(i) {}
        const verdict::Attempt& operator*() const;
        const verdict::Attempt* operator->() const { return &**this; }
        const_iterator& operator++() {
            ++i_;
            return *this;
        }
        bool operator==(const const_iterator& o) const { return i_ == o.i_; }

    private:
        const AttemptList* list_ = nullptr;
        std::size_t i_ = 0;
        mutable std::shared_ptr<verdict::Attempt> scratch_;
        mutable const verdict::Attempt* current_ = nullptr;
        mutable std::size_t loaded_ = static_cast<std::size_t>(-1);
    };
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, size()}; }

private:
    struct Part {
        std::vector<verdict::Attempt> memory;
        std::shared_ptr<const StoredAttempts> stored;
        std::vector<std::shared_ptr<const StoredAttempts>> stores;  ///< attempts judged apart, in `order`
        std::vector<std::uint64_t> order;
        std::size_t size() const { return stored ? stored->size() : stores.empty() ? memory.size() : order.size(); }
        const verdict::Attempt& get(std::size_t i, verdict::Attempt& scratch) const;
        AttemptKey key(std::size_t i) const;
    };
    std::vector<Part> parts_;
};

/// Everything an analysis found: the captures read, the judged attempts, the overall verdict.
struct Analysis {
    std::vector<CaptureInfo> captures;
    AttemptList attempts;
    verdict::Verdict verdict;        ///< the overall answer
    int verdict_attempt = -1;        ///< index into attempts of the attempt that decided, -1: a capture's own verdict
    /// The attempts counted by verdict, server and client network (what a report of many opens with).
    AttemptSummary summary;
    /// Indices of the attempts that answer for their cause and component (the highest rank, the
    /// latest among equals) whose ranking rule says `detail: full`, and the attempt that answers
    /// for the capture; in order. A report of many attempts shows these in full.
    std::vector<std::size_t> examples;
    std::vector<std::string> warnings;
    /// Two captures of one attempt, one on each end: their pairing, whose verdict is `verdict`.
    std::shared_ptr<const pair::PairAnalysis> pair;
    /// The client computer examined (`sshpath check`): where the check comes from, and its
    /// findings of level problem and warning; empty without a check.
    std::string client_check;
    std::vector<std::string> client_findings;
};

/// The attempt of the highest rank among attempts [from, to) (the latest among equals); -1 when
/// the range is empty.
int best_attempt(const AttemptList& attempts, std::size_t from, std::size_t to);

/// Sets Analysis::examples from the attempts' keys and `verdict_attempt`.
void choose_examples(Analysis& a);

/// Sets the overall verdict: the attempt of the highest rank (the latest among equals), or,
/// without any attempt, the last capture's own verdict; and the examples.
void choose_verdict(Analysis& a);

}  // namespace sshpath::engine
