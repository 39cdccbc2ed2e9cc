#!/usr/bin/env bash
# Every modcert command answers --help with a synopsis and a description of
# each option the synopsis names, plus its exit statuses; an unknown option
# is refused with exit 2 and a message naming it.
#   help.sh MODCERT
set -u
modcert=$1
fail=0
bad() { echo "FAIL: $*"; fail=1; }

commands=$("$modcert" --help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1}')
[ -n "$commands" ] || { echo "FAIL: modcert --help lists no commands"; exit 1; }
for cmd in $commands; do
    [ "$cmd" = version ] && continue
    out=$("$modcert" "$cmd" --help 2>&1); rc=$?
    [ $rc -eq 0 ] || bad "$cmd --help: exit $rc"
    grep -q "^usage: modcert $cmd" <<<"$out" || bad "$cmd --help: no 'usage: modcert $cmd' line"
    grep -qi "exit status" <<<"$out" || bad "$cmd --help: exit statuses not described"
    # options of the synopsis: the lines up to the first blank line
    synopsis=$(awk 'NF==0{exit} {print}' <<<"$out")
    for o in $(grep -oE -- '--[a-z][a-z-]*' <<<"$synopsis" | sort -u); do
        grep -qE -- "^ +(-[a-zA-Z], )?$o([ =,]|$)" <<<"$out" ||
            bad "$cmd --help: option $o is not described"
    done
    err=$("$modcert" "$cmd" --no-such-option 2>&1 >/dev/null); rc=$?
    [ $rc -eq 2 ] || bad "$cmd --no-such-option: exit $rc, want 2"
    grep -q -- "--no-such-option" <<<"$err" || bad "$cmd --no-such-option: the message does not name it: $err"
done
[ $fail -eq 0 ] && echo "help: $(wc -w <<<"$commands") commands describe their options"
exit $fail
