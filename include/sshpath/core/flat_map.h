#pragma once
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

namespace sshpath {

/// A hash map for a table consulted for every packet: the entries dense, in chunks of 1024, and
/// an index of 8-byte slots (open addressing, linear probing) that holds part of each key's hash
/// and the entry's position. A look-up reads an index slot or two and one entry, instead of a
/// bucket and a chain of nodes; no allocation per entry, and growing never copies the entries
/// (only the index doubles); erasing moves the last entry into the gap and shifts index slots
/// back (no marks left behind).
///
/// K and V must be default-constructible and movable. Pointers to values stay valid until the
/// next insertion or erasure. Iteration order is the order of the dense entries.
template <class K, class V, class Hash>
class FlatMap {
public:
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    /// The value of `key`, or nullptr.
    V* find(const K& key) {
        const std::size_t at = locate(key, Hash{}(key));
        return at == kNone ? nullptr : &entry(index_[at].entry).value;
    }
    const V* find(const K& key) const { return const_cast<FlatMap*>(this)->find(key); }

    /// The value of `key`, inserted default-constructed if absent; and whether it was inserted.
    std::pair<V*, bool> try_emplace(const K& key) {
        const std::uint64_t h = Hash{}(key);
        if (const std::size_t at = locate(key, h); at != kNone) return {&entry(index_[at].entry).value, false};
        if ((size_ + 1) * 2 > index_.size()) grow();
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        std::size_t i = h & mask_;
        while (index_[i].entry != kFree) i = (i + 1) & mask_;
        index_[i] = Slot{tag, static_cast<std::uint32_t>(size_)};
        if (size_ == chunks_.size() * kChunk) chunks_.push_back(std::make_unique<Entry[]>(kChunk));
        Entry& e = entry(size_++);
        e.key = key;
        e.hash = h;
        return {&e.value, true};
    }

    /// Removes `key`; returns whether it was there.
    bool erase(const K& key) {
        const std::size_t at = locate(key, Hash{}(key));
        if (at == kNone) return false;
        erase_at(at);
        return true;
    }

    /// Calls f(key, value) for every entry, each once; removes those for which it returns true.
    /// f must not insert or erase.
    template <class F>
    void erase_if(F&& f) {
        // From the end: an erased entry is replaced by the last one, which was already seen.
        for (std::size_t i = size_; i-- > 0;) {
            Entry& e = entry(i);
            if (f(static_cast<const K&>(e.key), e.value)) erase_at(slot_of(i));
        }
    }

    /// Calls f(key, value) for every entry.
    template <class F>
    void for_each(F&& f) {
        for (std::size_t i = 0; i < size_; ++i) f(static_cast<const K&>(entry(i).key), entry(i).value);
    }

    void clear() {
        std::vector<std::unique_ptr<Entry[]>>().swap(chunks_);
        std::vector<Slot>().swap(index_);
        mask_ = size_ = 0;
    }

private:
    static constexpr std::uint32_t kFree = std::numeric_limits<std::uint32_t>::max();
    static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
    struct Slot {
        std::uint32_t tag = 0;     ///< the top half of the key's hash
        std::uint32_t entry = kFree;
    };
    static constexpr std::size_t kChunk = 1024;
    struct Entry {
        K key{};
        V value{};
        std::uint64_t hash = 0;
    };
    Entry& entry(std::size_t i) { return chunks_[i / kChunk][i % kChunk]; }
    const Entry& entry(std::size_t i) const { return chunks_[i / kChunk][i % kChunk]; }

    // The index slot of `key`, or kNone.
    std::size_t locate(const K& key, std::uint64_t h) const {
        if (index_.empty()) return kNone;
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
            const Slot& s = index_[i];
            if (s.entry == kFree) return kNone;
            if (s.tag == tag && entry(s.entry).key == key) return i;
        }
    }
    // The index slot that points at entry e.
    std::size_t slot_of(std::size_t e) const {
        for (std::size_t i = entry(e).hash & mask_;; i = (i + 1) & mask_)
            if (index_[i].entry == e) return i;
    }
    void erase_at(std::size_t slot) {
        const std::size_t e = index_[slot].entry;
        // Backward shift: later slots of the same run move into the gap when their home allows.
        std::size_t gap = slot;
        for (std::size_t i = (slot + 1) & mask_; index_[i].entry != kFree; i = (i + 1) & mask_) {
            const std::size_t home = entry(index_[i].entry).hash & mask_;
            if (((i - home) & mask_) >= ((i - gap) & mask_)) {
                index_[gap] = index_[i];
                gap = i;
            }
        }
        index_[gap] = Slot{};
        const std::size_t last = size_ - 1;
        if (e != last) {
            index_[slot_of(last)].entry = static_cast<std::uint32_t>(e);
            entry(e) = std::move(entry(last));
        }
        entry(last) = Entry{};
        --size_;
        // Keep one spare chunk: a table that shrinks and grows by a few does not reallocate.
        if (chunks_.size() * kChunk >= size_ + 2 * kChunk) chunks_.pop_back();
    }
    void grow() {
        std::size_t capacity = index_.empty() ? 16 : index_.size() * 2;
        while (capacity < (size_ + 1) * 2) capacity *= 2;
        index_.assign(capacity, Slot{});
        mask_ = capacity - 1;
        for (std::size_t e = 0; e < size_; ++e) {
            std::size_t i = entry(e).hash & mask_;
            while (index_[i].entry != kFree) i = (i + 1) & mask_;
            index_[i] = Slot{static_cast<std::uint32_t>(entry(e).hash >> 32), static_cast<std::uint32_t>(e)};
        }
    }

    std::vector<std::unique_ptr<Entry[]>> chunks_;
    std::vector<Slot> index_;
    std::size_t mask_ = 0;
    std::size_t size_ = 0;
};

}  // namespace sshpath
