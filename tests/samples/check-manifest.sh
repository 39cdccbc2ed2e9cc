#!/usr/bin/env bash
# check-manifest.sh SAMPLES_DIR BUILT_MODULES_DIR [MANIFEST]
#
# Consistency of sample-modules/manifest.json with the corpus (the analyzer,
# harness and report tests all trust it): every module's source, built .so
# and .tsan.so, scenario and config exist; AP_DECLARE_MODULE matches
# module_symbol; unsafe modules have findings and safe ones none; every
# finding uses a known check id and phase, points at a line of the source
# that names its symbol or callee, inside the function it names. Prints one
# line per problem; exit 1 if any.
set -u
samples=$1 built=$2
manifest=${3:-$samples/manifest.json}
bad=0
problem()
{
    echo "manifest: $*"
    bad=1
}

checks='global-race mt-unsafe-call config-mutation shared-pool-alloc'
checks+=' static-buffer-return lock-leak lock-order large-stack-frame'
phases='config child-init request connection thread'

jq -e '.version == 1 and (.modules | length > 0)' "$manifest" >/dev/null ||
    {
        echo "manifest: $manifest: not a version-1 manifest"
        exit 1
    }
dups=$(jq -r '.modules[].name' "$manifest" | sort | uniq -d)
[ -z "$dups" ] || problem "duplicate names: $dups"

# fn_of[L-1]: the function whose body holds line L of the current source —
# the last top-level definition start ("name(" after a return type, not a
# prototype) at or before L; txt[L-1]: the line itself. No subprocess.
load_source()
{
    local l f='' re='^[A-Za-z][^(]*[ *]([A-Za-z_][A-Za-z0-9_]*)\('
    mapfile -t txt <"$1"
    fn_of=()
    for l in "${txt[@]}"; do
        if [[ ! $l =~ \;[[:space:]]*$ ]] && [[ $l =~ $re ]]; then
            f=${BASH_REMATCH[1]}
        fi
        fn_of+=("$f")
    done
}

check_finding()
{
    local mod=$1 check=$2 line=$3 func=$4 sym=$5 callee=$6 phase=$7
    local acquire=$8 text want
    [[ " $checks " == *" $check "* ]] ||
        problem "$mod: unknown check id '$check'"
    [[ " $phases " == *" $phase "* ]] ||
        problem "$mod: unknown phase '$phase' (line $line)"
    text=${txt[line - 1]:-}
    [ -n "$text" ] || problem "$mod: line $line is empty or past the end"
    if [ "$check" = lock-leak ]; then
        # Reported at the return that leaves the lock held; the acquire
        # line names the lock.
        [[ ${txt[acquire - 1]:-} == *"$sym"* ]] ||
            problem "$mod: acquire_line '$acquire' does not mention '$sym'"
        [[ $text == *return* ]] ||
            problem "$mod: lock-leak line $line is not a return: $text"
        sym='' callee=return
    fi
    want=${callee:-${sym##*.}}
    [ -n "$want" ] || problem "$mod: finding at $line names no symbol/callee"
    [[ $text == *"$want"* ]] ||
        problem "$mod: line $line does not mention '$want': $text"
    [ -z "$callee" ] || [ -z "$sym" ] || [[ $text == *"$sym"* ]] ||
        problem "$mod: line $line does not mention '$sym': $text"
    [ "${fn_of[line - 1]:-}" = "$func" ] ||
        problem "$mod: line $line is in ${fn_of[line - 1]:-?}, not in $func"
}

# Scenarios: one jq over all of them ("file count-of-load-requests").
declare -A nload=()
mapfile -t scens < <(jq -r '.modules[].scenario' "$manifest")
while read -r f n; do
    nload[$f]=$n
done < <(cd "$samples" &&
    jq -r '"\(input_filename) \(.load | length)"' "${scens[@]}" 2>/dev/null)

# One jq for the manifest: a module line "M..." then its findings "F...",
# fields separated by \x1f (a tab would merge empty fields).
name=''
while IFS=$'\x1f' read -r kind a b c d e f g h; do
    if [ "$kind" = M ]; then
        name=$a group=$b src=$c so=$d sym=$e scen=$f config=$g nf=$h
        [ -f "$samples/$src" ] || problem "$name: source $src missing"
        [ -f "$built/$so" ] || problem "$name: $built/$so not built"
        [ -f "$built/${so%.so}.tsan.so" ] ||
            problem "$name: TSan variant ${so%.so}.tsan.so not built"
        [ "${nload[$scen]:-0}" -gt 0 ] ||
            problem "$name: scenario $scen missing or has no load requests"
        [ "$config" = yes ] || problem "$name: empty config snippet"
        txt=() fn_of=()
        [ -f "$samples/$src" ] && load_source "$samples/$src"
        [[ $'\n'"$(printf '%s\n' "${txt[@]}")" == \
            *$'\n'"AP_DECLARE_MODULE(${sym%_module})"* ]] ||
            problem "$name: no AP_DECLARE_MODULE(${sym%_module}) in $src"
        case $group in
            unsafe) [ "$nf" -gt 0 ] || problem "$name: unsafe, no findings" ;;
            safe) [ "$nf" = 0 ] || problem "$name: safe but $nf findings" ;;
            *) problem "$name: group '$group' is neither safe nor unsafe" ;;
        esac
    else
        check_finding "$name" "$a" "$b" "$c" "$d" "$e" "$f" "$g"
    fi
done < <(jq -r '.modules[] | (["M", .name, .group, .source, .so,
        .module_symbol, .scenario, (if (.config // "") != "" then "yes"
        else "no" end), (.expected_findings | length)]),
    (.expected_findings[] | ["F", .check, .line, .function, .symbol // "",
        .callee // "", .phase, .acquire_line // ""])
    | map(tostring) | join("\u001f")' "$manifest")

n=$(jq '.modules | length' "$manifest")
f=$(jq '[.modules[].expected_findings[]] | length' "$manifest")
if [ $bad = 0 ]; then
    echo "manifest: $n modules, $f expected findings, all consistent"
fi
exit $bad
