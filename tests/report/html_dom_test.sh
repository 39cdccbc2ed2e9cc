#!/usr/bin/env bash
# html_dom_test.sh MODCERT FIXTURE_DIR WORK_DIR
#
# Renders the HTML report of the unsafe counter fixture (static, binary and
# dynamic findings, a race with two stacks, real source excerpts), loads it
# in Debian's headless Chromium and checks the rendered DOM: the verdict,
# every finding of report.json, both racing stacks, the interleaving SVG,
# the inline script ran (CSP allows it, nothing else), hostile text stayed
# text. Then takes a screenshot. Exit 77 (SKIP) when chromium is absent.
set -u
modcert=$1 fx=$2 work=$3
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    echo "SKIP: chromium not installed (Debian package 'chromium'; scripts/install-deps.sh)"
    exit 77
fi
rm -rf "$work" && mkdir -p "$work/profile" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

"$modcert" report --scan "$fx/scan-counter.json" --audit "$fx/audit-counter.json" \
    --stress "$fx/stress-counter-winnt.json" --stress "$fx/stress-counter-prefork.json" \
    --source-root "$fx" --now 2026-11-26 --out-dir "$work/out"
rc=$?
[ "$rc" -eq 1 ] || fail "modcert report exit $rc, want 1 (not certified)"
html=$work/out/report.html
[ -s "$html" ] || fail "no $html"

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$work/profile")
timeout 90 "$chromium" "${flags[@]}" --virtual-time-budget=2000 --dump-dom "file://$html" \
    >"$work/dom.html" 2>"$work/chromium-dom.log"
[ -s "$work/dom.html" ] || { tail -5 "$work/chromium-dom.log"; fail "chromium produced no DOM"; }
dom=$work/dom.html

grep -q 'id="verdict" data-status="not-certified"' "$dom" || fail "verdict header missing from DOM"
grep -q '<h1>NOT CERTIFIED: mod_hitcount</h1>' "$dom" || fail "verdict text missing from DOM"
ids=$(grep -o '"id": "[SBD][0-9]*"' "$work/out/report.json" | sed 's/.*"\([SBD][0-9]*\)"/\1/' | sort -u)
n=$(echo "$ids" | wc -l)
[ "$n" -ge 6 ] || fail "report.json has only $n findings"
for id in $ids; do
    grep -q "id=\"finding-$id\"" "$dom" || fail "finding $id not in the rendered DOM"
done
grep -q "data-findings-rendered=\"$n\"" "$dom" || fail "inline script did not run or counted a different number of findings than $n"
[ "$(grep -o '<div class="stack"' "$dom" | wc -l)" -eq 2 ] || fail "want the two racing stacks side by side"
grep -q '<svg class="interleaving"' "$dom" || fail "interleaving picture missing"
grep -q 'class="hit">   41      hits++;' "$dom" || fail "source excerpt of line 41 missing"
[ "$(grep -o '<script' "$dom" | wc -l)" -eq 1 ] || fail "unexpected script elements in DOM"

timeout 90 "$chromium" "${flags[@]}" --hide-scrollbars --window-size=1200,1800 \
    --screenshot="$work/report.png" "file://$html" >"$work/chromium-shot.log" 2>&1
[ -s "$work/report.png" ] || { tail -5 "$work/chromium-shot.log"; fail "no screenshot"; }
head -c 8 "$work/report.png" | od -An -tx1 | grep -q '89 50 4e 47' || fail "screenshot is not a PNG"
size=$(stat -c %s "$work/report.png")
[ "$size" -gt 20000 ] || fail "screenshot suspiciously small ($size bytes)"
echo "PASS: DOM shows the verdict and all $n findings; screenshot $work/report.png ($size bytes)"
