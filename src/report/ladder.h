#pragma once
#include <string>

#include "sshpath/verdict/verdict.h"

// The ladder diagram of the HTML report.
namespace sshpath::report {

/// An SVG ladder diagram of one connection: a column for the client, one for each hop that
/// spoke (a router's ICMP error, a reset whose hop distance is not the server's), one for the
/// server; an arrow per packet of its timeline (and per packet its verdict cites that the
/// timeline lacks), labelled with its number, time (since `t0`), what it was and its TTL; the
/// packets the verdict cites drawn as evidence. `id` makes the SVG's own ids unique in the page.
/// Every arrow is a `<g class="arrow">` (with `evidence` added when cited) holding `data-packet`.
std::string ladder_svg(const verdict::Attempt& attempt, double t0, const std::string& id);

}  // namespace sshpath::report
