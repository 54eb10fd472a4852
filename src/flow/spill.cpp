#include "sshpath/flow/spill.h"

namespace sshpath::flow {

std::vector<char> serialize(const Flow& f) { return archive::to_bytes(f); }

Flow deserialize(const std::vector<char>& bytes) { return archive::from_bytes<Flow>(bytes); }

void FlowSpill::put(const Flow& f) { file_.put(serialize(f), f.first.packet); }

Flow FlowSpill::get(std::size_t i) const { return deserialize(file_.get(i)); }

}  // namespace sshpath::flow
