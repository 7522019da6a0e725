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

XDG_DATA_HOME="$work/xdg" "$carteira" demo > "$work/demo" 2> "$work/err"
check "demo exits 0" test $? -eq 0
check "demo says where its store is" grep -q "^Carteira demo: store $work/xdg/carteira/demo.db (created from the sample" "$work/demo"
XDG_DATA_HOME="$work/xdg" "$carteira" demo > "$work/demo2" 2> "$work/err"
check "demo reuses its store" grep -q "^Carteira demo: store $work/xdg/carteira/demo.db (existing)" "$work/demo2"
check "demo shows the summary" grep -q "Customer summary as of" "$work/demo"
check "demo shows the status counts" grep -q "^  at_risk " "$work/demo"
check "demo lists at-risk customers" grep -q "Top 10 at-risk customers" "$work/demo"
check "demo says where its report is" grep -q "^Report (HTML, open it in a browser): $work/xdg/carteira/demo-report.html$" "$work/demo"
check "demo wrote its report" grep -q 'data-chart="status"' "$work/xdg/carteira/demo-report.html"

# Status: fixed thresholds alone are applied exactly (strictly greater crosses).
mkdir "$work/st"
printf 'customer_id;date;amount\nA;01/01/2024;10,00\nB;01/01/2024;10,00\nC;01/01/2024;10,00\nD;01/01/2024;10,00\n' > "$work/st/transactions.csv"
printf 'E;30/01/2024;1,00\nF;31/01/2024;1,00\nG;01/03/2024;1,00\nA;01/04/2024;1,00\n' >> "$work/st/transactions.csv"
# As of 2024-04-01: A 0 days, E 62, F 61, G 31 days, B/C/D 91 days.
"$carteira" status --data "$work/st" --as-of 2024-04-01 --at-risk-after 30 --inactive-after 61 \
  --lost-after 90 --format csv > "$work/st.csv" 2> "$work/err"
check "status exits 0" test $? -eq 0
check "status csv header" grep -q '^customer_id,status,flags,rule,days_since_last_purchase,' "$work/st.csv"
check "0 days is active" grep -q '^A,active,,recency,0,' "$work/st.csv"
check "31 > 30 is at_risk" grep -q '^G,at_risk,,recency,31,' "$work/st.csv"
check "61 = 61 stays at_risk" grep -q '^F,at_risk,,recency,61,' "$work/st.csv"
check "62 > 61 is inactive" grep -q '^E,inactive,,recency,62,' "$work/st.csv"
check "91 > 90 is lost" grep -q '^B,lost,,recency,91,' "$work/st.csv"
check "reason with figures" grep -q '91 days without purchase > 90 (default)' "$work/st.csv"
"$carteira" status --data "$work/st" --as-of 2024-04-01 --at-risk-after 30 --inactive-after 61 \
  --lost-after 90 --format json --counts > "$work/st.json"
check "json counts" grep -q '"counts": {"prospect": 0, "new": 0, "active": 1, "at_risk": 2, "inactive": 1, "lost": 3, "reactivated": 0}' "$work/st.json"
"$carteira" status --data "$work/st" --as-of 2024-04-01 --format json > "$work/st2.json"
check "json customers" grep -q '"customer_id": "B", "status": "at_risk", "flags": \[\], "rule": "recency", "reason": "91 days without purchase > 90 (default)", "days_since_last_purchase": 91' "$work/st2.json"
"$carteira" status --data "$work/st" --at-risk-after 200 --inactive-after 100 > /dev/null 2> "$work/err"
check "at_risk after inactive exits 2" test $? -eq 2
check "names the flags" grep -q -- "the at-risk threshold 200 must not exceed the inactive threshold 100 (--at-risk-after, --inactive-after)" "$work/err"
"$carteira" status --data "$work/st" --at-risk-after -3 > /dev/null 2> "$work/err"
check "negative threshold exits 2" test $? -eq 2
"$carteira" status --data "$work/st" --only perdido > /dev/null 2> "$work/err"
check "unknown status exits 2" test $? -eq 2
check "names the status" grep -q -- "--only perdido: unknown status" "$work/err"
printf '{"segments": {"varejo": {"recency": {"inactive_after": -1}}}}' > "$work/bad_policy.json"
"$carteira" status --data "$work/st" --policy "$work/bad_policy.json" > /dev/null 2> "$work/err"
check "bad policy exits 2" test $? -eq 2
check "bad policy names the key" grep -q "bad_policy.json: segments.varejo.recency.inactive_after: must not be negative" "$work/err"
printf '{"segments": {"varejo": {}}}' > "$work/seg_policy.json"
"$carteira" status --data "$work/st" --policy "$work/seg_policy.json" > /dev/null 2> "$work/err"
check "unknown segment exits 2" test $? -eq 2
check "unknown segment named" grep -q "seg_policy.json: segments.varejo: no customer has this segment" "$work/err"
"$carteira" status --data examples_missing > /dev/null 2>&1
check "missing data exits 2" test $? -eq 2

# With a policy file, the threshold flags apply to every segment too.
mkdir "$work/seg"
printf 'customer_id;name;segment\nV1;Varejo Um;varejo\nA1;Atacado Um;atacado\n' > "$work/seg/customers.csv"
printf 'customer_id;date;amount\nV1;01/01/2024;10,00\nA1;01/01/2024;10,00\n' > "$work/seg/transactions.csv"
printf '{"cadence": {"enabled": false}, "segments": {"varejo": {"lifecycle": {"new_within": 30}}}}' > "$work/seg_only_lifecycle.json"
"$carteira" status --data "$work/seg" --policy "$work/seg_only_lifecycle.json" --as-of 2024-02-18 \
  --at-risk-after 10 --inactive-after 20 --lost-after 30 --format csv > "$work/seg.csv" 2> "$work/err"
check "flags with a policy exit 0" test $? -eq 0
check "flags reach the segment" grep -q '^V1,lost,,recency,48,.*48 days without purchase > 30 (segment varejo)' "$work/seg.csv"
check "flags reach the defaults" grep -q '^A1,lost,,recency,48,' "$work/seg.csv"

# Transitions (default policy): everyone is new until day 90 after the first
# purchase; on day 91 the window closes, and without a purchase since, the
# 91 days also cross at_risk_after (90). A bought that day: active.
"$carteira" transitions --data "$work/st" --from 2024-03-01 --to 2024-04-01 --format csv > "$work/tr.csv" 2> "$work/err"
check "transitions exits 0" test $? -eq 0
check "transitions header" grep -q '^customer_id,from,to,date,rule$' "$work/tr.csv"
check "A turns active" grep -q '^A,new,active,2024-04-01,recency$' "$work/tr.csv"
check "B turns at_risk" grep -q '^B,new,at_risk,2024-04-01,recency$' "$work/tr.csv"
check "only those changes" test "$(wc -l < "$work/tr.csv")" -eq 5
"$carteira" transitions --data "$work/st" --from 2024-04-01 --to 2024-03-01 > /dev/null 2>&1
check "reversed range exits 2" test $? -eq 2

# Models: fit on a summary file (CDNOW) and on a transaction log; predict.
"$carteira" fit --model bgnbd --summary "$data/cdnow/cdnow_customers_summary_with_transactions.csv" --format json > "$work/fit.json" 2> "$work/err"
check "fit exits 0" test $? -eq 0
check "fit json has the model" grep -q '"model": "bgnbd", "params": {"r": 0.2425' "$work/fit.json"
check "fit json has the published LL" grep -q '"log_likelihood": -9582.42' "$work/fit.json"
check "fit json says converged" grep -q '"converged": true, "iterations": ' "$work/fit.json"
check "fit json has std errors" grep -q '"std_errors": {"r": 0.01' "$work/fit.json"
"$carteira" fit --model gammagamma --summary "$data/cdnow/cdnow_customers_summary_with_transactions.csv" --format json > "$work/gg.json"
check "gammagamma params" grep -q '"params": {"p": 6.24' "$work/gg.json"
"$carteira" fit --model bgbb --summary "$data/donations/donations.csv" --format json > "$work/bgbb.json"
check "bgbb on donations" grep -q '"params": {"alpha": 1.203' "$work/bgbb.json"
check "bgbb counts opportunities" grep -q '"unit": "opportunities"' "$work/bgbb.json"
"$carteira" fit --model paretonbd --transactions "$data/cdnow/CDNOW_sample.txt" --no-header \
  --map customer_id=2 --map date=3 --map amount=5 --calibration-end 1997-09-30 --unit weeks --format json > "$work/pnbd.json"
check "paretonbd from transactions" grep -q '"log_likelihood": -9594.97' "$work/pnbd.json"
"$carteira" predict --model bgnbd --params '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}' \
  --transactions "$data/cdnow/CDNOW_sample.txt" --no-header --map customer_id=2 --map date=3 --map amount=5 \
  --calibration-end 1997-09-30 --horizon 39 --unit weeks > "$work/predict.csv" 2> "$work/err"
check "predict exits 0" test $? -eq 0
check "predict header" grep -q '^customer_id,p_alive,expected_purchases,expected_spend,clv$' "$work/predict.csv"
check "predict row 0001 (Hardie: 1.226)" grep -q '^0001,0.72[0-9]*,1.226' "$work/predict.csv"
check "predict rows" test "$(wc -l < "$work/predict.csv")" -eq 2358
"$carteira" predict --model bgnbd --params '{"r": 0.243}' --transactions "$data/cdnow/CDNOW_sample.txt" --no-header \
  --map customer_id=2 --map date=3 --map amount=5 --horizon 39 > /dev/null 2> "$work/err"
check "incomplete params exit 2" test $? -eq 2
check "names the missing parameter" grep -q 'needs the number "alpha"' "$work/err"
printf 'x,t_x,T\n1,2,3\n2,9,4\n' > "$work/bad_rfm.csv"
"$carteira" fit --model bgnbd --summary "$work/bad_rfm.csv" > /dev/null 2> "$work/err"
check "bad summary exits 2" test $? -eq 2
check "bad summary names the row" grep -q "bad_rfm.csv: rfm data row 1: t_x = 9: not within" "$work/err"
# status judged by P(alive) from BG/NBD fitted on CDNOW's calibration period;
# the model's figures are columns (customer 0001: P(alive) ~0.73, ~1.226
# purchases in the next 39 weeks, Hardie's spreadsheet).
"$carteira" status --transactions "$data/cdnow/CDNOW_sample.txt" --no-header --map customer_id=2 --map date=3 \
  --map amount=5 --as-of 1997-09-30 --p-alive-model bgnbd --expected-horizon 273 --format csv > "$work/pst.csv" 2> "$work/err"
check "status with p-alive exits 0" test $? -eq 0
check "status p-alive columns" grep -q '^customer_id,.*,reason,p_alive,expected_purchases_273d$' "$work/pst.csv"
check "status p-alive row 0001" grep -q '^0001,.*,0\.72[0-9]*,1\.22[0-9]*$' "$work/pst.csv"
check "status p-alive reason" grep -q 'p_alive: P(alive) 0.21 < 0.50 (bgnbd fitted on 2357 customers, LL -9582.4)' "$work/pst.csv"
"$carteira" status --transactions "$data/cdnow/CDNOW_sample.txt" --no-header --map customer_id=2 --map date=3 \
  --map amount=5 --as-of 1997-09-30 --p-alive-model bgnbd --format json > "$work/pst.json" 2> "$work/err"
check "status p-alive json" grep -q '"segment": "", "p_alive": 0.72[0-9]*, "expected_purchases_90d": ' "$work/pst.json"
"$carteira" status --data "$work/st" --p-alive-model bgnbd --p-alive-at-risk 0.1 --p-alive-inactive 0.5 \
  > /dev/null 2> "$work/err"
check "bad p-alive thresholds exit 2" test $? -eq 2
check "bad p-alive thresholds named" grep -q -- "--p-alive-at-risk/--p-alive-inactive: p_alive rule: need" "$work/err"
"$carteira" fit --model bgnb --summary "$work/bad_rfm.csv" > /dev/null 2>&1
check "unknown model exits 2" test $? -eq 2


# Data hygiene: documents and phones, one per argument.
"$carteira" check-doc 12.ABC.345/01DE-35 529.982.247-25 11444777000161 > "$work/doc" 2>&1
check "check-doc all valid exits 0" test $? -eq 0
check "alphanumeric CNPJ formatted" grep -q $'^12.ABC.345/01DE-35\tvalid\tcnpj\t12.ABC.345/01DE-35$' "$work/doc"
check "numeric CNPJ formatted" grep -q $'^11444777000161\tvalid\tcnpj\t11.444.777/0001-61$' "$work/doc"
"$carteira" check-doc 529.982.247-25 12.ABC.345/01DE-36 111.111.111-11 > "$work/doc" 2>&1
check "check-doc with an invalid one exits 1" test $? -eq 1
check "check-doc says where" grep -q $'^12.ABC.345/01DE-36\tinvalid\tcnpj\tcheck digit mismatch at position 14$' "$work/doc"
check "check-doc repeated digits" grep -q $'^111.111.111-11\tinvalid\tcpf\tone digit repeated$' "$work/doc"
"$carteira" check-phone "(11) 98765-4321" "+55 21 2345-6789" > "$work/phone" 2>&1
check "check-phone valid exits 0" test $? -eq 0
check "mobile in E.164" grep -q $'^(11) 98765-4321\tvalid\t+5511987654321\tmobile$' "$work/phone"
check "fixed line" grep -q $'^+55 21 2345-6789\tvalid\t+552123456789\tfixed_line$' "$work/phone"
"$carteira" check-phone "(11) 8765-4321" > "$work/phone" 2>&1
check "old mobile exits 1" test $? -eq 1
check "old mobile gets the ninth digit as a suggestion" grep -q 'suggested +5511987654321' "$work/phone"

# hygiene on a directory with typos and duplicates.
mkdir "$work/hy"
cat > "$work/hy/customers.csv" <<'CSV'
customer_id;name;document;email;phone;city;state;delinquent
H1;José da Silva;529.982.247-25;jose@gmail.com;(11) 98765-4321;São Paulo;SP;não
H2;JOSE DA SILVA;52998224725;jose.silva@gmial.com;(11) 8765-4321;Sao Paulo;SP;sim
H3;Conceição Araújo;12.ABC.345/01DE-36;conceicao@uol.com.br;(81) 3456-7890;Recife;PE;não
CSV
printf 'customer_id;date;amount\nH1;01/02/2025;100,50\nH2;03/02/2025;20,25\nH2;04/02/2025;7,00\nH3;05/02/2025;1,00\n' > "$work/hy/transactions.csv"
printf 'customer_id;date;score\nH2;05/02/2025;9\n' > "$work/hy/surveys.csv"
"$carteira" hygiene --data "$work/hy" --format json > "$work/hy.json" 2> "$work/err"
check "hygiene exits 0" test $? -eq 0
check "hygiene json names customer, field, value, problem, suggestion" grep -q '"customer_id": "H2",' "$work/hy.json"
check "hygiene finds the e-mail typo" grep -q '"suggestion": "jose.silva@gmail.com"' "$work/hy.json"
check "hygiene finds the old mobile" grep -q '"problem": "missing_ninth_digit"' "$work/hy.json"
check "hygiene finds the bad CNPJ" grep -q '"problem": "check_digit_mismatch"' "$work/hy.json"
check "hygiene lists the duplicate cluster" grep -A3 '"cluster": \[' "$work/hy.json" | grep -q '"H2"'
check "hygiene counts" grep -q '"email.likely_typo": 1' "$work/hy.json"
"$carteira" hygiene --data "$work/hy" --format json > "$work/hy2.json"
check "hygiene output is reproducible" cmp -s "$work/hy.json" "$work/hy2.json"
"$carteira" hygiene --data "$work/hy" > "$work/hy.txt"
check "hygiene table" grep -q "^Hygiene report: 3 customers" "$work/hy.txt"

# merge: H2 into H1; its rows move, the totals stay, the old id still resolves.
cp -r "$work/hy" "$work/hy_before"
printf 'notes kept by the operator\n' > "$work/hy/LEIAME.txt"
"$carteira" merge --data "$work/hy" --cluster H1,H2 --by ana --date 2025-03-01 > "$work/merge" 2> "$work/err"
check "merge exits 0" test $? -eq 0
check "merge swaps the whole directory (no one-by-one fallback)" test ! -s "$work/err"
check "merge carries other files over" grep -q "notes kept by the operator" "$work/hy/LEIAME.txt"
check "merge reports the moved rows" grep -q "transactions: 2 rows moved" "$work/merge"
check "H2 left customers.csv" test "$(grep -c '^H2;' "$work/hy/customers.csv")" -eq 0
check "no transaction keeps H2" test "$(grep -c '^H2;' "$work/hy/transactions.csv")" -eq 0
check "the survivor keeps the debt flag" grep -q '^H1;José da Silva;529.982.247-25;jose@gmail.com;(11) 98765-4321;São Paulo;SP;sim$' "$work/hy/customers.csv"
check "merge recorded" grep -q '^H2;H1;2025-03-01;ana;' "$work/hy/customer_merges.csv"
check "no temporary files left" test -z "$(ls -A "$work/hy" "$work" | grep carteira-merge)"
"$carteira" summary --data "$work/hy_before" --as-of 2025-03-01 --format csv | awk -F, 'NR>1 {s+=$8} END {printf "%.2f\n", s}' > "$work/rev_before"
"$carteira" summary --data "$work/hy" --as-of 2025-03-01 --format csv | awk -F, 'NR>1 {s+=$8} END {printf "%.2f\n", s}' > "$work/rev_after"
check "revenue total unchanged by merge" cmp -s "$work/rev_before" "$work/rev_after"
check "survivor has both histories" grep -q '^H1,2025-02-01,2025-02-04,3,' <("$carteira" summary --data "$work/hy" --as-of 2025-03-01 --format csv)
printf 'H2;06/02/2025;5,00\n' >> "$work/hy/transactions.csv"
"$carteira" summary --data "$work/hy" --as-of 2025-03-01 --format csv > "$work/alias.csv" 2> "$work/err"
check "a later row with the old id lands on the survivor" grep -q '^H1,2025-02-01,2025-02-06,4,' "$work/alias.csv"
"$carteira" merge --data "$work/hy" --cluster H1,H2 > /dev/null 2> "$work/err"
check "merging again exits 2" test $? -eq 2
check "merging again says so" grep -q "'H2' was already merged into 'H1'" "$work/err"
"$carteira" merge --data "$work/hy" --cluster H1,H9 > /dev/null 2> "$work/err"
check "unknown id exits 2" test $? -eq 2
check "unknown id named" grep -q "unknown customer 'H9'" "$work/err"

# Segments and KPIs (docs/segments.md, docs/kpi.md) on a small directory.
mkdir "$work/kp"
printf 'customer_id;name;region;segment\nA;Ana;Sul;varejo\nB;Bia;Sul;varejo\nC;Caio;Norte;atacado\nD;Duda;Norte;atacado\n' > "$work/kp/customers.csv"
printf 'rep_id;name\nR1;Rita\nR2;Rui\nR3;Ruth\n' > "$work/kp/reps.csv"
printf 'customer_id;rep_id;since\nA;R1;01/01/2024\nB;R1;01/01/2024\nC;R2;01/01/2024\nC;R1;15/02/2025\n' > "$work/kp/assignments.csv"
printf 'customer_id;date;amount\nA;20/12/2024;10,00\nA;20/03/2025;20,00\nB;01/06/2024;5,00\nB;01/02/2025;7,00\nC;10/01/2025;100,00\nD;25/03/2025;1,00\n' > "$work/kp/transactions.csv"
"$carteira" segments --data "$work/kp" --as-of 2025-03-31 > "$work/seg.csv" 2> "$work/err"
check "segments exits 0" test $? -eq 0
check "segments csv header" grep -q '^customer_id,r,f,m,rfm,segment,abc,recency_days,frequency,monetary$' "$work/seg.csv"
check "segments one row a buyer" test "$(wc -l < "$work/seg.csv")" -eq 5
# A: 11 days (2 of 4 buyers are older: r = 1 + 5*2/4 = 3), 2 purchase-days
# (2 below: f 3), 30.00 (2 below: m 3); 30.00 comes after C's 100.00 of the
# 143.00 total, with 69.9% before it: class A.
check "segments row A" grep -q '^A,3,3,3,333,need_attention,A,11,2,30.00$' "$work/seg.csv"
check "segments row D" grep -q '^D,4,1,1,411,promising,C,6,1,1.00$' "$work/seg.csv"
"$carteira" segments --data "$work/kp" --as-of 2025-03-31 > "$work/seg2.csv"
check "segments bit-identical rerun" cmp -s "$work/seg.csv" "$work/seg2.csv"
"$carteira" segments --data "$work/kp" --as-of 2025-03-31 --format json > "$work/seg.json"
check "segments json row" grep -q '"customer_id": "A", "r": 3, "f": 3, "m": 3, "rfm": "333", "segment": "need_attention", "abc": "A"' "$work/seg.json"
printf '{"segments": [{"name": "top", "r": [4, 5]}, {"name": "recent", "r": 5}]}' > "$work/map.json"
"$carteira" segments --check-map --segment-map "$work/map.json" > "$work/out" 2> "$work/err"
check "check-map with problems exits 1" test $? -eq 1
check "check-map names the shadowed rule" grep -q "rule 2 'recent' can never match: rule 1 'top' takes all its cells first" "$work/out"
check "check-map lists uncovered cells" grep -q "15 cells no rule covers" "$work/out"
"$carteira" segments --data "$work/kp" --segment-map "$work/map.json" > /dev/null 2> "$work/err"
check "a faulty map warns" grep -q "warning: .*map.json: rule 2 'recent' can never match" "$work/err"
printf '{"segments": [{"name": "x", "r": 9}]}' > "$work/badmap.json"
"$carteira" segments --data "$work/kp" --segment-map "$work/badmap.json" > /dev/null 2> "$work/err"
check "bad map exits 2" test $? -eq 2
check "bad map names the place" grep -q 'badmap.json: segments\[0\].r: a score is 1 to 5, got 9' "$work/err"
"$carteira" segments --check-map > /dev/null
check "default map checks clean" test $? -eq 0
# Rules with conditions on customer fields and summary figures.
cat > "$work/condmap.json" <<'JSON'
{"fallback": "other", "segments": [
  {"name": "sul_buyers", "where": [{"field": "region", "op": "=", "value": "Sul"},
                                   {"field": "monetary", "op": ">=", "value": 20}]},
  {"name": "big", "where": [{"field": "monetary", "op": ">", "value": 50.00}]},
  {"name": "rest", "r": [1, 5]}]}
JSON
"$carteira" segments --data "$work/kp" --as-of 2025-03-31 --segment-map "$work/condmap.json" > "$work/cond.csv" 2> "$work/err"
check "conditional map exits 0" test $? -eq 0
check "conditional map: region and monetary" grep -q '^A,3,3,3,333,sul_buyers,' "$work/cond.csv"
check "conditional map: Sul below 20.00 falls through" grep -q '^B,[^,]*,[^,]*,[^,]*,[^,]*,rest,' "$work/cond.csv"
check "conditional map: monetary alone" grep -q '^C,[^,]*,[^,]*,[^,]*,[^,]*,big,' "$work/cond.csv"
"$carteira" segments --check-map --segment-map "$work/condmap.json" > "$work/out"
check "check-map with conditions exits 0" test $? -eq 0
check "check-map prints the conditions" grep -q 'sul_buyers .*where region = "Sul" and monetary >= 20.00' "$work/out"
printf '{"segments": [{"name": "vip", "where": [{"field": "regoin", "op": "=", "value": "Sul"}]}]}' > "$work/badcond.json"
"$carteira" segments --data "$work/kp" --segment-map "$work/badcond.json" > /dev/null 2> "$work/err"
check "bad condition exits 2" test $? -eq 2
check "bad condition names the file, rule and field" grep -q "badcond.json: segments\[0\] 'vip': where\[0\]: unknown field 'regoin'" "$work/err"
printf '{"segments": [{"name": "web", "where": [{"field": "attribute:canal", "op": "=", "value": "web"}]}, {"name": "rest"}]}' > "$work/attrmap.json"
"$carteira" segments --data "$work/kp" --segment-map "$work/attrmap.json" > /dev/null 2> "$work/err"
check "unknown attribute exits 2" test $? -eq 2
check "unknown attribute named with the file and rule" grep -q "attrmap.json: segments\[0\] 'web': attribute:canal: the customers have no attribute 'canal'" "$work/err"

"$carteira" kpi --data "$work/kp" --from 2025-01-01 --to 2025-03-31 --by rep --format json > "$work/kpi.json" 2> "$work/err"
check "kpi exits 0" test $? -eq 0
for key in active retention_rate churn_rate reactivation_rate average_ticket purchase_frequency nps promoters passives detractors positivacao giro top20_share gini; do
  check "kpi json has $key" grep -q "\"$key\": " "$work/kpi.json"
done
check "kpi json: no NaN" test "$(grep -ci nan "$work/kpi.json")" -eq 0
check "kpi json: no answers, nps null" grep -q '"nps": null, "answers": 0, "promoters": 0' "$work/kpi.json"
check "kpi json: empty book, null ratios" grep -q '{"rep": "R3", "customers": 0, .*"positivacao": null, .*"giro": null' "$work/kpi.json"
check "kpi json: unassigned group is null" grep -q '{"rep": null, "customers": 1,' "$work/kpi.json"
# Overall (window 180 days): S = A (B's last purchase is 213 days before the
# eve); E = A, B, C, D; C and D are new: retention (4 - 2) / 1 = 2.
check "kpi overall retention" grep -q '"overall": {"customers": 4, "active_start": 1, "active": 4, "new": 2, "new_active": 2, .*"retention_rate": 2,' "$work/kpi.json"
check "kpi giro: C moved, of 3 with a rep" grep -q '"book_at_start": 3, "moved": 1, "giro": 0.3333333333333333' "$work/kpi.json"
if command -v python3 > /dev/null; then
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/kpi.json"
  check "kpi json parses" test $? -eq 0
fi
"$carteira" kpi --data "$work/kp" --from 2030-01-01 --to 2030-01-01 --format json > "$work/empty.json"
check "an empty period exits 0" test $? -eq 0
check "an empty period: no ticket" grep -q '"average_ticket": null' "$work/empty.json"
check "an empty period: no NaN" test "$(grep -ci nan "$work/empty.json")" -eq 0
"$carteira" kpi --data "$work/kp" --from 2025-03-31 --to 2025-01-01 > /dev/null 2> "$work/err"
check "a backward period exits 2" test $? -eq 2
check "a backward period says so" grep -q "the period ends before it starts" "$work/err"
"$carteira" kpi --data "$work/kp" --from 2025-01-01 --to 2025-03-31 --by team > /dev/null 2>&1
check "unknown --by exits 2" test $? -eq 2
"$carteira" kpi --data "$work/kp" --from 2025-01-01 --to 2025-03-31 --by region --cohort > "$work/kpi.txt"
check "kpi table by region" grep -q '^  Norte ' "$work/kpi.txt"
check "kpi table cohort" grep -q '^  2025-01 ' "$work/kpi.txt"
"$carteira" reps --data "$work/kp" --as-of 2025-03-31 --format csv > "$work/reps.csv"
check "reps exits 0" test $? -eq 0
check "reps csv header" grep -q '^rep_id,name,book,prospect,new,active,at_risk,inactive,lost,reactivated,revenue,buyers,positivacao,nps' "$work/reps.csv"
check "reps empty book row" grep -q '^R3,Ruth,0,0,0,0,0,0,0,0,0.00,0,,,0,0,0,0,,,0.00$' "$work/reps.csv"

# The HTML report (docs/report.md).
"$carteira" report --data "$work/kp" --as-of 2025-03-31 --out "$work/report.html" > "$work/out" 2> "$work/err"
check "report exits 0" test $? -eq 0
check "report says where" grep -q "^Report written to $work/report.html (as of 2025-03-31, period 2024-04-01 to 2025-03-31, pt-BR)" "$work/out"
check "report is html" grep -q '^<!DOCTYPE html>' "$work/report.html"
check "report in Portuguese" grep -q 'Situação da carteira' "$work/report.html"
check "report status chart has 7 bars" test "$(grep -o 'data-status="[a-z_]*"' "$work/report.html" | wc -l)" -eq 7
check "report: no NaN" test "$(grep -ciw nan "$work/report.html")" -eq 0
"$carteira" report --data "$work/kp" --as-of 2025-03-31 --out "$work/report2.html" > /dev/null 2>&1
check "report bit-identical rerun" cmp -s "$work/report.html" "$work/report2.html"
"$carteira" report --data "$work/kp" --from 2025-01-01 --to 2025-03-31 --lang en --out "$work/report_en.html" > "$work/out" 2> "$work/err"
check "report --lang en exits 0" test $? -eq 0
check "report in English" grep -q 'Portfolio status' "$work/report_en.html"
check "report English dates" grep -q '2025-01-01 to 2025-03-31' "$work/report_en.html"
"$carteira" report --data "$work/kp" --lang fr --out "$work/report_fr.html" > /dev/null 2> "$work/err"
check "report bad --lang exits 2" test $? -eq 2
check "report bad --lang says so" grep -q -- "--lang fr: use pt-BR or en" "$work/err"
check "report bad --lang writes nothing" test ! -e "$work/report_fr.html"
"$carteira" report --data "$work/kp" --out "$work/no/such/dir/r.html" > /dev/null 2> "$work/err"
check "report bad --out directory exits 2" test $? -eq 2
check "report bad --out names the path" grep -q "cannot write $work/no/such/dir/r.html: No such file or directory" "$work/err"
"$carteira" report --data "$work/kp" --out "$work" > /dev/null 2> "$work/err"
check "report --out a directory exits 2" test $? -eq 2
check "report --out a directory leaves no temporary file" test "$(ls -a "$work" | grep -c '\.tmp\.')" -eq 0
"$carteira" report --data "$work/kp" --from 2025-04-01 --to 2025-03-31 --out "$work/r.html" > /dev/null 2> "$work/err"
check "report period ending before it starts exits 2" test $? -eq 2
"$carteira" report --data "$work/kp" --as-of 2025-03-30 --to 2025-03-31 --out "$work/r.html" > /dev/null 2> "$work/err"
check "report --as-of and --to differ exits 2" test $? -eq 2
"$carteira" report --data "$work/kp" > /dev/null 2>&1
check "report without --out exits 2" test $? -eq 2

# The embedded store: --db works for every command that reads data.
sample="$(dirname "$0")/../../examples/sample"
"$carteira" --db "$work/s.db" db init > "$work/out" 2> "$work/err"
check "db init exits 0" test $? -eq 0
check "db init says created" grep -q "created $work/s.db" "$work/out"
"$carteira" --db "$work/s.db" db import "$work/st" > "$work/out" 2> "$work/err"
check "db import exits 0" test $? -eq 0
"$carteira" --db "$work/s.db" db info --format json > "$work/info.json" 2> "$work/err"
check "db info exits 0" test $? -eq 0
check "db info counts every entity" grep -q '"customers": 7, .*"transactions": 8' "$work/info.json"
"$carteira" status --data "$work/st" --as-of 2024-04-01 --format csv > "$work/st_dir.csv"
"$carteira" status --db "$work/s.db" --as-of 2024-04-01 --format csv > "$work/st_db.csv" 2> "$work/err"
check "status --db exits 0" test $? -eq 0
check "status from the store equals status from the files" cmp -s "$work/st_dir.csv" "$work/st_db.csv"
"$carteira" --db "$work/s.db" transitions --from 2024-03-01 --to 2024-04-01 --format csv > "$work/tr_db.csv"
check "--db before the command, transitions" cmp -s "$work/tr.csv" "$work/tr_db.csv"
"$carteira" --db "$work/s.db" report --as-of 2024-04-01 --out "$work/report_db.html" > /dev/null 2> "$work/err"
check "report --db exits 0" test $? -eq 0
"$carteira" report --data "$work/st" --as-of 2024-04-01 --out "$work/report_dir.html" > /dev/null 2> "$work/err"
check "report from --db equals the report from the directory" cmp -s "$work/report_db.html" "$work/report_dir.html"
"$carteira" summary --db "$work/s.db" --data "$work/st" > /dev/null 2> "$work/err"
check "--db with --data exits 2" test $? -eq 2
mkdir "$work/day"
printf 'customer_id;date;amount;order_id\nB;02/04/2024;10,00;D1\nNEWC;02/04/2024;3,00;D2\n' > "$work/day/transactions.csv"
"$carteira" --db "$work/s.db" db append "$work/day" --format json > "$work/append.json" 2> "$work/err"
check "db append exits 0" test $? -eq 0
check "db append reports B coming back" grep -q '{"customer_id": "B", "from": "at_risk", "to": "active"' "$work/append.json"
check "db append reports the new customer" grep -q '{"customer_id": "NEWC", "from": null, "to": "new"' "$work/append.json"
"$carteira" --db "$work/s.db" db append "$work/day" > /dev/null 2> "$work/err"
check "appending the same orders again fails" test $? -ne 0
check "and names the order" grep -q "order 'D1' is already in the store; nothing appended" "$work/err"
"$carteira" --db "$work/s.db" db info --format json > "$work/info2.json"
check "nothing of the failed append was written" grep -q '"transactions": 10' "$work/info2.json"
"$carteira" --db "$work/s.db" db check > "$work/out" 2> "$work/err"
check "db check exits 0 on a sound store" test $? -eq 0
"$carteira" --db "$work/s.db" merge --cluster A,B --by ana --date 2024-04-02 > "$work/out" 2> "$work/err"
check "merge on a store exits 0" test $? -eq 0
"$carteira" summary --db "$work/s.db" --as-of 2024-04-02 --format csv > "$work/sum_db.csv"
check "merged customer gone" test "$(grep -c '^B,' "$work/sum_db.csv")" -eq 0
"$carteira" --db "$work/s.db" db check > /dev/null 2>&1
check "db check still ok after the merge" test $? -eq 0
sqlite3 "$work/s.db" "INSERT INTO surveys(customer, date, score) VALUES(9999, 1, 5)" 2>/dev/null
if [ $? -eq 0 ]; then
  "$carteira" --db "$work/s.db" db check > "$work/out" 2>&1
  check "db check exits non-zero on a broken reference" test $? -ne 0
  check "db check names the table" grep -q "table surveys" "$work/out"
fi
printf 'not a database\n' > "$work/x.db"
"$carteira" --db "$work/x.db" db info > /dev/null 2> "$work/err"
check "a file that is not a store exits 2" test $? -eq 2
check "and says so" grep -q "x.db: not a Carteira store" "$work/err"
check "and is left untouched" test "$(cat "$work/x.db")" = "not a database"
"$carteira" --db "$work/none.db" db info > /dev/null 2> "$work/err"
check "a missing store exits 2" test $? -eq 2
check "a missing store is not created" test ! -e "$work/none.db"

echo "$passed passed, $failed failed"
test "$failed" -eq 0
