#include "sshpath/flow/spill.h"

namespace sshpath::flow {

std::vector<char> serialize(const Flow& f) { return archive::to_bytes(f); }

Flow deserialize(const std::vector<char>& bytes) { return archive::from_bytes<Flow>(bytes); }

void FlowSpill::put(const Flow& f) {
    file_.put(archive::to_bytes(f, scratch_), f.first.packet);
}

std::optional<Flow> FlowSpill::Reader::next() {
    std::optional<Flow> f(std::in_place);
    if (!next(*f)) return std::nullopt;
    return f;
}

bool FlowSpill::Reader::next(Flow& into) {
    const std::vector<char>* bytes = sorted_.next();
    if (bytes == nullptr) return false;
    archive::from_bytes(std::span<const char>(*bytes), into);
    return true;
}

}  // namespace sshpath::flow
