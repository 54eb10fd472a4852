#pragma once
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace sshpath {

/// A hash map for a table consulted for every packet: the entries in one dense array, and an
/// index of 8-byte slots (open addressing, linear probing) that holds part of each key's hash
/// and the entry's position. A look-up reads an index slot or two and one entry, instead of a
/// bucket and a chain of nodes; no allocation per entry; erasing moves the last entry into the
/// gap and shifts index slots back (no marks left behind).
///
/// K and V must be default-constructible and movable. Pointers to values stay valid until the
/// next insertion or erasure. Iteration order is the order of the dense array.
template <class K, class V, class Hash>
class FlatMap {
public:
    std::size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }

    /// The value of `key`, or nullptr.
    V* find(const K& key) {
        const std::size_t at = locate(key, Hash{}(key));
        return at == kNone ? nullptr : &entries_[index_[at].entry].value;
    }
    const V* find(const K& key) const { return const_cast<FlatMap*>(this)->find(key); }

    /// The value of `key`, inserted default-constructed if absent; and whether it was inserted.
    std::pair<V*, bool> try_emplace(const K& key) {
        const std::uint64_t h = Hash{}(key);
        if (const std::size_t at = locate(key, h); at != kNone) return {&entries_[index_[at].entry].value, false};
        if ((entries_.size() + 1) * 2 > index_.size()) grow();
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        std::size_t i = h & mask_;
        while (index_[i].entry != kFree) i = (i + 1) & mask_;
        index_[i] = Slot{tag, static_cast<std::uint32_t>(entries_.size())};
        entries_.push_back(Entry{key, V{}, h});
        return {&entries_.back().value, true};
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
        for (std::size_t i = entries_.size(); i-- > 0;) {
            Entry& e = entries_[i];
            if (f(static_cast<const K&>(e.key), e.value)) erase_at(slot_of(i));
        }
    }

    /// Calls f(key, value) for every entry.
    template <class F>
    void for_each(F&& f) {
        for (Entry& e : entries_) f(static_cast<const K&>(e.key), e.value);
    }

    void clear() {
        std::vector<Entry>().swap(entries_);
        std::vector<Slot>().swap(index_);
        mask_ = 0;
    }

private:
    static constexpr std::uint32_t kFree = std::numeric_limits<std::uint32_t>::max();
    static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
    struct Slot {
        std::uint32_t tag = 0;     ///< the top half of the key's hash
        std::uint32_t entry = kFree;
    };
    struct Entry {
        K key;
        V value;
        std::uint64_t hash;
    };

    // The index slot of `key`, or kNone.
    std::size_t locate(const K& key, std::uint64_t h) const {
        if (index_.empty()) return kNone;
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
            const Slot& s = index_[i];
            if (s.entry == kFree) return kNone;
            if (s.tag == tag && entries_[s.entry].key == key) return i;
        }
    }
    // The index slot that points at entry e.
    std::size_t slot_of(std::size_t e) const {
        for (std::size_t i = entries_[e].hash & mask_;; i = (i + 1) & mask_)
            if (index_[i].entry == e) return i;
    }
    void erase_at(std::size_t slot) {
        const std::size_t e = index_[slot].entry;
        // Backward shift: later slots of the same run move into the gap when their home allows.
        std::size_t gap = slot;
        for (std::size_t i = (slot + 1) & mask_; index_[i].entry != kFree; i = (i + 1) & mask_) {
            const std::size_t home = entries_[index_[i].entry].hash & mask_;
            if (((i - home) & mask_) >= ((i - gap) & mask_)) {
                index_[gap] = index_[i];
                gap = i;
            }
        }
        index_[gap] = Slot{};
        const std::size_t last = entries_.size() - 1;
        if (e != last) {
            index_[slot_of(last)].entry = static_cast<std::uint32_t>(e);
            entries_[e] = std::move(entries_[last]);
        }
        entries_.pop_back();
    }
    void grow() {
        std::size_t capacity = index_.empty() ? 16 : index_.size() * 2;
        while (capacity < (entries_.size() + 1) * 2) capacity *= 2;
        index_.assign(capacity, Slot{});
        mask_ = capacity - 1;
        for (std::size_t e = 0; e < entries_.size(); ++e) {
            std::size_t i = entries_[e].hash & mask_;
            while (index_[i].entry != kFree) i = (i + 1) & mask_;
            index_[i] = Slot{static_cast<std::uint32_t>(entries_[e].hash >> 32), static_cast<std::uint32_t>(e)};
        }
    }

    std::vector<Entry> entries_;
    std::vector<Slot> index_;
    std::size_t mask_ = 0;
};

}  // namespace sshpath
