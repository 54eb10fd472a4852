#include "sshpath/rules/suggest.h"

#include <algorithm>
#include <numeric>

namespace sshpath::rules {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size(), m = b.size();
    // Three rows suffice for optimal string alignment.
    std::vector<std::size_t> before(m + 1), prev(m + 1), cur(m + 1);
    std::iota(prev.begin(), prev.end(), std::size_t{0});
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                cur[j] = std::min(cur[j], before[j - 2] + 1);
        }
        std::swap(before, prev);
        std::swap(prev, cur);
    }
    return prev[m];
}

std::vector<std::string_view> closest_names(std::string_view word,
                                            std::span<const std::string_view> candidates,
                                            std::size_t max) {
    std::vector<std::string_view> out;
    if (word.empty() || max == 0) return out;
    // Short words get little tolerance, or everything would be "close".
    const std::size_t tolerance = word.size() <= 3 ? 1 : word.size() <= 6 ? 2 : 3;
    std::vector<std::pair<std::size_t, std::size_t>> scored;  // distance, index
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (candidates[i] == word) continue;
        const std::size_t d = edit_distance(word, candidates[i]);
        if (d <= tolerance && d < candidates[i].size()) scored.emplace_back(d, i);
    }
    if (!scored.empty()) {
        std::stable_sort(scored.begin(), scored.end(),
                         [](const auto& x, const auto& y) { return x.first < y.first; });
        const std::size_t best = scored.front().first;
        for (const auto& [d, i] : scored) {
            if (d != best || out.size() == max) break;
            out.push_back(candidates[i]);
        }
        return out;
    }
    if (word.size() >= 4) {
        for (auto c : candidates) {
            if (c != word && c.find(word) != std::string_view::npos) out.push_back(c);
            if (out.size() == max) break;
        }
    }
    return out;
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates,
                         std::string_view prefix) {
    const auto names = closest_names(word, candidates);
    if (names.empty()) return {};
    std::string s = " (did you mean ";
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) s += i + 1 == names.size() ? " or " : ", ";
        s += '\'';
        s += prefix;
        s += names[i];
        s += '\'';
    }
    s += "?)";
    return s;
}

}  // namespace sshpath::rules
