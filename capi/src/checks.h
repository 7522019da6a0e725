// Argument checks shared by the C ABI's sources: a versioned struct's size,
// and a day the core accepts.
#ifndef CARTEIRA_CAPI_SRC_CHECKS_H_
#define CARTEIRA_CAPI_SRC_CHECKS_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "capi/src/api_guard.h"
#include "carteira/carteira.h"
#include "carteira/core/date.h"
#include "carteira/core/strings.h"

namespace carteira::capi {

// A struct the caller passed is at least its first released version (v1).
inline carteira_status CheckStructSize(std::uint32_t struct_size, std::size_t v1, const char* name) {
  if (struct_size < v1) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        StrCat(name, ": struct_size too small (", struct_size, ", needs at least ", v1, ")"));
  }
  return CARTEIRA_OK;
}

// A day the core accepts (the years of date.h), or an error naming the
// field; CARTEIRA_NO_DAY is accepted unless `required`.
inline absl::Status CheckDay(std::int32_t day, const char* field, bool required) {
  if (day == CARTEIRA_NO_DAY) {
    return required ? absl::InvalidArgumentError(StrCat(field, " is required")) : absl::OkStatus();
  }
  const DayNumber lo = DaysFromCivil(kMinYear, 1, 1);
  const DayNumber hi = DaysFromCivil(kMaxYear, 12, 31);
  if (day < lo || day > hi) {
    return absl::InvalidArgumentError(StrCat(field, ": day ", day, " is not between ", kMinYear, " and ", kMaxYear));
  }
  return absl::OkStatus();
}

}  // namespace carteira::capi

#endif  // CARTEIRA_CAPI_SRC_CHECKS_H_
