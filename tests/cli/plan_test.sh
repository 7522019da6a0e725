#!/usr/bin/env bash
# `carteira plan` and `carteira apply` on a copy of the sample portfolio:
# dry run (table and JSON, byte-identical reruns), apply (history appended
# in the file's own format, atomically), a stale plan refused, located
# errors for bad policies and plans, and the same on a store.
set -u
carteira="$1"
sample="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() {  # check NAME CONDITION...
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name" >&2; fi
}
cp -r "$sample" "$work/data"

"$carteira" plan --data "$work/data" --as-of 2026-10-31 > "$work/table" 2> "$work/err"
check "plan exits 0" test $? -eq 0
check "table names the plan" grep -q "^Plan plan-[0-9a-f]\{16\} as of 2026-10-31: [0-9]* moves" "$work/table"
check "the default giro rotates at-risk customers" grep -q "rotate_at_risk .*days since the last purchase" "$work/table"
check "and places the inactive rep's customers" grep -q "assign_unowned .*rep R18 is inactive" "$work/table"
check "fairness before and after" grep -q "^  after   load min" "$work/table"

"$carteira" plan --data "$work/data" --as-of 2026-10-31 --rotate-at-risk --max-moves-per-rep 2 \
  --format json > "$work/plan.json"
check "json plan exits 0" test $? -eq 0
"$carteira" plan --data "$work/data" --as-of 2026-10-31 --rotate-at-risk --max-moves-per-rep 2 \
  --format json > "$work/again.json"
check "same input, same bytes" cmp -s "$work/plan.json" "$work/again.json"
check "json moves" grep -q '"policy": "rotate_at_risk", "reason": "at_risk_no_contact"' "$work/plan.json"
check "json before/after" grep -q '"before": {' "$work/plan.json"
moves=$(grep -c '"customer_id": .*"to": ' "$work/plan.json")
check "the move limit leaves customers unplaced" grep -q '"constraint": "move_limit"' "$work/plan.json"

rows_before=$(wc -l < "$work/data/assignments.csv")
"$carteira" apply --data "$work/data" --plan "$work/plan.json" > "$work/out" 2> "$work/err"
check "apply exits 0" test $? -eq 0
check "apply says what it did" grep -q "^applied plan-.*: $moves moves" "$work/out"
check "history grew by the moves" test "$(wc -l < "$work/data/assignments.csv")" -eq $((rows_before + moves))
check "a reason column was added" grep -q "^customer_id;rep_id;since;reason" "$work/data/assignments.csv"
check "dates in the file's own style" grep -q ";31/10/2026;rotate_at_risk (plan plan-" "$work/data/assignments.csv"
check "no temporary file left" test -z "$(ls -A "$work/data" | grep carteira-apply)"
cp "$work/data/assignments.csv" "$work/applied.csv"
"$carteira" apply --data "$work/data" --plan "$work/plan.json" > /dev/null 2> "$work/err"
check "a stale plan exits 2" test $? -eq 2
check "and says why" grep -q "the plan is stale" "$work/err"
check "and writes nothing" cmp -s "$work/data/assignments.csv" "$work/applied.csv"

echo '{"policies": [{"policy": "rebalance", "tolerancia": 0.1}]}' > "$work/bad.json"
"$carteira" plan --data "$work/data" --policy "$work/bad.json" > /dev/null 2> "$work/err"
check "a bad policy key exits 2" test $? -eq 2
check "and names file, policy and key" grep -q "bad.json: policies\[0\] (rebalance).tolerancia: is not a known key" "$work/err"
"$carteira" plan --data "$work/data" --policy "$work/bad.json" --rebalance > /dev/null 2> "$work/err"
check "--policy with policy flags exits 2" test $? -eq 2
"$carteira" plan --data "$work/data" --handover NOBODY > /dev/null 2> "$work/err"
check "an unknown rep exits 2" test $? -eq 2
check "and is named" grep -q "rep NOBODY is not a rep" "$work/err"
printf '{"moves": [{"customer_id": "C00001", "to": "R99", "policy": "x", "effective": "2026-10-31"}]}' > "$work/bad_plan.json"
"$carteira" apply --data "$work/data" --plan "$work/bad_plan.json" > /dev/null 2> "$work/err"
check "a plan naming an unknown rep exits 2" test $? -eq 2
check "and names the move" grep -q "bad_plan.json: moves\[0\].to: rep R99 is not in the portfolio" "$work/err"
check "and writes nothing" cmp -s "$work/data/assignments.csv" "$work/applied.csv"

"$carteira" plan --data "$work/data" --rebalance --tolerance 0.05 > "$work/rebalance" 2> "$work/err"
check "rebalance exits 0" test $? -eq 0
check "rebalance explains the band" grep -q "rebalance .*band [0-9]*-[0-9]* customers (mean" "$work/rebalance"

# On a store: the plan reads it, apply records it in one transaction.
"$carteira" --db "$work/s.db" db import "$sample" > /dev/null 2>&1
"$carteira" --db "$work/s.db" plan --as-of 2026-10-31 --rotate-at-risk --max-moves-per-rep 2 --format json > "$work/splan.json"
check "plan on a store exits 0" test $? -eq 0
check "same plan from the store as from the files" cmp -s "$work/splan.json" "$work/plan.json"
"$carteira" --db "$work/s.db" apply --plan "$work/splan.json" --by ana > "$work/out" 2> "$work/err"
check "apply on a store exits 0" test $? -eq 0
"$carteira" --db "$work/s.db" apply --plan "$work/splan.json" > /dev/null 2> "$work/err"
check "a stale plan on a store exits 2" test $? -eq 2
"$carteira" --db "$work/s.db" db check > /dev/null 2>&1
check "the store stays consistent" test $? -eq 0

"$carteira" plan --data "$work/data" --rotate-at-risk --p-alive-model bgnbd > "$work/palive" 2> /dev/null
check "plan with the P(alive) rule exits 0" test $? -eq 0
check "and explains moves by P(alive)" grep -q "rotate_at_risk .*, P(alive) 0\.[0-9][0-9];" "$work/palive"

# The demo shows the sample's giro in brief.
XDG_DATA_HOME="$work/xdg" "$carteira" demo --data "$sample" > "$work/demo" 2> "$work/err"
check "demo exits 0" test $? -eq 0
check "demo shows the giro" grep -q "^Giro de carteira: [0-9]* at-risk customers" "$work/demo"
check "demo shows a move with its reason" grep -q "^  C[0-9]*  R[0-9]* -> R[0-9]* .*days since the last purchase" "$work/demo"

echo "$passed passed, $failed failed"
test "$failed" -eq 0
