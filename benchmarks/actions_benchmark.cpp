// Retention actions (issue 10 item 6), synthetic data, fixed seeds.
//
// The agenda of 1 million customers: the summary benchmark's 10 million
// transactions (3 years, ~1% returns), 1,000 reps holding 95% of the
// customers, 200,000 contracts ending within a year (30% auto-renewing),
// 2 million interactions in the last year (40% of them visits) and 300,000
// survey answers in the last two. Target: BM_Agenda <= 200 ms.
// Read it as ratios within one run (the machine is shared):
//   BM_Agenda / BM_Classify: the agenda over the statuses it starts from
//   (BuildAgenda classifies as of the date itself, and needs the
//   transitions of the last 30 days for reactivation tasks);
//   BM_Agenda / BM_LastPurchaseScan: over one pass keeping each customer's
//   last purchase, the least any agenda must read.
// The argument is the threads allowed (src/core/parallel.h; the default is
// the machine's cores): /1 everything on one thread; /2 BM_Classify splits
// the customers in two, and BM_Agenda runs its scans and ranking on one
// thread while the other classifies and finds the transitions (each on
// its own thread there), then makes and sorts the tasks in two parts. Real time is the figure (UseRealTime); the CPU
// column is the whole process's (MeasureProcessCPUTime), every thread's.
//
// Balances of 1 million loyalty ledgers (one LoyaltyLedger, 1 million
// customers) with 20 entries each: 14 earns from purchases over two and a
// half years (12-month expiry), a redemption, a positive adjustment, the
// expiry of the oldest lot, two later redemptions and the reversal of one.
// Target: BM_LoyaltyBalances <= 300 ms for every customer's balance as of
// a day. Baseline: BM_SumEntryPoints, one pass over the entries adding
// each one's points to its customer (the balance if nothing ever expired).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "benchmarks/bench_data.h"
#include "carteira/actions/agenda.h"
#include "carteira/actions/loyalty.h"
#include "carteira/status/status_engine.h"
#include "src/core/parallel.h"

namespace carteira {
namespace {

// ---------------------------------------------------------------- agenda

// Setup must not fail; if it does, say why.
void Check(const absl::Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "setup: %s\n", std::string(s.message()).c_str());
    std::abort();
  }
}


struct AgendaWorld {
  Portfolio portfolio;
  std::optional<StatusEngine> engine;
};

const AgendaWorld& TheAgendaWorld() {
  static const AgendaWorld* world = [] {
    auto* w = new AgendaWorld;
    Portfolio& p = w->portfolio;
    const bench::Rows& rows = bench::BenchRows();
    const size_t n = rows.customers;
    const DayNumber as_of = bench::AsOf();
    std::mt19937_64 rng(10);

    constexpr int kReps = 1000;
    std::vector<std::string> rep_ids;
    for (int r = 0; r < kReps; ++r) rep_ids.push_back("R" + std::to_string(10000 + r));
    std::vector<std::string_view> rep_id_v(rep_ids.begin(), rep_ids.end());
    RepColumns rc;
    rc.id = rep_id_v;
    if (!p.AppendReps(rc).ok()) std::abort();

    static const std::string_view kSegments[] = {"varejo", "atacado", "industria"};
    std::vector<std::string> ids(n);
    std::vector<std::string_view> id_v(n), segment_v(n);
    for (size_t c = 0; c < n; ++c) {
      ids[c] = "C" + std::to_string(10'000'000 + c);
      id_v[c] = ids[c];
      segment_v[c] = kSegments[rng() % 3];
    }
    CustomerColumns cc;
    cc.id = id_v;
    cc.segment = segment_v;
    if (!p.AppendCustomers(cc).ok()) std::abort();
    if (!p.AppendTransactions({rows.customer, rows.date, rows.amount, {}, {}, {}}).ok()) std::abort();

    std::vector<CustomerIndex> ac;
    std::vector<RepIndex> ar;
    std::vector<DayNumber> as;
    std::vector<RepIndex> holder(n, kNoRep);
    for (size_t c = 0; c < n; ++c) {
      if (rng() % 20 == 0) continue;  // 5% without a rep
      holder[c] = static_cast<RepIndex>(rng() % kReps);
      ac.push_back(static_cast<CustomerIndex>(c));
      ar.push_back(holder[c]);
      as.push_back(DaysFromCivil(2023, 1, 1));
    }
    if (!p.AppendAssignments({ac, ar, as, {}}).ok()) std::abort();

    std::vector<CustomerIndex> kc;
    std::vector<DayNumber> ks, ke;
    std::vector<MinorUnits> kv;
    std::vector<std::uint8_t> kr;
    for (size_t i = 0; i < 200'000; ++i) {
      kc.push_back(static_cast<CustomerIndex>(rng() % n));
      const DayNumber end = as_of + static_cast<DayNumber>(rng() % 365);
      ke.push_back(end);
      ks.push_back(end - 365);
      kv.push_back(static_cast<MinorUnits>(100'000 + rng() % 10'000'000));
      kr.push_back(rng() % 10 < 3 ? 1 : 0);
    }
    ContractColumns kcol;
    kcol.customer = kc;
    kcol.start = ks;
    kcol.end = ke;
    kcol.value = kv;
    kcol.auto_renew = kr;
    if (!p.AppendContracts(kcol).ok()) std::abort();

    static const std::string_view kChannels[] = {"visita", "call", "email", "message", "visit"};
    std::vector<CustomerIndex> ic;
    std::vector<RepIndex> ir;
    std::vector<DayNumber> id;
    std::vector<std::string_view> ich;
    for (size_t i = 0; i < 2'000'000; ++i) {
      const CustomerIndex c = static_cast<CustomerIndex>(rng() % n);
      ic.push_back(c);
      ir.push_back(holder[c]);
      id.push_back(as_of - static_cast<DayNumber>(rng() % 365));
      const std::uint64_t u = rng() % 10;
      ich.push_back(u < 3 ? kChannels[0] : u < 4 ? kChannels[4] : kChannels[1 + u % 3]);
    }
    InteractionColumns icol;
    icol.customer = ic;
    icol.rep = ir;
    icol.date = id;
    icol.channel = ich;
    if (!p.AppendInteractions(icol).ok()) std::abort();

    std::vector<CustomerIndex> sc;
    std::vector<DayNumber> sd;
    std::vector<std::int32_t> ss;
    for (size_t i = 0; i < 300'000; ++i) {
      sc.push_back(static_cast<CustomerIndex>(rng() % n));
      sd.push_back(as_of - static_cast<DayNumber>(rng() % 730));
      ss.push_back(static_cast<std::int32_t>(rng() % 11));
    }
    if (!p.AppendSurveyAnswers({sc, sd, ss}).ok()) std::abort();

    auto engine = StatusEngine::Create(p, StatusPolicy::Default());
    if (!engine.ok()) std::abort();
    w->engine.emplace(std::move(*engine));
    return w;
  }();
  return *world;
}

void BM_LastPurchaseScan(benchmark::State& state) {
  const AgendaWorld& w = TheAgendaWorld();
  const TransactionTable& tx = w.portfolio.transactions();
  const DayNumber as_of = bench::AsOf();
  std::vector<DayNumber> last(w.portfolio.customers().size());
  for (auto _ : state) {
    std::fill(last.begin(), last.end(), kNoDay);
    for (size_t i = 0; i < tx.size(); ++i) {
      const DayNumber d = tx.date[i];
      if (d <= as_of && tx.amount[i] >= 0 && d > last[tx.customer[i]]) last[tx.customer[i]] = d;
    }
    benchmark::DoNotOptimize(last.data());
  }
}
BENCHMARK(BM_LastPurchaseScan)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Classify(benchmark::State& state) {
  const AgendaWorld& w = TheAgendaWorld();
  internal::ScopedMaxThreadsForTesting threads(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto table = w.engine->Classify(bench::AsOf());
    if (!table.ok()) {
      state.SkipWithError(std::string(table.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(table->status.data());
  }
}
BENCHMARK(BM_Classify)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

void BM_Agenda(benchmark::State& state) {
  const AgendaWorld& w = TheAgendaWorld();
  internal::ScopedMaxThreadsForTesting threads(static_cast<int>(state.range(0)));
  AgendaOptions o;
  o.as_of = bench::AsOf();
  size_t tasks = 0;
  std::vector<size_t> by_type(kTaskTypeCount);
  for (auto _ : state) {
    auto agenda = BuildAgenda(w.portfolio, *w.engine, o);
    if (!agenda.ok()) {
      state.SkipWithError(std::string(agenda.status().message()).c_str());
      return;
    }
    tasks = agenda->size();
    std::fill(by_type.begin(), by_type.end(), 0);
    for (const Task& t : *agenda) ++by_type[static_cast<int>(t.type)];
  }
  state.counters["tasks"] = static_cast<double>(tasks);
  for (int k = 0; k < kTaskTypeCount; ++k) {
    state.counters[std::string(TaskTypeName(static_cast<TaskType>(k)))] = static_cast<double>(by_type[k]);
  }
}
BENCHMARK(BM_Agenda)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

// --------------------------------------------------------------- loyalty

constexpr size_t kLedgers = 1'000'000;

struct LoyaltyWorld {
  Portfolio portfolio;
  std::optional<LoyaltyLedger> ledger;
};

DayNumber LoyaltyAsOf() { return DaysFromCivil(2026, 10, 31); }

const LoyaltyWorld& TheLoyaltyWorld() {
  static const LoyaltyWorld* world = [] {
    auto* w = new LoyaltyWorld;
    Portfolio& p = w->portfolio;
    std::mt19937_64 rng(20);
    std::vector<std::string> ids(kLedgers);
    std::vector<std::string_view> id_v(kLedgers);
    for (size_t c = 0; c < kLedgers; ++c) {
      ids[c] = "C" + std::to_string(10'000'000 + c);
      id_v[c] = ids[c];
    }
    CustomerColumns cc;
    cc.id = id_v;
    if (!p.AppendCustomers(cc).ok()) std::abort();
    // 14 purchases a customer: one in 2024-01..03 (its lot expires before
    // 2025-07-31), six in 2024-08..2025-06, seven in 2025-08..2026-09.
    const DayNumber jan24 = DaysFromCivil(2024, 1, 1), aug24 = DaysFromCivil(2024, 8, 1),
                    aug25 = DaysFromCivil(2025, 8, 1);
    std::vector<CustomerIndex> tc;
    std::vector<DayNumber> td;
    std::vector<MinorUnits> ta;
    for (size_t c = 0; c < kLedgers; ++c) {
      for (int k = 0; k < 14; ++k) {
        tc.push_back(static_cast<CustomerIndex>(c));
        td.push_back(k == 0 ? jan24 + static_cast<DayNumber>(rng() % 90)
                     : k < 7 ? aug24 + static_cast<DayNumber>(rng() % 330)
                             : aug25 + static_cast<DayNumber>(rng() % 420));
        ta.push_back(static_cast<MinorUnits>(1'000 + rng() % 100'000));
      }
    }
    if (!p.AppendTransactions({tc, td, ta, {}, {}, {}}).ok()) std::abort();

    LoyaltyRules rules;
    rules.tiers = {{"Bronze", 0, 100}, {"Prata", 500'000, 150}};
    auto created = LoyaltyLedger::Create(p, rules);
    if (!created.ok()) std::abort();
    w->ledger.emplace(std::move(*created));
    LoyaltyLedger& l = *w->ledger;
    const DayNumber mid = DaysFromCivil(2025, 7, 1), expire = DaysFromCivil(2025, 7, 31),
                    late = DaysFromCivil(2026, 10, 1);
    Check(l.EarnFromTransactions(mid - 1).status());
    for (CustomerIndex c = 0; c < kLedgers; ++c) {
      const std::int64_t balance = l.Balance(c, mid);
      Check(l.Redeem(c, mid, std::max<std::int64_t>(1, balance / 10), "R1").status());
      Check(l.Adjust(c, mid + 5, 50, "goodwill").status());
    }
    Check(l.ExpireUntil(expire).status());
    Check(l.EarnFromTransactions(late - 1).status());
    for (CustomerIndex c = 0; c < kLedgers; ++c) {
      // (A customer whose every recent lot has expired, a handful, redeems nothing.)
      if (const std::int64_t balance = l.Balance(c, late); balance >= 5) {
        Check(l.Redeem(c, late, balance / 5, "R2").status());
      }
      if (const std::int64_t balance = l.Balance(c, late + 1); balance >= 4) {
        auto second = l.Redeem(c, late + 1, balance / 4, "R3");
        Check(second.status());
        Check(l.Reverse(*second, late + 2, "cancelled").status());
      }
    }
    return w;
  }();
  return *world;
}

void BM_SumEntryPoints(benchmark::State& state) {
  const LoyaltyWorld& w = TheLoyaltyWorld();
  const std::vector<LedgerEntry>& entries = w.ledger->entries();
  const DayNumber day = LoyaltyAsOf();
  std::vector<std::int64_t> sum(kLedgers);
  for (auto _ : state) {
    std::fill(sum.begin(), sum.end(), 0);
    for (const LedgerEntry& e : entries) {
      if (e.day <= day) sum[e.customer] += e.points;
    }
    benchmark::DoNotOptimize(sum.data());
  }
  state.counters["entries_per_ledger"] = static_cast<double>(entries.size()) / kLedgers;
}
BENCHMARK(BM_SumEntryPoints)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LoyaltyBalances(benchmark::State& state) {
  const LoyaltyWorld& w = TheLoyaltyWorld();
  const LoyaltyLedger& l = *w.ledger;
  const DayNumber day = LoyaltyAsOf();
  std::vector<std::int64_t> balance(kLedgers);
  for (auto _ : state) {
    for (CustomerIndex c = 0; c < kLedgers; ++c) balance[c] = l.Balance(c, day);
    benchmark::DoNotOptimize(balance.data());
  }
  std::int64_t total = 0;
  for (std::int64_t b : balance) total += b;
  state.counters["mean_balance"] = static_cast<double>(total) / kLedgers;
}
BENCHMARK(BM_LoyaltyBalances)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace carteira
