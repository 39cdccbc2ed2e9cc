# shellcheck shell=bash
# tests/lib/scenario-seq.sh — send a scenario SEQUENTIALLY and check it.
#
# Source it. Independent of `modcert load` (curl + jq only), so the sample
# corpus can be proven against the real httpd with no modcert code involved.
#
#   mc_scenario_seq BASE_URL SCENARIO_JSON WORKDIR
#       Sends every `setup` request, then every `load` request ONCE, in file
#       order, then every `final` request, one at a time, and checks each
#       response against its `expect` (docs/scenario.md: status, headers,
#       body with `re:` = POSIX ERE, body_contains, captures); then checks
#       the relations (distinct, equals-count, max-equals-count).
#       Templates: {token} = a fresh [a-z0-9] token, {seq} = the request's
#       number from 0, {conn} = 0. Prints one line per request sent and one
#       FAIL line per failed check; sets MC_SEQ_SENT / MC_SEQ_FAILED.
#       Returns 0 when every check held, 1 otherwise, 2 on bad input.
#
# Needs curl and jq. Memory/thread-safety: plain bash; per-call state in
# global shell variables prefixed MC__SEQ.

# mc__seq_t TEXT: MC__SEQ_V = TEXT with the templates substituted.
mc__seq_t()
{
    MC__SEQ_V=${1//\{token\}/$MC__SEQ_TOKEN}
    MC__SEQ_V=${MC__SEQ_V//\{seq\}/$MC__SEQ_N}
    MC__SEQ_V=${MC__SEQ_V//\{conn\}/0}
}

# One jq call per request: its fields as shell assignments (exact strings,
# trailing newlines kept). A header expected as null becomes MC__SEQ_NULL.
MC__SEQ_NULL='<absent>'
mc__seq_fields='
  "id=\(.id | @sh) method=\((.method // "GET") | @sh) path=\(.path | @sh)",
  "has_body=\(has("body")) rbody=\((.body // "") | @sh)",
  "want_status=\((.expect.status // 200) | tostring | @sh)",
  "has_ebody=\((.expect // {}) | has("body"))",
  "ebody=\((.expect.body // "") | @sh)",
  "has_contains=\(.expect.body_contains != null)",
  "contains=\((.expect.body_contains // "") | @sh)",
  "hn=(\([(.headers // {}) | keys_unsorted[]] | @sh))",
  "hv=(\([(.headers // {})[]] | @sh))",
  "ehn=(\([(.expect.headers // {}) | keys_unsorted[]] | @sh))",
  "ehv=(\([(.expect.headers // {})[] | . // "<absent>"] | @sh))",
  "cn=(\([(.capture // {}) | keys_unsorted[]] | @sh))",
  "cv=(\([(.capture // {})[]] | @sh))"'

mc__seq_fail()
{
    echo "FAIL $MC__SEQ_ID (seq $MC__SEQ_N): $*"
    MC__SEQ_OK=0
}

# mc__seq_match WHAT EXPECTED ACTUAL: `re:` regex search or equality.
mc__seq_match()
{
    local what=$1 want=$2 got=$3
    if [[ $want == re:* ]]; then
        local re=${want#re:}
        [[ $got =~ $re ]] && return 0
        mc__seq_fail "$what does not match /$re/: got '$got'"
    else
        [ "$got" = "$want" ] && return 0
        mc__seq_fail "$what: expected '$want', got '$got'"
    fi
    return 1
}

mc__seq_header()
{
    # Value of header $2 (case-insensitive) in raw header file $1, or
    # nothing with status 1 when absent.
    local line name
    while IFS= read -r line; do
        line=${line%$'\r'}
        name=${line%%:*}
        if [ "${name,,}" = "${2,,}" ] && [ "$name" != "$line" ]; then
            line=${line#*:}
            line=${line#"${line%%[![:space:]]*}"}
            printf '%s' "$line"
            return 0
        fi
    done <"$1"
    return 1
}

mc__seq_check()
{
    local hdrs=$1 body=$2 status=$3 i got re
    [ "$status" = "$want_status" ] ||
        mc__seq_fail "status: expected $want_status, got $status"
    for i in "${!ehn[@]}"; do
        if [ "${ehv[$i]}" = "$MC__SEQ_NULL" ]; then
            got=$(mc__seq_header "$hdrs" "${ehn[$i]}") &&
                mc__seq_fail "header ${ehn[$i]} must be absent, got '$got'"
            continue
        fi
        if ! got=$(mc__seq_header "$hdrs" "${ehn[$i]}"); then
            mc__seq_fail "header ${ehn[$i]} missing"
            continue
        fi
        mc__seq_t "${ehv[$i]}"
        mc__seq_match "header ${ehn[$i]}" "$MC__SEQ_V" "$got"
    done
    if [ "$has_ebody" = true ]; then
        mc__seq_t "$ebody"
        mc__seq_match body "$MC__SEQ_V" "$body"
    fi
    if [ "$has_contains" = true ]; then
        mc__seq_t "$contains"
        [[ $body == *"$MC__SEQ_V"* ]] ||
            mc__seq_fail "body does not contain '$MC__SEQ_V': got '$body'"
    fi
    for i in "${!cn[@]}"; do
        re=${cv[$i]}
        if [[ $body =~ $re ]]; then
            MC__SEQ_CAPS["$id.${cn[$i]}"]+="${BASH_REMATCH[1]}"$'\n'
        else
            mc__seq_fail "capture ${cn[$i]}: /$re/ does not match the body"
        fi
    done
}

mc__seq_send()
{
    local base=$1 req=$2 dir=$3 status body i args=()
    local id method path has_body rbody want_status has_ebody ebody
    local has_contains contains hn hv ehn ehv cn cv
    eval "$(jq -r "$mc__seq_fields" <<<"$req")" || return 2
    MC__SEQ_ID=$id
    printf -v MC__SEQ_TOKEN 'q%04x%04x%x' "$RANDOM" "$RANDOM" "$MC__SEQ_N"
    MC__SEQ_OK=1
    mc__seq_t "$path"
    path=$MC__SEQ_V
    for i in "${!hn[@]}"; do
        mc__seq_t "${hv[$i]}"
        args+=(-H "${hn[$i]}: $MC__SEQ_V")
    done
    if [ "$has_body" = true ]; then
        mc__seq_t "$rbody"
        args+=(--data-binary "$MC__SEQ_V")
    fi
    status=$(curl -g -s -S --max-time "${MC_SEQ_TIMEOUT:-10}" -X "$method" \
        -o "$dir/body" -D "$dir/headers" -w '%{http_code}' "${args[@]}" \
        "$base$path" 2>"$dir/curl.err") || {
        mc__seq_fail "no response ($(head -c 200 "$dir/curl.err"))"
        status=000
    }
    echo "$MC__SEQ_N $id $method $path -> $status"
    if [ "$status" != 000 ]; then
        body=$(
            cat "$dir/body"
            echo x
        )
        mc__seq_check "$dir/headers" "${body%x}" "$status"
    fi
    MC_SEQ_SENT=$((MC_SEQ_SENT + 1))
    MC__SEQ_N=$((MC__SEQ_N + 1))
    if [ "$MC__SEQ_OK" = 1 ]; then
        MC__SEQ_GOOD["$id"]=$((${MC__SEQ_GOOD["$id"]:-0} + 1))
    else
        MC_SEQ_FAILED=$((MC_SEQ_FAILED + 1))
    fi
}

mc__seq_relation()
{
    local rel=$1 kind req cap of off vals want got
    eval "$(jq -r '@sh "kind=\(.kind) req=\(.request) cap=\(.capture)",
        @sh "of=\(.of // "") off=\(.offset // 0)"' <<<"$rel")" || return 2
    vals=${MC__SEQ_CAPS["$req.$cap"]:-}
    case $kind in
        distinct)
            got=$(printf '%s' "$vals" | sort | uniq -d | head -3 | tr '\n' ' ')
            [ -z "$got" ] && return 0
            echo "FAIL relation distinct $req.$cap: repeated values: $got"
            ;;
        equals-count)
            want=$((${MC__SEQ_GOOD["$of"]:-0} + off))
            got=$(printf '%s' "$vals" | tail -n 1)
            [ "$got" = "$want" ] && return 0
            echo "FAIL relation equals-count $req.$cap: expected $want" \
                "($of ok + $off), got '$got'"
            ;;
        max-equals-count)
            want=$((${MC__SEQ_GOOD["$req"]:-0} + off))
            got=$(printf '%s' "$vals" | sort -n | tail -n 1)
            [ "$got" = "$want" ] && return 0
            echo "FAIL relation max-equals-count $req.$cap: expected $want," \
                "got '$got'"
            ;;
        *)
            echo "FAIL relation: unknown kind '$kind'"
            ;;
    esac
    MC_SEQ_FAILED=$((MC_SEQ_FAILED + 1))
    return 1
}

mc_scenario_seq()
{
    local base=$1 scen=$2 dir=$3 req rel reqs rels
    if ! jq -e '.load | length > 0' "$scen" >/dev/null 2>&1; then
        echo "mc_scenario_seq: $scen: not a scenario (no load requests)" >&2
        return 2
    fi
    mkdir -p "$dir" || return 2
    declare -gA MC__SEQ_CAPS=() MC__SEQ_GOOD=()
    MC_SEQ_SENT=0
    MC_SEQ_FAILED=0
    MC__SEQ_N=0
    mapfile -t reqs < <(jq -c '(.setup // [])[], .load[], (.final // [])[]' \
        "$scen")
    mapfile -t rels < <(jq -c '(.relations // [])[]' "$scen")
    for req in "${reqs[@]}"; do
        mc__seq_send "$base" "$req" "$dir"
    done
    for rel in "${rels[@]}"; do
        mc__seq_relation "$rel"
    done
    echo "sequential: $MC_SEQ_SENT requests, $MC_SEQ_FAILED failed checks"
    [ "$MC_SEQ_FAILED" = 0 ]
}
