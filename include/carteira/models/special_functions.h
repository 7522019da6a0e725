// Special functions of the "buy 'til you die" models, in log space so that
// customers with thousands of purchases or long histories neither overflow
// nor lose precision.
#ifndef CARTEIRA_MODELS_SPECIAL_FUNCTIONS_H_
#define CARTEIRA_MODELS_SPECIAL_FUNCTIONS_H_

#include "absl/status/statusor.h"

namespace carteira::models {

// A real number as sign and log of its magnitude: value = sign * exp(log_abs).
// sign is -1, 0 or +1 (0: the value is zero and log_abs is -inf).
struct SignedLog {
  double log_abs = 0;
  int sign = 1;
  double value() const;
};

// log(exp(a) + exp(b)), exact when either is -inf.
double LogSumExp(double a, double b);
// log B(a, b) for a, b > 0.
double LogBeta(double a, double b);

// The Gauss hypergeometric function 2F1(a, b; c; z) for real a, b, c and
// real z < 1, as a SignedLog. Robust over the domain the BG/NBD, MBG/NBD and
// Pareto/NBD expressions use (large parameters, z close to 1, negative z):
// series in log space with the Euler, Pfaff and 1 - z transformations, the
// latter also when c - a - b is (nearly) an integer.
// Accuracy: log|value| to about 1e-13 (the relative error of the value),
// plus an ulp or two of log|value| itself when that is large; a result is
// only returned when its estimated error is below 1e-9.
// Errors: InvalidArgument for a NaN or infinite argument, z >= 1, or c a
// non-positive integer (undefined; also when a or b would make the series
// terminate first); OutOfRange when no evaluation route reaches the accuracy
// above (huge parameters with z next to 1, or large a, b with small c at
// z < 0, where the value is tiny and every representation cancels).
// Thread-safe; ~50-150 ns for z <= 0.6 and for heavy buyers.
absl::StatusOr<SignedLog> LogHyp2F1(double a, double b, double c, double z);

}  // namespace carteira::models

#endif  // CARTEIRA_MODELS_SPECIAL_FUNCTIONS_H_
