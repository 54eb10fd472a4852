# shellcheck shell=bash
# The organisation's edge router drops tcp/22 silently (FORWARD DROP), sshd runs on the VM: the
# lab's edge-silent-drop scenario. Examples run as root in the client namespace.
fixture_setup() {
    lab_start_sshd >/dev/null 2>&1
    lab_exec oe iptables -A FORWARD -p tcp --dport 22 -j DROP
}
