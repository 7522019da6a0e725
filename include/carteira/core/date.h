// Calendar dates. The API speaks boost::gregorian::date; columns and the C ABI
// store a DayNumber (days since 1970-01-01) because it is 4 bytes, ordered and
// cheap to subtract, which the hot loops of the engines need.
#ifndef CARTEIRA_CORE_DATE_H_
#define CARTEIRA_CORE_DATE_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include "absl/status/statusor.h"

namespace carteira {

using Date = boost::gregorian::date;
using DayNumber = std::int32_t;

// Marks a missing date in a DayNumber column.
inline constexpr DayNumber kNoDay = std::numeric_limits<DayNumber>::min();

// Dates accepted on input, chosen to catch typos (year 0202) rather than
// to cover all of history.
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 2199;

// Days since 1970-01-01 of a valid proleptic Gregorian date.
constexpr DayNumber DaysFromCivil(int year, unsigned month, unsigned day) {
  // Howard Hinnant's days_from_civil: exact for every Gregorian date and
  // branch-light, which matters when millions of CSV dates are parsed.
  year -= month <= 2 ? 1 : 0;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

DayNumber ToDayNumber(const Date& date);
Date ToDate(DayNumber day);

// Parses YYYY-MM-DD (a time part after ' ' or 'T' is ignored), dd/mm/yyyy
// (one-digit day and month allowed) and YYYYMMDD. Rejects impossible dates
// such as 31/02/2024 with a message that says why.
absl::StatusOr<DayNumber> ParseDate(std::string_view text);

// ISO 8601 (YYYY-MM-DD); an empty string for kNoDay.
std::string FormatDate(DayNumber day);

}  // namespace carteira

#endif  // CARTEIRA_CORE_DATE_H_
