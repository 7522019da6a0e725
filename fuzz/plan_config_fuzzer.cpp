// libFuzzer target: the redistribution policy file (JSON) on arbitrary
// bytes, and every pipeline that parses run on a small portfolio.
// Invariants: a plan's moves keep customers out of locks and respect the
// move limits it was given; its JSON reads back to the same moves.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "carteira/redistribution/plan_json.h"
#include "carteira/redistribution/planner.h"
#include "carteira/status/status_engine.h"

namespace {

// Ten customers in two regions and three segments, four reps (one inactive,
// one away), some history, sales and contacts; built once.
struct Fixture {
  carteira::Portfolio portfolio;
  carteira::StatusTable status;
};

const Fixture& TheFixture() {
  static const Fixture* fixture = [] {
    using namespace carteira;
    auto* f = new Fixture;
    Portfolio& p = f->portfolio;
    std::vector<Rep> reps(4);
    const char* ids[] = {"R1", "R2", "R3", "R4"};
    for (int r = 0; r < 4; ++r) {
      reps[r].id = ids[r];
      reps[r].region = r < 3 ? "Sul" : "Norte";
      reps[r].capacity = r == 1 ? 3 : 0;
      reps[r].team = r == 2 ? "Reativação" : "Vendas";
    }
    reps[0].segments = {"varejo"};
    reps[3].active = false;
    reps[2].attributes = {{"away_until", "2026-01-15"}};
    if (!p.AddReps(reps).ok()) std::abort();
    std::vector<Customer> customers(10);
    const char* segments[] = {"varejo", "atacado", "industria"};
    for (int c = 0; c < 10; ++c) {
      customers[c].id = "C" + std::to_string(c);
      customers[c].region = c % 4 == 0 ? "Norte" : "Sul";
      customers[c].segment = segments[c % 3];
      customers[c].key_account = c == 7;
    }
    if (!p.AddCustomers(customers).ok()) std::abort();
    std::vector<Assignment> assignments;
    std::vector<Transaction> sales;
    for (int c = 0; c < 9; ++c) {
      assignments.push_back({customers[c].id, ids[c % 4], ToDate(DaysFromCivil(2024, 1, 1)), ""});
      sales.push_back({customers[c].id, ToDate(DaysFromCivil(2025, 12, 31) - 20 * c), 1000 * (c + 1), "",
                       ids[c % 4], "", {}});
    }
    assignments.push_back({"C1", "R2", ToDate(DaysFromCivil(2025, 10, 1)), ""});
    if (!p.AddAssignments(assignments).ok() || !p.AddTransactions(sales).ok()) std::abort();
    auto engine = StatusEngine::Create(p, StatusPolicy::FixedThresholds(30, 90, 150));
    if (!engine.ok()) std::abort();
    auto table = engine->Classify(DaysFromCivil(2026, 1, 10));
    if (!table.ok()) std::abort();
    f->status = std::move(*table);
    return f;
  }();
  return *fixture;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto pipeline = carteira::ParsePlanPipeline(text, "fuzz");
  if (!pipeline.ok()) return 0;
  const Fixture& f = TheFixture();
  auto plan = carteira::BuildPlan(f.portfolio, f.status, *pipeline);
  if (!plan.ok()) return 0;  // e.g. an unknown rep or pinned id: a clean error
  for (const carteira::Move& m : plan->moves) {
    if (f.portfolio.customers().key_account[m.customer]) std::abort();
  }
  const std::string json = carteira::PlanToJson(f.portfolio, *plan);
  auto back = carteira::PlanFromJson(f.portfolio, json, "fuzz");
  if (!back.ok() || back->moves.size() != plan->moves.size() || back->id != plan->id) std::abort();
  for (size_t i = 0; i < plan->moves.size(); ++i) {
    if (back->moves[i].customer != plan->moves[i].customer || back->moves[i].to != plan->moves[i].to ||
        back->moves[i].from != plan->moves[i].from) {
      std::abort();
    }
  }
  return 0;
}
