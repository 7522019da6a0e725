#!/usr/bin/env bash
# `carteira loyalty` on the sample with examples/loyalty_rules.json: the
# table and JSON of every customer, one customer's history (expired points
# written off at month ends), the same bytes on a rerun, figures that agree
# between the views, and located errors.
set -u
carteira="$1"
sample="$2"
rules="$3"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() {  # check NAME CONDITION...
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name" >&2; fi
}

"$carteira" loyalty --data "$sample" --rules "$rules" --as-of 2026-10-31 > "$work/table" 2> "$work/err"
check "loyalty exits 0" test $? -eq 0
check "the header says the date, customers, points and what expires" \
  grep -q "^Loyalty as of 2026-10-31: [0-9]* customers, [0-9]* points, [0-9]* expiring by 2026-11-30$" "$work/table"
check "a row per customer with points, tier, spend and the next tier" \
  grep -q "^  C00001 *[0-9]* Ouro *[0-9]*\.[0-9][0-9] *[0-9]*  Diamante ([0-9]*\.[0-9][0-9] to go)$" "$work/table"
"$carteira" loyalty --data "$sample" --rules "$rules" --as-of 2026-10-31 --format json > "$work/a.json"
"$carteira" loyalty --data "$sample" --rules "$rules" --as-of 2026-10-31 --format json > "$work/b.json"
check "same input, same bytes" cmp -s "$work/a.json" "$work/b.json"
check "json keys" grep -q '^  {"customer_id": "C00001", "balance": [0-9]*, "tier": "Ouro", "spend": [0-9.]*, "next_tier": "Diamante", "to_next": [0-9.]*, "expiring_30d": [0-9]*}' "$work/a.json"
check "the JSON is valid" /usr/bin/python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$work/a.json"

"$carteira" loyalty --data "$sample" --rules "$rules" --as-of 2026-10-31 --customer C00001 > "$work/one" 2> "$work/err"
check "one customer exits 0" test $? -eq 0
check "its summary" grep -q "^Customer C00001 as of 2026-10-31: [0-9]* points, tier Ouro$" "$work/one"
check "earn entries with the rule's multipliers" grep -q " earn .* P[0-9]* *purchase of [0-9.]*; segment atacado 50%; tier " "$work/one"
check "expired points written off at the month's end" \
  grep -q "2024-11-30 expire *-[0-9]* *earned 2023-11-03, expired 2024-11-03$" "$work/one"
"$carteira" loyalty --data "$sample" --rules "$rules" --as-of 2026-10-31 --customer C00001 --format json > "$work/one.json"
# The customer's balance is the same in both views, and its entries sum to it.
check "balances agree and the entries sum to the balance" /usr/bin/python3 - "$work/a.json" "$work/one.json" <<'PY'
import json, sys
every = {c["customer_id"]: c for c in json.load(open(sys.argv[1]))["customers"]}
one = json.load(open(sys.argv[2]))
assert one["balance"] == every["C00001"]["balance"] > 0, (one["balance"], every["C00001"])
assert sum(e["points"] for e in one["entries"]) == one["balance"]
assert one["expiring_30d"] == every["C00001"]["expiring_30d"]
assert {e["kind"] for e in one["entries"]} >= {"earn", "expire"}
PY
# An earlier date reads only what was known then.
"$carteira" loyalty --data "$sample" --rules "$rules" --as-of 2024-06-30 --customer C00001 --format json > "$work/early.json"
check "an earlier date has fewer entries" /usr/bin/python3 -c '
import json, sys
early, late = (json.load(open(p)) for p in sys.argv[1:])
assert len(early["entries"]) < len(late["entries"])
assert max(e["day"] for e in early["entries"]) <= "2024-06-30"' "$work/early.json" "$work/one.json"

"$carteira" loyalty --data "$sample" --rules "$work/missing.json" > /dev/null 2> "$work/err"
check "a missing rules file exits 2" test $? -eq 2
check "and names it" grep -q "missing.json: cannot open the loyalty rules file" "$work/err"
echo '{"tiers": [{"name": "Prata", "min_spend": 5000}]}' > "$work/bad.json"
"$carteira" loyalty --data "$sample" --rules "$work/bad.json" > /dev/null 2> "$work/err"
check "bad rules exit 2" test $? -eq 2
check "and name the key" grep -q 'bad.json.tiers\[0\].min_spend: expected an amount as a string' "$work/err"
"$carteira" loyalty --data "$sample" --rules "$rules" --customer NOBODY > /dev/null 2> "$work/err"
check "an unknown customer exits 2" test $? -eq 2
check "and is named" grep -q -- "--customer NOBODY: no such customer" "$work/err"
"$carteira" loyalty --data "$sample" > /dev/null 2> "$work/err"
check "--rules is required" test $? -eq 2

echo "$passed passed, $failed failed"
test "$failed" -eq 0
