// Pieces shared by the KPIs and the rep dashboard.
#ifndef CARTEIRA_SRC_KPI_KPI_INTERNAL_H_
#define CARTEIRA_SRC_KPI_KPI_INTERNAL_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "carteira/core/date.h"
#include "carteira/core/money.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira::internal {

// Each customer's NPS answer in [from, to]: the latest one, and on a day
// with several the lowest (so row order never matters); -1 without one.
// Empty when the portfolio has no answers in the period at all.
std::vector<std::int8_t> LatestScores(const Portfolio& portfolio, DayNumber from, DayNumber to);

struct NpsCounts {
  std::int64_t answers = 0, promoters = 0, passives = 0, detractors = 0;
  void Add(int score) {
    ++answers;
    if (score >= 9) {
      ++promoters;
    } else if (score >= 7) {
      ++passives;
    } else {
      ++detractors;
    }
  }
  std::optional<double> Nps() const {
    if (answers == 0) return std::nullopt;
    return 100.0 * static_cast<double>(promoters - detractors) / static_cast<double>(answers);
  }
};

// A ratio, absent when the denominator is 0.
inline std::optional<double> Ratio(std::int64_t num, std::int64_t den) {
  if (den == 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

// num / den in minor units, rounded half away from zero; absent when den is 0.
inline std::optional<MinorUnits> MoneyRatio(MinorUnits num, std::int64_t den) {
  if (den == 0) return std::nullopt;
  const MinorUnits q = num / den, r = num % den;
  const bool up = 2 * (r < 0 ? -r : r) >= den;
  return up ? q + (num < 0 ? -1 : 1) : q;
}

// Whether customer c counts on `to`: created by then (or undated), or
// with a purchase by then.
inline bool Exists(const Portfolio& p, std::size_t c, DayNumber to, DayNumber first_purchase) {
  const DayNumber created = p.customers().created_at[c];
  return created == kNoDay || created <= to || first_purchase != kNoDay;
}

}  // namespace carteira::internal

#endif  // CARTEIRA_SRC_KPI_KPI_INTERNAL_H_
