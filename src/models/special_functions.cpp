#include "carteira/models/special_functions.h"

#include <cmath>
#include <limits>

namespace carteira::models {

double SignedLog::value() const { return sign == 0 ? 0.0 : sign * std::exp(log_abs); }

double LogSumExp(double a, double b) {
  if (a == -std::numeric_limits<double>::infinity()) return b;
  if (b == -std::numeric_limits<double>::infinity()) return a;
  return a > b ? a + std::log1p(std::exp(b - a)) : b + std::log1p(std::exp(a - b));
}

double LogBeta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

absl::StatusOr<SignedLog> LogHyp2F1(double, double, double, double) {
  return absl::UnimplementedError("LogHyp2F1: not implemented yet");
}

}  // namespace carteira::models
