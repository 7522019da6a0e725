#!/usr/bin/env bash
# `carteira agenda` on the sample: table, JSON and CSV, filters, same bytes
# on a rerun, and located errors.
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

"$carteira" agenda --data "$sample" --as-of 2026-10-31 > "$work/table" 2> "$work/err"
check "agenda exits 0" test $? -eq 0
check "the header says the date and horizon" grep -q "^Agenda as of 2026-10-31 (tasks due up to 2026-11-07): [0-9]* tasks" "$work/table"
check "renewals with the contract" grep -q " renewal .*contract K[0-9]* ends on " "$work/table"
check "visits by ABC class" grep -q " visit .*class [ABC]: a visit every " "$work/table"
"$carteira" agenda --data "$sample" --as-of 2026-10-31 --format json > "$work/a.json"
"$carteira" agenda --data "$sample" --as-of 2026-10-31 --format json > "$work/b.json"
check "same input, same bytes" cmp -s "$work/a.json" "$work/b.json"
check "json keys" grep -q '"key": "reactivation:C[0-9]*:20[0-9-]*", "customer_id": "C[0-9]*", "rep": "R[0-9]*", "type": "reactivation"' "$work/a.json"
"$carteira" agenda --data "$sample" --as-of 2026-10-31 --rep R05 --type renewal --format csv > "$work/r05.csv"
check "csv header" grep -q "^key,customer_id,rep_id,type,due,overdue,priority,reason$" "$work/r05.csv"
check "filters keep only R05's renewals" test -z "$(tail -n +2 "$work/r05.csv" | grep -v ',R05,renewal,')"
"$carteira" agenda --data "$sample" --as-of 2026-10-31 --type purchase_window --format csv > "$work/pw.csv"
check "purchase_window is asked for by name" grep -Eq '^purchase_window:C[0-9]+:2026-[0-9-]+,C[0-9]+,R[0-9]+,purchase_window,.*next purchase expected .*; offer [a-z]+: [0-9]+% of customers who buy' "$work/pw.csv"
check "and is not in the default agenda" test -z "$(grep purchase_window "$work/table")"
"$carteira" agenda --data "$sample" --type calls > /dev/null 2> "$work/err"
check "an unknown type exits 2" test $? -eq 2
check "and names it" grep -q -- "--type calls: use renewal, reactivation" "$work/err"
"$carteira" agenda --data "$sample" --rep NOBODY > /dev/null 2> "$work/err"
check "an unknown rep exits 2" test $? -eq 2
"$carteira" agenda --data "$sample" --horizon -3 > /dev/null 2> "$work/err"
check "a negative horizon exits 2" test $? -eq 2

echo "$passed passed, $failed failed"
test "$failed" -eq 0
