#!/usr/bin/env bash
# The manual page and the bash completion, generated from the program's --help texts:
#   - the built sshpath.1.gz is what `sshpath --help-man` prints (it is not stale);
#   - `man -l` renders it without a groff warning, and it names every command and every option
#     that `sshpath COMMAND --help` lists;
#   - the completion, loaded into a plain bash (`complete -p`), completes commands, each
#     command's options, --format and --color values, interfaces for -i, files for -r/--write,
#     host names for probe, rules sub-commands, and the command after `run --`.
# Usage: manual.sh SSHPATH_BIN BUILD_DIR
set -u
bin=$(realpath "$1")
build=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

man_gz=$build/sshpath.1.gz
completion=$build/sshpath.bash-completion
"$bin" --help-man >"$tmp/fresh.1"
if zcat "$man_gz" | cmp -s - "$tmp/fresh.1"; then pass "sshpath.1.gz is what --help-man prints"; else fail "sshpath.1.gz differs from --help-man"; fi
"$bin" --help-bash >"$tmp/fresh.bash"
if cmp -s "$completion" "$tmp/fresh.bash"; then pass "the completion is what --help-bash prints"; else fail "the completion differs from --help-bash"; fi

# Rendering: no warnings, and the page as a reader sees it.
warnings=$(zcat "$man_gz" | groff -man -Tutf8 -ww -z 2>&1)
if [ -z "$warnings" ]; then pass "groff -ww: no warnings"; else fail "groff warnings: $warnings"; fi
if MANWIDTH=80 man -l "$man_gz" >"$tmp/page.txt" 2>"$tmp/man.err" && [ ! -s "$tmp/man.err" ] && grep -q '^NAME' "$tmp/page.txt"; then
    pass "man -l renders the page ($(wc -l <"$tmp/page.txt") lines)"
else
    fail "man -l: $(cat "$tmp/man.err")"
fi
# man writes U+2010 for a hyphen at some widths; compare with plain hyphens.
sed 's/\xe2\x80\x90/-/g' "$tmp/page.txt" >"$tmp/page-ascii.txt"

commands=$("$bin" --help | awk '/^Commands:/ {on = 1; next} /^$/ {on = 0} on && /^  [a-z]/ {print $1}' | sort -u)
[ -n "$commands" ] || fail "no commands found in --help"
for c in $commands; do
    grep -q "^   sshpath $c\$" "$tmp/page-ascii.txt" || fail "man page: no section for '$c'"
    # Every option of the command's --help appears under its section.
    section=$(awk -v want="   sshpath $c" '$0 == want {on = 1; next} /^   sshpath / || /^[A-Z]/ {on = 0} on' "$tmp/page-ascii.txt")
    options=$("$bin" "$c" --help | grep -oE '^  (-[a-zA-Z] \[ )?--[a-z][a-z-]*' | grep -oE -- '--[a-z-]+')
    missing=""
    for o in $options; do
        grep -qE -- "(^|[ ,])$o( |,|$)" <<<"$section" || missing="$missing $o"
    done
    if [ -z "$missing" ] && [ -n "$options" ]; then pass "man page lists the $(wc -w <<<"$options") options of '$c'"; else fail "man page, '$c': missing$missing"; fi
done

# Completion, driven as bash does: COMP_WORDS and COMP_CWORD, then the function `complete -p` names.
complete_words() {
    bash --norc --noprofile -c '
        source "$1"; shift
        spec=$(complete -p sshpath) || exit 3
        fn=$(sed -E "s/.*-F ([^ ]+) .*/\1/" <<<"$spec")
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        "$fn" sshpath "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "$@" 2>"$tmp/completion.err" | sort | tr '\n' ' '
}
expect_completion() {  # NAME WANTED(words that must be offered) UNWANTED -- WORDS...
    local name=$1 want=$2 unwanted=$3 got w ok=1
    shift 4
    got=$(complete_words "$@")
    [ -s "$tmp/completion.err" ] && ok=0 && got="$got (stderr: $(cat "$tmp/completion.err"))"
    for w in $want; do [[ " $got " == *" $w "* ]] || ok=0; done
    for w in $unwanted; do [[ " $got " == *" $w "* ]] && ok=0; done
    if [ $ok = 1 ]; then pass "completion: $name -> $got"; else fail "completion: $name -> '$got' (want: $want; not: $unwanted)"; fi
}
cd "$tmp" || exit 2
mkdir -p caps && : >caps/one.pcap && : >caps/two.pcapng
expect_completion "commands" "analyze capture run probe cloud-verify rules facts" "" -- sshpath ""
expect_completion "command prefix" "capture cloud-verify" "analyze" -- sshpath c
expect_completion "analyze options" "--format --host --port --read --explain --color --jobs" "--interface --duration" -- sshpath analyze --
expect_completion "capture options" "--interface --until-verdict --duration --write" "--jobs" -- sshpath capture --
expect_completion "--format values" "text json jsonl markdown html" "" -- sshpath analyze x.pcap --format ""
expect_completion "-f j" "json" "text" -- sshpath analyze -f j
expect_completion "--format=" "text json markdown" "" -- sshpath analyze --format = ""
expect_completion "cloud-verify formats" "text json" "markdown" -- sshpath cloud-verify --format ""
expect_completion "--detail values" "auto all deciding" "" -- sshpath analyze --detail ""
expect_completion "--color values" "auto always never" "" -- sshpath analyze --color ""
expect_completion "interfaces for -i" "lo any" "" -- sshpath capture -i ""
expect_completion "interfaces for --interface" "lo" "" -- sshpath run --interface l
expect_completion "files for analyze" "caps/one.pcap caps/two.pcapng" "" -- sshpath analyze caps/
expect_completion "files for -w" "caps/one.pcap" "" -- sshpath capture -w caps/o
expect_completion "a value that has no list" "" "--port --host" -- sshpath analyze --port ""
expect_completion "rules sub-commands" "list check test" "" -- sshpath rules ""
expect_completion "the command after run --" "ssh" "--host" -- sshpath run --host h -- ss
expect_completion "probe host names" "localhost" "" -- sshpath probe localh

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
