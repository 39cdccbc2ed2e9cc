#!/usr/bin/env bash
# run_annotated.sh MODCERT INPUT
#
# Runs `MODCERT scan --format json` on one annotated input (a .c file, or a
# NAME.d directory whose *.c files form one module) and compares the reported
# findings with the annotations written in the input (format: README.md in
# this directory). Prints every missing and every unexpected finding; exits
# 0 when they agree, 1 when they do not, 2 when the runner itself could not
# run (bad arguments, jq missing).
set -uo pipefail

die() { echo "run_annotated: $*" >&2; exit 2; }

[ $# -eq 2 ] || die "usage: run_annotated.sh MODCERT INPUT"
modcert=$1
input=$2
command -v jq >/dev/null || die "jq not found (scripts/install-deps.sh installs it)"
[ -x "$modcert" ] || die "'$modcert' is not an executable"

files=()
if [ -d "$input" ]; then
    while IFS= read -r f; do files+=("$f"); done \
        < <(find "$input" -maxdepth 1 -name '*.c' | LC_ALL=C sort)
else
    files=("$input")
fi
[ ${#files[@]} -gt 0 ] || die "'$input' has no .c file"
for f in "${files[@]}"; do [ -r "$f" ] || die "'$f' is not readable"; done

# --- scan flags: first line of any input file --------------------------------
pre=()
post=()
for f in "${files[@]}"; do
    flags=$(head -n 1 "$f" | sed -n 's|^/\* scan-flags: \(.*\) \*/$|\1|p')
    [ -n "$flags" ] || continue
    read -r -a words <<<"$flags"
    after=0
    for w in "${words[@]}"; do
        if [ "$after" = 0 ] && [ "$w" = "--" ]; then after=1; continue; fi
        if [ "$after" = 0 ]; then pre+=("$w"); else post+=("$w"); fi
    done
done

# --- expectations --------------------------------------------------------------
# One TSV row per expectation: kind(exp|fn) base line check symbol
tmp=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/expected"
: >"$tmp/expected_sup"
expect_exit=""
expect_errors=()
for f in "${files[@]}"; do
    base=$(basename "$f")
    grep -no '/\* expect: [^*]*\*/' "$f" | while IFS= read -r hit; do
        line=${hit%%:*}
        body=${hit#*:/\* expect: }
        body=${body%\*/}
        IFS=',' read -r -a items <<<"$body"
        for it in "${items[@]}"; do
            it=$(echo "$it" | tr -d ' ')
            [ -n "$it" ] || continue
            check=${it%%(*}
            sym=""
            if [ "$check" != "$it" ]; then sym=${it#*(}; sym=${sym%)}; fi
            printf 'exp\t%s\t%s\t%s\t%s\n' "$base" "$line" "$check" "$sym"
        done
    done >>"$tmp/expected"
    grep -no '/\* expect-suppressed: [^*]*\*/' "$f" | while IFS= read -r hit; do
        line=${hit%%:*}
        body=${hit#*:/\* expect-suppressed: }
        body=${body%\*/}
        IFS=',' read -r -a items <<<"$body"
        for it in "${items[@]}"; do
            it=$(echo "$it" | tr -d ' ')
            [ -n "$it" ] || continue
            check=${it%%(*}
            sym=""
            if [ "$check" != "$it" ]; then sym=${it#*(}; sym=${sym%)}; fi
            printf 'exp\t%s\t%s\t%s\t%s\n' "$base" "$line" "$check" "$sym"
        done
    done >>"$tmp/expected_sup"
    grep -no '/\* expect-fn: [a-z-]*:' "$f" | while IFS= read -r hit; do
        line=${hit%%:*}
        check=${hit#*expect-fn: }
        check=${check%:}
        printf 'fn\t%s\t%s\t%s\t\n' "$base" "$line" "$check"
    done >>"$tmp/expected"
    e=$(sed -n 's|.*/\* expect-exit: \([0-9]\) \*/.*|\1|p' "$f" | head -n 1)
    [ -n "$e" ] && expect_exit=$e
    while IFS= read -r e; do expect_errors+=("$e"); done \
        < <(sed -n 's|.*/\* expect-error: \(.*\) \*/.*|\1|p' "$f")
done

# --- scan ------------------------------------------------------------------------
cmd=("$modcert" scan --format json "${pre[@]}" "${files[@]}")
[ ${#post[@]} -gt 0 ] && cmd+=(-- "${post[@]}")
echo "+ ${cmd[*]}"
timeout 120 "${cmd[@]}" >"$tmp/out" 2>"$tmp/err"
rc=$?
if ! jq -se 'length == 1 and (.[0].findings | type == "array")' "$tmp/out" \
    >/dev/null 2>&1; then
    echo "FAIL: scan exited $rc without a JSON object with a findings array"
    echo "--- stdout"; head -c 4000 "$tmp/out"
    echo "--- stderr"; head -c 4000 "$tmp/err"
    exit 1
fi
jq -r '.findings | to_entries[] | [(.key|tostring),
        ((.value.file // "") | split("/") | last),
        ((.value.line // 0) | tostring), (.value.check // ""),
        ((.value.symbol // "") | tostring)] | @tsv' "$tmp/out" >"$tmp/actual"
jq -r '(.suppressed // []) | to_entries[] | [(.key|tostring),
        ((.value.file // "") | split("/") | last),
        ((.value.line // 0) | tostring), (.value.check // ""),
        ((.value.symbol // "") | tostring)] | @tsv' "$tmp/out" >"$tmp/actual_sup"

# --- match -----------------------------------------------------------------------
# Pass 1 symbol-qualified expectations, pass 2 bare ones, pass 3 known false
# negatives; whatever is left over is missing or unexpected.
match_sets() { # expected actual
    awk -F'\t' '
FILENAME == ARGV[1] { n++; kind[n] = $1; eb[n] = $2; el[n] = $3; ec[n] = $4; es[n] = $5; next }
{ m++; ai[m] = $1; ab[m] = $2; al[m] = $3; ac[m] = $4; as[m] = $5 }
function take(i, withsym,    j) {
    for (j = 1; j <= m; j++)
        if (!used[j] && ab[j] == eb[i] && al[j] == el[i] && ac[j] == ec[i] &&
            (!withsym || as[j] == es[i])) { used[j] = 1; return j }
    return 0
}
END {
    for (i = 1; i <= n; i++)
        if (kind[i] == "exp" && es[i] != "") got[i] = take(i, 1)
    for (i = 1; i <= n; i++)
        if (kind[i] == "exp" && es[i] == "") got[i] = take(i, 0)
    for (i = 1; i <= n; i++)
        if (kind[i] == "fn") got[i] = take(i, 0)
    for (i = 1; i <= n; i++) {
        sym = es[i] != "" ? "(" es[i] ")" : ""
        where = eb[i] ":" el[i] ": " ec[i] sym
        if (kind[i] == "exp" && got[i]) print "OK\t-\t" where
        if (kind[i] == "exp" && !got[i]) print "MISSING\t-\t" where
        if (kind[i] == "fn" && got[i]) print "PROMOTE\t" ai[got[i]] "\t" where
        if (kind[i] == "fn" && !got[i]) print "KNOWN-FN\t-\t" where
    }
    for (j = 1; j <= m; j++)
        if (!used[j])
            print "UNEXPECTED\t" ai[j] "\t" ab[j] ":" al[j] ": " ac[j] "(" as[j] ")"
}' "$1" "$2"
}
match_sets "$tmp/expected" "$tmp/actual" >"$tmp/result"
match_sets "$tmp/expected_sup" "$tmp/actual_sup" | sed 's/^/SUP-/' >>"$tmp/result"

status=0
while IFS=$'\t' read -r what idx where; do
    case $what in
    OK) echo "ok          $where" ;;
    KNOWN-FN) echo "known-fn    $where (still missing, as annotated)" ;;
    MISSING) echo "MISSING     $where"; status=1 ;;
    PROMOTE)
        echo "PROMOTE     $where: now found: promote (turn expect-fn into expect)"
        jq -c ".findings[$idx]" "$tmp/out" | sed 's/^/              /'
        status=1 ;;
    UNEXPECTED)
        echo "UNEXPECTED  $where"
        jq -c ".findings[$idx]" "$tmp/out" | sed 's/^/              /'
        status=1 ;;
    SUP-OK) echo "suppressed  $where" ;;
    SUP-MISSING) echo "MISSING     $where: not in \"suppressed\""; status=1 ;;
    SUP-UNEXPECTED)
        echo "UNEXPECTED  $where: in \"suppressed\", not annotated expect-suppressed"
        jq -c ".suppressed[$idx]" "$tmp/out" | sed 's/^/              /'
        status=1 ;;
    esac
done <"$tmp/result"

# --- exit status, completeness, errors ------------------------------------------
nfind=$(wc -l <"$tmp/actual")
want=$expect_exit
[ -n "$want" ] || { [ "$nfind" -gt 0 ] && want=1 || want=0; }
if [ "$rc" != "$want" ]; then
    echo "EXIT        scan exited $rc, expected $want"
    status=1
fi
complete=$(jq -r '.complete' "$tmp/out")
if { [ "$rc" = 2 ] && [ "$complete" != false ]; } ||
    { [ "$rc" != 2 ] && [ "$complete" != true ]; }; then
    echo "COMPLETE    exit $rc but \"complete\": $complete"
    status=1
fi
for e in "${expect_errors[@]}"; do
    if ! jq -e --arg t "$e" '[.errors[]? | tostring | contains($t)] | any' \
        "$tmp/out" >/dev/null; then
        echo "MISSING     error mentioning: $e"
        status=1
    fi
done
if [ "$status" != 0 ] || [ "$rc" = 2 ]; then
    echo "--- errors"; jq -c '.errors' "$tmp/out"
    echo "--- stderr"; head -c 3000 "$tmp/err"
fi
[ "$status" = 0 ] && echo "PASS $input" || echo "FAIL $input"
exit "$status"
