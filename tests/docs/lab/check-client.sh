# shellcheck shell=bash
# The client computer of docs/check.md: a user (made for the run, removed after) whose private key
# ~/.ssh/id_ed25519 has mode 644, a known_hosts holding another key for vm.lab than the server of
# captures/healthy.pcap sent, vm.lab resolving to the lab's VM (inside the client namespace only),
# sshd running there, and an iptables rule of the client dropping its SYNs to the VM's port 22.
# An example with sudo runs as root started through sudo by that user (SUDO_UID, SUDO_GID), one
# without as the user; both from a directory holding the capture as failing.pcap.
DOCS_USER="spd$$"
DOCS_HOME="$LIVE_WORK/home"
# A fixed key, so that the page can show its fingerprint.
DOCS_KNOWN_KEY="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKmt4Jn4PiVQYBQ+E8tqpoKZz5c9apjm5i3XdFFKcHEX"

fixture_setup() {
    useradd -M -U -d "$DOCS_HOME" -s /bin/sh "$DOCS_USER"
    mkdir -p "$DOCS_HOME/.ssh" "$LIVE_WORK/cwd"
    cp "$LAB_KEYS/id_lab" "$DOCS_HOME/.ssh/id_ed25519"
    cp "$LAB_KEYS/id_lab.pub" "$DOCS_HOME/.ssh/id_ed25519.pub"
    printf 'Host vm.lab\n    User root\n    IdentitiesOnly yes\n' >"$DOCS_HOME/.ssh/config"
    echo "vm.lab $DOCS_KNOWN_KEY" >"$DOCS_HOME/.ssh/known_hosts"
    chown -R "$DOCS_USER:$DOCS_USER" "$DOCS_HOME"
    chmod 700 "$DOCS_HOME/.ssh"
    chmod 600 "$DOCS_HOME/.ssh/config"
    chmod 644 "$DOCS_HOME/.ssh/id_ed25519" "$DOCS_HOME/.ssh/id_ed25519.pub" "$DOCS_HOME/.ssh/known_hosts"
    cp "$LAB_REPO/captures/healthy.pcap" "$LIVE_WORK/cwd/failing.pcap"
    chmod -R a+rX "$LIVE_WORK/cwd"
    FIXTURE_CWD="$LIVE_WORK/cwd"
    # Names inside the client namespace only: ip netns exec mounts /etc/netns/NS/* over /etc/*.
    DOCS_NETNS=$(lab_ns cl)
    mkdir -p "/etc/netns/$DOCS_NETNS"
    printf '%s\n' "127.0.0.1 localhost" "$VM4 vm.lab" >"/etc/netns/$DOCS_NETNS/hosts"
    printf '%s\n' "nameserver $OE4_CL" "options timeout:1 attempts:1" >"/etc/netns/$DOCS_NETNS/resolv.conf"
    lab_start_sshd >/dev/null 2>&1
    lab_exec cl iptables-legacy -A OUTPUT -p tcp -d "$VM4" --dport 22 -j DROP
}

fixture_run() {
    local out=$1 uid gid
    shift
    uid=$(id -u "$DOCS_USER")
    gid=$(id -g "$DOCS_USER")
    if [ "$1" = sudo ]; then
        shift 2
        (cd "$FIXTURE_CWD" && env COLUMNS=80 SSHPATH_RULES="$DOCS_RULES" SUDO_UID="$uid" SUDO_GID="$gid" \
            timeout -k 5 60 ip netns exec "$(lab_ns cl)" "$LIVE_BIN" "$@") >"$out" 2>&1 </dev/null
    else
        shift
        (cd "$FIXTURE_CWD" && timeout -k 5 60 ip netns exec "$(lab_ns cl)" setpriv --reuid="$uid" --regid="$gid" --init-groups \
            env COLUMNS=80 SSHPATH_RULES="$DOCS_RULES" HOME="$DOCS_HOME" "$LIVE_BIN" "$@") >"$out" 2>&1 </dev/null
    fi
}

fixture_cleanup() {
    if id "$DOCS_USER" >/dev/null 2>&1; then userdel "$DOCS_USER" >/dev/null 2>&1 || true; fi
    if getent group "$DOCS_USER" >/dev/null 2>&1; then groupdel "$DOCS_USER" >/dev/null 2>&1 || true; fi
    if [ -n "${DOCS_NETNS:-}" ]; then rm -rf "/etc/netns/$DOCS_NETNS"; rmdir /etc/netns 2>/dev/null || true; fi
}
