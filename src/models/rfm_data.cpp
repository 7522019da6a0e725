#include "carteira/models/rfm_data.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "carteira/core/strings.h"
#include "carteira/models/fit.h"

namespace carteira::models {

namespace {

// 2^52: from there on every double is a whole number, and below it
// (v + 2^52) - 2^52 == v holds exactly for the whole ones.
constexpr double kTwo52 = 4503599627370496.0;

// The common case, all rows valid, in one branch-free pass the compiler
// vectorises (comparisons and one add/subtract a value, no library call);
// Validate() walks the rows one by one only to name the first bad one.
bool AllRowsValid(const RfmData& d) {
  const size_t n = d.x.size();
  const double* x = d.x.data();
  const double* tx = d.t_x.data();
  const double* T = d.T.data();
  constexpr double kMax = std::numeric_limits<double>::max();
  // A count of failed checks in a double (exact below 2^53): GCC vectorises
  // this form, not an or-reduction of bools. NaN fails every comparison.
  double bad = 0;
  for (size_t i = 0; i < n; ++i) {
    const double xi = x[i], ti = tx[i], Ti = T[i];
    const double whole = (xi + kTwo52) - kTwo52;
    bad += (xi >= 0 ? 0.0 : 1.0) + (xi < kTwo52 ? 0.0 : 1.0) + (whole == xi ? 0.0 : 1.0) +
           (Ti >= 0 ? 0.0 : 1.0) + (Ti <= kMax ? 0.0 : 1.0) + (ti >= 0 ? 0.0 : 1.0) + (ti <= Ti ? 0.0 : 1.0) +
           (xi != 0 || ti == 0 ? 0.0 : 1.0);
  }
  if (!d.weight.empty()) {
    const double* w = d.weight.data();
    for (size_t i = 0; i < n; ++i) bad += (w[i] > 0 ? 0.0 : 1.0) + (w[i] <= kMax ? 0.0 : 1.0);
  }
  return bad == 0;
}

}  // namespace

double RfmData::TotalWeight() const {
  if (weight.empty()) return static_cast<double>(x.size());
  double total = 0;
  for (double w : weight) total += w;
  return total;
}

absl::Status RfmData::Validate() const {
  const size_t n = x.size();
  if (t_x.size() != n || T.size() != n) {
    return absl::InvalidArgumentError(StrCat("rfm data: x has ", n, " rows, t_x ", t_x.size(),
                                             ", T ", T.size(), "; they must match"));
  }
  if (!weight.empty() && weight.size() != n) {
    return absl::InvalidArgumentError(StrCat("rfm data: weight has ", weight.size(), " rows, x ", n));
  }
  if (!zbar.empty() && zbar.size() != n) {
    return absl::InvalidArgumentError(StrCat("rfm data: zbar has ", zbar.size(), " rows, x ", n));
  }
  if (AllRowsValid(*this)) return absl::OkStatus();
  for (size_t i = 0; i < n; ++i) {
    auto bad = [i](std::string_view field, double value, std::string_view why) {
      return absl::InvalidArgumentError(StrCat("rfm data row ", i, ": ", field, " = ", value, ": ", why));
    };
    if (!(x[i] >= 0 && x[i] < kTwo52) || std::floor(x[i]) != x[i]) {
      return bad("x", x[i], "not a whole number >= 0");
    }
    if (!std::isfinite(T[i]) || T[i] < 0) return bad("T", T[i], "not a duration >= 0");
    if (!std::isfinite(t_x[i]) || t_x[i] < 0 || t_x[i] > T[i]) {
      return bad("t_x", t_x[i], StrCat("not within [0, T = ", T[i], "]"));
    }
    if (x[i] == 0 && t_x[i] != 0) return bad("t_x", t_x[i], "must be 0 when x = 0");
    if (!weight.empty() && (!std::isfinite(weight[i]) || weight[i] <= 0)) {
      return bad("weight", weight[i], "not a positive number");
    }
  }
  return absl::OkStatus();
}

double UnitFactor(TimeUnit from, TimeUnit to) { return DaysPerUnit(from) / DaysPerUnit(to); }

RfmData RfmData::In(TimeUnit other) const {
  RfmData out = *this;
  out.unit = other;
  if (other == unit) return out;
  const double f = UnitFactor(unit, other);
  for (double& v : out.t_x) v *= f;
  for (double& v : out.T) v *= f;
  return out;
}

RfmData SystematicSample(const RfmData& data, size_t step) {
  RfmData sample;
  sample.unit = data.unit;
  step = std::max<size_t>(step, 1);
  auto take = [&](const std::vector<double>& from, std::vector<double>& to) {
    if (from.empty()) return;
    for (size_t i = 0; i < from.size(); i += step) to.push_back(from[i]);
  };
  take(data.x, sample.x);
  take(data.t_x, sample.t_x);
  take(data.T, sample.T);
  take(data.weight, sample.weight);
  take(data.zbar, sample.zbar);
  return sample;
}

RfmData RfmFromSummary(const CustomerSummary& s) {
  RfmData d;
  d.unit = s.unit;
  d.x.assign(s.x.begin(), s.x.end());
  d.t_x = s.t_x;
  d.T = s.T;
  d.zbar = s.zbar;
  return d;
}

double FitResult::Bic() const {
  return static_cast<double>(params.size()) * std::log(n_customers) - 2.0 * log_likelihood;
}

}  // namespace carteira::models
