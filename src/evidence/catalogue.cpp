#include <stdexcept>

#include "sshpath/evidence/facts.h"

#include <array>
#include <unordered_map>

namespace sshpath::evidence {

namespace {
constexpr auto F = Scope::kFlow;
constexpr auto C = Scope::kCapture;
constexpr auto B = FactType::kBool;
constexpr auto I = FactType::kInt;
constexpr auto R = FactType::kReal;
constexpr auto S = FactType::kString;
}  // namespace

const std::vector<FactSpec>& catalogue() {
    // The order here is the order of the README's fact table and of `sshpath facts`.
    static const std::vector<FactSpec> facts = {
        // --- identity
        {"client", F, S, "\"\"", "client address and port, e.g. 198.51.100.10:40522"},
        {"server", F, S, "\"\"", "server address and port (the SSH server, or the proxy when one is used)"},
        {"server_address", F, S, "\"\"", "server address alone"},
        {"server_port", F, I, "-1", "server TCP port"},
        {"ip_version", F, I, "-1", "4 or 6"},
        {"on_ssh_port", F, B, "false", "the server port is the SSH port being analysed (--port, default 22)"},
        {"first_packet", F, I, "-1", "number of the flow's first packet in the capture"},
        {"start_time", F, R, "-1", "seconds from the capture's start to the flow's first packet"},
        {"duration_s", F, R, "0", "seconds from the flow's first to its last packet"},
        {"until_capture_end_s", F, R, "0", "seconds from the flow's last packet to the end of the capture"},
        {"client_packets", F, I, "0", "packets from the client seen"},
        {"server_packets", F, I, "0", "packets from the server seen (ICMP errors excluded)"},
        // --- proxy
        {"via_proxy", F, B, "false", "the client asked a proxy for the connection (HTTP CONNECT, SOCKS4 or SOCKS5 request seen)"},
        {"proxy_kind", F, S, "\"\"", "http-connect, socks4 or socks5"},
        {"proxy_target", F, S, "\"\"", "host:port the client asked the proxy for"},
        {"proxy_target_port", F, I, "-1", "port the client asked the proxy for"},
        {"proxy_answered", F, B, "false", "the proxy's reply was seen"},
        {"proxy_granted", F, B, "false", "the proxy's reply grants the connection (HTTP 2xx, SOCKS success)"},
        {"proxy_status", F, I, "-1", "HTTP status code, or SOCKS reply code (SOCKS5 REP, SOCKS4 CD)"},
        {"proxy_reply", F, S, "\"\"", "the proxy's status line or reply meaning, e.g. \"HTTP/1.0 403 Access violation\""},
        // --- TCP handshake
        {"syn_seen", F, B, "false", "the client's SYN is in the capture"},
        {"syn_count", F, I, "0", "SYNs the client sent (first one and retransmissions)"},
        {"syn_retransmits", F, I, "0", "SYN retransmissions (syn_count - 1 when a SYN was seen)"},
        {"syn_span_s", F, R, "0", "seconds from the first to the last SYN"},
        {"syn_backoff", F, B, "false", "the gaps between SYN retransmissions grow (exponential back-off)"},
        {"synack_seen", F, B, "false", "a SYN-ACK from the server is in the capture"},
        {"synack_count", F, I, "0", "SYN-ACKs from the server (retransmissions included)"},
        {"synack_to_our_syn", F, B, "false", "the SYN-ACK acknowledges one of the client's SYNs (ack = ISN + 1)"},
        {"syns_after_synack", F, I, "0", "SYNs the client sent after a SYN-ACK arrived (the SYN-ACK never reached its TCP stack)"},
        {"handshake_completed", F, B, "false", "the client acknowledged the SYN-ACK"},
        {"handshake_rtt_ms", F, R, "-1", "milliseconds from the SYN answered to the SYN-ACK"},
        {"client_mss", F, I, "-1", "MSS option of the client's SYN"},
        {"server_mss", F, I, "-1", "MSS option of the server's SYN-ACK"},
        {"client_syn_options", F, S, "\"\"", "options of the client's SYN, e.g. mss,sack,ts,wscale"},
        {"server_syn_options", F, S, "\"\"", "options of the server's SYN-ACK"},
        // --- hop distances
        {"client_ttl", F, I, "-1", "TTL/hop limit of the client's packets as captured"},
        {"server_ttl", F, I, "-1", "TTL/hop limit of the server's first packet (SYN-ACK or data)"},
        {"server_hops", F, I, "-1", "hop distance of the server: guessed initial TTL (64, 128, 255) minus server_ttl"},
        {"server_hops_source", F, S, "\"\"", "what server_hops was measured on: this-flow, or other-flow (another connection to the same address)"},
        {"server_ttl_varies", F, B, "false", "the server's packets (other than resets) arrive with more than one TTL"},
        // --- resets and closes
        {"server_rst_seen", F, B, "false", "a RST claiming to come from the server"},
        {"server_rst_packet", F, I, "-1", "packet number of the first such RST"},
        {"server_rst_stage", F, S, "\"\"", "when it came: syn (answering the SYN, before any SYN-ACK), handshake, banner (before the server's identification string), data"},
        {"server_rst_ttl", F, I, "-1", "TTL/hop limit of that RST"},
        {"server_rst_hops", F, I, "-1", "hop distance of that RST"},
        {"server_rst_hop_delta", F, I, "-1", "absolute difference between server_rst_hops and server_hops (-1 when either is unknown)"},
        {"server_rst_seq_ok", F, B, "false", "the RST's sequence number is in the server's window (RFC 5961), or it acknowledges the SYN"},
        {"server_rst_after_client_data_ms", F, R, "-1", "milliseconds from the client's last data segment to the RST (-1: no client data before it)"},
        {"client_rst_seen", F, B, "false", "the client sent a RST"},
        {"server_fin_seen", F, B, "false", "the server sent a FIN"},
        {"client_fin_seen", F, B, "false", "the client sent a FIN"},
        {"closed_first_by", F, S, "\"\"", "who sent the first FIN or RST: client, server or \"\""},
        {"server_close_hops", F, I, "-1", "hop distance of the server's first FIN or RST"},
        // --- ICMP errors quoting the flow
        {"icmp_errors", F, I, "0", "ICMP/ICMPv6 errors that quote one of the flow's packets"},
        {"icmp_packet", F, I, "-1", "packet number of the first such error"},
        {"icmp_type", F, I, "-1", "its type"},
        {"icmp_code", F, I, "-1", "its code"},
        {"icmp_kind", F, S, "\"\"", "its meaning: admin-prohibited, host-prohibited, net-prohibited, port-unreachable, host-unreachable, net-unreachable, proto-unreachable, frag-needed, packet-too-big, time-exceeded, no-route, addr-unreachable, other"},
        {"icmp_source", F, S, "\"\"", "address that sent it"},
        {"icmp_from_server", F, B, "false", "it was sent from the server's own address"},
        {"icmp_source_hops", F, I, "-1", "hop distance of its sender"},
        {"icmp_too_big_seen", F, B, "false", "a fragmentation-needed or packet-too-big error quotes the flow"},
        // --- data
        {"client_bytes", F, I, "0", "payload bytes from the client (reassembled, each byte once)"},
        {"server_bytes", F, I, "0", "payload bytes from the server (reassembled, each byte once)"},
        {"server_data_seen", F, B, "false", "the server sent payload"},
        {"client_data_seen", F, B, "false", "the client sent payload"},
        {"server_silence_s", F, R, "-1", "when the handshake completed and the server sent nothing: seconds from the handshake to the flow's last packet (or the capture's end, whichever is later)"},
        {"client_retransmits", F, I, "0", "client data segments sent again (retransmissions)"},
        {"server_retransmits", F, I, "0", "server data segments sent again"},
        {"client_dup_acks", F, I, "0", "duplicate ACKs from the client"},
        {"server_dup_acks", F, I, "0", "duplicate ACKs from the server"},
        {"client_max_acked_segment", F, I, "0", "largest client segment (payload bytes) the server acknowledged"},
        {"client_stalled_segment", F, I, "0", "payload size of a client segment retransmitted and never acknowledged (0: none)"},
        {"client_stalled_retransmits", F, I, "0", "how many times that segment was retransmitted"},
        {"server_max_segment", F, I, "0", "largest server segment (payload bytes) seen"},
        {"server_stream_hole", F, B, "false", "the server's byte stream has a gap that was never filled (data after it arrived, the missing bytes never did)"},
        {"client_acks_unseen_data", F, B, "false", "the client acknowledged server bytes (or a SYN-ACK) that are not in the capture"},
        {"server_acks_unseen_data", F, B, "false", "the server acknowledged client bytes (or a SYN) that are not in the capture"},
        {"payload_cut", F, B, "false", "the snap length cut some of the flow's payload"},
        // --- SSH
        {"client_banner", F, S, "\"\"", "the client's identification string (without CR LF)"},
        {"server_banner", F, S, "\"\"", "the server's identification string"},
        {"client_banner_seen", F, B, "false", "the client's identification string is in the capture"},
        {"server_banner_seen", F, B, "false", "the server's identification string is in the capture"},
        {"server_banner_packet", F, I, "-1", "packet number that completed the server's identification string"},
        {"server_banner_valid", F, B, "false", "the server's identification string follows RFC 4253 4.2"},
        {"server_banner_problem", F, S, "\"\"", "what is wrong with it, when not valid"},
        {"client_banner_valid", F, B, "false", "the client's identification string follows RFC 4253 4.2"},
        {"ssh_version", F, S, "\"\"", "protocol version the server announced: 2.0, 1.99 or 1.x"},
        {"server_pre_banner_lines", F, I, "0", "lines the server sent before its identification string"},
        {"server_first_line", F, S, "\"\"", "the first line the server sent (printable, at most 120 characters)"},
        {"server_first_bytes", F, S, "\"\"", "what the server's first bytes look like: ssh, http, tls, text, binary, or \"\" (none)"},
        {"client_kexinit_seen", F, B, "false", "the client's KEXINIT is in the capture"},
        {"server_kexinit_seen", F, B, "false", "the server's KEXINIT is in the capture"},
        {"kex_alg", F, S, "\"\"", "negotiated key exchange (the first client choice the server also offers)"},
        {"host_key_alg", F, S, "\"\"", "negotiated host key algorithm"},
        {"cipher_alg", F, S, "\"\"", "negotiated cipher, client to server"},
        {"mac_alg", F, S, "\"\"", "negotiated MAC, client to server (\"\" with AEAD ciphers' implicit MAC when none is offered)"},
        {"compression_alg", F, S, "\"\"", "negotiated compression, client to server"},
        {"kex_no_common", F, S, "\"\"", "first category with no algorithm in common: kex, host_key, cipher, mac, compression; \"\" if all agree or KEXINITs are missing"},
        {"disconnect_seen", F, B, "false", "an SSH_MSG_DISCONNECT was sent in the clear"},
        {"disconnect_by", F, S, "\"\"", "client or server"},
        {"disconnect_reason", F, I, "-1", "its reason code (RFC 4253 11.1)"},
        {"disconnect_text", F, S, "\"\"", "its description text"},
        {"ssh_stage", F, S, "\"\"", "how far the conversation got: syn, handshake, banners, kexinit, kex, encrypted"},
        {"ssh_stage_rank", F, I, "0", "the same as a number: 0 nothing, 1 syn, 2 handshake, 3 banners, 4 kexinit, 5 kex, 6 encrypted"},
        {"speaks_ssh", F, B, "false", "either side sent an SSH identification string"},
        // --- capture scope
        {"packets", C, I, "0", "packets in the capture"},
        {"capture_duration_s", C, R, "0", "seconds from the first to the last packet"},
        {"flows", C, I, "0", "connections analysed (SSH attempts)"},
        {"ssh_port", C, I, "22", "the SSH port analysed (--port)"},
        {"host_filter", C, S, "\"\"", "the --host given, or \"\""},
        {"tcp_flows_other", C, I, "0", "TCP connections seen that are not SSH attempts"},
        {"capture_truncated", C, B, "false", "the file ends in the middle of a packet"},
        {"malformed_packets", C, I, "0", "packets whose headers were inconsistent"},
        {"payload_cut_packets", C, I, "0", "packets whose payload the snap length cut"},
        {"link_type", C, S, "\"\"", "link-layer type of the capture"},
        // --- live capture and `sshpath run` (README: capture and run). Facts that come from
        // outside the packets: set on the capture and, for the flow scope, on every connection.
        {"kernel_drops", C, I, "0", "live capture: packets that passed the filter but the kernel dropped (its buffer was full); the capture misses them"},
        {"interface_drops", C, I, "0", "live capture: packets the interface or its driver dropped meanwhile (pcap ps_ifdrop; any packet, not only this connection's)"},
        {"client_error", C, S, "\"\"", "sshpath run: the line of the client's standard error that says why it failed, e.g. \"ssh: connect to host 203.0.113.7 port 22: Connection refused\""},
        {"client_error_kind", C, S, "\"\"", "sshpath run: what that line says: timed-out, refused, no-route, net-unreachable, not-permitted, banner-timeout, closed-before-banner, closed, reset, bad-banner, kex-mismatch, auth-denied, host-key, resolve, proxy; other (an error line none of these), none (the command succeeded or printed no error); \"\" when no command ran"},
        {"command_exit_status", C, I, "-1", "sshpath run: the command's exit status (128 + N when signal N ended it); -1 when no command ran"},
        {"client_error", F, S, "\"\"", "the capture fact client_error, on every connection of the capture"},
        {"client_error_kind", F, S, "\"\"", "the capture fact client_error_kind, on every connection of the capture"},
        {"command_exit_status", F, I, "-1", "the capture fact command_exit_status, on every connection of the capture"},
        {"kernel_drops", F, I, "0", "the capture fact kernel_drops, on every connection of the capture"},
    };
    return facts;
}

const FactSpec* find_fact(std::string_view name, Scope scope) {
    // Facts are looked up by name for every rule condition and every fact set: hashed once.
    static const auto index = [] {
        std::unordered_map<std::string_view, const FactSpec*> by_name[2];
        for (const auto& f : catalogue()) by_name[f.scope == Scope::kFlow ? 0 : 1].emplace(f.name, &f);
        return std::to_array(by_name);
    }();
    const auto& names = index[scope == Scope::kFlow ? 0 : 1];
    auto it = names.find(name);
    return it == names.end() ? nullptr : it->second;
}

Value default_value(const FactSpec& spec) {
    switch (spec.type) {
    case FactType::kBool: return spec.unset == "true";
    case FactType::kInt: return static_cast<std::int64_t>(std::stoll(std::string(spec.unset)));
    case FactType::kReal: return std::stod(std::string(spec.unset));
    case FactType::kString: return std::string();
    }
    throw std::logic_error("unknown fact type");
}

std::string_view type_name(FactType t) {
    switch (t) {
    case FactType::kBool: return "bool";
    case FactType::kInt: return "int";
    case FactType::kReal: return "real";
    case FactType::kString: return "string";
    }
    return "?";
}

std::string_view scope_name(Scope s) { return s == Scope::kFlow ? "flow" : "capture"; }

}  // namespace sshpath::evidence
