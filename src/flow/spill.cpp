#include "sshpath/flow/spill.h"

namespace sshpath::flow {

std::vector<char> serialize(const Flow& f) { return archive::to_bytes(f); }

Flow deserialize(const std::vector<char>& bytes) { return archive::from_bytes<Flow>(bytes); }

void FlowSpill::put(const Flow& f) {
    archive::to_bytes(f, scratch_);
    file_.put(scratch_, f.first.packet);
}

Flow FlowSpill::get(std::size_t i) const { return deserialize(file_.get(i)); }

}  // namespace sshpath::flow
