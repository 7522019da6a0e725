// The input of the "buy 'til you die" models: per customer (or per group of
// identical customers, with a weight) the repeat purchase count x, the time
// of the last purchase t_x and the length of observation T, both measured
// from the first purchase, in an explicit time unit (Fader & Hardie's
// notation). Built from a CustomerSummary or given as arrays.
#ifndef CARTEIRA_MODELS_RFM_DATA_H_
#define CARTEIRA_MODELS_RFM_DATA_H_

#include <vector>

#include "absl/status/status.h"
#include "carteira/summary/customer_summary.h"

namespace carteira::models {

struct RfmData {
  TimeUnit unit = TimeUnit::kWeeks;
  std::vector<double> x;       // repeat purchase-days (whole numbers >= 0)
  std::vector<double> t_x;     // 0 <= t_x <= T; 0 when x = 0
  std::vector<double> T;       // > 0... or 0 for a customer first seen on the as-of date
  std::vector<double> weight;  // empty = every row weighs 1
  std::vector<double> zbar;    // mean spend of the repeat purchases (Gamma-Gamma); may be empty

  size_t size() const { return x.size(); }
  double Weight(size_t i) const { return weight.empty() ? 1.0 : weight[i]; }
  double TotalWeight() const;
  // Checks shapes and values; errors name the row and the field.
  absl::Status Validate() const;
  // The same customers measured in another unit (t_x and T rescaled).
  RfmData In(TimeUnit other) const;
};

// Every `step`-th row (1 in step, from the first): the systematic sample
// whose fit starts the fit of a large data set.
RfmData SystematicSample(const RfmData& data, size_t step);

// Every summarised customer, in the summary's unit; zbar in major units.
RfmData RfmFromSummary(const CustomerSummary& summary);

// How many days a unit holds, and the factor that converts a duration in
// `from` into `to`.
double UnitFactor(TimeUnit from, TimeUnit to);

}  // namespace carteira::models

#endif  // CARTEIRA_MODELS_RFM_DATA_H_
