# shellcheck shell=bash
# Failure lab: the topology (sourced by lib.sh).
#
#   client ── orgedge ── internet ── cloudedge ── vm                 (standard)
#   client ── lanrouter ── orgedge ── internet ── cloudedge ── vm    (LAB_LAN_ROUTER=1)
#
# What a scenario may vary (set in its file, read by lab_up):
#   LAB_LAN_ROUTER=1     a LAN router between the client and the edge: the edge is hop 2
#   LAB_CLIENT_VLAN=VID  the client's link carries 802.1Q tag VID on both of its ends
#   LAB_VM_TTL=N         the VM's initial TTL and IPv6 hop limit (64 unless set: 128, 255)
#   LAB_CORE_MTU=N       the MTU of the internet-cloudedge link (IPv4 only below 1280)

# lab_ns ROLE: the namespace name of a role (cl lr oe in ce vm) in this run.
lab_ns() { printf '%s-%s' "$LAB_PREFIX" "$1"; }
lab_exec() { local ns; ns=$(lab_ns "$1"); shift; ip netns exec "$ns" "$@"; }

# lab_veth ROLE_A IF_A ROLE_B IF_B [MTU]: a veth pair created straight inside the two namespaces.
# gso_max_segs 1 makes TCP hand the device single segments, so the capture shows packets as
# they are on a real wire instead of 64 KB TSO super-packets.
lab_veth() {
    local a b mtu=${5:-1500}
    a=$(lab_ns "$1"); b=$(lab_ns "$3")
    ip link add "$2" netns "$a" mtu "$mtu" gso_max_segs 1 type veth \
        peer name "$4" netns "$b" mtu "$mtu" gso_max_segs 1
    lab_no_offload "$a" "$2"
    lab_no_offload "$b" "$4"
    ip -n "$a" link set "$2" up
    ip -n "$b" link set "$4" up
}

# lab_no_offload NS IFACE: checksums computed in software, no TSO/GSO, so the capture holds
# correct checksums and MTU-sized packets as a physical wire would (needs ethtool).
LAB_ETHTOOL=$(command -v ethtool || true)
lab_no_offload() {
    if [ -n "$LAB_ETHTOOL" ]; then
        ip netns exec "$1" "$LAB_ETHTOOL" -K "$2" tx off tso off gso off >/dev/null 2>&1 || true
    elif [ -z "${LAB_WARNED_ETHTOOL:-}" ]; then
        LAB_WARNED_ETHTOOL=1
        lab_log "ethtool not found: captures will show TCP checksums as incorrect (offload)"
    fi
}

lab_addr() { # ROLE IFACE ADDR/LEN
    local ns; ns=$(lab_ns "$1")
    case $3 in
        *:*) ip -n "$ns" -6 addr add "$3" dev "$2" nodad ;;
        *) ip -n "$ns" addr add "$3" dev "$2" ;;
    esac
}

# lab_roles: the roles of this run's topology, client first.
lab_roles() {
    if [ "${LAB_LAN_ROUTER:-0}" = 1 ]; then echo cl lr oe in ce vm; else echo cl oe in ce vm; fi
}
# lab_client_gateway4 / lab_client_gateway6: the client's default gateway (its first hop).
lab_client_gateway4() { if [ "${LAB_LAN_ROUTER:-0}" = 1 ]; then echo "$LR4_CL"; else echo "$OE4_CL"; fi; }
lab_client_gateway6() { if [ "${LAB_LAN_ROUTER:-0}" = 1 ]; then echo "$LR6_CL"; else echo "$OE6_CL"; fi; }

# lab_up: creates the namespaces, links, addresses and static routes of this run's topology.
# LAB_PREFIX and LAB_TMP must be set.
lab_up() {
    local role ns lan=${LAB_LAN_ROUTER:-0}
    for role in $(lab_roles); do
        ns=$(lab_ns "$role")
        ip netns add "$ns"
        LAB_NAMESPACES+=("$ns")
        ip -n "$ns" link set lo up
        # No duplicate address detection: otherwise the veths' link-local addresses stay
        # tentative for about 2 s and the first IPv6 packets wait in neighbour discovery (the
        # client's SYN would be retransmitted before anything answers). No router
        # solicitations either: nothing in the lab answers them, and the client's would land in
        # its capture at random moments after the link comes up.
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
            net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0
    done
    for role in $(lab_roles); do
        case $role in cl | vm) continue ;; esac
        lab_exec "$role" sysctl -qw net.ipv4.ip_forward=1
        lab_exec "$role" sysctl -qw net.ipv6.conf.all.forwarding=1
    done
    if [ -n "${LAB_VM_TTL:-}" ]; then
        # Before the VM's interface exists, so that it inherits the hop limit from "default".
        lab_exec vm sysctl -qw net.ipv4.ip_default_ttl="$LAB_VM_TTL" \
            net.ipv6.conf.all.hop_limit="$LAB_VM_TTL" net.ipv6.conf.default.hop_limit="$LAB_VM_TTL"
    fi

    local edge_in4=$OE4_CL edge_in6=$OE6_CL edge_in_len=24
    if [ "$lan" = 1 ]; then
        lab_veth cl eth0 lr eth0
        lab_veth lr eth1 oe eth0
        edge_in4=$OE4_LR edge_in6=$OE6_LR edge_in_len=26
    else
        lab_veth cl eth0 oe eth0
    fi
    lab_veth oe eth1 in eth0
    lab_veth in eth1 ce eth0 "${LAB_CORE_MTU:-1500}"
    lab_veth ce eth1 vm eth0
    if [ -n "${LAB_CLIENT_VLAN:-}" ]; then
        lab_vlan_tag cl eth0 "$LAB_CLIENT_VLAN"
        if [ "$lan" = 1 ]; then lab_vlan_tag lr eth0 "$LAB_CLIENT_VLAN"; else lab_vlan_tag oe eth0 "$LAB_CLIENT_VLAN"; fi
    fi

    if [ "$lan" = 1 ]; then
        lab_addr cl eth0 "$CL4/26";    lab_addr cl eth0 "$CL6/64"
        lab_addr lr eth0 "$LR4_CL/26"; lab_addr lr eth0 "$LR6_CL/64"
        lab_addr lr eth1 "$LR4_OE/26"; lab_addr lr eth1 "$LR6_OE/64"
    else
        lab_addr cl eth0 "$CL4/24";    lab_addr cl eth0 "$CL6/64"
    fi
    lab_addr oe eth0 "$edge_in4/$edge_in_len"; lab_addr oe eth0 "$edge_in6/64"
    lab_addr oe eth1 "$OE4_IN/24"; lab_addr oe eth1 "$OE6_IN/64"
    lab_addr in eth0 "$IN4_OE/24"; lab_addr in eth0 "$IN6_OE/64"
    lab_addr in eth1 "$IN4_CE/24"
    lab_addr ce eth0 "$CE4_IN/24"
    # IPv6 needs an MTU of at least 1280: a thinner core link carries IPv4 only.
    local core_v6=1
    [ "${LAB_CORE_MTU:-1500}" -ge 1280 ] || core_v6=0
    if [ "$core_v6" -eq 1 ]; then
        lab_addr in eth1 "$IN6_CE/64"
        lab_addr ce eth0 "$CE6_IN/64"
    fi
    lab_addr ce eth1 "$CE4_VM/24"; lab_addr ce eth1 "$CE6_VM/64"
    lab_addr vm eth0 "$VM4/24";    lab_addr vm eth0 "$VM6/64"

    ip -n "$(lab_ns cl)" route add default via "$(lab_client_gateway4)"
    ip -n "$(lab_ns cl)" -6 route add default via "$(lab_client_gateway6)"
    if [ "$lan" = 1 ]; then
        ip -n "$(lab_ns lr)" route add default via "$OE4_LR"
        ip -n "$(lab_ns lr)" -6 route add default via "$OE6_LR"
        ip -n "$(lab_ns oe)" route add 198.51.100.0/26 via "$LR4_OE"
        ip -n "$(lab_ns oe)" -6 route add 2001:db8:1::/64 via "$LR6_OE"
    fi
    ip -n "$(lab_ns oe)" route add default via "$IN4_OE"
    ip -n "$(lab_ns oe)" -6 route add default via "$IN6_OE"
    ip -n "$(lab_ns in)" route add 198.51.100.0/24 via "$OE4_IN"
    ip -n "$(lab_ns in)" -6 route add 2001:db8:1::/64 via "$OE6_IN"
    ip -n "$(lab_ns in)" route add 203.0.113.0/24 via "$CE4_IN"
    ip -n "$(lab_ns ce)" route add default via "$IN4_CE"
    if [ "$core_v6" -eq 1 ]; then
        ip -n "$(lab_ns in)" -6 route add 2001:db8:4::/64 via "$CE6_IN"
        ip -n "$(lab_ns ce)" -6 route add default via "$IN6_CE"
    fi
    ip -n "$(lab_ns vm)" route add default via "$CE4_VM"
    ip -n "$(lab_ns vm)" -6 route add default via "$CE6_VM"
}

# lab_flush_neighbours: empties the neighbour (ARP and NDP) caches of every namespace, so that
# the next packets resolve their next hop again, inside the captures.
lab_flush_neighbours() {
    local ns
    for ns in "${LAB_NAMESPACES[@]}"; do
        ip -n "$ns" -4 neigh flush all 2>/dev/null || true
        ip -n "$ns" -6 neigh flush all 2>/dev/null || true
    done
}

# lab_vlan_tag ROLE IFACE VID: IFACE sends every frame with 802.1Q tag VID and accepts only
# frames tagged VID, which it untags: the link between two such ends is a VLAN, as between two
# 802.1Q sub-interfaces. (Done with two tc BPF programs, tests/lab/vlan_tag.bpf.c, because
# kernels built without CONFIG_VLAN_8021Q have no sub-interfaces; needs clang and tc.) A capture
# on IFACE sees the tagged frames.
lab_vlan_tag() {
    local role=$1 iface=$2 vid=$3 obj="$LAB_TMP/vlan_tag-$3.o" inc
    if [ ! -f "$obj" ]; then
        command -v clang >/dev/null 2>&1 || lab_die "a VLAN scenario needs clang (scripts/install-deps)"
        inc=/usr/include/$(uname -m)-linux-gnu
        clang -O2 -target bpf -DLAB_VID="$vid" -I"$inc" -c "$LAB_DIR/vlan_tag.bpf.c" -o "$obj" \
            || lab_die "could not compile tests/lab/vlan_tag.bpf.c"
    fi
    lab_exec "$role" tc qdisc add dev "$iface" clsact
    lab_exec "$role" tc filter add dev "$iface" egress bpf direct-action obj "$obj" sec tag
    lab_exec "$role" tc filter add dev "$iface" ingress bpf direct-action obj "$obj" sec untag
}

# lab_bg ROLE LOG CMD...: starts CMD in ROLE's namespace in the background, remembers its PID.
# `ip netns exec` execs CMD, so the PID is CMD's own.
LAB_LAST_PID=""
lab_bg() {
    local ns log=$2
    ns=$(lab_ns "$1"); shift 2
    # Emptied here, not only by the child's redirection: a caller waiting for a line in the log
    # must never read what the previous process of the same name wrote there.
    : >"$log"
    ip netns exec "$ns" "$@" >>"$log" 2>&1 </dev/null &
    LAB_LAST_PID=$!
    LAB_PIDS+=("$LAB_LAST_PID")
}

# lab_listening ROLE PORT: true when something listens on TCP PORT in ROLE's namespace.
lab_listening() {
    lab_exec "$1" ss -Hltn "sport = :$2" | grep -q .
}
lab_listening_both() { # ROLE PORT: listening on IPv4 and IPv6
    local out
    out=$(lab_exec "$1" ss -Hltn "sport = :$2")
    grep -q '\[' <<<"$out" && grep -qv '\[' <<<"$out"
}

lab_wait_listening() { # ROLE PORT WHAT [both]
    local check=lab_listening
    [ "${4:-}" = both ] && check=lab_listening_both
    lab_wait_until "$LAB_READY_TIMEOUT" "$check" "$1" "$2" \
        || lab_die "$3 did not start listening on port $2 within ${LAB_READY_TIMEOUT}s"
}

