#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

/// "Did you mean ...?" for names typed by hand in rule files: facts, parameters, keys, contract
/// words. Shared by the loader and anything else that reports an unknown name (e.g. the CLI).
namespace sshpath::rules {

/// Edit distance with adjacent transpositions counting as one edit (optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// Up to `max` candidates close to `word`, best first: the nearest by edit distance within a
/// tolerance that grows with the word's length, or else candidates containing `word` (4+ chars).
std::vector<std::string_view> closest_names(std::string_view word,
                                            std::span<const std::string_view> candidates,
                                            std::size_t max = 3);

/// " (did you mean 'x'?)", " (did you mean 'x' or 'y'?)", or "" when nothing is close.
/// `prefix` is put before every suggestion (e.g. "param.").
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates,
                         std::string_view prefix = {});

}  // namespace sshpath::rules
