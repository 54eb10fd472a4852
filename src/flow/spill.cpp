#include "sshpath/flow/spill.h"

#include "sshpath/core/error.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace sshpath::flow {
namespace {

// One field list per structure, used both ways: Out appends the bytes of each field, In reads
// them back in the same order. Plain structures (no pointers, no strings) are copied as bytes.
struct Out {
    std::vector<char>& bytes;
    void raw(const void* p, std::size_t n) {
        if (n == 0) return;  // an empty container's data() may be null
        const char* c = static_cast<const char*>(p);
        bytes.insert(bytes.end(), c, c + n);
    }
};

struct In {
    const char* p;
    const char* end;
    void raw(void* dst, std::size_t n) {
        if (n == 0) return;  // an empty container's data() may be null
        if (static_cast<std::size_t>(end - p) < n) throw Error("spilled connection cut short");
        std::memcpy(dst, p, n);
        p += n;
    }
};

template <typename T>
constexpr bool kPlain = std::is_trivially_copyable_v<T> && !std::is_pointer_v<T>;

// The structures with strings or containers inside, declared first so that the container
// templates below find them.
template <typename Ar> void field(Ar& ar, TimelineEntry& v);
template <typename Ar> void field(Ar& ar, Direction& v);
template <typename Ar> void field(Ar& ar, ssh::Banner& v);
template <typename Ar> void field(Ar& ar, ssh::KexInit& v);
template <typename Ar> void field(Ar& ar, ssh::Disconnect& v);
template <typename Ar> void field(Ar& ar, ssh::Negotiated& v);
template <typename Ar> void field(Ar& ar, ssh::ProxyRequest& v);
template <typename Ar> void field(Ar& ar, ssh::ProxyReply& v);
template <typename Ar> void field(Ar& ar, ssh::HostKey& v);
template <typename Ar> void field(Ar& ar, ssh::DirectionView& v);
template <typename Ar> void field(Ar& ar, SshView& v);
template <typename Ar> void field(Ar& ar, Flow& v);

template <typename Ar, typename T>
    requires kPlain<T>
void field(Ar& ar, T& v) {
    ar.raw(&v, sizeof v);
}

template <typename Ar, typename A, typename B>
void field(Ar& ar, std::pair<A, B>& p) {
    field(ar, p.first);
    field(ar, p.second);
}

template <typename Ar>
std::uint64_t count(Ar& ar, std::uint64_t n) {
    ar.raw(&n, sizeof n);
    return n;
}

template <typename Ar>
void field(Ar& ar, std::string& s) {
    const std::uint64_t n = count(ar, s.size());
    if constexpr (std::is_same_v<Ar, In>) {
        if (n > static_cast<std::uint64_t>(ar.end - ar.p)) throw Error("spilled connection cut short");
        s.resize(n);
    }
    ar.raw(s.data(), s.size());
}

template <typename Ar, typename T>
void field(Ar& ar, std::vector<T>& v) {
    const std::uint64_t n = count(ar, v.size());
    if constexpr (std::is_same_v<Ar, In>) {
        if (n > static_cast<std::uint64_t>(ar.end - ar.p)) throw Error("spilled connection cut short");
        v.resize(n);
    }
    if constexpr (kPlain<T>)
        ar.raw(v.data(), v.size() * sizeof(T));
    else
        for (auto& e : v) field(ar, e);
}

template <typename Ar, typename T>
void field(Ar& ar, std::optional<T>& o) {
    bool has = o.has_value();
    field(ar, has);
    if constexpr (std::is_same_v<Ar, In>) {
        if (has) o.emplace();
    }
    if (has) field(ar, *o);
}

template <typename Ar, typename K, typename V>
void field(Ar& ar, std::map<K, V>& m) {
    const std::uint64_t n = count(ar, m.size());
    if constexpr (std::is_same_v<Ar, In>) {
        for (std::uint64_t i = 0; i < n; ++i) {
            std::pair<K, V> e;
            field(ar, e.first);
            field(ar, e.second);
            m.emplace(std::move(e));
        }
    } else {
        for (auto& [k, v] : m) {
            K key = k;
            field(ar, key);
            field(ar, v);
        }
    }
}

template <typename Ar, typename... T>
void fields(Ar& ar, T&... v) {
    (field(ar, v), ...);
}

template <typename Ar>
void field(Ar& ar, TimelineEntry& v) {
    fields(ar, v.packet, v.time, v.from, v.text);
}

template <typename Ar>
void field(Ar& ar, Direction& v) {
    fields(ar, v.isn_known, v.isn, v.base_known, v.base, v.contiguous, v.max_end, v.stream, v.pending, v.segments,
           v.packets, v.payload_bytes, v.retransmits, v.hole_fills, v.dup_acks, v.last_ack, v.last_window,
           v.acked_anything, v.max_segment, v.first_ttl, v.ttl_varies, v.first_data, v.last_data, v.fin,
           v.stream_capped, v.kept, v.parse_at, v.payload_cut);
}

template <typename Ar>
void field(Ar& ar, ssh::Banner& v) {
    fields(ar, v.text, v.proto_version, v.software_version, v.comments, v.valid, v.problem);
}

template <typename Ar>
void field(Ar& ar, ssh::KexInit& v) {
    fields(ar, v.kex, v.host_key, v.cipher_c2s, v.cipher_s2c, v.mac_c2s, v.mac_s2c, v.compression_c2s,
           v.compression_s2c, v.first_kex_packet_follows);
}

template <typename Ar>
void field(Ar& ar, ssh::Disconnect& v) {
    fields(ar, v.reason, v.description);
}

template <typename Ar>
void field(Ar& ar, ssh::Negotiated& v) {
    fields(ar, v.kex, v.host_key, v.cipher, v.mac, v.compression, v.no_common);
}

template <typename Ar>
void field(Ar& ar, ssh::ProxyRequest& v) {
    fields(ar, v.kind, v.complete, v.consumed, v.target_host, v.target_port);
}

template <typename Ar>
void field(Ar& ar, ssh::ProxyReply& v) {
    fields(ar, v.complete, v.consumed, v.granted, v.status, v.text);
}

template <typename Ar>
void field(Ar& ar, ssh::HostKey& v) {
    fields(ar, v.blob, v.type);
}

template <typename Ar>
void field(Ar& ar, ssh::DirectionView& v) {
    fields(ar, v.pre_banner_lines, v.banner, v.banner_end, v.first_line, v.first_bytes, v.kexinit, v.kexinit_end,
           v.disconnect, v.disconnect_end, v.message_types, v.newkeys, v.kex_messages, v.host_key, v.data_after_banner,
           v.too_many_lines, v.overlong_line);
}

template <typename Ar>
void field(Ar& ar, SshView& v) {
    fields(ar, v.proxy_request, v.proxy_reply, v.proxy_request_ref, v.proxy_reply_ref, v.client, v.server,
           v.client_banner_ref, v.server_banner_ref, v.client_kexinit_ref, v.server_kexinit_ref, v.disconnect_ref,
           v.disconnect_from_server, v.negotiated, v.ssh1);
}

template <typename Ar>
void field(Ar& ar, Flow& v) {
    fields(ar, v.client, v.server, v.client_port, v.server_port, v.first, v.last, v.c2s, v.s2c, v.syns, v.synacks,
           v.handshake_ack, v.syns_after_synack, v.rsts, v.icmps, v.client_acks_unseen, v.server_acks_unseen,
           v.client_unacked_max, v.client_unacked_retransmits, v.client_max_acked_segment, v.timeline,
           v.timeline_omitted, v.interesting, v.ignored, v.ssh, v.encrypted, v.unacked);
}

}  // namespace

std::vector<char> serialize(const Flow& f) {
    std::vector<char> bytes;
    Out out{bytes};
    field(out, const_cast<Flow&>(f));  // Out only reads
    return bytes;
}

Flow deserialize(const std::vector<char>& bytes) {
    Flow f;
    In in{bytes.data(), bytes.data() + bytes.size()};
    field(in, f);
    if (in.p != in.end) throw Error("spilled connection has trailing bytes");
    return f;
}

FlowSpill::FlowSpill() : file_(std::tmpfile()) {
    if (file_ == nullptr)
        throw Error(std::string("cannot create a temporary file: ") + std::strerror(errno));
}

FlowSpill::~FlowSpill() {
    if (file_ != nullptr) std::fclose(file_);
}

void FlowSpill::put(const Flow& f) {
    const std::vector<char> bytes = serialize(f);
    if (std::fseek(file_, static_cast<long>(end_), SEEK_SET) != 0 ||
        std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
        throw Error(std::string("cannot write a temporary file: ") + std::strerror(errno));
    index_.push_back(Slot{f.first.packet, end_, bytes.size()});
    end_ += bytes.size();
}

void FlowSpill::sort() {
    std::sort(index_.begin(), index_.end(), [](const Slot& a, const Slot& b) { return a.first_packet < b.first_packet; });
}

Flow FlowSpill::get(std::size_t i) const {
    const Slot& s = index_.at(i);
    buffer_.resize(s.size);
    if (std::fflush(file_) != 0 || std::fseek(file_, static_cast<long>(s.offset), SEEK_SET) != 0 ||
        std::fread(buffer_.data(), 1, s.size, file_) != s.size)
        throw Error(std::string("cannot read back a temporary file: ") + std::strerror(errno));
    return deserialize(buffer_);
}

}  // namespace sshpath::flow
