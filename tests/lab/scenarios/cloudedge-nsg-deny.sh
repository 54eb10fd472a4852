# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="the cloud edge enforces, with iptables, the NSG exported in captures/cloudedge-nsg-deny.nsg.json (az network nsg show; the virtual network 203.0.113.0/24): its rule DenySSHFromBranch (priority 100) drops tcp/22 from the client's 198.51.100.0/24 before AllowSSHFromInternet (200) would allow it"
WIRE="the client's ARP for its gateway 198.51.100.1, then the SYN retransmitted (about once a second at first, then backing off), nothing comes back: the same as any silent drop"
VM_WIRE="nothing: no SYN reaches the VM"
LIVE_TEST=none
SSH_ERROR_RE='connect to host .* port 22: Connection timed out'
EXPECT_CAUSE=silent-drop; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
PAIR_CAUSE=silent-drop; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge acl nsg); PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    local args
    # One iptables rule per NSG rule (and prefix/port combination), in priority order.
    while read -r -a args; do
        lab_exec ce iptables "${args[@]}" || return 1
    done < <("$LAB_PYTHON" "$LAB_DIR/nsg_iptables.py" "$LAB_REPO/captures/cloudedge-nsg-deny.nsg.json" 203.0.113.0/24 eth0 eth1)
    lab_exec ce iptables -C FORWARD -i eth0 -o eth1 -p tcp -s 198.51.100.0/24 --dport 22 \
        -m comment --comment nsg-lab-vm/DenySSHFromBranch/100 -j DROP
}
scenario_check() {
    want_at_least "$1" 4 "> $VM4\.22: Flags \[S\]" "SYNs" &&
    want_none "$1" "$VM4\.22 >" "packets from the VM" &&
    want_none "$1" "ICMP" "ICMP"
}
scenario_check_vm() {
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
