// The ideal customer profile ("perfil do cliente ideal", ICP): who the best
// customers are, described by their attributes and purchase pattern, and
// how close every customer and prospect is to them (docs/opportunities.md).
//
// Best customers: the top `best_share` of the customers with positive net
// revenue on or before `as_of`, by revenue (ties at the threshold are all
// best). Base rate p0 = best / buyers (customers with a purchase).
// Attributes: segment, region, state (customer fields), and the purchase
// pattern: breadth (categories bought: 1, 2, 3, 4, 5+), rhythm (median gap:
// weekly <= 10 days, biweekly <= 20, monthly <= 45, quarterly <= 120,
// sparse above, one purchase) and main category (most revenue).
// For each attribute value v, over the buyers:
//   p(v) = (best_v + m p0) / (n_v + m)       (m-estimate, m = smoothing)
//   lift(v) = p(v) / p0
// Score of a customer (naive Bayes in log-odds; an empty or unknown value
// contributes nothing, so a prospect is scored on its fields alone):
//   logit(score) = logit(p0) + sum over its values of (logit p(v) - logit p0)
// The drivers are its values with the largest positive contributions.
// Breadth, rhythm and the main category come from the same purchases as
// revenue, so for existing customers they partly restate it; the fields
// are what a prospect is judged on.
#ifndef CARTEIRA_OPPORTUNITIES_ICP_H_
#define CARTEIRA_OPPORTUNITIES_ICP_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/core/date.h"
#include "carteira/core/money.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira {

struct IcpOptions {
  DayNumber as_of = kNoDay;  // required
  double best_share = 0.2;   // (0, 1)
  double smoothing = 10;     // m, >= 0
  absl::Status Validate() const;
};

// One attribute value of the profile.
struct IcpValue {
  std::string attribute;  // "segment", "region", "state", "breadth", "rhythm", "main_category"
  std::string value;
  std::int64_t customers = 0;  // buyers with this value
  std::int64_t best = 0;       // of them best
  double share_of_best = 0;    // best / all best
  double probability = 0;      // p(v), smoothed
  double lift = 0;             // p(v) / p0
};

inline constexpr int kIcpDrivers = 3;

struct IcpResult {
  DayNumber as_of = kNoDay;
  std::int64_t buyers = 0, best = 0;
  MinorUnits best_threshold = 0;  // revenue of the least best customer
  double base_rate = 0;           // p0
  // Attributes in the order above; values by lift, largest first (ties by
  // value). Values held by no buyer are absent.
  std::vector<IcpValue> profile;
  // Per customer index.
  std::vector<double> score;
  std::vector<std::uint8_t> is_best;
  std::vector<MinorUnits> revenue;
  // Rows of `profile` of the largest positive contributions, -1 padded.
  std::vector<std::array<std::int32_t, kIcpDrivers>> drivers;
};

// FailedPrecondition when nobody has positive revenue by as_of.
absl::StatusOr<IcpResult> ComputeIcp(const Portfolio& portfolio, const IcpOptions& options);

// "segment atacado (lift 2.1); rhythm weekly (lift 1.8)"; "" without drivers.
std::string IcpDriversText(const IcpResult& icp, CustomerIndex customer);

}  // namespace carteira

#endif  // CARTEIRA_OPPORTUNITIES_ICP_H_
