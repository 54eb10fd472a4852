#include "sshpath/flow/gaps.h"

#include <algorithm>

namespace sshpath::flow {

void StreamGaps::seen(std::uint64_t off, std::uint64_t end) {
    if (end <= off) return;
    if (off > seen_to && open.size() < kMaxGaps) open.emplace_back(seen_to, off);
    // A late copy (a retransmission the capture caught) fills what it covers of older gaps.
    for (auto it = open.begin(); it != open.end();) {
        auto [a, b] = *it;
        if (end <= a || off >= b) {
            ++it;
            continue;
        }
        if (off > a && end < b) {  // inside one gap: splits it in two
            it->second = off;
            if (open.size() < kMaxGaps) open.insert(it + 1, {end, b});
            break;
        }
        if (off <= a && end >= b) {
            it = open.erase(it);
            continue;
        }
        if (off <= a)
            it->first = end;
        else
            it->second = off;
        ++it;
    }
    seen_to = std::max(seen_to, end);
}

std::uint64_t StreamGaps::acked(std::int64_t upto) {
    if (upto <= 0) return 0;
    const auto limit = static_cast<std::uint64_t>(upto);
    std::uint64_t found = 0;
    for (auto it = open.begin(); it != open.end() && it->first < limit;) {
        const std::uint64_t cut = std::min(it->second, limit);
        found += cut - it->first;
        it->first = cut;
        if (it->first >= it->second)
            it = open.erase(it);
        else
            ++it;
    }
    if (limit > seen_to) {
        found += limit - seen_to;
        seen_to = limit;
    }
    missed += found;
    return found;
}

}  // namespace sshpath::flow
