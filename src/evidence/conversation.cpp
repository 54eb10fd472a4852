#include "sshpath/evidence/conversation.h"

namespace sshpath::evidence {

namespace {

SshSide side_of(ssh::DirectionView& d) {
    SshSide s;
    if (d.banner) {
        s.identification = d.banner->text;
        if (!d.banner->valid) s.identification_problem = d.banner->problem;
    }
    s.pre_banner_lines = std::move(d.pre_banner_lines);
    s.kexinit = std::move(d.kexinit);
    s.messages = std::move(d.message_types);
    return s;
}

}  // namespace

Conversation conversation_of(flow::Flow&& f) {
    Conversation c;
    c.first_packet = f.first.packet;
    c.client = side_of(f.ssh->client);
    c.server = side_of(f.ssh->server);
    c.timeline.reserve(f.timeline.size());
    for (const flow::EventRecord& r : f.timeline) {
        flow::TimelineEvent& e = c.timeline.emplace_back();
        e.packet = r.packet;
        e.time = r.time;
        e.from = r.from;
        e.kind = r.kind;
        e.flags = r.flags;
        e.ttl = r.ttl;
        e.icmp_type = r.icmp_type;
        e.icmp_code = r.icmp_code;
        e.count = r.count;
        e.mtu = r.mtu;
        e.number = r.number;
        e.after_s = r.after_s;
        if (r.detail != flow::EventRecord::kNoDetail) {
            flow::EventDetail& d = f.event_details.at(r.detail);
            e.options = d.options;
            e.source = d.source;
            e.text = std::move(d.text);
        }
    }
    c.timeline_omitted = f.timeline_omitted;
    return c;
}

}  // namespace sshpath::evidence
