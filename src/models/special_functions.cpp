#include "carteira/models/special_functions.h"

// The Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and
// z < 1, in log space.
//
// Routes (each described where it is implemented):
//   * the defining series, or Euler's (1-z)^{c-a-b} 2F1(c-a, c-b; c; z),
//     summed with rescaling so that terms of any size neither overflow nor
//     lose the sum: the common case (0 <= z <= 0.75) and, through Euler,
//     the heavy buyers of BG/NBD/Pareto-NBD, whose Euler series has large c
//     and small numerator parameters and stops after a handful of terms;
//   * the 1 - z connection formula (two series in 1 - z) for z near 1, and
//     its limit form when c - a - b is an integer or within 0.1 of one,
//     where the textbook formula's two terms blow up and cancel;
//   * Pfaff's z/(z-1) for z < 0, which maps every negative z (also z < -1)
//     into (0, 1) and so reuses the above (with the connection formula that
//     is the 1/(1-z) transformation);
//   * terminating series (a, b, c-a or c-b a non-positive integer) as
//     polynomials, in whichever of three forms cancels least.
// Every route reports an estimate of its own error (cancellation, rounding of
// the gamma-function prefactors, length of the sum); the dispatcher tries the
// cheapest route first and falls back to the others while the estimate is
// poor, and returns an error status rather than a number it cannot vouch for.

#include <math.h>  // lgamma_r, where the C library has it

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

// glibc's lgamma_r: thread-safe, returns the sign of Gamma, ~25 ns against
// ~70 ns for Boost's lgamma (600 ns with its default long-double promotion).
// Elsewhere Boost's, which is as accurate.
#if defined(__GLIBC__) && (defined(_DEFAULT_SOURCE) || defined(_GNU_SOURCE))
#define CARTEIRA_HAVE_LGAMMA_R 1
#endif

namespace carteira::models {

double SignedLog::value() const { return sign == 0 ? 0.0 : sign * std::exp(log_abs); }

double LogSumExp(double a, double b) {
  if (a == -std::numeric_limits<double>::infinity()) return b;
  if (b == -std::numeric_limits<double>::infinity()) return a;
  return a > b ? a + std::log1p(std::exp(b - a)) : b + std::log1p(std::exp(a - b));
}

double LogBeta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

namespace {

using std::fabs;

constexpr double kEps = std::numeric_limits<double>::epsilon();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kPi = 3.14159265358979323846;
constexpr double kEulerGamma = 0.57721566490153286061;

// A series stops once its estimated tail is below kTol times its sum: half an
// ulp, so truncation never shows next to rounding. kLogTol = -log(kTol).
constexpr double kTol = 0.5 * kEps;
constexpr double kLogTol = 36.7368005696771;

// Running sums are multiplied by 2^-600 (exactly) whenever a term exceeds
// 2^600, and the factor is kept in a log offset: huge parameters make huge
// intermediate terms, and this is what keeps them finite.
constexpr double kBig = 0x1p600;
constexpr double kUnscale = 0x1p-600;
constexpr double kLogBig = 600 * 0.69314718055994530942;

// Term budgets: a first try (a few microseconds at most), and the last resort
// when no transformation helps (a long but convergent series, ~ms).
constexpr int kShortBudget = 4000;
constexpr int kLongBudget = 2'000'000;

// The direct/Euler series is used without a cost comparison up to this z
// (about 130 terms at worst for moderate parameters, still cheaper than the
// connection formula's lgammas); above it, the cheaper of series and
// connection formula by estimate.
constexpr double kSeriesOnlyMaxZ = 0.75;
// What the connection formula's fixed part (several lgamma and log calls)
// costs, in series terms.
constexpr double kConnectionCost = 90;

// A route's result is taken at once when its estimated error of log|F| (that
// is, relative error of F) is within kGood plus the rounding of log|F| itself;
// otherwise the other routes are tried and the best kept, and a result is
// returned only if it is within kUsable.
constexpr double kGood = 2e-14;
constexpr double kUsable = 1e-9;

// Below this distance of c - a - b from an integer the connection formula is
// evaluated in its limit form (its two terms are O(1/eps) and would cancel).
constexpr double kNearInteger = 0.1;

// A computed value with its estimated absolute error of log|value|.
struct Value {
  double log_abs = -kInf;
  int sign = 0;
  double err = kInf;
  bool ok = false;
};

Value Make(double log_abs, int sign, double err) { return Value{log_abs, sign, err, true}; }

double Allowance(const Value& v) { return 16 * kEps * fabs(v.log_abs); }
bool Good(const Value& v) { return v.ok && v.sign != 0 && std::isfinite(v.log_abs) && v.err <= kGood + Allowance(v); }
bool Usable(const Value& v) {
  return v.ok && v.sign != 0 && std::isfinite(v.log_abs) && v.err <= kUsable + Allowance(v);
}

// Keeps the most accurate of several attempts.
struct Best {
  Value value;
  void Offer(const Value& v) {
    if (!v.ok || v.sign == 0 || !std::isfinite(v.log_abs) || !(v.err < kInf)) return;
    if (!value.ok || v.err - Allowance(v) < value.err - Allowance(value)) value = v;
  }
};

// v * sign * exp(log_factor), the factor's log known to within log_err.
Value Scale(const Value& v, double log_factor, int sign, double log_err) {
  if (!v.ok) return v;
  return Make(v.log_abs + log_factor, v.sign * sign, v.err + log_err);
}

// p + q with the error of the sum (rounding and cancellation).
Value Add(Value p, Value q) {
  if (!p.ok || !q.ok) return Value{};
  if (q.sign == 0 || q.log_abs == -kInf) return p;  // a term whose 1/Gamma vanished
  if (p.sign == 0 || p.log_abs == -kInf) return q;
  if (p.log_abs < q.log_abs) std::swap(p, q);
  const double r = std::exp(q.log_abs - p.log_abs) * (p.sign * q.sign);  // |r| <= 1
  const double v = 1 + r;
  if (v == 0) return Make(-kInf, 0, kInf);
  const double err = (p.err + fabs(r) * q.err + kEps * (1 + fabs(r))) / fabs(v);
  return Make(p.log_abs + std::log1p(r), v > 0 ? p.sign : -p.sign, err);
}

bool IsNonPositiveInteger(double v) {
  // Every double beyond 2^52 in magnitude is an integer; below, the cast
  // truncates, which is exact only for integers.
  return v <= 0 && (v < -0x1p52 || v == static_cast<double>(static_cast<long long>(v)));
}

// Parameters are carried as unevaluated sums hi + lo (double-double): the
// transformations form differences such as c - a, c - b, c - a - b, 1 - m,
// and where such a parameter is close to a non-positive integer (a nearly
// terminating series: 2F1(2.3, 120.4; 0.3; -5) goes through c - a = -2 + 2e-16)
// the factor (c - a + 2) of every later term would otherwise be pure rounding,
// with a relative error of order one, while the tail it multiplies can
// dominate the sum. c - a - b also multiplies log(1 - z) in Euler's factor,
// where its rounding would cost ~1e-11 for parameters in the thousands.
struct DD {
  double hi = 0, lo = 0;
};

DD TwoSum(double x, double y) {
  const double s = x + y;
  const double bp = s - x;
  return {s, (x - (s - bp)) + (y - bp)};
}

DD Normalize(double hi, double lo) {
  const double s = hi + lo;
  return {s, lo - (s - hi)};
}

DD Sub(const DD& x, const DD& y) {
  const DD s = TwoSum(x.hi, -y.hi);
  return Normalize(s.hi, s.lo + (x.lo - y.lo));
}

DD Add(const DD& x, double y) {
  const DD s = TwoSum(x.hi, y);
  return Normalize(s.hi, s.lo + x.lo);
}

// x * l for an accurate double l: the rounding of x.hi * l is inherent in a
// double result; x.lo * l keeps the digits of x beyond double.
double Times(const DD& x, double l) { return x.hi * l + x.lo * l; }

// A normalised DD is an integer only if its hi part is and lo is zero.
bool IsNonPositiveInteger(const DD& v) { return v.lo == 0 && IsNonPositiveInteger(v.hi); }

// Number of terms of a terminating series (a or b a non-positive integer),
// or infinity.
double TerminatingLength(const DD& a, const DD& b) {
  double n = kInf;
  if (IsNonPositiveInteger(a)) n = -a.hi + 1;
  if (IsNonPositiveInteger(b)) n = std::min(n, -b.hi + 1);
  return n;
}

// ---------------------------------------------------------------------------
// Gamma function pieces.

double LnGamma(double x, int* sign) {
#ifdef CARTEIRA_HAVE_LGAMMA_R
  return ::lgamma_r(x, sign);
#else
  using namespace boost::math::policies;
  using Policy = policy<domain_error<ignore_error>, pole_error<ignore_error>, overflow_error<ignore_error>,
                        evaluation_error<ignore_error>, promote_double<false>>;
  return boost::math::lgamma(x, sign, Policy());
#endif
}

// Binet's function: lnGamma(x) - [(x - 1/2) ln x - x + ln(2 pi)/2], x >= 10,
// by its asymptotic series (the next term is below 3e-17 at x = 10).
constexpr double kBinet[] = {1.0 / 12,   -1.0 / 360,        1.0 / 1260, -1.0 / 1680,
                             1.0 / 1188, -691.0 / 360360.0, 1.0 / 156};

double Binet(double x) {
  const double r = 1 / x, r2 = r * r;
  double s = 0;
  for (int j = 6; j >= 0; --j) s = s * r2 + kBinet[j];
  return s * r;
}

// A log-space factor: value = sign * exp(value), log known to within err.
struct LogTerm {
  double value;
  int sign;
  double err;
};

// lnGamma of x = hi + lo. Near a pole (x close to a non-positive integer)
// the digits in lo decide 1/Gamma: 2F1(2.3, 120.4; 0.3; -5) needs
// 1/Gamma(c - a) at c - a = -2 + 1.67e-16, which the rounded -2 + 2.2e-16
// gets 30% wrong. So for x < 1/2 with lo != 0 the recurrence
// Gamma(x) = Gamma(x + n) / (x (x+1) ... (x+n-1)) is used with each factor
// formed as (hi + i) + lo, exact where it nearly vanishes.
double LnGamma(const DD& x, int* sign) {
  if (x.lo == 0 || x.hi >= 0.5 || x.hi < -2000) return LnGamma(x.hi, sign);
  const int n = static_cast<int>(std::ceil(-x.hi)) + 1;
  double prod = 1, logs = 0;
  int s = 1;
  for (int i = 0; i < n; ++i) {
    const double f = (x.hi + i) + x.lo;
    if (f < 0) s = -s;
    prod *= fabs(f);
    if (prod > 1e200 || prod < 1e-200) {
      logs += std::log(prod);
      prod = 1;
    }
  }
  logs += std::log(prod);
  int s2 = 1;
  const double g = LnGamma((x.hi + n) + x.lo, &s2);
  *sign = s * s2;
  return g - logs;
}

// log(Gamma(y) / Gamma(x)) with its sign and error. For x, y >= 10 by the
// difference of Stirling's series, so that the result is accurate relative
// to itself even when both lgammas are huge and nearly equal (c = r+s+x+1
// against r+x with x = 10,000: lgamma ~ 8e4, difference ~ 10, where plain
// lgamma differences would lose 1e-11).
LogTerm LnGammaRatio(const DD& x, const DD& y) {
  if (x.hi >= 10 && y.hi >= 10) {
    const double d = Sub(y, x).hi;  // y - x, not rounded twice
    const double t1 = (x.hi - 0.5) * std::log1p(d / x.hi);
    const double t2 = d * (std::log(y.hi) - 1);
    const double mu = Binet(y.hi) - Binet(x.hi);
    return {t1 + t2 + mu, 1, 3 * kEps * (fabs(t1) + fabs(t2) + fabs(d) + 0.1)};
  }
  int sx = 1, sy = 1;
  const double lx = LnGamma(x, &sx);
  const double ly = LnGamma(y, &sy);
  return {ly - lx, sx * sy, 4 * kEps * (fabs(lx) + fabs(ly) + 1)};
}

LogTerm Minus(const LogTerm& p, const LogTerm& q) { return {p.value - q.value, p.sign * q.sign, p.err + q.err}; }

double Log1pOverX(double u) { return u == 0 ? 1.0 : std::log1p(u) / u; }

// (lnGamma(x + e) - lnGamma(x)) / e, accurate relative to itself for any
// small e and continuous at e = 0 (where it is digamma(x)): the limit form of
// the connection formula needs these differences, which plain lgamma
// differences would return as rounding noise. Upward recurrence to x >= 10,
// then the difference of Stirling's series with exact divided differences.
// False when x and x + e straddle or touch a pole of Gamma.
bool LnGammaSlope(const DD& x0, double e, double* out) {
  double shift = 0;
  double x = x0.hi + x0.lo;
  for (int i = 1; std::min(x, x + e) < 10; ++i) {
    if (i > 400 || x == 0) return false;
    const double u = e / x;
    if (!(1 + u > 0)) return false;  // x + e on the other side of a pole
    shift += Log1pOverX(u) / x;
    x = (x0.hi + i) + x0.lo;  // exact where it nearly vanishes; one rounding
  }
  const double y = x + e;
  const double u = 1 / x, v = 1 / y;
  // (Binet(y) - Binet(x)) / e = -u v sum_j c_j h_{2j-2}(u, v), where h_n is the
  // complete homogeneous polynomial: the divided difference of t^{-(2j-1)}.
  double h = 1, upow = 1, mu = 0;
  for (int n = 0; n <= 12; ++n) {
    if (n > 0) {
      upow *= u;
      h = v * h + upow;
    }
    if (n % 2 == 0) mu += kBinet[n / 2] * h;
  }
  mu *= -u * v;
  *out = (x - 0.5) * u * Log1pOverX(e * u) + std::log(y) - 1 + mu - shift;
  return true;
}

// ---------------------------------------------------------------------------
// Series.

// The index from which every factor of the term ratio
//   q_k = (a + k)(b + k) / ((c + k)(k + 1)) x
// is positive and |q_k| stays below 1: the largest root of
//   (1 - |x|) k^2 + (c + 1 - |x|(a + b)) k + (c - |x| a b) = 0.
// Before it a small term says nothing (a late hump may follow); after it, the
// tail is bounded by the current term and ratio.
double SeriesGuard(double a, double b, double c, double x) {
  const double ax = fabs(x);
  double g = std::max({0.0, -a, -b, -c});
  const double qa = 1 - ax, qb = c + 1 - ax * (a + b), qc = c - ax * a * b;
  // Both roots are <= 0 when qb, qc >= 0 (the usual case): no sqrt then.
  if (qb >= 0 && qc >= 0) return g;
  const double disc = qb * qb - 4 * qa * qc;
  if (disc >= 0) {
    const double sq = std::sqrt(disc);
    double root = 0;
    if (qb < 0) {
      root = (sq - qb) / (2 * qa);
    } else if (qb + sq > 0) {
      root = -2 * qc / (qb + sq);
    }
    g = std::max(g, root);
  }
  return g;
}

// Rough number of terms a non-terminating series needs: to its guard, then
// until terms decaying like k^p x^k (p = a + b - c - 1) fall below kTol. Only
// ranks routes; it need not be accurate.
double EstimateTerms(double a, double b, double c, double log_x, double guard) {
  const double p = a + b - c - 1;
  double geometric = kLogTol / -log_x;
  if (p > 0) geometric += p * std::log(geometric + guard + 1) / -log_x;
  double n = geometric;
  if (p < -1) n = std::min(n, std::exp(kLogTol / (-p - 1)));
  return guard + n;
}

struct SeriesSum {
  double sum = 0;      // times exp(log_scale)
  double abs_sum = 0;  // sum of |terms|, same scale
  double log_scale = 0;
  int terms = 0;
  bool ok = false;
};

// sum_k (a)_k (b)_k / ((c)_k k!) x^k, until the tail estimate
// |t_k| q_k / (1 - q_k) is below kTol |sum| past the guard (this also bounds
// power-law tails, whose ratio tends to 1 like 1 - |p|/k), or exactly
// `fixed_terms` terms if that is positive. Not ok past max_terms.
// Factors are formed as (hi + k) + lo: exact where they nearly vanish.
SeriesSum SumSeriesGeneral(const DD& a, const DD& b, const DD& c, double x, double guard, int max_terms,
                           int fixed_terms) {
  double t = 1, s = 1, abs_sum = 1, log_scale = 0;
  double k = 0;
  const int limit = fixed_terms > 0 ? fixed_terms - 1 : max_terms;
  for (int n = 1; n <= limit; ++n, k += 1) {
    const double q = ((a.hi + k) + a.lo) * ((b.hi + k) + b.lo) / (((c.hi + k) + c.lo) * (k + 1)) * x;
    t *= q;
    s += t;
    abs_sum += fabs(t);
    if (!(fabs(t) < kBig)) {
      if (!std::isfinite(t) || !std::isfinite(s)) return {};
      t *= kUnscale;
      s *= kUnscale;
      abs_sum *= kUnscale;
      log_scale += kLogBig;
    }
    if (fixed_terms > 0) continue;
    if (t == 0) return {s, abs_sum, log_scale, n, true};  // terminated
    const double aq = fabs(q);
    if (k >= guard && fabs(t) * aq <= kTol * fabs(s) * (1 - aq)) return {s, abs_sum, log_scale, n, true};
  }
  if (fixed_terms > 0) return {s, abs_sum, log_scale, fixed_terms, true};
  return {};
}

// The same sum, two terms per step with one division: the hot loop of the
// whole function. With n_k = (a+k)(b+k), d_k = (c+k)(k+1) and
// r = n_k / (d_k d_{k+1}),
//   t_{k+1} = t_k r d_{k+1} x,  t_{k+2} = t_k r n_{k+1} x^2:
// half the divisions (the slowest operation here), one multiply per two
// terms on the loop-carried chain, and a single rarely-taken branch per pair
// for rescaling and convergence. hi + k is kept as a running sum (adding
// integers rounds only when the exponent grows, as often as forming hi + k
// afresh), plus lo. Parameters are bounded so that the products of three
// factors cannot overflow.
constexpr double kPairsMax = 1e30;

SeriesSum SumSeriesPairs(const DD& a, const DD& b, const DD& c, double x, double guard, int max_terms) {
  double t = 1, s = 1, abs_sum = 1, log_scale = 0;
  double a0 = a.hi, b0 = b.hi, c0 = c.hi, k1 = 1;  // hi + k, k + 1
  const double al = a.lo, bl = b.lo, cl = c.lo;
  const double x2 = x * x;
  for (int n = 2; n <= max_terms + 1; n += 2) {
    const double k2 = k1 + 1;
    const double d1 = ((c0 + 1) + cl) * k2;
    const double n1 = ((a0 + 1) + al) * ((b0 + 1) + bl);
    const double r = (a0 + al) * (b0 + bl) / ((c0 + cl) * k1 * d1);
    const double t1 = t * (r * d1 * x);
    const double t2 = t * (r * n1 * x2);
    t = t2;
    s += t1 + t2;
    const double p = fabs(t1) + fabs(t2);
    abs_sum += p;
    a0 += 2;
    b0 += 2;
    c0 += 2;
    k1 += 2;
    if (!(p < kBig) || fabs(t2) <= kTol * fabs(s)) {
      if (!(p < kBig)) {
        if (!std::isfinite(p) || !std::isfinite(s)) return {};
        t *= kUnscale;
        s *= kUnscale;
        abs_sum *= kUnscale;
        log_scale += kLogBig;
        continue;
      }
      if (t2 == 0) return {s, abs_sum, log_scale, n, true};  // terminated
      const double aq = fabs(n1 * x / d1);
      if (k2 - 1 >= guard && fabs(t2) * aq <= kTol * fabs(s) * (1 - aq)) return {s, abs_sum, log_scale, n, true};
    }
  }
  return {};
}

SeriesSum SumSeries(const DD& a, const DD& b, const DD& c, double x, double guard, int max_terms,
                    int fixed_terms = 0) {
  if (fixed_terms == 0 && fabs(a.hi) < kPairsMax && fabs(b.hi) < kPairsMax && fabs(c.hi) < kPairsMax) {
    return SumSeriesPairs(a, b, c, x, guard, max_terms);
  }
  return SumSeriesGeneral(a, b, c, x, guard, max_terms, fixed_terms);
}

// The series as a Value times exp(log_prefactor): the error estimate is the
// rounding of the sum amplified by cancellation (sum|t| / |sum|) and by the
// length of the recurrence.
Value SeriesValue(const SeriesSum& r, double log_prefactor, double prefactor_err) {
  if (!r.ok || r.sum == 0 || !std::isfinite(r.sum)) return Value{};
  const double err =
      kEps * (r.abs_sum / fabs(r.sum)) * (2 + 0.5 * std::sqrt(static_cast<double>(r.terms))) + prefactor_err;
  return Make(std::log(fabs(r.sum)) + r.log_scale + log_prefactor, r.sum > 0 ? 1 : -1, err);
}

// Which of the two series below to try first: a terminating one; else the
// one with the much earlier end of hump; else the faster power-law decay,
// i.e. Euler when m < 0, demanding a margin at small x where the decay is
// geometric anyway and Euler's extra log1p would not pay.
bool PreferEulerSeries(double len_d, double len_e, double guard_d, double guard_e, double m, double x) {
  if (len_d != len_e) return len_e < len_d;
  if (guard_e < 0.8 * guard_d - 8) return true;
  if (guard_d < 0.8 * guard_e - 8) return false;
  return m < (x > kSeriesOnlyMaxZ ? -0.25 : -1.0);
}

// The two series that represent 2F1(a, b; c; x), 0 < x < 1: the defining one
// (D) and Euler's (E) = (1-x)^{c-a-b} 2F1(c-a, c-b; c; x). Their terms decay
// like k^{-m-1} x^k and k^{m-1} x^k (m = c - a - b) after humps that end at
// their guards; heavy buyers have m ~ -x, so E decays at once where D first
// grows for thousands of terms.
struct TwoSeries {
  DD a, b, c;
  double x;
  DD ea, eb;      // Euler's numerator parameters c - a, c - b
  DD m;           // c - a - b
  double log1mx;  // log(1 - x); NaN: computed when Euler's factor is needed
  double guard_d, guard_e;
  double len_d, len_e;  // terminating lengths or infinity

  TwoSeries(const DD& a_, const DD& b_, const DD& c_, double x_, double log1mx_)
      : a(a_), b(b_), c(c_), x(x_), ea(Sub(c_, a_)), eb(Sub(c_, b_)), m(Sub(ea, b_)), log1mx(log1mx_) {
    guard_d = SeriesGuard(a.hi, b.hi, c.hi, x);
    guard_e = SeriesGuard(ea.hi, eb.hi, c.hi, x);
    len_d = TerminatingLength(a, b);
    len_e = TerminatingLength(ea, eb);
  }

  bool PreferEuler() const { return PreferEulerSeries(len_d, len_e, guard_d, guard_e, m.hi, x); }

  Value Run(bool euler, int budget) const {
    if (euler) {
      const double lp = Times(m, std::isnan(log1mx) ? std::log1p(-x) : log1mx);
      return SeriesValue(SumSeries(ea, eb, c, x, guard_e, budget), lp, 2 * kEps * fabs(lp));
    }
    return SeriesValue(SumSeries(a, b, c, x, guard_d, budget), 0, 0);
  }

  double Estimate(bool euler, double log_x) const {
    return euler ? std::min(len_e, EstimateTerms(ea.hi, eb.hi, c.hi, log_x, guard_e))
                 : std::min(len_d, EstimateTerms(a.hi, b.hi, c.hi, log_x, guard_d));
  }

  // Preferred series, then the other if the first is not good.
  Value Both(int budget) const {
    const bool e = PreferEuler();
    const Value first = Run(e, budget);
    if (Good(first)) return first;
    Best best;
    best.Offer(first);
    best.Offer(Run(!e, budget));
    return best.value;
  }
};

// ---------------------------------------------------------------------------
// The 1 - z connection formula, for 0 < x < 1 (y = 1 - x):
//   F = Gamma(c)Gamma(m) / (Gamma(c-a)Gamma(c-b)) 2F1(a, b; 1-m; y)
//     + y^m Gamma(c)Gamma(-m) / (Gamma(a)Gamma(b)) 2F1(c-a, c-b; 1+m; y),
// m = c - a - b. Requires a, b, c-a, c-b not non-positive integers (those
// series terminate and are handled as polynomials). The gamma products are
// formed as ratios of gammas whose arguments differ by a, b, c-a or c-b
// (LnGammaRatio), so that the large BTYD arguments do not cost digits.

struct Arg {
  double x;    // 0 < x < 1
  double y;    // 1 - x, accurately
  double lny;  // log(1 - x), accurately
};

// sign * exp(log_prefactor) * v.
Value Times(const LogTerm& t, const Value& v) { return Scale(v, t.value, t.sign, t.err); }

Value NearIntegerConnection(const DD& a, const DD& b, const DD& c, const Arg& arg, double lnx, int budget);

Value Connection(const DD& a, const DD& b, const DD& c, const Arg& arg, double lnx, int budget) {
  const DD m = Sub(Sub(c, a), b);
  const double n = std::nearbyint(m.hi);
  const double eps = (m.hi - n) + m.lo;
  if (fabs(eps) < kNearInteger) return NearIntegerConnection(a, b, c, arg, lnx, budget);
  const DD ea = Sub(c, a), eb = Sub(c, b);
  // Gamma(c)Gamma(m)/(Gamma(c-a)Gamma(c-b)): pair c with c-a (they differ by
  // a) and m with c-b = m + a, or the same with b.
  const LogTerm p1 = fabs(a.hi) <= fabs(b.hi) ? Minus(LnGammaRatio(ea, c), LnGammaRatio(m, eb))
                                              : Minus(LnGammaRatio(eb, c), LnGammaRatio(m, ea));
  // Gamma(c)Gamma(-m)/(Gamma(a)Gamma(b)): pair c with a (differ by c-a) and
  // -m with b = -m + (c-a), or the same with b and c-b.
  const DD minus_m = Sub(DD{}, m);
  LogTerm p2 = fabs(ea.hi) <= fabs(eb.hi) ? Minus(LnGammaRatio(a, c), LnGammaRatio(minus_m, b))
                                          : Minus(LnGammaRatio(b, c), LnGammaRatio(minus_m, a));
  const double ym = Times(m, arg.lny);
  p2.value += ym;
  p2.err += 2 * kEps * fabs(ym);
  // The two series in y = 1 - x; each may itself go through Euler, whose
  // factor is then (1 - y)^{...} = x^{...}.
  const Value s1 = TwoSeries(a, b, Sub(DD{1, 0}, m), arg.y, lnx).Both(budget);
  if (!s1.ok) return Value{};
  const Value s2 = TwoSeries(ea, eb, Add(m, 1), arg.y, lnx).Both(budget);
  if (!s2.ok) return Value{};
  return Add(Times(p1, s1), Times(p2, s2));
}

// The connection formula when m = c - a - b = n + eps with n an integer and
// |eps| < kNearInteger, including eps = 0 (Abramowitz & Stegun 15.3.10-12 are
// the eps = 0 case). With n >= 0 (else Euler first, which negates m) it reads
//   F = Gamma(c)Gamma(m)/(Gamma(c-a)Gamma(c-b))
//         sum_{k<n} (a)_k (b)_k / ((1-m)_k k!) y^k
//     + (-1)^n y^n (pi eps / sin(pi eps)) Gamma(c) Gamma(a+n) Gamma(b+n)
//         / (Gamma(a) Gamma(b) Gamma(c-a) Gamma(c-b) n!)  sum_j y^j D_j,
// where D_j = (g_j - f_j) / eps with g_0 = 1/Gamma(1-eps), f_0 = R y^eps,
//   R = Gamma(a+n+eps) Gamma(b+n+eps) n! / (Gamma(a+n) Gamma(b+n) (n+eps)!),
// and the terms of both sides of the textbook formula that are O(1/eps) and
// cancel have been combined analytically: D_0 uses 1/Gamma(1-eps) - 1 and
// expm1 of eps times exact lnGamma slopes, and the recurrences
//   f_{j+1} = al_j f_j,  D_{j+1} = be_j D_j + ((be_j - al_j)/eps) f_j,
//   al_j = (P+eps)(Q+eps)/((N+eps)J),  be_j = PQ/((J-eps)N),
//   P = a+n+j, Q = b+n+j, N = n+j+1, J = j+1,
// with (be_j - al_j)/eps expanded as a polynomial in eps, never divide a
// difference by eps. The result is as accurate at eps = 1e-12 as at 0.
Value NearIntegerConnection(const DD& a, const DD& b, const DD& c, const Arg& arg, double lnx, int budget) {
  const DD m = Sub(Sub(c, a), b);
  if (m.hi < -0.5) {
    // Euler: F = y^m 2F1(c-a, c-b; c; x), whose c - a - b is -m.
    const double lp = Times(m, arg.lny);
    return Scale(NearIntegerConnection(Sub(c, a), Sub(c, b), c, arg, lnx, budget), lp, 1, 2 * kEps * fabs(lp));
  }
  const double n = std::nearbyint(m.hi);
  const double eps = (m.hi - n) + m.lo;
  if (n > 1e6 || fabs(eps) > 0.5) return Value{};
  const double y = arg.y, lny = arg.lny;
  const DD A = Add(a, n), B = Add(b, n);

  // lnGamma slopes; false at a pole, which the caller's fallbacks handle.
  double sa = 0, sb = 0, s1 = 0;
  if (!LnGammaSlope(A, eps, &sa) || !LnGammaSlope(B, eps, &sb) || !LnGammaSlope(DD{n + 1, 0}, eps, &s1)) {
    return Value{};
  }

  // Second part's prefactor: Gamma(c)/Gamma(a) [ratio] * Gamma(a+n)/Gamma(a+n+eps)
  // * Gamma(b+n)/Gamma(b+n+eps) / (Gamma(b) n!), or with a and b swapped:
  // the unpaired gamma is the one of the smaller argument.
  const bool b_small = fabs(b.hi) <= fabs(a.hi);
  LogTerm p2 = LnGammaRatio(b_small ? a : b, c);
  int sg = 1;
  const double lg_unpaired = LnGamma(b_small ? b : a, &sg);
  const double lg_n1 = std::lgamma(n + 1);
  const double sin_ratio = eps == 0 ? 1.0 : kPi * eps / std::sin(kPi * eps);
  p2.value += -eps * sa - eps * sb - lg_unpaired - lg_n1 + n * lny + std::log(sin_ratio);
  p2.err += 4 * kEps * (fabs(lg_unpaired) + fabs(lg_n1) + fabs(n * lny) + 1);
  p2.sign *= sg * (static_cast<long long>(n) % 2 == 0 ? 1 : -1);

  // D_0 and f_0, normalised by Gamma(a+n)Gamma(b+n)/n!.
  double g1;  // (1/Gamma(1-eps) - 1)/eps
  if (eps == 0) {
    g1 = -kEulerGamma;
  } else {
    using namespace boost::math::policies;
    const double tg = boost::math::tgamma1pm1(-eps, policy<promote_double<false>>());
    g1 = -tg / (1 + tg) / eps;
  }
  const double expo = sa + sb - s1 + lny;  // log(R y^eps) / eps
  const double em1 = eps == 0 ? expo : std::expm1(eps * expo) / eps;
  double delta = g1 - em1;
  double f = std::exp(eps * expo);
  double sum = delta, abs_sum = fabs(g1) + fabs(em1) + fabs(f), log_scale = 0;
  const double guard = SeriesGuard(A.hi, B.hi, n + 1, y);
  bool converged = false;
  int terms = 0;
  for (double j = 0; terms < budget; j += 1) {
    ++terms;
    const double P = (A.hi + j) + A.lo, Q = (B.hi + j) + B.lo, N = n + 1 + j, J = j + 1;
    const double al = (P + eps) * (Q + eps) / ((N + eps) * J);
    const double be = P * Q / ((J - eps) * N);
    const double ga = (P * Q * (J + N) - N * J * (P + Q) + eps * N * (P + Q - J) + N * eps * eps) /
                      ((J - eps) * N * (N + eps) * J);
    const double next = y * (be * delta + ga * f);
    f *= y * al;
    delta = next;
    sum += delta;
    const double mag = fabs(delta) + fabs(f);
    abs_sum += mag;
    if (!(mag < kBig)) {
      if (!std::isfinite(mag) || !std::isfinite(sum)) return Value{};
      delta *= kUnscale;
      f *= kUnscale;
      sum *= kUnscale;
      abs_sum *= kUnscale;
      log_scale += kLogBig;
    }
    const double q = fabs(be * y);
    if (j >= guard && mag * q <= kTol * fabs(sum) * (1 - q)) {
      converged = true;
      break;
    }
  }
  if (!converged || sum == 0) return Value{};
  const Value part2 =
      Times(p2, Make(std::log(fabs(sum)) + log_scale, sum > 0 ? 1 : -1,
                     kEps * (abs_sum / fabs(sum)) * (4 + 0.5 * std::sqrt(static_cast<double>(terms)))));
  if (n == 0) return part2;

  // First part: the n terms of 2F1(a, b; 1-m; y) that stay finite, times
  // Gamma(c)Gamma(m)/(Gamma(c-a)Gamma(c-b)) (m >= 0.5 here).
  const DD ea = Sub(c, a), eb = Sub(c, b);
  const LogTerm p1 = fabs(a.hi) <= fabs(b.hi) ? Minus(LnGammaRatio(ea, c), LnGammaRatio(m, eb))
                                              : Minus(LnGammaRatio(eb, c), LnGammaRatio(m, ea));
  const SeriesSum fin = SumSeries(a, b, Sub(DD{1, 0}, m), y, 0, 0, static_cast<int>(n));
  return Add(Times(p1, SeriesValue(fin, 0, 0)), part2);
}

// ---------------------------------------------------------------------------
// Terminating series: a polynomial in z. Three forms (for p = -n, q the
// other numerator parameter):
//   the series itself; Pfaff's (1-z)^n 2F1(-n, c-q; c; z/(z-1)); and
//   (c-q)_n/(c)_n 2F1(-n, q; q-c-n+1; 1-z) (DLMF 15.8.7).
// Their terms cancel in different places (alternating signs), so the one with
// the smallest error estimate is taken. If instead c-a or c-b is the
// non-positive integer, the same is applied to Euler's form.
Value PolynomialForms(const DD& p, const DD& q, const DD& c, double z, double log1mz, double length) {
  Best best;
  const int len = static_cast<int>(length);
  best.Offer(SeriesValue(SumSeries(p, q, c, z, 0, 0, len), 0, 0));
  if (Good(best.value)) return best.value;
  const double lp = -p.hi * log1mz;
  best.Offer(SeriesValue(SumSeries(p, Sub(c, q), c, z / (z - 1), 0, 0, len), lp, 2 * kEps * fabs(lp)));
  if (Good(best.value)) return best.value;
  const DD gamma = Add(Sub(q, c), p.hi + 1);  // q - c - n + 1
  const double nn = length - 1;
  const DD cq = Sub(c, q);
  if (z > 0 && !(IsNonPositiveInteger(gamma) && -gamma.hi < nn) && !IsNonPositiveInteger(cq) &&
      !IsNonPositiveInteger(Add(cq, nn))) {
    // (c-q)_n / (c)_n = Gamma(c-q+n) Gamma(c) / (Gamma(c-q) Gamma(c+n))
    const LogTerm pre = Minus(LnGammaRatio(cq, Add(cq, nn)), LnGammaRatio(c, Add(c, nn)));
    best.Offer(Times(pre, SeriesValue(SumSeries(p, q, gamma, 1 - z, 0, 0, len), 0, 0)));
  }
  return best.value;
}

Value Polynomial(const DD& a, const DD& b, const DD& c, double z, double log1mz) {
  const double len_d = TerminatingLength(a, b);
  if (len_d < kInf) {
    if (len_d > kLongBudget) return Value{};
    return IsNonPositiveInteger(a) && len_d == -a.hi + 1 ? PolynomialForms(a, b, c, z, log1mz, len_d)
                                                          : PolynomialForms(b, a, c, z, log1mz, len_d);
  }
  const DD ea = Sub(c, a), eb = Sub(c, b);
  const double len_e = TerminatingLength(ea, eb);
  if (len_e > kLongBudget) return Value{};
  const double lp = Times(Sub(ea, b), log1mz);
  const Value v = IsNonPositiveInteger(ea) && len_e == -ea.hi + 1 ? PolynomialForms(ea, eb, c, z, log1mz, len_e)
                                                                : PolynomialForms(eb, ea, c, z, log1mz, len_e);
  return Scale(v, lp, 1, 2 * kEps * fabs(lp));
}

// ---------------------------------------------------------------------------
// Dispatch.

// 0 < x < 1.
Value Positive(const DD& a, const DD& b, const DD& c, const Arg& arg) {
  const TwoSeries series(a, b, c, arg.x, arg.lny);
  if (series.len_d < kInf || series.len_e < kInf) {
    return Polynomial(a, b, c, arg.x, arg.lny);
  }
  const bool euler = series.PreferEuler();
  Best best;
  if (arg.x <= kSeriesOnlyMaxZ) {
    // The common case: one series, no transcendental calls beyond the final
    // log (and log1p for Euler's factor).
    const Value v = series.Run(euler, kShortBudget);
    if (Good(v)) return v;
    best.Offer(v);
    const Value other = series.Run(!euler, kShortBudget);
    if (Good(other)) return other;
    best.Offer(other);
    if (arg.x > 0.2) {
      const Value conn = Connection(a, b, c, arg, std::log(arg.x), kShortBudget);
      if (Good(conn)) return conn;
      best.Offer(conn);
    }
  } else {
    // Near 1: the series only if it is cheaper than the connection formula,
    // i.e. when it decays fast anyway (heavy buyers through Euler).
    const double lnx = std::log(arg.x);
    const double n_series = series.Estimate(euler, lnx);
    const TwoSeries sub1(a, b, Sub(DD{1, 0}, series.m), arg.y, lnx);
    const TwoSeries sub2(series.ea, series.eb, Add(series.m, 1), arg.y, lnx);
    const double n_conn = kConnectionCost + std::min(sub1.Estimate(false, arg.lny), sub1.Estimate(true, arg.lny)) +
                          std::min(sub2.Estimate(false, arg.lny), sub2.Estimate(true, arg.lny));
    if (n_series <= n_conn) {
      const Value v = series.Run(euler, kShortBudget);
      if (Good(v)) return v;
      best.Offer(v);
    }
    const Value conn = Connection(a, b, c, arg, lnx, kShortBudget);
    if (Good(conn)) return conn;
    best.Offer(conn);
    if (n_series > n_conn) {
      const Value v = series.Run(euler, kShortBudget);
      if (Good(v)) return v;
      best.Offer(v);
    }
  }
  // Last resort: the long series, which converge for every x < 1.
  const Value v = series.Run(euler, kLongBudget);
  if (Good(v)) return v;
  best.Offer(v);
  best.Offer(series.Run(!euler, kLongBudget));
  return best.value;
}

// z < 0.
Value Negative(const DD& a, const DD& b, const DD& c, double z) {
  Best best;
  if (z >= -0.5 && SeriesGuard(a.hi, b.hi, c.hi, z) == 0) {
    // Small |z| and no hump: the alternating series loses nothing and saves
    // the log1p of Pfaff's factor.
    const Value v = SeriesValue(SumSeries(a, b, c, z, 0, kShortBudget), 0, 0);
    if (Good(v)) return v;
    best.Offer(v);
  }
  // Pfaff: F = (1-z)^{-a} 2F1(a, c-b; c; w), w = z/(z-1) in (0, 1), with
  // 1 - w = 1/(1-z). The positive-argument dispatch then also considers Euler
  // (the other Pfaff form, (1-z)^{-b} 2F1(c-a, b; c; w)) and the connection
  // formula in 1 - w = 1/(1 - z), i.e. the 1/(1-z) transformation for z < -1.
  const double l1 = std::log1p(-z);
  const Arg w{-z / (1 - z), 1 / (1 - z), -l1};
  const double lp = -a.hi * l1;
  best.Offer(Scale(Positive(a, Sub(c, b), c, w), lp, 1, 2 * kEps * fabs(lp)));
  return best.value;
}

// The series for the common case, four terms per step: with n_i = (a+k+i)
// (b+k+i) x and d_i = (c+k+i)(k+i+1), one division u = t_k / (d0 d1 d2 d3)
// gives t_{k+1} = u n0 d1 d2 d3, t_{k+2} = u n0 n1 d2 d3, t_{k+3} = u n0 n1 n2 d3
// and t_{k+4} = u n0 n1 n2 n3: a quarter of the divisions, one multiply per
// four terms on the loop-carried chain, one rarely-taken branch per step.
// ~1 ns per term. Requires a, b, c > -1 and 0 < x < 1, so that every term
// after the first has the same sign (the factors can only be negative at
// k = 0): then sum |t_k| = 1 + |sum - 1| needs no tracking. Parameters below
// kQuadMax keep the products of eight factors finite. lo parts as in
// SumSeriesPairs.
constexpr double kQuadMax = 1e15;

template <bool kWithLo>
SeriesSum SumSeriesQuads(const DD& a, const DD& b, const DD& c, double x, double guard, int max_terms) {
  double t = 1, s = 1, log_scale = 0;
  double a0 = a.hi, b0 = b.hi, c0 = c.hi, k1 = 1;  // hi + k, k + 1
  // Without lo parts (kWithLo false) the adds below fold away: a fifth of
  // the instructions of a step.
  const double al = kWithLo ? a.lo : 0.0, bl = kWithLo ? b.lo : 0.0, cl = kWithLo ? c.lo : 0.0;
  const double x2 = x * x, x3 = x2 * x, x4 = x2 * x2;
  for (int n = 4; n <= max_terms + 3; n += 4) {
    const auto f = [](double hi, double lo) { return kWithLo ? hi + lo : hi; };
    const double n0 = f(a0, al) * f(b0, bl);
    const double n1 = f(a0 + 1, al) * f(b0 + 1, bl);
    const double n2 = f(a0 + 2, al) * f(b0 + 2, bl);
    const double n3 = f(a0 + 3, al) * f(b0 + 3, bl);
    const double d0 = f(c0, cl) * k1;
    const double d1 = f(c0 + 1, cl) * (k1 + 1);
    const double d2 = f(c0 + 2, cl) * (k1 + 2);
    const double d3 = f(c0 + 3, cl) * (k1 + 3);
    const double d23 = d2 * d3, n01 = n0 * n1, n012 = n01 * n2;
    const double u = t * (1 / ((d0 * d1) * d23));
    const double t1 = u * (n0 * (d1 * d23) * x);
    const double t2 = u * (n01 * d23 * x2);
    const double t3 = u * (n012 * d3 * x3);
    const double t4 = u * (n012 * n3 * x4);
    t = t4;
    s += (t1 + t2) + (t3 + t4);
    a0 += 4;
    b0 += 4;
    c0 += 4;
    k1 += 4;
    const double at = fabs(t3) + fabs(t4);
    if (!(at < kBig) || fabs(t4) <= kTol * fabs(s)) {
      if (!(at < kBig)) {
        if (!std::isfinite(at) || !std::isfinite(s)) return {};
        t *= kUnscale;
        s *= kUnscale;
        log_scale += kLogBig;
        continue;
      }
      const double aq = fabs(n3 * x / d3);
      if (t4 == 0 || (k1 - 2 >= guard && fabs(t4) * aq <= kTol * fabs(s) * (1 - aq))) {
        // Converged (or terminated). The first term, 1, in the scale of the sum.
        const double one = log_scale == 0 ? 1.0 : std::exp(-log_scale);
        return {s, one + fabs(s - one), log_scale, n, true};
      }
    }
  }
  return {};
}

// Whether the factors hi + k + lo (k >= 0) may drop lo: when it changes none
// of them by more than ~16 ulps (then the sum by less than 4e-15), i.e. lo
// is tiny next to the factor nearest to zero, which is hi itself for hi > 0
// and the distance of hi to the nearest integer otherwise.
bool LoNegligible(const DD& v) {
  if (v.lo == 0) return true;
  double dist = v.hi;
  if (v.hi <= 0) {
    if (v.hi < -0x1p52) return false;
    const double frac = fabs(v.hi - static_cast<double>(static_cast<long long>(v.hi)));  // no libm call
    dist = std::min(frac, 1 - frac);
  }
  return fabs(v.lo) <= 16 * kEps * dist;
}

// The common case, 0 < z <= kSeriesOnlyMaxZ with a series that does not
// terminate: one sum (direct or Euler) and a log, without the bookkeeping of
// the general dispatch (its records and error estimates cost as much as a
// short sum: ~300 instructions). Accepts only a sum without cancellation
// (sum |t| <= 4 |sum|) of at most 400 terms, whose error is then below 1e-14;
// otherwise returns false and the general dispatch starts over.
bool CommonCase(double a, double b, double c, double z, SignedLog* out) {
  // Above kSeriesOnlyMaxZ only a series whose c dwarfs its numerator
  // parameters (heavy buyers through Euler: c ~ x, numerators O(1)), which
  // converges in a handful of terms at any z < 1, is tried here.
  if (!(fabs(a) < kQuadMax && fabs(b) < kQuadMax && fabs(c) < kQuadMax && c > -1)) return false;
  const DD ea = TwoSum(c, -a), eb = TwoSum(c, -b);
  if (IsNonPositiveInteger(a) || IsNonPositiveInteger(b) || IsNonPositiveInteger(ea) || IsNonPositiveInteger(eb)) {
    return false;
  }
  const double guard_d = SeriesGuard(a, b, c, z), guard_e = SeriesGuard(ea.hi, eb.hi, c, z);
  const DD m = Sub(ea, DD{b, 0});
  const bool euler = PreferEulerSeries(kInf, kInf, guard_d, guard_e, m.hi, z);
  if (euler ? (ea.hi <= -1 || eb.hi <= -1) : (a <= -1 || b <= -1)) return false;
  int budget = 400;
  if (z > kSeriesOnlyMaxZ) {
    const double na = euler ? ea.hi : a, nb = euler ? eb.hi : b;
    if (!(c >= 8 * (1 + fabs(na) + fabs(nb)))) return false;
    budget = 64;
  }
  SeriesSum r;
  if (!euler) {
    r = SumSeriesQuads<false>(DD{a, 0}, DD{b, 0}, DD{c, 0}, z, guard_d, budget);
  } else if (LoNegligible(ea) && LoNegligible(eb)) {
    r = SumSeriesQuads<false>(ea, eb, DD{c, 0}, z, guard_e, budget);
  } else {
    r = SumSeriesQuads<true>(ea, eb, DD{c, 0}, z, guard_e, budget);
  }
  if (!r.ok || !(r.abs_sum <= 4 * fabs(r.sum))) return false;
  double log_abs = std::log(fabs(r.sum)) + r.log_scale;
  if (euler) log_abs += Times(m, std::log1p(-z));
  *out = SignedLog{log_abs, r.sum > 0 ? 1 : -1};
  return true;
}

// Everything but the common case; out of line so that the common path keeps
// a small stack frame.
[[gnu::noinline]] Value Dispatch(const DD& a, const DD& b, const DD& c, double z) {
  if (TerminatingLength(a, b) < kInf || TerminatingLength(Sub(c, a), Sub(c, b)) < kInf) {
    return Polynomial(a, b, c, z, std::log1p(-z));
  }
  if (z > 0) return Positive(a, b, c, Arg{z, 1 - z, std::log1p(-z)});
  return Negative(a, b, c, z);
}

}  // namespace

absl::StatusOr<SignedLog> LogHyp2F1(double a, double b, double c, double z) {
  if (std::isnan(a) || std::isnan(b) || std::isnan(c) || std::isnan(z)) {
    return absl::InvalidArgumentError("LogHyp2F1: NaN argument");
  }
  if (!std::isfinite(a) || !std::isfinite(b) || !std::isfinite(c) || !std::isfinite(z)) {
    return absl::InvalidArgumentError("LogHyp2F1: infinite argument");
  }
  if (z >= 1) return absl::InvalidArgumentError(absl::StrCat("LogHyp2F1: z = ", z, " must be below 1"));
  if (IsNonPositiveInteger(c)) {
    return absl::InvalidArgumentError(absl::StrCat("LogHyp2F1: c = ", c, " is a non-positive integer"));
  }
  if (z == 0 || a == 0 || b == 0) return SignedLog{0, 1};
  // 2F1(a, b; a; z) = (1 - z)^{-b}, exactly.
  if (a == c) return SignedLog{-b * std::log1p(-z), 1};
  if (b == c) return SignedLog{-a * std::log1p(-z), 1};

  if (z > 0) {
    SignedLog out;
    if (CommonCase(a, b, c, z, &out)) return out;
  }
  const Value v = Dispatch(DD{a, 0}, DD{b, 0}, DD{c, 0}, z);
  if (!Usable(v)) {
    return absl::OutOfRangeError(absl::StrCat("LogHyp2F1(", a, ", ", b, "; ", c, "; ", z,
                                              "): no evaluation route reached the required accuracy"));
  }
  return SignedLog{v.log_abs, v.sign};
}

}  // namespace carteira::models
