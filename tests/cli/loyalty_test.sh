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
check "json keys" grep -q '^  {"customer_id": "C00001", "balance": [0-9]*, "tier": "Ouro", "spend": [0-9.]*, "next_tier": "Diamante", "to_next": [0-9.]*, "expiring": [0-9]*}' "$work/a.json"
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
assert one["expiring"] == every["C00001"]["expiring"]
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
check "without rules or a ledger file it exits 2" test $? -eq 2
check "and says what to give" grep -q "give --rules FILE" "$work/err"

# The host's ledger: loyalty.csv in the data directory (';', dd/mm/yyyy,
# a BOM), replayed in file order; expiry from the rules (12 months default).
cp -r "$sample" "$work/data"
printf '\xef\xbb\xbfcustomer_id;date;kind;points;reference\n' > "$work/data/loyalty.csv"
cat >> "$work/data/loyalty.csv" <<'CSV'
C00001;05/01/2026;earn;500;P-1
C00001;10/02/2026;redeem;120;VALE-7
C00002;01/03/2026;earn;80;P-2
C00002;15/03/2026;reverse;0;P-2
C00003;01/09/2025;earn;40;P-3
C00001;20/02/2026;adjust;-30;correcao
C00001;01/01/2026;expire;-10;ignored
CSV
"$carteira" loyalty balance --data "$work/data" --as-of 2026-10-31 --format json > "$work/ledger.json" 2> "$work/err"
check "a ledger file alone is enough" test $? -eq 0
check "its balances: earn - redeem - adjust; a reversed earn is gone; an expired lot is written off" \
  /usr/bin/python3 - "$work/ledger.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
by = {c["customer_id"]: c for c in doc["customers"]}
assert by["C00001"]["balance"] == 500 - 120 - 30, by["C00001"]
assert by["C00002"]["balance"] == 0, by["C00002"]
assert by["C00003"]["balance"] == 0, by["C00003"]  # earned 2025-09-01, expired 2026-09-01
assert set(by) == {"C00001", "C00002", "C00003"}, sorted(by)
PY
"$carteira" loyalty expiring --data "$work/data" --as-of 2025-12-15 --within 365 > "$work/expiring" 2> "$work/err"
check "expiring lists the customers with points expiring" grep -q "^  C00003 *40 " "$work/expiring"
check "and only them" test "$(grep -c '^  C0' "$work/expiring")" -eq 1
"$carteira" loyalty history --data "$work/data" --as-of 2026-10-31 --customer C00002 > "$work/hist" 2> "$work/err"
check "history shows the reverse" grep -q " reverse .*reverses P-2" "$work/hist"
"$carteira" loyalty history --data "$work/data" > /dev/null 2> "$work/err"
check "history needs a customer" grep -q "history: give --customer ID" "$work/err"
printf 'customer_id;date;kind;points;reference\nC00001;05/01/2026;earn;500;P-1\nC00001;06/01/2026;redeem;900;V\n' > "$work/data/loyalty.csv"
"$carteira" loyalty --data "$work/data" --as-of 2026-10-31 > /dev/null 2> "$work/err"
check "a redemption beyond the balance exits non-zero" test $? -ne 0
check "naming the file, line and figures" grep -q "loyalty.csv:3: loyalty: customer C00001: redeeming 900 points exceeds the balance of 500" "$work/err"
printf 'customer_id;date;kind;points;reference\nC99999;05/01/2026;earn;5;X\n' > "$work/data/loyalty.csv"
"$carteira" loyalty --data "$work/data" > /dev/null 2> "$work/err"
check "an unknown customer in the ledger is named with its line" grep -q "loyalty.csv:2: customer_id 'C99999' is not in the portfolio" "$work/err"
printf 'customer_id;date;kind;points;reference\nC00001;05/01/2026;bonus;5;X\n' > "$work/data/loyalty.csv"
"$carteira" loyalty --data "$work/data" > /dev/null 2> "$work/err"
check "an unknown kind is named" grep -q "loyalty.csv:2: kind 'bonus' (expected earn, redeem, adjust, reverse or expire)" "$work/err"

# The store's ledger: db import and db append take a loyalty.csv found in
# the directory (in the same transaction as the rest), loyalty --db reads it.
mkdir "$work/st" "$work/day" "$work/bad" "$work/plain"
printf 'customer_id;date;amount\nA;01/01/2026;100,00\nB;05/01/2026;50,00\n' > "$work/st/transactions.csv"
cp "$work/st/transactions.csv" "$work/plain/transactions.csv"
printf 'customer_id;date;kind;points;reference\nA;05/01/2026;earn;500;P-1\nA;10/02/2026;redeem;120;VALE-7\nB;01/09/2025;earn;40;P-3\n' > "$work/st/loyalty.csv"
"$carteira" --db "$work/s.db" db import "$work/st" > "$work/out" 2> "$work/err"
check "db import with a loyalty.csv exits 0" test $? -eq 0
check "db import says what it took of loyalty.csv" grep -q "^loyalty: 3 entries from $work/st/loyalty.csv" "$work/out"
"$carteira" loyalty --db "$work/s.db" --as-of 2026-10-31 --format json > "$work/s.json" 2> "$work/err"
check "loyalty --db reads the stored ledger" /usr/bin/python3 - "$work/s.json" <<'PY'
import json, sys
by = {c["customer_id"]: c["balance"] for c in json.load(open(sys.argv[1]))["customers"]}
assert by == {"A": 380, "B": 0}, by  # B's lot expired on 2026-09-01
PY
"$carteira" loyalty expiring --db "$work/s.db" --as-of 2025-12-15 --within 365 > "$work/exp" 2> "$work/err"
check "loyalty expiring --db" grep -q "^  B  *40 " "$work/exp"
"$carteira" --db "$work/s.db" loyalty history --customer A --as-of 2026-10-31 > "$work/hist" 2> "$work/err"
check "loyalty history --db (--db before the command)" grep -q " redeem .*-120 .*VALE-7" "$work/hist"
printf 'customer_id;date;amount;order_id\nC;01/03/2026;30,00;D1\n' > "$work/day/transactions.csv"
printf 'customer_id;date;kind;points;reference\nC;01/03/2026;earn;30;P-9\nA;02/03/2026;redeem;80;VALE-8\n' > "$work/day/loyalty.csv"
"$carteira" --db "$work/s.db" db append "$work/day" > "$work/out" 2> "$work/err"
check "db append with a loyalty.csv exits 0" test $? -eq 0
check "db append says what it took of loyalty.csv" grep -q "^loyalty: 2 entries from" "$work/out"
"$carteira" loyalty --db "$work/s.db" --as-of 2026-10-31 --format json > "$work/s2.json" 2> "$work/err"
check "the appended movements join the stored ones (a new customer's too)" /usr/bin/python3 - "$work/s2.json" <<'PY'
import json, sys
by = {c["customer_id"]: c["balance"] for c in json.load(open(sys.argv[1]))["customers"]}
assert by == {"A": 300, "B": 0, "C": 30}, by
PY
"$carteira" --db "$work/s.db" db info --format json > "$work/info1" 2> "$work/err"
printf 'customer_id;date;amount;order_id\nA;04/03/2026;5,00;D2\n' > "$work/bad/transactions.csv"
printf 'customer_id;date;kind;points;reference\nA;04/03/2026;redeem;9999;X\n' > "$work/bad/loyalty.csv"
"$carteira" --db "$work/s.db" db append "$work/bad" > /dev/null 2> "$work/err"
check "a bad loyalty.csv fails the append" test $? -ne 0
check "naming its line" grep -q "loyalty.csv:2: loyalty: customer A: redeeming 9999 points exceeds the balance of 300" "$work/err"
"$carteira" --db "$work/s.db" db info --format json > "$work/info2" 2> "$work/err"
check "and nothing of the day is written (one transaction)" cmp -s "$work/info1" "$work/info2"
"$carteira" --db "$work/plain.db" db import "$work/plain" > /dev/null 2> "$work/err"
"$carteira" loyalty --db "$work/plain.db" > /dev/null 2> "$work/err"
check "a store without a ledger and no --rules exits non-zero" test $? -ne 0
check "and says what to do" grep -q "the store holds no loyalty ledger; give --rules FILE" "$work/err"
"$carteira" loyalty --db "$work/plain.db" --rules "$rules" --as-of 2026-10-31 --format json > "$work/p.json" 2> "$work/err"
check "with --rules it earns from the stored purchases" /usr/bin/python3 - "$work/p.json" <<'PY'
import json, sys
by = {c["customer_id"]: c["balance"] for c in json.load(open(sys.argv[1]))["customers"]}
assert by["A"] > 0 and by["B"] > 0, by
PY

echo "$passed passed, $failed failed"
test "$failed" -eq 0
