#!/usr/bin/env bash
# html_dom_test.sh MODCERT FIXTURE_DIR WORK_DIR [MODULES_DIR SAMPLES_DIR]
#
# Renders the HTML report of the unsafe counter fixture (static, binary and
# dynamic findings, a race with two stacks, real source excerpts), loads it
# in Debian's headless Chromium and checks the rendered DOM: the verdict,
# every finding of report.json, both racing stacks, the interleaving SVG,
# the inline script ran (CSP allows it, nothing else), hostile text stayed
# text. Then takes a screenshot. With MODULES_DIR and SAMPLES_DIR, does the
# same for the real unsafe sample module mod_hitcount (scan + audit).
# Exit 77 (SKIP) when chromium is absent.
set -u
modcert=$1 fx=$2 work=$3 modules=${4:-} samples=${5:-}
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
echo "PASS: fixture report: DOM shows the verdict and all $n findings; screenshot $work/report.png ($size bytes)"

# The real unsafe sample module, when it and `modcert scan` are available.
so=$modules/mod_hitcount.so src=$samples/unsafe/mod_hitcount.c
[ -n "$modules" ] && [ -e "$so" ] && [ -e "$src" ] || { echo "note: no mod_hitcount sample; fixture only"; exit 0; }
"$modcert" scan --format json "$src" >"$work/hit.scan.json" 2>/dev/null
[ $? -le 1 ] || { echo "note: modcert scan unavailable; fixture only"; exit 0; }
"$modcert" audit "$so" --format json -o "$work/hit.audit.json"
"$modcert" report --scan "$work/hit.scan.json" --audit "$work/hit.audit.json" --module "$so" \
    --source "$src" --out-dir "$work/hit"
[ $? -eq 1 ] || fail "mod_hitcount: want not certified"
timeout 90 "$chromium" "${flags[@]}" --dump-dom "file://$work/hit/report.html" \
    >"$work/hit-dom.html" 2>>"$work/chromium-dom.log"
grep -q '<h1>NOT CERTIFIED: mod_hitcount</h1>' "$work/hit-dom.html" || fail "mod_hitcount: verdict missing from DOM"
ids=$(grep -o '"id": "[SBD][0-9]*"' "$work/hit/report.json" | sed 's/.*"\([SBD][0-9]*\)"/\1/' | sort -u)
m=$(echo "$ids" | wc -l)
for id in $ids; do
    grep -q "id=\"finding-$id\"" "$work/hit-dom.html" || fail "mod_hitcount: finding $id not in the DOM"
done
grep -q 'class="hit"' "$work/hit-dom.html" || fail "mod_hitcount: no source excerpt"
timeout 90 "$chromium" "${flags[@]}" --hide-scrollbars --window-size=1200,1400 \
    --screenshot="$work/hitcount.png" "file://$work/hit/report.html" >>"$work/chromium-shot.log" 2>&1
[ -s "$work/hitcount.png" ] || fail "mod_hitcount: no screenshot"
echo "PASS: mod_hitcount report: verdict and all $m findings in the DOM; screenshot $work/hitcount.png"
