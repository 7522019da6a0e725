#include "carteira/core/date.h"

#include <cstdio>

#include "carteira/core/strings.h"

namespace carteira {
namespace {

const Date kEpoch(1970, 1, 1);

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `width` digits at `pos`; false if any is not a digit.
bool ReadFixed(std::string_view s, size_t pos, size_t width, int* out) {
  if (pos + width > s.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (!IsDigit(s[i])) return false;
    value = value * 10 + (s[i] - '0');
  }
  *out = value;
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

absl::StatusOr<DayNumber> Validated(std::string_view text, int y, int m, int d) {
  if (y < kMinYear || y > kMaxYear) {
    return absl::InvalidArgumentError(StrCat("date '", text, "': year ", y,
                                                   " outside ", kMinYear, "..", kMaxYear));
  }
  if (m < 1 || m > 12) {
    return absl::InvalidArgumentError(StrCat("date '", text, "': month ", m,
                                                   " is not 1..12"));
  }
  if (d < 1 || d > DaysInMonth(y, m)) {
    return absl::InvalidArgumentError(StrCat("date '", text, "': day ", d,
                                                   " does not exist in ", y, "-", m < 10 ? "0" : "",
                                                   m));
  }
  return DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

absl::Status Unrecognised(std::string_view text) {
  return absl::InvalidArgumentError(StrCat(
      "date '", text, "': not YYYY-MM-DD, dd/mm/yyyy or YYYYMMDD"));
}

}  // namespace

DayNumber ToDayNumber(const Date& date) {
  return static_cast<DayNumber>((date - kEpoch).days());
}

Date ToDate(DayNumber day) { return kEpoch + boost::gregorian::date_duration(day); }

absl::StatusOr<DayNumber> ParseDate(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.empty()) return absl::InvalidArgumentError("date is empty");
  // YYYY-MM-DD, optionally followed by a time of day.
  if (text.size() >= 10 && text[4] == '-' && text[7] == '-') {
    if (text.size() > 10 && text[10] != ' ' && text[10] != 'T') return Unrecognised(text);
    if (!ReadFixed(text, 0, 4, &y) || !ReadFixed(text, 5, 2, &m) || !ReadFixed(text, 8, 2, &d)) {
      return Unrecognised(text);
    }
    return Validated(text, y, m, d);
  }
  // dd/mm/yyyy with one- or two-digit day and month.
  const size_t slash1 = text.find('/');
  if (slash1 != std::string_view::npos) {
    const size_t slash2 = text.find('/', slash1 + 1);
    if (slash2 == std::string_view::npos || slash1 < 1 || slash1 > 2 || slash2 - slash1 - 1 < 1 ||
        slash2 - slash1 - 1 > 2 || text.size() - slash2 - 1 != 4 ||
        !ReadFixed(text, 0, slash1, &d) || !ReadFixed(text, slash1 + 1, slash2 - slash1 - 1, &m) ||
        !ReadFixed(text, slash2 + 1, 4, &y)) {
      return Unrecognised(text);
    }
    return Validated(text, y, m, d);
  }
  if (text.size() == 8 && ReadFixed(text, 0, 4, &y) && ReadFixed(text, 4, 2, &m) &&
      ReadFixed(text, 6, 2, &d)) {
    return Validated(text, y, m, d);
  }
  return Unrecognised(text);
}

std::string FormatDate(DayNumber day) {
  if (day == kNoDay) return {};
  // civil_from_days (Hinnant), the inverse of DaysFromCivil.
  const int z = day + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y0 = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int y = y0 + (m <= 2 ? 1 : 0);
  if (y >= 0 && y <= 9999) {
    // The digits by hand: snprintf was most of the cost of the agenda's
    // million task keys and reasons.
    const unsigned uy = static_cast<unsigned>(y);
    const char out[10] = {static_cast<char>('0' + uy / 1000), static_cast<char>('0' + uy / 100 % 10),
                          static_cast<char>('0' + uy / 10 % 10), static_cast<char>('0' + uy % 10), '-',
                          static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10), '-',
                          static_cast<char>('0' + d / 10), static_cast<char>('0' + d % 10)};
    return std::string(out, sizeof out);
  }
  char buf[32];  // roomy: the compiler cannot see that m and d are small
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

}  // namespace carteira
