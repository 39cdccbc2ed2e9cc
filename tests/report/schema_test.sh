#!/usr/bin/env bash
# schema_test.sh MODCERT FIXTURE_DIR FIXTURE_SO_DIR WORK_DIR CACHE_DIR SCHEMA
#
# Validates reports of every shape (unsafe with baseline, clean, cut short,
# audit-only with a module hash, a hostile one) against docs/report-schema.json
# with the ajv JSON Schema validator (npm, draft 2020-12), and checks that
# broken reports are rejected. Exit 77 (SKIP) when ajv cannot be installed.
set -u
modcert=$1 fx=$2 sodir=$3 work=$4 cache=$5 schema=$6
here=$(cd "$(dirname "$0")" && pwd)
"$here/setup-npm.sh" "$cache" ajv@8 node_modules/ajv/dist/2020.js >/dev/null || {
    echo "SKIP: the npm package ajv could not be installed (see above)"
    exit 77
}
rm -rf "$work" && mkdir -p "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
r() { "$modcert" report "$@" --now 2026-11-26; [ $? -le 2 ] || fail "modcert report $*"; }

r --scan "$fx/scan-counter.json" --audit "$fx/audit-counter.json" \
    --stress "$fx/stress-counter-winnt.json" --stress "$fx/stress-counter-prefork.json" \
    --policy "$fx/policy-baseline.json" --source-root "$fx" -o "$work/counter.json"
r --scan "$fx/scan-clean.json" --stress "$fx/stress-clean.json" \
    --module "$sodir/mod_clean_fixture.so" -o "$work/clean.json"
r --scan "$fx/scan-clean.json" --stress "$fx/stress-cut-short.json" -o "$work/cut-short.json"
"$modcert" audit "$sodir/mod_unsafe_fixture.so" --format json -o "$work/a.audit"
r --audit "$work/a.audit" --module "$sodir/mod_unsafe_fixture.so" -o "$work/audit-only.json"

NODE_PATH=$cache/node_modules node - "$schema" "$work" <<'JS' || exit 1
const fs = require("fs"), path = require("path");
const Ajv = require("ajv/dist/2020");
const ajv = new Ajv({allErrors: true, strict: false});
const validate = ajv.compile(JSON.parse(fs.readFileSync(process.argv[2], "utf8")));
const dir = process.argv[3];
let good = 0;
for (const f of fs.readdirSync(dir).filter(f => f.endsWith(".json")).sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
    if (!validate(doc)) {
        console.log("FAIL: " + f + " does not match the schema:");
        console.log(JSON.stringify(validate.errors, null, 1).slice(0, 3000));
        process.exit(1);
    }
    good++;
}
/* negative controls: each mutation must be rejected */
const base = JSON.parse(fs.readFileSync(path.join(dir, "counter.json"), "utf8"));
const mutations = {
    "wrong schema version": d => { d.schema = "modcert-report/2"; },
    "severity outside the enum": d => { d.findings[0].severity = "critical"; },
    "finding without lens": d => { delete d.findings[0].lens; },
    "certified with failing findings": d => { d.verdict.certified = true; },
    "verdict without reasons": d => { d.verdict.reasons = []; },
    "dynamic finding without stacks": d => { delete d.findings.find(f => f.lens === "dynamic").stacks; },
    "bad fingerprint": d => { d.findings[0].fingerprint = "xyz"; },
};
for (const [what, mutate] of Object.entries(mutations)) {
    const d = JSON.parse(JSON.stringify(base));
    mutate(d);
    if (validate(d)) { console.log("FAIL: the schema accepts a report with " + what); process.exit(1); }
}
console.log("PASS: " + good + " reports match docs/report-schema.json; " +
            Object.keys(mutations).length + " broken reports rejected");
JS
