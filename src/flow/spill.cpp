#include "sshpath/flow/spill.h"

#include "sshpath/core/error.h"

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

FinishedFlows::FinishedFlows(std::deque<Flow> flows, std::shared_ptr<FlowSpill> spill)
    : flows_(std::move(flows)), spill_(std::move(spill)), left_(spill_ ? spill_->size() : flows_.size()) {
    if (spill_) reader_.emplace(*spill_);
}

Flow* FinishedFlows::peek() {
    if (!spill_) return flows_.empty() ? nullptr : &flows_.front();
    if (!loaded_ && left_ > 0) {
        if (!reader_->next(read_)) throw Error("the temporary file holds fewer connections than were put");
        loaded_ = true;
    }
    return loaded_ ? &read_ : nullptr;
}

void FinishedFlows::pop() {
    if (!spill_) {
        if (!flows_.empty()) flows_.pop_front(), --left_;
    } else if (loaded_) {
        loaded_ = false;
        --left_;
    }
}

}  // namespace sshpath::flow
