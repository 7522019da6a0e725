// Money is stored exactly as an int64 count of minor units (centavos, cents).
// Binary floating point never holds a stored amount: 0.1 + 0.2 != 0.3 is not
// acceptable in a revenue total.
#ifndef CARTEIRA_CORE_MONEY_H_
#define CARTEIRA_CORE_MONEY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace carteira {

using MinorUnits = std::int64_t;

// Two decimal places: BRL, USD and EUR all use them.
inline constexpr int kMinorDigits = 2;
inline constexpr MinorUnits kMinorPerMajor = 100;

enum class DecimalSeparator : std::uint8_t {
  kAuto,   // decide per field; an ambiguous "1.234" follows the fallback below
  kPoint,  // 1,234.56
  kComma,  // 1.234,56 (Brazil)
};

// Parses "1234.56", "1.234,56", "R$ 1.234,56", "-89,90", "+5". When a field
// has both '.' and ',', the last one is the decimal separator. A field with a
// single separator followed by exactly three digits ("1.234") is ambiguous and
// resolved by `ambiguous_as` (kComma reads it as 1234, kPoint as 1.234, which
// then fails for having more than two decimals). Never rounds: more than two
// significant decimals is an error.
absl::StatusOr<MinorUnits> ParseMoney(std::string_view text,
                                      DecimalSeparator ambiguous_as = DecimalSeparator::kComma);

// "1234.56" / "-0.05", or with decimal_comma "1234,56".
std::string FormatMoney(MinorUnits amount, bool decimal_comma = false);

// The amount in major units as a double, for statistics only (never stored).
inline double ToMajor(MinorUnits amount) {
  return static_cast<double>(amount) / static_cast<double>(kMinorPerMajor);
}

}  // namespace carteira

#endif  // CARTEIRA_CORE_MONEY_H_
