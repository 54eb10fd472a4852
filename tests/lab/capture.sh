# shellcheck shell=bash
# Failure lab: the captures, on the client and on the VM, and the checks over them (sourced by
# lib.sh).

# --- capture ---------------------------------------------------------------------------------
# Which interface, filter and link-layer type the client's capture uses: the lab's defaults, or
# a scenario's CAPTURE_IFACE, CAPTURE_FILTER and CAPTURE_LINKTYPE (tcpdump -y).
lab_capture_iface() { printf '%s\n' "${CAPTURE_IFACE:-$LAB_CAPTURE_IFACE}"; }
lab_capture_filter() { printf '%s\n' "${CAPTURE_FILTER:-$LAB_CAPTURE_FILTER}"; }

# lab_capture_cmd ROLE FILE SNAPLEN: the tcpdump command line that records ROLE's side (cl: the
# client's interface, with the scenario's filter; vm: the VM's eth0, with the lab's filter).
lab_capture_cmd() {
    local role=$1 file=$2 snaplen=$3
    if [ "$role" = cl ]; then
        LAB_CMD=(tcpdump -n -i "$(lab_capture_iface)")
        [ -z "${CAPTURE_LINKTYPE:-}" ] || LAB_CMD+=(-y "$CAPTURE_LINKTYPE")
        LAB_CMD+=(-w "$file" -U -s "$snaplen" -Z root "$(lab_capture_filter)")
    else
        LAB_CMD=(tcpdump -n -i eth0 -w "$file" -U -s "$snaplen" -Z root "$LAB_CAPTURE_FILTER")
    fi
}
# lab_capture_text ROLE SNAPLEN NAME: how ROLE's capture was taken, for expected.json.
lab_capture_text() {
    local ns=client
    [ "$1" = vm ] && ns=vm
    lab_capture_cmd "$1" "$3" "$2"
    printf 'in the %s namespace: %s' "$ns" "${LAB_CMD[*]:0:${#LAB_CMD[@]}-1} '${LAB_CMD[-1]}'"
}

LAB_TCPDUMP_PIDS=()
LAB_CAPTURE_FILES=()
# lab_capture_start PCAP [SNAPLEN] [VM_PCAP]: tcpdump on the client (and, with VM_PCAP, at the
# same time on the VM's interface, which sees packets before the VM's own firewall); returns
# once every tcpdump listens.
lab_capture_start() {
    local pcap=$1 snaplen=${2:-0} vm_pcap=${3:-} role file err
    LAB_TCPDUMP_PIDS=(); LAB_CAPTURE_FILES=()
    for role in cl vm; do
        file=$pcap
        if [ "$role" = vm ]; then [ -n "$vm_pcap" ] || continue; file=$vm_pcap; fi
        err="$LAB_TMP/tcpdump-$role.err"
        lab_capture_cmd "$role" "$file" "$snaplen"
        lab_bg "$role" "$err" "${LAB_CMD[@]}"
        LAB_TCPDUMP_PIDS+=("$LAB_LAST_PID")
        LAB_CAPTURE_FILES+=("$file")
    done
    for role in cl vm; do
        err="$LAB_TMP/tcpdump-$role.err"
        [ -e "$err" ] || continue
        lab_wait_until "$LAB_READY_TIMEOUT" grep -q 'listening on' "$err" \
            || lab_die "tcpdump ($role) did not start: $(cat "$err")"
    done
}

# lab_capture_size: the bytes written so far by every running capture, together (one stat).
lab_capture_size() {
    local s total=0
    for s in $(stat -c %s "${LAB_CAPTURE_FILES[@]}" 2>/dev/null); do total=$((total + s)); done
    echo "$total"
}

# lab_capture_stop: waits until no packet arrived in any capture for LAB_QUIET_SECONDS (at most
# LAB_QUIET_MAX seconds), then stops every tcpdump with SIGINT. Times in microseconds from
# EPOCHREALTIME: the loop starts two processes a round (sleep, stat), not seven.
lab_capture_stop() {
    local last size quiet_since deadline pid quiet_us
    quiet_us=$(awk -v q="$LAB_QUIET_SECONDS" 'BEGIN { printf "%d", q * 1000000 }')
    deadline=$((SECONDS + LAB_QUIET_MAX))
    last=$(lab_capture_size)
    quiet_since=${EPOCHREALTIME//[!0-9]/}
    while [ "$SECONDS" -lt "$deadline" ]; do
        sleep 0.1
        size=$(lab_capture_size)
        if [ "$size" != "$last" ]; then
            last=$size
            quiet_since=${EPOCHREALTIME//[!0-9]/}
        elif (( ${EPOCHREALTIME//[!0-9]/} - quiet_since >= quiet_us )); then
            break
        fi
    done
    for pid in "${LAB_TCPDUMP_PIDS[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    for pid in "${LAB_TCPDUMP_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    LAB_TCPDUMP_PIDS=()
}

# lab_wire PCAP: one line per packet (tcpdump -v, continuation lines joined), for checks.
lab_wire() {
    tcpdump -n -v -r "$1" 2>/dev/null | awk '
        /^[ \t]/ { line = line " " $0; next }
        { if (line != "") print line; line = $0 }
        END { if (line != "") print line }'
}
# lab_wire_count PCAP ERE: how many packets match.
lab_wire_count() {
    lab_wire "$1" | grep -cE "$2" || true
}
# lab_wire_tt PCAP: as lab_wire, each line starting with the packet's epoch time (tcpdump -tt).
lab_wire_tt() {
    tcpdump -n -tt -v -r "$1" 2>/dev/null | awk '
        /^[ \t]/ { line = line " " $0; next }
        { if (line != "") print line; line = $0 }
        END { if (line != "") print line }'
}
# lab_seconds_after PCAP ERE: seconds from the first packet matching ERE to the capture's last
# packet (prints nothing when no packet matches).
lab_seconds_after() {
    lab_wire_tt "$1" | LAB_RE=$2 awk 'BEGIN { re = ENVIRON["LAB_RE"] }
        first == "" && $0 ~ re { first = $1 }
        { last = $1 }
        END { if (first != "") printf "%.3f\n", last - first }'
}
# lab_resent_segments PCAP FILTER MIN_BYTES: data segments (of at least MIN_BYTES) that start
# below the highest sequence number already seen in their direction: retransmissions.
lab_resent_segments() {
    tcpdump -n -S -r "$1" "$2" 2>/dev/null | awk -v min="$3" '
        match($0, /seq [0-9]+:[0-9]+/) {
            split(substr($0, RSTART + 4, RLENGTH - 4), r, ":")
            dir = $3
            if ((dir in top) && r[1] + 0 < top[dir] && r[2] - r[1] >= min + 0) n++
            if (!(dir in top) || r[2] + 0 > top[dir]) top[dir] = r[2] + 0
        }
        END { print n + 0 }'
}
# lab_wire_last PCAP: the capture's last packet (one line, as lab_wire).
lab_wire_last() {
    lab_wire "$1" | tail -n 1
}

# Wire-check helpers for scenario_check (each prints what is wrong and fails).
want_at_least() { # PCAP N ERE WHAT
    local n; n=$(lab_wire_count "$1" "$3")
    [ "$n" -ge "$2" ] || { echo "expected at least $2 $4, saw $n"; return 1; }
}
want_none() { # PCAP ERE WHAT
    local n; n=$(lab_wire_count "$1" "$2")
    [ "$n" -eq 0 ] || { echo "expected no $3, saw $n"; return 1; }
}
want_exactly() { # PCAP N ERE WHAT
    local n; n=$(lab_wire_count "$1" "$3")
    [ "$n" -eq "$2" ] || { echo "expected exactly $2 $4, saw $n"; return 1; }
}
want_last() { # PCAP ERE WHAT: the capture's last packet matches
    lab_wire_last "$1" | grep -qE "$2" || { echo "expected the last packet to be $3, it is: $(lab_wire_last "$1")"; return 1; }
}
want_seconds_after() { # PCAP ERE MIN WHAT: the capture goes on at least MIN s after the first match
    local s; s=$(lab_seconds_after "$1" "$2")
    [ -n "$s" ] || { echo "expected $4, saw none"; return 1; }
    awk -v s="$s" -v m="$3" 'BEGIN { exit !(s >= m) }' \
        || { echo "expected the capture to go on at least $3 s after $4, it ends $s s after it"; return 1; }
}

# want_gateway_resolved PCAP 4|6: the client and its gateway resolved each other's link-layer
# address inside the capture: the client's ARP request or neighbour solicitation for the
# gateway, or the gateway's for the client (from which the client's kernel learns the gateway's
# address too, so that it need not ask), or the answer.
want_gateway_resolved() {
    local gw
    if [ "$2" = 6 ]; then
        gw=$(lab_client_gateway6)
        want_at_least "$1" 1 "(neighbor solicitation, .*who has ($gw|$CL6)([^0-9a-f:]|\$)|neighbor advertisement, tgt is $gw([^0-9a-f:]|\$))" \
            "neighbour solicitation or advertisement between the client and its gateway $gw"
    else
        gw=$(lab_client_gateway4)
        want_at_least "$1" 1 "ARP, .*(Request who-has $gw tell $CL4,|Request who-has $CL4 tell $gw,|Reply $gw is-at)" \
            "ARP between the client and its gateway $gw"
    fi
}
# want_linktype PCAP TYPE: the capture's link-layer header type (tcpdump's name, e.g. LINUX_SLL2).
want_linktype() {
    local got
    got=$(tcpdump -r "$1" -c 1 2>&1 >/dev/null | sed -n 's/.*link-type \([^ ]*\).*/\1/p' | head -n 1)
    [ "$got" = "$2" ] || { echo "expected link-type $2, the capture has ${got:-none}"; return 1; }
}
# want_vlan_tagged PCAP VID: every frame of the capture carries 802.1Q tag VID.
want_vlan_tagged() {
    local all tagged
    all=$(tcpdump -n -e -r "$1" 2>/dev/null | grep -c '' || true)
    tagged=$(tcpdump -n -e -r "$1" 2>/dev/null | grep -c "ethertype 802\.1Q (0x8100), length [0-9]*: vlan $2," || true)
    if [ "$all" -eq 0 ] || [ "$all" != "$tagged" ]; then
        echo "expected every frame tagged VLAN $2: $tagged of $all are"
        return 1
    fi
}
# lab_first_match PCAP ERE: the first packet (lab_wire line) that matches ERE.
lab_first_match() {
    lab_wire "$1" | grep -m 1 -E "$2" || true
}
# want_text PCAP N TEXT WHAT: at least N packets whose payload holds TEXT (tcpdump -A, fixed string).
want_text() {
    local n
    n=$(tcpdump -n -A -r "$1" 2>/dev/null | grep -caF -- "$3" || true)
    [ "$n" -ge "$2" ] || { echo "expected at least $2 $4, saw $n"; return 1; }
}
