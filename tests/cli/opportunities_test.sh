#!/usr/bin/env bash
# `carteira opportunities`, `carteira mix` and `carteira icp` on the sample:
# table, CSV and JSON (parsed), the week filter, same bytes on a rerun, the
# demo's section, and the bad-input cases (no category, one category, one
# purchase, bad flags).
set -u
carteira="$1"
sample="$2"
python="${3:-python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() {  # check NAME CONDITION...
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name" >&2; fi
}

"$carteira" opportunities --data "$sample" --as-of 2026-10-31 > "$work/table" 2> "$work/err"
check "opportunities exits 0" test $? -eq 0
check "the header says the date" grep -q "^Opportunities as of 2026-10-31: [0-9]* customers$" "$work/table"
check "a window per customer" grep -q "next purchase 2026-[0-9-]* (window 20[0-9-]* to 20[0-9-]*" "$work/table"
check "suggestions with a reason in figures" grep -Eq "^    1\. [a-z]+ +0\.[0-9]{3}  [0-9]+% of customers who buy [a-z]+ also buy [a-z]+ \(lift [0-9.]+; [0-9]+ customers\)$" "$work/table"
"$carteira" opportunities --data "$sample" --as-of 2026-10-31 --top 2 --format json > "$work/a.json"
"$carteira" opportunities --data "$sample" --as-of 2026-10-31 --top 2 --format json > "$work/b.json"
check "same input, same bytes" cmp -s "$work/a.json" "$work/b.json"
"$python" - "$work/a.json" > "$work/json_check" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["as_of"] == "2026-10-31", d["as_of"]
cs = d["customers"]
assert len(cs) > 4000, len(cs)
for c in cs:
    assert set(c) == {"customer_id", "recommendations", "next_purchase"}, c
    assert len(c["recommendations"]) <= 2
    for r in c["recommendations"]:
        assert set(r) == {"category", "score", "reason"} and r["score"] > 0 and r["reason"], r
    n = c["next_purchase"]
    if n["basis"] == "rhythm":
        assert n["from"] <= n["expected"] <= n["to"], n
    else:
        assert n["expected"] is None and n["from"] is None, n
assert any(len(c["recommendations"]) == 2 for c in cs)
print("ok")
PY
check "json parses and has the documented shape" grep -q "^ok$" "$work/json_check"
"$carteira" opportunities --data "$sample" --as-of 2026-10-31 --format csv > "$work/o.csv"
check "csv header" grep -q "^customer_id,rank,category,score,reason,expected,from,to$" "$work/o.csv"
check "csv rows" grep -Eq '^C[0-9]+,1,[a-z]+,0\.[0-9]+,[0-9]+% of customers who buy' "$work/o.csv"
"$carteira" opportunities --data "$sample" --as-of 2026-10-31 --week 2026-11-02 --format csv > "$work/week.csv"
check "the week filter keeps windows opening that week" test -z "$(tail -n +2 "$work/week.csv" | awk -F, '{print $7}' | grep -v '^2026-11-0[2-8]$')"
check "the week has customers" test "$(tail -n +2 "$work/week.csv" | wc -l)" -gt 10

"$carteira" opportunities --data "$sample" --as-of 2026-10-31 --top 1 --p-alive-model bgnbd --expected-horizon 60 --format csv > "$work/model.csv" 2> "$work/err"
check "with a model: exits 0" test $? -eq 0
check "with a model: csv columns" grep -q "^customer_id,rank,category,score,reason,expected,from,to,p_alive,expected_purchases$" "$work/model.csv"
check "with a model: P(alive) in [0, 1]" test -z "$(tail -n +2 "$work/model.csv" | awk -F, '$9 != "" && ($9 < 0 || $9 > 1)')"
"$carteira" opportunities --data "$sample" --as-of 2026-10-31 --top 1 --p-alive-model bgnbd > "$work/model.table" 2> /dev/null
check "with a model: the table says P(alive)" grep -Eq "; P\(alive\) [01]\.[0-9]{2}, [0-9]+\.[0-9] purchases expected in 30 days$" "$work/model.table"
"$carteira" opportunities --data "$sample" --p-alive-model gammagamma > /dev/null 2> "$work/err"
check "a spend model is refused" test $? -eq 2

"$carteira" mix --data "$sample" --from 2025-11-01 --to 2026-10-31 --by rep > "$work/mix" 2> "$work/err"
check "mix exits 0" test $? -eq 0
check "mix names the period" grep -q "^Product mix 2025-11-01 to 2026-10-31 (positivação de mix)$" "$work/mix"
check "mix has a row per rep" grep -q "^R05 " "$work/mix"
check "mix has the category by segment matrix" grep -q "^industria " "$work/mix"
"$carteira" mix --data "$sample" --from 2025-11-01 --to 2026-10-31 --by segment --format json > "$work/mix.json"
"$python" -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['by']=='segment' and len(d['groups'])==4 and d['overall']['buyers']>0 and len(d['customers'])>1000; print('ok')" "$work/mix.json" > "$work/mix_check" 2>&1
check "mix json parses" grep -q "^ok$" "$work/mix_check"
"$carteira" mix --data "$sample" --from 2025-11-01 --to 2026-10-31 --format csv > "$work/mix.csv"
check "mix csv" grep -q "^(all),bebidas,5000," "$work/mix.csv"
"$carteira" mix --data "$sample" --from 2026-10-31 --to 2026-01-01 > /dev/null 2> "$work/err"
check "an empty period exits 2" test $? -eq 2
check "and says so" grep -q "carteira mix: mix: the period \[2026-10-31, 2026-01-01\] is empty" "$work/err"

"$carteira" icp --data "$sample" > "$work/icp" 2> "$work/err"
check "icp exits 0" test $? -eq 0
check "icp describes the best customers" grep -q "^Ideal customer profile as of 2026-10-31: the [0-9]* best customers (top 20% by revenue" "$work/icp"
check "icp lists the closest customers with drivers" grep -Eq "^C[0-9]+ .* 0\.[0-9]{3}  [a-z_]+ .* \(lift [0-9.]+\)" "$work/icp"
"$carteira" icp --data "$sample" --format csv > "$work/icp.csv"
check "icp csv scores everyone" test "$(tail -n +2 "$work/icp.csv" | wc -l)" -eq 5000

# Bad input: no category, one category, one purchase.
mkdir -p "$work/none" "$work/one" "$work/once"
printf 'customer_id;date;amount\nA;01/01/2026;10,00\nA;15/01/2026;10,00\nB;02/01/2026;5,00\n' > "$work/none/transactions.csv"
"$carteira" opportunities --data "$work/none" --format json > "$work/none.json" 2> "$work/err"
check "no category: still exits 0" test $? -eq 0
check "no category: says so" grep -q "note: cross-sell: no transaction has a product category; fill the optional 'category' column" "$work/err"
check "no category: windows still listed" grep -q '"customer_id": "A", "recommendations": \[\], "next_purchase": {"expected": "2026-01-29"' "$work/none.json"
"$carteira" mix --data "$work/none" --from 2026-01-01 --to 2026-01-31 > /dev/null 2> "$work/err"
check "no category: mix exits 2" test $? -eq 2
check "no category: mix says why" grep -q "carteira mix: mix: no transaction has a product category" "$work/err"
printf 'customer_id;date;amount;category\nA;01/01/2026;10,00;bebidas\nA;15/01/2026;10,00;bebidas\nB;02/01/2026;5,00;bebidas\n' > "$work/one/transactions.csv"
"$carteira" opportunities --data "$work/one" > "$work/one.out" 2> "$work/err"
check "one category: exits 0" test $? -eq 0
check "one category: says there is nothing to cross-sell" grep -q "note: only one product category (bebidas)" "$work/err"
check "one category: B has no rhythm yet" grep -q "^B .*no rhythm yet (one purchase, 2026-01-02)$" "$work/one.out"
printf 'customer_id;date;amount;category\nA;01/01/2026;10,00;a\nB;02/01/2026;5,00;b\n' > "$work/once/transactions.csv"
"$carteira" opportunities --data "$work/once" --format json > "$work/once.json" 2> "$work/err"
check "one purchase each: exits 0" test $? -eq 0
check "one purchase each: no window" grep -q '"next_purchase": {"expected": null, "from": null, "to": null, "basis": "one_purchase"}' "$work/once.json"
"$carteira" opportunities --data "$sample" --top 0 > /dev/null 2> "$work/err"
check "--top 0 exits 2" test $? -eq 2
"$carteira" opportunities --data "$sample" --week 31/02/2026 > /dev/null 2> "$work/err"
check "a bad week exits 2" test $? -eq 2
check "and names the flag" grep -q "carteira opportunities: --week: " "$work/err"
"$carteira" opportunities > /dev/null 2> "$work/err"
check "no data exits 2" test $? -eq 2

XDG_DATA_HOME="$work/xdg" "$carteira" demo --data "$sample" > "$work/demo" 2> "$work/err"
check "demo exits 0" test $? -eq 0
check "demo shows suggestions" grep -Eq "^      offer [a-z]+ +[0-9]+% of customers who buy" "$work/demo"

echo "$passed passed, $failed failed"
test "$failed" -eq 0
