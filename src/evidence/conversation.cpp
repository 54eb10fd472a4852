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
        static_cast<flow::EventRecord&>(e) = r;
        if (r.detail != flow::EventRecord::kNoDetail) static_cast<flow::EventDetail&>(e) = std::move(f.event_details.at(r.detail));
    }
    c.timeline_omitted = f.timeline_omitted;
    return c;
}

}  // namespace sshpath::evidence
