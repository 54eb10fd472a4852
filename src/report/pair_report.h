#pragma once
#include <nlohmann/json.hpp>

#include <string>

#include "sshpath/pair/pair.h"
#include "sshpath/verdict/verdict.h"

namespace sshpath::report {

/// The JSON report's "pair" member: the captures' places, the clock offset, the translation seen
/// and each paired attempt with its packets side by side.
nlohmann::ordered_json pair_json(const pair::PairAnalysis& p, bool explain);
/// The text report's "Both ends" section.
std::string pair_text(const pair::PairAnalysis& p);
/// The Markdown report's "Both ends" section.
std::string pair_markdown(const pair::PairAnalysis& p);
/// The HTML report's "Both ends" section: where each capture was taken, the clock offset, the
/// translation, the segment where the packets vanished, and each packet as both ends saw it (rows
/// of packets that vanished or were never sent by their apparent sender highlighted).
std::string pair_html(const pair::PairAnalysis& p);
/// One evidence line's packet columns: "#12  0.000 s" alone, or with the other capture's beside it.
std::string evidence_packets(const verdict::EvidenceItem& e, bool with_file);

}  // namespace sshpath::report
