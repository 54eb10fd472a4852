# shellcheck shell=bash
# Failure lab: running a scenario (sourced by lib.sh). A scenario is a file in scenarios/ that
# sets variables and defines hooks over lab_scenario_defaults; lab_run_scenario records it.

# lab_scenario_names [live]: every scenario, or (live) those that live tests run by default.
lab_scenario_names() {
    local f
    for f in "$LAB_SCENARIOS"/*.sh; do
        if [ "${1:-}" = live ] && [ "$(lab_scenario_var "$(basename "$f" .sh)" LIVE_TEST)" != all ]; then
            continue
        fi
        basename "$f" .sh
    done
}
# lab_lab_live_names: the scenarios tests/lab/live_test runs by default (LIVE_TEST all or lab).
lab_lab_live_names() {
    local f v
    for f in "$LAB_SCENARIOS"/*.sh; do
        v=$(lab_scenario_var "$(basename "$f" .sh)" LIVE_TEST)
        [ "$v" = all ] || [ "$v" = lab ] || continue
        basename "$f" .sh
    done
}

# Defaults a scenario file may override.
# shellcheck disable=SC2034  # the scenario's variables are read by topology.sh, capture.sh and the scripts
lab_scenario_defaults() {
    DESCRIPTION=""; WIRE=""
    VM_WIRE=""            # what the VM's capture shows
    SSH_ERROR_RE=""       # ERE: a line of ssh's stderr that must appear ("" = ssh must succeed)
    SSH_ERROR_MESSAGE=""  # set by the run: the first stderr line that matched
    SSH_ERROR_TEXT=""     # overrides ssh_error in expected.json when ssh prints no error line
    EXPECT_CAUSE=""; EXPECT_COMPONENT=""; EXPECT_CANDIDATES=()
    # The verdict on the pair (the client's capture and the VM's), and the segment where the
    # packets vanished: none, client, client-to-vm, vm-to-client, between, vm (tests/lab/README.md).
    PAIR_CAUSE=""; PAIR_COMPONENT=""; PAIR_CANDIDATES=(); PAIR_SEGMENT=""
    PAIR_TRUTH=()         # KEY=VALUE: what else the pair proves (translation, clock offset, MSS)
    # Optional: the verdict on the VM's capture alone (a support case with only the VM's side).
    VM_CAUSE=""; VM_COMPONENT=""; VM_CANDIDATES=()
    VM_ARGS=()            # options for analysing the VM's capture alone (e.g. --from ADDRESS)
    TARGET=$VM4
    CONNECT_TIMEOUT=8     # SYN at 0, 1, 3 and 7 s before ssh gives up
    SSH_TIMEOUT=30        # overall bound for ssh (ConnectTimeout does not cover key exchange)
    SSH_KEY=id_lab
    SSH_CMD=true
    SSH_STDIN=""          # a file ssh reads as its standard input ("" = /dev/null)
    SSH_EXTRA=()
    SNAPLEN=0
    ATTEMPTS=1            # scenarios with randomness may retry from fresh namespaces
    LAB_CORE_MTU=1500
    LAB_LAN_ROUTER=0      # 1: a LAN router between the client and the edge (topology.sh)
    LAB_CLIENT_VLAN=""    # VID: the client's link is tagged 802.1Q
    LAB_VM_TTL=""         # the VM's initial TTL and hop limit (64 unless set)
    CAPTURE_IFACE=""; CAPTURE_FILTER=""; CAPTURE_LINKTYPE=""   # the client's capture (capture.sh)
    GATEWAY_RESOLVED=1    # the client's capture must hold its ARP/NS for the gateway (0: it cannot)
    LIVE_TEST=all         # all: every live test; lab: tests/lab/live_test only; none: record only
    DERIVED_FROM=""       # a derived capture: cut by scenario_derive from this scenario's fresh one
    DERIVE_VM=0           # 1: cut the source's VM capture the same way (the pair stays one)
    VM_CLOCK_SHIFT=""     # seconds added to the VM capture's time stamps (editcap -t) after recording
    # shellcheck disable=SC2119
    scenario_setup() { lab_start_sshd; }
    scenario_before_ssh() { :; }   # runs once the capture is on, just before ssh
    scenario_after_ssh() { :; }    # runs once ssh has exited, before the capture is stopped
    scenario_check() { :; }        # PCAP: the client's capture shows what the scenario says
    scenario_check_vm() { :; }     # VM_PCAP: the VM's capture shows what the scenario says
    scenario_truth() { :; }        # PCAP VM_PCAP: prints KEY=VALUE lines, added to PAIR_TRUTH
    scenario_derive() { echo "scenario_derive is not defined" >&2; return 1; }  # IN_PCAP OUT_PCAP
}

# lab_scenario_var NAME VAR: the value of VAR in scenario NAME (after the defaults).
lab_scenario_var() {
    (
        lab_scenario_defaults
        # shellcheck source=/dev/null
        . "$LAB_SCENARIOS/$1.sh"
        printf '%s\n' "${!2}"
    )
}
# lab_scenario_source NAME: the scenario a derived scenario is cut from ("" for a recorded one).
lab_scenario_source() { lab_scenario_var "$1" DERIVED_FROM; }

# lab_with_sources NAME...: the names in order, each derived scenario preceded by the scenario
# it is cut from (added when not in the list, moved before it when listed after it), no name
# twice. One name per line.
lab_with_sources() {
    local n src seen=" "
    for n in "$@"; do
        src=$(lab_scenario_source "$n")
        if [ -n "$src" ] && [[ $seen != *" $src "* ]]; then
            printf '%s\n' "$src"; seen+="$src "
        fi
        if [[ $seen != *" $n "* ]]; then
            printf '%s\n' "$n"; seen+="$n "
        fi
    done
}

# lab_topology_name: the topology the scenario's variables select, in words.
lab_topology_name() {
    local t=standard
    [ "$LAB_LAN_ROUTER" != 1 ] || t=lan-router
    [ -z "$LAB_CLIENT_VLAN" ] || t="$t, client link tagged 802.1Q VLAN $LAB_CLIENT_VLAN"
    [ -z "$LAB_VM_TTL" ] || t="$t, VM initial TTL $LAB_VM_TTL"
    [ "$LAB_CORE_MTU" = 1500 ] || t="$t, core MTU $LAB_CORE_MTU"
    printf '%s\n' "$t"
}

# lab_write_expected NAME FILE [VM_PCAP_NAME]: the scenario's expected.json; with the VM
# capture's file name, its pair expectation too.
lab_write_expected() {
    local name=$1 file=$2 vm=${3:-} client_cap="" vm_cap=""
    if [ -z "$DERIVED_FROM" ]; then
        client_cap=$(lab_capture_text cl "$SNAPLEN" "$name.pcap")
        [ -z "$vm" ] || vm_cap=$(lab_capture_text vm "$SNAPLEN" "$vm")
    fi
    LAB_J_NAME=$name LAB_J_DESC=$DESCRIPTION LAB_J_WIRE=$WIRE LAB_J_ERR=$SSH_ERROR_MESSAGE \
    LAB_J_CAUSE=$EXPECT_CAUSE LAB_J_COMP=$EXPECT_COMPONENT \
    LAB_J_CANDS="${EXPECT_CANDIDATES[*]}" LAB_J_CUT_FROM="${DERIVED_FROM:-}" \
    LAB_J_VM=$vm LAB_J_VM_WIRE=$VM_WIRE LAB_J_PCAUSE=$PAIR_CAUSE LAB_J_PCOMP=$PAIR_COMPONENT \
    LAB_J_PCANDS="${PAIR_CANDIDATES[*]}" LAB_J_PSEG=$PAIR_SEGMENT \
    LAB_J_VCAUSE=$VM_CAUSE LAB_J_VCOMP=$VM_COMPONENT LAB_J_VCANDS="${VM_CANDIDATES[*]}" LAB_J_VARGS="${VM_ARGS[*]}" \
    LAB_J_PTRUTH="$(printf '%s\n' "${PAIR_TRUTH[@]}")" LAB_J_SHIFT=$VM_CLOCK_SHIFT \
    LAB_J_TOPO="$(lab_topology_name)" LAB_J_CCAP=$client_cap LAB_J_VCAP=$vm_cap \
    "$LAB_PYTHON" - "$file" <<'PY'
import json, os, sys
e = os.environ


def verdict(cause, comp, cands):
    v = {"cause": cause, "component": comp}
    if comp == "unknown":
        v["candidates"] = cands.split()
    return v


def value(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


doc = {"scenario": e["LAB_J_NAME"], "description": e["LAB_J_DESC"], "wire": e["LAB_J_WIRE"],
       "ssh_error": e["LAB_J_ERR"],
       "expect": verdict(e["LAB_J_CAUSE"], e["LAB_J_COMP"], e["LAB_J_CANDS"])}
if e.get("LAB_J_CUT_FROM"):
    doc["cut_from"] = e["LAB_J_CUT_FROM"] + ".pcap"
else:
    doc["recorded"] = {"topology": e["LAB_J_TOPO"], "client_capture": e["LAB_J_CCAP"]}
    if e["LAB_J_VM"]:
        doc["recorded"]["vm_capture"] = e["LAB_J_VCAP"]
if e["LAB_J_VM"]:
    pair = {"vm_capture": e["LAB_J_VM"], "vm_wire": e["LAB_J_VM_WIRE"],
            "expect": verdict(e["LAB_J_PCAUSE"], e["LAB_J_PCOMP"], e["LAB_J_PCANDS"])}
    pair["expect"]["segment"] = e["LAB_J_PSEG"]
    truth = {}
    for line in e["LAB_J_PTRUTH"].splitlines():
        if line:
            key, _, val = line.partition("=")
            truth[key] = value(val)
    if e.get("LAB_J_SHIFT"):
        truth["vm_clock_shift_s"] = value(e["LAB_J_SHIFT"])
    if truth:
        pair["truth"] = truth
    if e.get("LAB_J_VCAUSE"):
        pair["vm_alone"] = verdict(e["LAB_J_VCAUSE"], e["LAB_J_VCOMP"], e["LAB_J_VCANDS"])
        if e.get("LAB_J_VARGS"):
            pair["vm_alone_args"] = e["LAB_J_VARGS"].split()
    doc["pair"] = pair
with open(sys.argv[1], "w") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
    f.write("\n")
PY
}

# lab_check_pair_words: a scenario that records the VM's side must say what the pair proves.
lab_check_pair_words() {
    local segs=" none client client-to-vm vm-to-client between vm "
    if [ -z "$PAIR_CAUSE" ] || [ -z "$PAIR_COMPONENT" ]; then
        echo "the scenario sets no PAIR_CAUSE/PAIR_COMPONENT" >&2
        return 1
    fi
    [[ $segs == *" $PAIR_SEGMENT "* ]] \
        || { echo "PAIR_SEGMENT '$PAIR_SEGMENT' is not one of:$segs" >&2; return 1; }
}

# lab_run_scenario NAME OUTDIR [SRCDIR]: in a subshell of its own (send its stderr to a file, not
# a pipe), builds fresh namespaces, sets the scenario up, captures on the client and the VM while
# ssh runs, checks ssh's error and both wires, and writes OUTDIR/NAME.pcap, NAME.vm.pcap,
# NAME.ssh.txt and NAME.expected.json. LAB_VM_CAPTURE=0 leaves the VM's capture out (live tests
# analyse the client's alone). Needs LAB_KEYS. Returns non-zero when the scenario did not behave
# as it should (the files are then not trustworthy).
# A derived scenario (DERIVED_FROM) builds nothing: it cuts SRCDIR/SOURCE.pcap (default
# SRCDIR: OUTDIR), which the caller must have recorded just before (see lab_with_sources).
lab_run_scenario() {
    local name=$1 outdir=$2 srcdir=${3:-$2} file="$LAB_SCENARIOS/$1.sh"
    [ -f "$file" ] || { lab_log "no such scenario: $name"; return 2; }
    (
        set -euo pipefail
        lab_scenario_defaults
        # shellcheck source=/dev/null
        . "$file"
        if [ -n "$DERIVED_FROM" ]; then
            lab_derive "$name" "$outdir" "$srcdir"
            exit 0
        fi
        if [ "${LAB_VM_CAPTURE:-1}" = 1 ]; then lab_check_pair_words; fi
        local attempt=1 why="" rc errfile
        errfile=$(mktemp "${TMPDIR:-/tmp}/sshpath-lab-err.XXXXXX")
        trap 'rm -f "$errfile"' EXIT
        trap 'exit 130' INT TERM
        while :; do
            # Never call a subshell that relies on set -e from a condition (bash then ignores
            # set -e inside it): switch errexit off around the call instead.
            set +e
            lab_attempt "$name" "$outdir" 2>"$errfile" >/dev/null
            rc=$?
            set -e
            why=$(cat "$errfile")
            [ "$rc" -eq 0 ] && break
            [ "$rc" -eq 130 ] && exit 130
            if [ "$attempt" -ge "$ATTEMPTS" ]; then
                printf '%s\n' "$why" >&2
                exit 1
            fi
            lab_log "$name: attempt $attempt did not behave ($why); retrying"
            attempt=$((attempt + 1))
        done
    )
}

# One attempt, in its own subshell with its own namespaces and temp dir; cleans up on any exit.
# Prints the reason on stderr and fails when the scenario misbehaved.
lab_attempt() {
    local name=$1 outdir=$2
    (
        set -euo pipefail
        # shellcheck disable=SC2034  # read by topology.sh
        LAB_PREFIX="sp${BASHPID}"
        LAB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sshpath-lab.XXXXXX")
        # shellcheck disable=SC2034  # filled by topology.sh, read by lab_down
        LAB_PIDS=()
        # shellcheck disable=SC2034
        LAB_NAMESPACES=()
        # Cleanup must survive the signal that triggered it. (Callers send this subshell's
        # stderr to a file, not a pipe: bash reports a child killed by a signal on stderr, and a
        # pipe whose reader is gone would kill the subshell with SIGPIPE before it cleaned up.)
        trap 'trap "" INT TERM; lab_down >/dev/null 2>&1; rm -rf "$LAB_TMP"' EXIT
        trap 'exit 130' INT TERM

        lab_up
        scenario_setup

        local pcap="$LAB_TMP/capture.pcap" vm_pcap="" rc=0
        [ "${LAB_VM_CAPTURE:-1}" != 1 ] || vm_pcap="$LAB_TMP/vm.pcap"
        lab_capture_start "$pcap" "$SNAPLEN" "$vm_pcap"
        # Every next hop is resolved again, inside the captures (ARP, neighbour discovery).
        lab_flush_neighbours
        scenario_before_ssh
        lab_ssh "$LAB_TMP/ssh.out" "$LAB_TMP/ssh.err" "$TARGET" "$CONNECT_TIMEOUT" \
            "$SSH_TIMEOUT" "$LAB_KEYS/$SSH_KEY" "$SSH_CMD" "${SSH_EXTRA[@]}" || rc=$?
        scenario_after_ssh
        lab_capture_stop
        # shellcheck disable=SC2034  # for scenario_check
        SSH_OUT="$LAB_TMP/ssh.out"

        # Did ssh fail (or succeed) the way the scenario says?
        if [ -z "$SSH_ERROR_RE" ]; then
            [ "$rc" -eq 0 ] || { echo "ssh exited $rc, expected success: $(grep -v '^debug' "$LAB_TMP/ssh.err" | tail -n 3 | tr '\n' ' ')" >&2; exit 1; }
        else
            [ "$rc" -ne 0 ] || { echo "ssh succeeded, expected a failure matching /$SSH_ERROR_RE/" >&2; exit 1; }
            # The first matching line that ssh prints without -v; a debug line only when no other.
            SSH_ERROR_MESSAGE=$(LAB_RE=$SSH_ERROR_RE awk 'BEGIN { re = ENVIRON["LAB_RE"] }
                { sub(/\r$/, "") }
                $0 ~ re && !/^debug/ { print; found = 1; exit }
                $0 ~ re && first == "" { first = $0 }
                END { if (!found && first != "") print first }' "$LAB_TMP/ssh.err")
            SSH_ERROR_MESSAGE=${SSH_ERROR_MESSAGE//$'\r'/}
            [ -n "$SSH_ERROR_MESSAGE" ] || { echo "ssh (exit $rc) printed no line matching /$SSH_ERROR_RE/: $(grep -v '^debug' "$LAB_TMP/ssh.err" | tail -n 3 | tr '\n' ' ')" >&2; exit 1; }
        fi
        # Do the wires show what the scenario says?
        local problem family=4
        [[ $TARGET != *:* ]] || family=6
        problem=$(scenario_check "$pcap" 2>&1) || { echo "wire check: $problem" >&2; exit 1; }
        if [ "$GATEWAY_RESOLVED" = 1 ]; then
            problem=$(want_gateway_resolved "$pcap" "$family" 2>&1) || { echo "wire check: $problem" >&2; exit 1; }
        fi
        if [ -n "$vm_pcap" ]; then
            problem=$(scenario_check_vm "$vm_pcap" 2>&1) || { echo "VM wire check: $problem" >&2; exit 1; }
            local truth
            truth=$(scenario_truth "$pcap" "$vm_pcap") || { echo "scenario_truth failed: $truth" >&2; exit 1; }
            [ -z "$truth" ] || mapfile -t -O "${#PAIR_TRUTH[@]}" PAIR_TRUTH <<<"$truth"
            if [ -n "$VM_CLOCK_SHIFT" ]; then
                # The VM's clock is off: its capture's time stamps move by VM_CLOCK_SHIFT seconds.
                editcap -F pcap -t "$VM_CLOCK_SHIFT" "$vm_pcap" "$vm_pcap.shifted" >/dev/null \
                    || { echo "editcap -t $VM_CLOCK_SHIFT failed" >&2; exit 1; }
                mv "$vm_pcap.shifted" "$vm_pcap"
            fi
        fi

        mkdir -p "$outdir"
        cp "$pcap" "$outdir/$name.pcap"
        [ -z "$vm_pcap" ] || cp "$vm_pcap" "$outdir/$name.vm.pcap"
        sed -e "s#$LAB_TMP#/tmp/sshpath-lab#g" -e "s#$LAB_KEYS#/tmp/sshpath-lab/keys#g" \
            "$LAB_TMP/ssh.err" >"$outdir/$name.ssh.txt"
        [ -z "${SSH_ERROR_TEXT:-}" ] || SSH_ERROR_MESSAGE=$SSH_ERROR_TEXT
        lab_write_expected "$name" "$outdir/$name.expected.json" "${vm_pcap:+$name.vm.pcap}"
    )
}

# lab_derive NAME OUTDIR SRCDIR: a derived scenario (its file already sourced): cuts
# SRCDIR/DERIVED_FROM.pcap with scenario_derive, checks the result with scenario_check and
# writes OUTDIR/NAME.pcap, NAME.ssh.txt (the source's: the same ssh run) and NAME.expected.json
# (with "cut_from"); with DERIVE_VM=1 the source's VM capture is cut the same way into
# NAME.vm.pcap. Prints the reason on stderr and fails when the cut does not show what the
# scenario says.
lab_derive() {
    local name=$1 outdir=$2 srcdir=$3
    (
        set -euo pipefail
        local src=$DERIVED_FROM tmp problem vm=""
        if [ ! -f "$srcdir/$src.pcap" ] || [ ! -f "$srcdir/$src.expected.json" ]; then
            echo "no fresh recording of $src (the scenario it is cut from) in $srcdir" >&2
            exit 1
        fi
        tmp=$(mktemp -d "${TMPDIR:-/tmp}/sshpath-lab.XXXXXX")
        trap 'rm -rf "$tmp"' EXIT
        scenario_derive "$srcdir/$src.pcap" "$tmp/capture.pcap" >"$tmp/derive.err" 2>&1 \
            || { echo "cutting $src.pcap failed: $(tr '\n' ' ' <"$tmp/derive.err")" >&2; exit 1; }
        problem=$(scenario_check "$tmp/capture.pcap" 2>&1) \
            || { echo "wire check (cut from $src.pcap): $problem" >&2; exit 1; }
        if [ "$DERIVE_VM" = 1 ] && [ -f "$srcdir/$src.vm.pcap" ]; then
            lab_check_pair_words
            scenario_derive "$srcdir/$src.vm.pcap" "$tmp/vm.pcap" >"$tmp/derive.err" 2>&1 \
                || { echo "cutting $src.vm.pcap failed: $(tr '\n' ' ' <"$tmp/derive.err")" >&2; exit 1; }
            problem=$(scenario_check_vm "$tmp/vm.pcap" 2>&1) \
                || { echo "VM wire check (cut from $src.vm.pcap): $problem" >&2; exit 1; }
            vm=$name.vm.pcap
        fi
        SSH_ERROR_MESSAGE=$("$LAB_PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["ssh_error"])' \
            "$srcdir/$src.expected.json")
        mkdir -p "$outdir"
        cp "$tmp/capture.pcap" "$outdir/$name.pcap"
        [ -z "$vm" ] || cp "$tmp/vm.pcap" "$outdir/$vm"
        if [ "$srcdir/$src.ssh.txt" != "$outdir/$name.ssh.txt" ]; then
            cp "$srcdir/$src.ssh.txt" "$outdir/$name.ssh.txt"
        fi
        lab_write_expected "$name" "$outdir/$name.expected.json" "$vm"
    )
}

# --- several scenarios at a time ---------------------------------------------------------------
# lab_parallel JOBS DIR FUNC NAME...: runs `FUNC NAME` for each name, at most JOBS at a time,
# each in the background with its output in DIR/NAME.out (printed as soon as it ends, in the
# order the scenarios end) and its exit status in DIR/NAME.rc. A derived scenario starts only
# once the scenario it is cut from has ended (lab_with_sources puts sources first). Each
# scenario has its own namespaces (sp<PID>-*), so they do not meet. On SIGINT or SIGTERM every
# running scenario is stopped (its own trap removes what it made) and this returns 130.
lab_parallel() {
    local max=$1 dir=$2 func=$3; shift 3
    local -a names=("$@") pids=()
    local -A printed=()
    local n src stop=0
    _lab_parallel_print() {
        local m
        for m in "${names[@]}"; do
            if [ -z "${printed[$m]:-}" ] && [ -e "$dir/$m.rc" ]; then
                cat "$dir/$m.out"
                printed[$m]=1
            fi
        done
    }
    _lab_parallel_running() {
        local p alive=0
        for p in "${pids[@]}"; do ! kill -0 "$p" 2>/dev/null || alive=$((alive + 1)); done
        printf '%s\n' "$alive"
    }
    trap 'stop=1' INT TERM
    for n in "${names[@]}"; do
        [ "$stop" -eq 0 ] || break
        src=$(lab_scenario_source "$n")
        if [ -n "$src" ]; then
            while [ "$stop" -eq 0 ] && [ ! -e "$dir/$src.rc" ] && [ "$(_lab_parallel_running)" -gt 0 ]; do
                wait -n 2>/dev/null || true
                _lab_parallel_print
            done
        fi
        while [ "$stop" -eq 0 ] && [ "$(_lab_parallel_running)" -ge "$max" ]; do
            wait -n 2>/dev/null || true
            _lab_parallel_print
        done
        [ "$stop" -eq 0 ] || break
        ( trap - INT TERM; set +e; "$func" "$n" >"$dir/$n.out" 2>&1; echo $? >"$dir/$n.rc" ) &
        pids+=("$!")
    done
    while [ "$stop" -eq 0 ] && [ "$(_lab_parallel_running)" -gt 0 ]; do
        wait -n 2>/dev/null || true
        _lab_parallel_print
    done
    if [ "$stop" -eq 1 ]; then
        lab_stop_trees "${pids[@]}"
        trap - INT TERM
        return 130
    fi
    _lab_parallel_print
    trap - INT TERM
}

# lab_stop_trees PID...: SIGTERM to each PID and every process below it (by PID), then waits up
# to 15 s for them to end (the scenarios' traps tear their namespaces down).
lab_stop_trees() {
    local all=() p
    for p in "$@"; do all+=("$p"); mapfile -t -O "${#all[@]}" all < <(lab_descendants "$p"); done
    [ "${#all[@]}" -gt 0 ] || return 0
    lab_kill_pids TERM "${all[@]}"
    lab_wait_until 15 lab_none_alive "${all[@]}" || true
    for p in "$@"; do wait "$p" 2>/dev/null || true; done
}
lab_none_alive() { local p; for p in "$@"; do ! kill -0 "$p" 2>/dev/null || return 1; done; }
# lab_descendants PID: the PIDs of every process below PID.
lab_descendants() {
    ps -e -o pid=,ppid= | awk -v root="$1" '
        { parent[$1] = $2 }
        END {
            for (p in parent) {
                q = parent[p]
                while (q != "" && q != 0 && q != 1) { if (q == root) { print p; break } q = parent[q] }
            }
        }'
}
