#include "sshpath/engine/summary.h"

#include <algorithm>

namespace sshpath::engine {

void Tally::add(contract::Cause cause, double time) {
    if (attempts == 0 || time < first) first = time;
    if (attempts == 0 || time > last) last = time;
    ++attempts;
    ++causes[static_cast<std::size_t>(cause)];
}

void Tally::merge(const Tally& o) {
    if (o.attempts == 0) return;
    if (attempts == 0 || o.first < first) first = o.first;
    if (attempts == 0 || o.last > last) last = o.last;
    attempts += o.attempts;
    for (std::size_t i = 0; i < causes.size(); ++i) causes[i] += o.causes[i];
}

std::string client_network(const packet::IpAddress& a) {
    packet::IpAddress n = a;
    const std::size_t keep = a.version == 6 ? 8 : 3;
    std::fill(n.bytes.begin() + static_cast<std::ptrdiff_t>(keep), n.bytes.end(), 0);
    return n.to_string() + (a.version == 6 ? "/64" : "/24");
}

void AttemptSummary::add(contract::Cause cause, contract::Component component, const std::string& server,
                         const packet::IpAddress& client, double time) {
    all.add(cause, time);
    by_verdict[{cause, component}].add(cause, time);
    by_server[server].add(cause, time);
    by_client_network[client.version == 0 ? std::string("(none)") : client_network(client)].add(cause, time);
}

void AttemptSummary::merge(const AttemptSummary& o) {
    all.merge(o.all);
    for (const auto& [k, t] : o.by_verdict) by_verdict[k].merge(t);
    for (const auto& [k, t] : o.by_server) by_server[k].merge(t);
    for (const auto& [k, t] : o.by_client_network) by_client_network[k].merge(t);
}

}  // namespace sshpath::engine
