#include "sshpath/ssh/ssh.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sshpath/core/error.h"

namespace sshpath::ssh {

namespace {

// The lists the process met, shared by every NameList that holds one of them, each with its number
// (its place in `lists`), which a temporary file may hold instead of the text. Bounded: lists never
// seen twice (a fuzzer's, a hostile peer's) stop being remembered once it is full; never freed, so
// that a number stays valid to the end, whichever thread reads it back.
constexpr std::size_t kInternedLists = 512;
constexpr std::size_t kInternedLength = 4096;

using Interned = std::pair<std::shared_ptr<const std::string>, std::uint32_t>;

// A list is added under the mutex, its slot written before `count` passes it: reading a list back
// by its number (once per list of every record) takes no lock.
struct Remembered {
    std::mutex mutex;
    std::unordered_map<std::string_view, std::uint32_t> numbers;  ///< under the mutex
    std::array<std::shared_ptr<const std::string>, kInternedLists> lists;
    std::atomic<std::uint32_t> count{0};
};

Remembered& remembered() {
    static Remembered* r = new Remembered;  // never destroyed: see above
    return *r;
}

Interned intern(std::string_view text, std::uint32_t unlisted) {
    if (text.empty()) return {nullptr, unlisted};
    Remembered& r = remembered();
    std::lock_guard lock(r.mutex);
    if (auto it = r.numbers.find(text); it != r.numbers.end()) return {r.lists[it->second], it->second};
    auto shared = std::make_shared<const std::string>(text);
    const std::uint32_t number = r.count.load(std::memory_order_relaxed);
    if (number >= kInternedLists || shared->size() > kInternedLength) return {shared, unlisted};
    r.lists[number] = shared;
    r.numbers.emplace(*shared, number);
    r.count.store(number + 1, std::memory_order_release);
    return {shared, number};
}

}  // namespace

void field(archive::Out& ar, NameList& v) {
    archive::field(ar, v.number_);
    if (v.number_ == NameList::kUnlisted) archive::put_text(ar, v.text());
}

void field(archive::In& ar, NameList& v) {
    std::uint32_t number = NameList::kUnlisted;
    archive::field(ar, number);
    if (number == NameList::kUnlisted) {
        v = NameList::from_text(archive::get_text(ar));
        return;
    }
    Remembered& r = remembered();
    if (number >= r.count.load(std::memory_order_acquire)) throw Error("a record of the temporary file names a list never met");
    v.text_ = r.lists[number];
    v.number_ = number;
}

const std::string& NameList::empty_text() {
    static const std::string empty;
    return empty;
}

NameList::NameList(std::initializer_list<std::string_view> names) {
    std::string text;
    for (std::string_view n : names) {
        if (n.empty()) continue;
        if (!text.empty()) text += ',';
        text += n;
    }
    std::tie(text_, number_) = intern(text, kUnlisted);
}

NameList NameList::from_text(std::string_view text) {
    NameList l;
    const bool clean = !text.empty() && text.front() != ',' && text.back() != ',' && text.find(",,") == std::string_view::npos;
    if (clean || text.empty()) {
        std::tie(l.text_, l.number_) = intern(text, kUnlisted);
        return l;
    }
    std::string joined;
    std::string_view rest = text;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view name = rest.substr(0, comma);
        if (!name.empty()) {
            if (!joined.empty()) joined += ',';
            joined += name;
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    std::tie(l.text_, l.number_) = intern(joined, kUnlisted);
    return l;
}

std::string_view NameList::first_common(const NameList& offered) const {
    const auto scan = [&] {
        std::string_view found;
        bool done = false;
        for_each([&](std::string_view name) {
            if (!done && offered.contains(name)) found = name, done = true;
        });
        return found;
    };
    // Where the name starts in this list and its length (remembered lists live to the end); one
    // table per thread, so no lock, of at most kChosenPairs pairs (the rest are scanned each time).
    constexpr std::size_t kChosenPairs = 4096;
    thread_local std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>> chosen;
    const std::uint64_t key = std::uint64_t{number_} << 32 | offered.number_;
    if (number_ == kUnlisted || offered.number_ == kUnlisted) return scan();
    auto it = chosen.find(key);
    if (it == chosen.end()) {
        if (chosen.size() >= kChosenPairs) return scan();
        it = chosen.try_emplace(key).first;
        const std::string_view found = scan();
        it->second = {found.empty() ? 0 : static_cast<std::uint32_t>(found.data() - text().data()),
                      static_cast<std::uint32_t>(found.size())};
    }
    return std::string_view(text()).substr(it->second.first, it->second.second);
}

std::size_t NameList::size() const {
    const std::string& t = text();
    return t.empty() ? 0 : 1 + static_cast<std::size_t>(std::count(t.begin(), t.end(), ','));
}

std::string_view NameList::at(std::size_t i) const {
    std::string_view found;
    std::size_t n = 0;
    bool done = false;
    for_each([&](std::string_view name) {
        if (!done && n++ == i) found = name, done = true;
    });
    if (!done) throw std::out_of_range("NameList::at");
    return found;
}

bool NameList::contains(std::string_view name) const {
    // A search of the joined text, where a match counts only between commas: no name is empty
    // or holds a comma.
    if (name.empty() || name.find(',') != std::string_view::npos) return false;
    const std::string_view t = text();
    for (std::size_t at = t.find(name); at != std::string_view::npos; at = t.find(name, at + 1)) {
        const std::size_t end = at + name.size();
        if ((at == 0 || t[at - 1] == ',') && (end == t.size() || t[end] == ',')) return true;
    }
    return false;
}

std::vector<std::string> NameList::names() const {
    std::vector<std::string> out;
    for_each([&](std::string_view n) { out.emplace_back(n); });
    return out;
}

}  // namespace sshpath::ssh
