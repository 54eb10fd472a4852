# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="a ban on the VM holds one client address (2001:db8:1::10): an nftables set of banned addresses dropped in the input hook, as sshguard makes it; ssh over IPv6 from another address of the client's network (2001:db8:1::11) works just before"
WIRE="a session from 2001:db8:1::11 to the VM (it reaches key exchange and ends), then from 2001:db8:1::10 the SYN retransmitted, nothing comes back"
VM_WIRE="both sessions' SYNs arrive (hop limit 61); the VM answers 2001:db8:1::11 and sends nothing to 2001:db8:1::10"
TARGET=$VM6
SSH_ERROR_RE='connect to host .* port 22: Connection timed out'
EXPECT_CAUSE=silent-drop; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
PAIR_CAUSE=silent-drop; PAIR_COMPONENT=vm; PAIR_SEGMENT=vm
VM_CAUSE=silent-drop; VM_COMPONENT=vm   # the VM's capture alone (FILE@vm)
LIVE_TEST=lab
OTHER6=2001:db8:1::11
scenario_setup() {
    lab_start_sshd
    # Deprecated (preferred lifetime 0): ssh's own connection keeps $CL6 as its source; -b still binds it.
    ip -n "$(lab_ns cl)" -6 addr add "$OTHER6/64" dev eth0 nodad preferred_lft 0
    lab_exec vm nft -f - <<NFT
table inet ban {
    set attackers6 { type ipv6_addr; elements = { $CL6 } }
    chain input { type filter hook input priority filter - 10; policy accept; ip6 saddr @attackers6 drop; }
}
NFT
}
# The other client: a whole session from the second address, before the failing one.
scenario_before_ssh() { lab_other_client_session "$OTHER6"; }
scenario_check() {
    want_at_least "$1" 1 "$VM6\.22 > $OTHER6\.[0-9]+: Flags \[S\.\]" "the SYN-ACK to $OTHER6" &&
    want_at_least "$1" 4 "$CL6\.[0-9]+ > $VM6\.22: Flags \[S\]" "SYNs from $CL6" &&
    want_none "$1" "$VM6\.22 > $CL6\." "packets from the VM to $CL6"
}
scenario_check_vm() {
    want_at_least "$1" 4 "hlim 61, .*$CL6\.[0-9]+ > $VM6\.22: Flags \[S\]" "SYNs from $CL6 at the VM" &&
    want_none "$1" "$VM6\.22 > $CL6\." "packets from the VM to $CL6"
}
