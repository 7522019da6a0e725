#!/usr/bin/env bash
# Behaviour of the `carteira` tool: exit codes (0 ok, 2 bad input, 1 other),
# located errors on stderr, and the CSV/JSON outputs.
set -u
carteira="$1"
data="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() {  # check NAME CONDITION...
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name" >&2; fi
}

"$carteira" --help > "$work/help" 2>&1
check "--help exits 0" test $? -eq 0
check "--help lists summary" grep -q summary "$work/help"
"$carteira" summary --help > /dev/null 2>&1
check "summary --help exits 0" test $? -eq 0

# CDNOW in weeks: the header and one known row (customer 0001: x=2, T=272/7).
"$carteira" summary --transactions "$data/cdnow/CDNOW_sample.txt" --no-header \
  --map customer_id=2 --map date=3 --map amount=5 --as-of 1997-09-30 --unit weeks \
  --format csv > "$work/cdnow.csv" 2> "$work/err"
check "cdnow summary exits 0" test $? -eq 0
check "csv header" grep -q '^customer_id,first_purchase,last_purchase,purchase_days,x,t_x,T,revenue,average_ticket,zbar' "$work/cdnow.csv"
check "csv row 0001" grep -q '^0001,1997-01-01,1997-08-02,3,2,30.428571428571427,38.857142857142854,74.02,24.67,22.345,' "$work/cdnow.csv"
check "csv rows" test "$(wc -l < "$work/cdnow.csv")" -eq 2358

# Same as JSON; parse it with whatever Python is at hand if any.
"$carteira" summary --transactions "$data/cdnow/CDNOW_sample.txt" --no-header \
  --map customer_id=2 --map date=3 --map amount=5 --as-of 1997-09-30 --format json > "$work/cdnow.json"
check "json exits 0" test $? -eq 0
check "json has the row" grep -q '"customer_id": "0001", "first_purchase": "1997-01-01"' "$work/cdnow.json"

# Reproducible: the same input gives the same bytes.
"$carteira" summary --transactions "$data/cdnow/CDNOW_sample.txt" --no-header \
  --map customer_id=2 --map date=3 --map amount=5 --as-of 1997-09-30 --unit weeks \
  --format csv > "$work/again.csv"
check "bit-identical rerun" cmp -s "$work/cdnow.csv" "$work/again.csv"

# Bad input: exit 2 and the place named on stderr.
printf 'customer_id;date;amount\nA;01/01/2024;10,00\nB;32/01/2024;5,00\n' > "$work/bad.csv"
"$carteira" summary --transactions "$work/bad.csv" > "$work/out" 2> "$work/err"
check "bad input exits 2" test $? -eq 2
check "error names file:line:column" grep -q "bad.csv:3:2: date '32/01/2024'" "$work/err"
check "nothing on stdout" test ! -s "$work/out"

"$carteira" summary --transactions "$work/bad.csv" --lenient --format csv > "$work/out" 2> "$work/err"
check "lenient exits 0" test $? -eq 0
check "lenient still lists the bad row" grep -q "bad.csv:3:2" "$work/err"
check "lenient summarises the good row" grep -q '^A,2024-01-01' "$work/out"

"$carteira" summary --transactions "$work/missing.csv" > /dev/null 2> "$work/err"
check "missing file exits 2" test $? -eq 2
"$carteira" summary --format xml --transactions "$work/bad.csv" > /dev/null 2>&1
check "bad flag value exits 2" test $? -eq 2
"$carteira" summary --transactions "$work/bad.csv" --lenient --as-of 2024-02-30 > /dev/null 2> "$work/err"
check "bad --as-of exits 2" test $? -eq 2

mkdir "$work/dir"
printf 'customer_id,name\nC1,Ana\n' > "$work/dir/customers.csv"
printf 'customer_id,date,amount\nC1,2024-01-01,1\nC2,2024-01-01,1\n' > "$work/dir/transactions.csv"
"$carteira" import --data "$work/dir" > "$work/out" 2> "$work/err"
check "import with unknown customer exits 2" test $? -eq 2
check "import report names the customer" grep -q "unknown customer 'C2'" "$work/out"

"$carteira" demo > "$work/demo" 2> "$work/err"
check "demo exits 0" test $? -eq 0
check "demo shows the summary" grep -q "Customer summary as of" "$work/demo"

echo "$passed passed, $failed failed"
test "$failed" -eq 0
