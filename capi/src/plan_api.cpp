// Redistribution plans through the C ABI: pipelines (from the policy JSON,
// plus plugin policies as C vtables), building, reading, JSON, applying
// and inverting plans.
#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "capi/src/api_guard.h"
#include "capi/src/checks.h"
#include "capi/src/handles.h"
#include "capi/src/plugin_vtable.h"
#include "capi/src/struct_size.h"
#include "carteira/core/strings.h"
#include "carteira/redistribution/apply.h"
#include "carteira/redistribution/plan_json.h"
#include "carteira/redistribution/planner.h"

struct carteira_plan_pipeline {
  carteira::PlanPipeline impl;
};

struct carteira_plan {
  carteira::Plan impl;
  const carteira::Portfolio* portfolio = nullptr;  // ids, for the JSON
  std::uint64_t merge_generation = 0;
  std::string json;  // made on first request; the pointer handed out stays valid
  bool has_json = false;
};

struct carteira_plan_state {
  carteira::PlanningState* impl = nullptr;
  std::string_view policy;  // the plugin's name: its moves carry it
  std::string error;        // set by carteira_plan_state_set_error
};

namespace {

using carteira::capi::CheckStructSize;
using carteira::capi::SetLastError;

// Sizes of the first released version; never change (see struct_size.h).
constexpr size_t kPolicyVtableV1 = sizeof(carteira_policy_vtable);
constexpr size_t kPlanCustomerV1 = sizeof(carteira_plan_customer);
constexpr size_t kPlanInfoV1 = sizeof(carteira_plan_info);
constexpr size_t kPlanMoveV1 = sizeof(carteira_plan_move);
constexpr size_t kPlanUnplacedV1 = sizeof(carteira_plan_unplaced);
constexpr size_t kRepFiguresV1 = sizeof(carteira_rep_figures);
constexpr size_t kFairnessV1 = sizeof(carteira_fairness);

// The handle whose portfolio carteira_plan_build is planning on this
// thread, handed to plugin policies (their run takes the C handle).
thread_local const carteira_portfolio* planning_portfolio = nullptr;

// A plugin policy written in C: the vtable, its user data, and the promise
// to call destroy exactly once.
class CPolicy : public carteira::Policy {
 public:
  CPolicy(std::string name, carteira_policy_vtable vtable, void* user_data)
      : name_(std::move(name)), vtable_(vtable), user_data_(user_data) {}
  ~CPolicy() override {
    if (vtable_.destroy != nullptr) vtable_.destroy(user_data_);
  }
  CPolicy(const CPolicy&) = delete;
  CPolicy& operator=(const CPolicy&) = delete;

  std::string_view name() const override { return name_; }

  absl::Status Run(const carteira::Portfolio& portfolio, carteira::PlanningState& state) const override {
    if (planning_portfolio == nullptr || &planning_portfolio->impl != &portfolio) {
      return absl::FailedPreconditionError("a C plugin policy runs only within carteira_plan_build");
    }
    carteira_plan_state s;
    s.impl = &state;
    s.policy = name_;
    const int32_t rc = vtable_.run(user_data_, planning_portfolio, &s);
    if (rc == CARTEIRA_OK) return absl::OkStatus();
    return absl::Status(carteira::capi::CallbackCode(rc), s.error.empty()
                                        ? carteira::StrCat("the policy returned error code ", rc)
                                        : s.error);
  }

 private:
  std::string name_;
  carteira_policy_vtable vtable_;
  void* user_data_;
};

absl::Status CheckCustomer(const carteira::PlanningInput& in, uint32_t customer, const char* function) {
  if (customer >= in.customers()) {
    return absl::OutOfRangeError(carteira::StrCat(function, ": customer ", customer, " is not below ",
                                                  in.customers()));
  }
  return absl::OkStatus();
}

absl::Status CheckRep(size_t reps, int32_t rep, const char* function) {
  if (rep < 0 || static_cast<size_t>(rep) >= reps) {
    return absl::OutOfRangeError(carteira::StrCat(function, ": rep ", rep, " is not in 0..", reps));
  }
  return absl::OkStatus();
}

// The plan's portfolio is still the one it was made from (no merge since).
absl::Status CheckFresh(const carteira_plan* plan) {
  if (plan->portfolio == nullptr) return absl::FailedPreconditionError("the plan has no portfolio");
  if (plan->portfolio->merge_generation() != plan->merge_generation) {
    return absl::FailedPreconditionError(
        "the portfolio merged customers after the plan was made: build the plan again");
  }
  return absl::OkStatus();
}

carteira_plan* NewPlan(carteira::Plan plan, const carteira::Portfolio& portfolio) {
  auto handle = std::make_unique<carteira_plan>();
  handle->impl = std::move(plan);
  handle->portfolio = &portfolio;
  handle->merge_generation = portfolio.merge_generation();
  return handle.release();
}

}  // namespace

extern "C" {

carteira_status carteira_plan_pipeline_from_json(const char* json, carteira_plan_pipeline** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(json);
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  auto pipeline = carteira::ParsePlanPipeline(json, "policy");
  CARTEIRA_RETURN_IF_ERROR(pipeline.status());
  *out = new carteira_plan_pipeline{std::move(*pipeline)};
  CARTEIRA_API_END();
}

carteira_status carteira_plan_pipeline_from_file(const char* path, carteira_plan_pipeline** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(path);
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  auto pipeline = carteira::LoadPlanPipeline(path);
  CARTEIRA_RETURN_IF_ERROR(pipeline.status());
  *out = new carteira_plan_pipeline{std::move(*pipeline)};
  CARTEIRA_API_END();
}

carteira_status carteira_plan_pipeline_create(carteira_plan_pipeline** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = new carteira_plan_pipeline;
  CARTEIRA_API_END();
}

void carteira_plan_pipeline_destroy(carteira_plan_pipeline* pipeline) { delete pipeline; }

carteira_status carteira_plan_pipeline_add_policy(carteira_plan_pipeline* pipeline, const char* name,
                                                  const carteira_policy_vtable* vtable, void* user_data) {
  carteira::capi::DestroyUnlessAdopted<carteira_policy_vtable> guard(vtable, user_data);
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(pipeline);
  CARTEIRA_CHECK_ARG(name);
  CARTEIRA_CHECK_ARG(vtable);
  if (const carteira_status s = CheckStructSize(vtable->struct_size, kPolicyVtableV1, "carteira_policy_vtable");
      s != CARTEIRA_OK) {
    return s;
  }
  if (vtable->run == nullptr) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT, "carteira_policy_vtable.run is NULL");
  }
  if (*name == '\0') return SetLastError(CARTEIRA_INVALID_ARGUMENT, "the policy name is empty");
  carteira_policy_vtable copy = CARTEIRA_POLICY_VTABLE_INIT;
  copy.run = vtable->run;
  copy.destroy = vtable->destroy;
  auto policy = std::make_unique<CPolicy>(name, copy, user_data);
  guard.Adopted();  // the policy owns destroy from here, whatever happens next
  pipeline->impl.policies.push_back(std::move(policy));
  CARTEIRA_API_END();
}

carteira_status carteira_plan_state_as_of(const carteira_plan_state* state, int32_t* out_day) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(state);
  CARTEIRA_CHECK_ARG(out_day);
  *out_day = state->impl->input().as_of;
  CARTEIRA_API_END();
}

carteira_status carteira_plan_state_customer(const carteira_plan_state* state, uint32_t customer,
                                             carteira_plan_customer* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(state);
  CARTEIRA_CHECK_ARG(out);
  if (const carteira_status s = CheckStructSize(out->struct_size, kPlanCustomerV1, "carteira_plan_customer");
      s != CARTEIRA_OK) {
    return s;
  }
  const carteira::PlanningState& st = *state->impl;
  const carteira::PlanningInput& in = st.input();
  CARTEIRA_RETURN_IF_ERROR(CheckCustomer(in, customer, __func__));
  out->holder = st.holder(customer);
  out->status = static_cast<int32_t>(in.status[customer]);
  out->locked = in.locked[customer];
  out->moved = st.moved(customer) ? 1 : 0;
  out->days_since_last = in.days_since_last[customer];
  out->holder_last_touch = in.holder_last_touch[customer];
  out->value = in.value[customer];
  out->weight = in.weight[customer];
  CARTEIRA_API_END();
}

carteira_status carteira_plan_state_rep(const carteira_plan_state* state, int32_t rep, int64_t* out_customers,
                                        int64_t* out_load, int32_t* out_available) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(state);
  const carteira::PlanningState& st = *state->impl;
  CARTEIRA_RETURN_IF_ERROR(CheckRep(st.input().reps(), rep, __func__));
  if (out_customers != nullptr) *out_customers = st.count(rep);
  if (out_load != nullptr) *out_load = st.load(rep);
  if (out_available != nullptr) *out_available = st.input().Available(rep) ? 1 : 0;
  CARTEIRA_API_END();
}

carteira_status carteira_plan_state_move(carteira_plan_state* state, uint32_t customer, int32_t to_rep,
                                         const char* reason, const char* explanation) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(state);
  carteira::PlanningState& st = *state->impl;
  CARTEIRA_RETURN_IF_ERROR(CheckCustomer(st.input(), customer, __func__));
  CARTEIRA_RETURN_IF_ERROR(CheckRep(st.input().reps(), to_rep, __func__));
  if (!st.MoveCustomer(customer, to_rep, state->policy, reason == nullptr ? "" : reason,
                       explanation == nullptr ? "" : explanation)) {
    return SetLastError(CARTEIRA_FAILED_PRECONDITION,
                        carteira::StrCat(__func__, ": customer ", customer,
                                         " is locked, already moved, or already with rep ", to_rep));
  }
  CARTEIRA_API_END();
}

carteira_status carteira_plan_state_unplace(carteira_plan_state* state, uint32_t customer,
                                            const char* constraint, const char* explanation) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(state);
  carteira::PlanningState& st = *state->impl;
  CARTEIRA_RETURN_IF_ERROR(CheckCustomer(st.input(), customer, __func__));
  st.Unplace(customer, state->policy, constraint == nullptr ? "" : constraint,
             explanation == nullptr ? "" : explanation);
  CARTEIRA_API_END();
}

carteira_status carteira_plan_state_set_error(carteira_plan_state* state, const char* message) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(state);
  state->error = message == nullptr ? "" : message;
  CARTEIRA_API_END();
}

carteira_status carteira_plan_build(const carteira_portfolio* portfolio, const carteira_status_table* status,
                                    const carteira_plan_pipeline* pipeline, carteira_plan** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(status);
  CARTEIRA_CHECK_ARG(pipeline);
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  if (status->portfolio != &portfolio->impl ||
      status->merge_generation != portfolio->impl.merge_generation()) {
    return SetLastError(CARTEIRA_FAILED_PRECONDITION,
                        "the status table was not made from this portfolio as it is now");
  }
  struct Planning {  // sets planning_portfolio for the plugins, on every path
    explicit Planning(const carteira_portfolio* p) : saved(planning_portfolio) { planning_portfolio = p; }
    ~Planning() { planning_portfolio = saved; }
    const carteira_portfolio* saved;
  } planning(portfolio);
  auto plan = carteira::BuildPlan(portfolio->impl, status->impl, pipeline->impl);
  CARTEIRA_RETURN_IF_ERROR(plan.status());
  *out = NewPlan(std::move(*plan), portfolio->impl);
  CARTEIRA_API_END();
}

carteira_status carteira_plan_from_json(const carteira_portfolio* portfolio, const char* json,
                                        carteira_plan** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(json);
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  auto plan = carteira::PlanFromJson(portfolio->impl, json, "plan");
  CARTEIRA_RETURN_IF_ERROR(plan.status());
  *out = NewPlan(std::move(*plan), portfolio->impl);
  CARTEIRA_API_END();
}

void carteira_plan_destroy(carteira_plan* plan) { delete plan; }

carteira_status carteira_plan_info_get(const carteira_plan* plan, carteira_plan_info* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(plan);
  CARTEIRA_CHECK_ARG(out);
  if (const carteira_status s = CheckStructSize(out->struct_size, kPlanInfoV1, "carteira_plan_info");
      s != CARTEIRA_OK) {
    return s;
  }
  const carteira::Plan& p = plan->impl;
  out->id = p.id.c_str();
  out->as_of = p.as_of;
  out->move_count = p.moves.size();
  out->unplaced_count = p.unplaced.size();
  out->infeasible_count = p.infeasible.size();
  out->round_robin_cursor = p.round_robin_cursor.c_str();
  CARTEIRA_API_END();
}

carteira_status carteira_plan_move_get(const carteira_plan* plan, size_t index, carteira_plan_move* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(plan);
  CARTEIRA_CHECK_ARG(out);
  if (const carteira_status s = CheckStructSize(out->struct_size, kPlanMoveV1, "carteira_plan_move");
      s != CARTEIRA_OK) {
    return s;
  }
  if (index >= plan->impl.moves.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat(__func__, ": move ", index, " of ", plan->impl.moves.size()));
  }
  const carteira::Move& m = plan->impl.moves[index];
  out->customer = m.customer;
  out->from = m.from;
  out->to = m.to;
  out->effective = m.effective;
  out->until = m.until;
  out->policy = m.policy.c_str();
  out->reason = m.reason.c_str();
  out->explanation = m.explanation.c_str();
  CARTEIRA_API_END();
}

carteira_status carteira_plan_unplaced_get(const carteira_plan* plan, size_t index, carteira_plan_unplaced* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(plan);
  CARTEIRA_CHECK_ARG(out);
  if (const carteira_status s = CheckStructSize(out->struct_size, kPlanUnplacedV1, "carteira_plan_unplaced");
      s != CARTEIRA_OK) {
    return s;
  }
  if (index >= plan->impl.unplaced.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat(__func__, ": entry ", index, " of ",
                                                                plan->impl.unplaced.size()));
  }
  const carteira::Unplaced& u = plan->impl.unplaced[index];
  out->customer = u.customer;
  out->holder = u.holder;
  out->policy = u.policy.c_str();
  out->constraint = u.constraint.c_str();
  out->explanation = u.explanation.c_str();
  CARTEIRA_API_END();
}

carteira_status carteira_plan_infeasible_get(const carteira_plan* plan, size_t index, const char** out_text) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(plan);
  CARTEIRA_CHECK_ARG(out_text);
  if (index >= plan->impl.infeasible.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat(__func__, ": entry ", index, " of ",
                                                                plan->impl.infeasible.size()));
  }
  *out_text = plan->impl.infeasible[index].c_str();
  CARTEIRA_API_END();
}

carteira_status carteira_plan_rep_figures(const carteira_plan* plan, int32_t after, int32_t rep,
                                          carteira_rep_figures* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(plan);
  CARTEIRA_CHECK_ARG(out);
  if (const carteira_status s = CheckStructSize(out->struct_size, kRepFiguresV1, "carteira_rep_figures");
      s != CARTEIRA_OK) {
    return s;
  }
  const std::vector<carteira::RepFigures>& figures = after ? plan->impl.after : plan->impl.before;
  CARTEIRA_RETURN_IF_ERROR(CheckRep(figures.size(), rep, __func__));
  out->customers = figures[rep].customers;
  out->load = figures[rep].load;
  out->at_risk = figures[rep].at_risk;
  out->at_risk_value = figures[rep].at_risk_value;
  CARTEIRA_API_END();
}

carteira_status carteira_plan_fairness(const carteira_plan* plan, int32_t after, carteira_fairness* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(plan);
  CARTEIRA_CHECK_ARG(out);
  if (const carteira_status s = CheckStructSize(out->struct_size, kFairnessV1, "carteira_fairness");
      s != CARTEIRA_OK) {
    return s;
  }
  const carteira::Fairness& f = after ? plan->impl.fairness_after : plan->impl.fairness_before;
  out->reps = f.reps;
  out->min_load = f.min_load;
  out->max_load = f.max_load;
  out->max_min_ratio = f.max_min_ratio ? *f.max_min_ratio : std::numeric_limits<double>::quiet_NaN();
  out->gini = f.gini;
  CARTEIRA_API_END();
}

carteira_status carteira_plan_to_json(const carteira_plan* plan, const char** out_json) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(plan);
  CARTEIRA_CHECK_ARG(out_json);
  CARTEIRA_RETURN_IF_ERROR(CheckFresh(plan));
  // Logically const: the text is a cache of the plan.
  auto* mutable_plan = const_cast<carteira_plan*>(plan);
  if (!mutable_plan->has_json) {
    mutable_plan->json = carteira::PlanToJson(*plan->portfolio, plan->impl);
    mutable_plan->has_json = true;
  }
  *out_json = plan->json.c_str();
  CARTEIRA_API_END();
}

carteira_status carteira_plan_apply(carteira_portfolio* portfolio, const carteira_plan* plan) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(plan);
  if (plan->portfolio != &portfolio->impl) {
    return SetLastError(CARTEIRA_FAILED_PRECONDITION, "the plan was made for another portfolio");
  }
  CARTEIRA_RETURN_IF_ERROR(CheckFresh(plan));
  CARTEIRA_RETURN_IF_ERROR(carteira::ApplyPlan(portfolio->impl, plan->impl));
  CARTEIRA_API_END();
}

carteira_status carteira_plan_inverse(const carteira_plan* plan, int32_t effective, carteira_plan** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(plan);
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_RETURN_IF_ERROR(carteira::capi::CheckDay(effective, "effective", true));
  CARTEIRA_RETURN_IF_ERROR(CheckFresh(plan));
  *out = NewPlan(carteira::InversePlan(plan->impl, effective), *plan->portfolio);
  CARTEIRA_API_END();
}

}  // extern "C"
