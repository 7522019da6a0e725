// Store::RefreshStatuses: each customer's summary and status kept up to
// date incrementally. A customer is recomputed when it has new data (the
// dirty_customers table, filled by Append and MergeCustomers) or when its
// stored next_check day has come (the first day its status changes
// without new data: a threshold crossed, a contract window opening). The
// recomputation runs the ordinary summary and status engine on a small
// portfolio holding just those customers with their whole history, read by
// key (transactions are clustered by customer), so the cost follows the
// new data and not the size of the store.
#include <algorithm>
#include <limits>

#include "carteira/core/strings.h"
#include "carteira/status/status_engine.h"
#include "carteira/store/store.h"
#include "carteira/summary/customer_summary.h"
#include "src/store/store_impl.h"

namespace carteira {

using namespace store_internal;  // NOLINT

namespace {

// How far ahead next_check looks for a change; a customer with none in
// this horizon is looked at again when it ends.
constexpr DayNumber kHorizonDays = 730;
// Above this share of the customers, one full load is cheaper than lookups.
constexpr double kFullShare = 0.25;
// Ids of the placeholder customers that keep every policy segment present.
constexpr std::string_view kSegmentPlaceholder = "\x01segment:";

struct Computed {
  // By small-portfolio index.
  std::vector<std::int64_t> pk;
  StatusTable status;
  CustomerSummary summary;
  std::vector<size_t> summary_row;  // customer -> summary row or npos
  std::vector<DayNumber> next_check;
};

absl::Status Compute(const Portfolio& p, std::vector<std::int64_t> pk, DayNumber as_of,
                     const StatusPolicy& policy, Computed& out) {
  out.pk = std::move(pk);
  SummaryOptions options;
  options.as_of = ToDate(as_of);
  auto summary = Summarize(p, options);
  if (!summary.ok()) return summary.status();
  out.summary = std::move(*summary);
  auto engine = StatusEngine::Create(p, policy);
  if (!engine.ok()) return engine.status();
  if (auto s = engine->ClassifyInto(out.summary, &out.status); !s.ok()) return s;
  out.summary_row.assign(p.customers().size(), static_cast<size_t>(-1));
  for (size_t i = 0; i < out.summary.size(); ++i) out.summary_row[out.summary.customer[i]] = i;
  out.next_check.assign(p.customers().size(), as_of + kHorizonDays);
  auto transitions = engine->Transitions(as_of, as_of + kHorizonDays);
  if (!transitions.ok()) return transitions.status();
  for (const StatusTransition& t : *transitions) {
    out.next_check[t.customer] = std::min(out.next_check[t.customer], t.date);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RefreshReport> Store::RefreshStatuses(DayNumber as_of, const StatusPolicy& policy) {
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  if (!tx.ok()) return tx.status();
  RefreshReport report;
  report.as_of = as_of;
  {
    auto runs = db.QueryInt("SELECT count(*) FROM status_runs");
    if (!runs.ok()) return runs.status();
    if (*runs > 0) {
      auto prev = db.QueryInt("SELECT max(as_of) FROM status_runs");
      if (!prev.ok()) return prev.status();
      report.previous_as_of = static_cast<DayNumber>(*prev);
      if (as_of < report.previous_as_of) {
        return absl::InvalidArgumentError(
            StrCat(db.path(), ": as of ", FormatDate(as_of), " is before the last refresh (",
                   FormatDate(report.previous_as_of), ")"));
      }
    }
  }
  const bool first = report.previous_as_of == kNoDay;
  auto total = db.QueryInt("SELECT count(*) FROM customers");
  if (!total.ok()) return total.status();

  // The customers to recompute.
  if (auto s = db.Exec("CREATE TEMP TABLE IF NOT EXISTS refresh_set(customer INTEGER PRIMARY KEY);"
                       "DELETE FROM refresh_set");
      !s.ok()) {
    return s;
  }
  if (!first) {
    auto st = sql::Statement::Prepare(
        db, "INSERT OR IGNORE INTO refresh_set SELECT customer FROM dirty_customers UNION "
            "SELECT customer FROM customer_state WHERE next_check <= ?1");
    if (!st.ok()) return st.status();
    st->BindInt(1, as_of);
    if (auto s = st->Run(); !s.ok()) return s;
  }
  auto candidates = first ? total : db.QueryInt("SELECT count(*) FROM refresh_set");
  if (!candidates.ok()) return candidates.status();
  const bool full = first || static_cast<double>(*candidates) > kFullShare * static_cast<double>(*total);

  Portfolio p;
  std::vector<std::int64_t> pk;
  if (full) {
    // Everyone, from one snapshot of the whole store (the customer keys
    // come back in load order).
    if (auto s = LoadAll(db, p); !s.ok()) return s;
    auto st = sql::Statement::Prepare(db, "SELECT pk FROM customers ORDER BY pk");
    if (!st.ok()) return st.status();
    while (true) {
      auto row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      pk.push_back(st->Int(0));
    }
  } else {
    // Just the candidates, with their whole history.
    auto st = sql::Statement::Prepare(
        db, "SELECT c.pk, c.id, c.segment, c.created_at, c.key_account, c.delinquent "
            "FROM refresh_set r JOIN customers c ON c.pk = r.customer ORDER BY c.pk");
    if (!st.ok()) return st.status();
    std::vector<std::string> ids, segments;
    std::vector<DayNumber> created;
    std::vector<std::uint8_t> key_account, delinquent;
    while (true) {
      auto row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      pk.push_back(st->Int(0));
      ids.emplace_back(st->Text(1));
      segments.emplace_back(st->Text(2));
      created.push_back(st->IsNull(3) ? kNoDay : static_cast<DayNumber>(st->Int(3)));
      key_account.push_back(st->Int(4) != 0);
      delinquent.push_back(st->Int(5) != 0);
    }
    // Every segment the policy names must exist: placeholders, never reported.
    for (const auto& seg : policy.segments) {
      ids.push_back(StrCat(kSegmentPlaceholder, seg.segment));
      segments.push_back(seg.segment);
      created.push_back(kNoDay);
      key_account.push_back(0);
      delinquent.push_back(0);
    }
    std::vector<std::string_view> id_views(ids.begin(), ids.end()), seg_views(segments.begin(), segments.end());
    CustomerColumns cols;
    cols.id = id_views;
    cols.segment = seg_views;
    cols.created_at = created;
    cols.key_account = key_account;
    cols.delinquent = delinquent;
    if (auto s = p.AppendCustomers(cols); !s.ok()) return s;
    // pk -> small index: the candidates are in pk order.
    auto index_of = [&](std::int64_t key) {
      return static_cast<CustomerIndex>(std::lower_bound(pk.begin(), pk.end(), key) - pk.begin());
    };
    auto tr = sql::Statement::Prepare(
        db, "SELECT t.customer, t.date, t.amount FROM refresh_set r "
            "JOIN transactions t ON t.customer = r.customer");
    if (!tr.ok()) return tr.status();
    std::vector<CustomerIndex> customer;
    std::vector<DayNumber> date;
    std::vector<MinorUnits> amount;
    while (true) {
      auto row = tr->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      customer.push_back(index_of(tr->Int(0)));
      date.push_back(static_cast<DayNumber>(tr->Int(1)));
      amount.push_back(tr->Int(2));
    }
    if (auto s = p.AppendTransactions({customer, date, amount, {}, {}, {}}); !s.ok()) return s;
    auto ct = sql::Statement::Prepare(
        db, "SELECT k.customer, k.contract_id, k.start, k.\"end\", k.value, k.auto_renew "
            "FROM refresh_set r JOIN contracts k ON k.customer = r.customer ORDER BY k.pk");
    if (!ct.ok()) return ct.status();
    while (true) {
      auto row = ct->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      p.AppendContractUnchecked(index_of(ct->Int(0)), ct->Text(1), static_cast<DayNumber>(ct->Int(2)),
                                static_cast<DayNumber>(ct->Int(3)), ct->Int(4), ct->Int(5) != 0);
    }
  }
  Computed computed;
  if (auto s = Compute(p, std::move(pk), as_of, policy, computed); !s.ok()) {
    return absl::Status(s.code(), StrCat(db.path(), ": status refresh: ", s.message()));
  }

  // Compare with what was stored, write the new state and the events.
  auto old_state = sql::Statement::Prepare(db, "SELECT status, flags FROM customer_state WHERE customer = ?1");
  if (!old_state.ok()) return old_state.status();
  auto run = sql::Statement::Prepare(db, "INSERT INTO status_runs(as_of, checked, changed) VALUES(?1, ?2, 0)");
  if (!run.ok()) return run.status();
  run->BindInt(1, as_of);
  run->BindInt(2, static_cast<std::int64_t>(computed.pk.size()));
  if (auto s = run->Run(); !s.ok()) return s;
  const std::int64_t run_pk = sqlite3_last_insert_rowid(db.get());
  auto write = sql::Statement::Prepare(
      db, "INSERT OR REPLACE INTO customer_state(customer, as_of, first_purchase, last_purchase, "
          "purchase_days, revenue, status, flags, rule, next_check) "
          "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!write.ok()) return write.status();
  auto event = sql::Statement::Prepare(
      db, "INSERT INTO status_events(run, customer, from_status, to_status, from_flags, to_flags) "
          "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  if (!event.ok()) return event.status();
  const StatusTable& t = computed.status;
  for (size_t c = 0; c < computed.pk.size(); ++c) {
    const std::int64_t key = computed.pk[c];
    bool had = false;
    Status from = Status::kProspect;
    std::uint8_t from_flags = 0;
    if (!first) {
      old_state->BindInt(1, key);
      auto row = old_state->Step();
      if (!row.ok()) return row.status();
      if (*row) {
        had = true;
        from = static_cast<Status>(old_state->Int(0));
        from_flags = static_cast<std::uint8_t>(old_state->Int(1));
      }
      old_state->Reset();
    }
    write->BindInt(1, key);
    write->BindInt(2, as_of);
    const size_t srow = computed.summary_row[c];
    if (srow != static_cast<size_t>(-1)) {
      write->BindInt(3, computed.summary.first_purchase[srow]);
      write->BindInt(4, computed.summary.last_purchase[srow]);
      write->BindInt(5, computed.summary.purchase_days[srow]);
      write->BindInt(6, computed.summary.revenue[srow]);
    } else {
      write->BindNull(3);
      write->BindNull(4);
      write->BindInt(5, 0);
      write->BindInt(6, 0);
    }
    write->BindInt(7, static_cast<int>(t.status[c]));
    write->BindInt(8, t.flags[c]);
    write->BindInt(9, t.rule[c]);
    write->BindInt(10, computed.next_check[c]);
    if (auto s = write->Run(); !s.ok()) return s;
    if (first || (had && from == t.status[c] && from_flags == t.flags[c])) continue;
    event->BindInt(1, run_pk);
    event->BindInt(2, key);
    if (had) {
      event->BindInt(3, static_cast<int>(from));
      event->BindInt(5, from_flags);
    }
    event->BindInt(4, static_cast<int>(t.status[c]));
    event->BindInt(6, t.flags[c]);
    if (auto s = event->Run(); !s.ok()) return s;
    StatusEvent e;
    e.customer_id = std::string(p.customers().id[c]);
    e.from = from;
    e.to = t.status[c];
    e.from_flags = from_flags;
    e.to_flags = t.flags[c];
    e.first = !had;
    report.events.push_back(std::move(e));
  }
  report.customers_checked = static_cast<std::int64_t>(computed.pk.size());
  {
    auto st = sql::Statement::Prepare(db, "UPDATE status_runs SET changed = ?2 WHERE pk = ?1");
    if (!st.ok()) return st.status();
    st->BindInt(1, run_pk);
    st->BindInt(2, static_cast<std::int64_t>(report.events.size()));
    if (auto s = st->Run(); !s.ok()) return s;
  }
  if (auto s = db.Exec("DELETE FROM dirty_customers; DELETE FROM refresh_set"); !s.ok()) return s;
  if (auto s = tx->Commit(); !s.ok()) return s;
  std::sort(report.events.begin(), report.events.end(),
            [](const StatusEvent& a, const StatusEvent& b) { return a.customer_id < b.customer_id; });
  return report;
}

}  // namespace carteira
