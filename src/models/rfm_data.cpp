#include "carteira/models/rfm_data.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "carteira/core/strings.h"
#include "carteira/models/fit.h"

namespace carteira::models {

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
  for (size_t i = 0; i < n; ++i) {
    auto bad = [i](std::string_view field, double value, std::string_view why) {
      return absl::InvalidArgumentError(StrCat("rfm data row ", i, ": ", field, " = ", value, ": ", why));
    };
    // A whole number >= 0 (below 2^62): the cast is exact then, and cheaper
    // than floor() on every row.
    if (!(x[i] >= 0 && x[i] < 4.6e18) || static_cast<double>(static_cast<std::int64_t>(x[i])) != x[i]) {
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
