#include "carteira/core/money.h"

#include <cstdlib>
#include <limits>

#include "carteira/core/strings.h"

namespace carteira {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

absl::Status Bad(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(StrCat("amount '", text, "': ", why));
}

// Drops a currency symbol and every kind of space users paste: ASCII space,
// tab and the UTF-8 no-break space (C2 A0) that spreadsheets put after "R$".
std::string Clean(std::string_view text, bool* negative, bool* ok) {
  std::string out;
  out.reserve(text.size());
  *negative = false;
  *ok = true;
  bool parenthesised = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t') continue;
    if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < text.size() &&
        static_cast<unsigned char>(text[i + 1]) == 0xA0) {
      ++i;
      continue;
    }
    if (c == 'R' && i + 1 < text.size() && text[i + 1] == '$') {
      ++i;
      continue;
    }
    if (c == '$') continue;
    if ((c == '-' || c == '+') && out.empty() && !*negative) {
      *negative = c == '-';
      continue;
    }
    // Accounting style "(89,90)" for a negative amount.
    if (c == '(' && out.empty()) {
      parenthesised = true;
      continue;
    }
    if (c == ')' && parenthesised && i + 1 == text.size()) {
      *negative = !*negative;
      parenthesised = false;
      continue;
    }
    out.push_back(c);
  }
  if (parenthesised) *ok = false;
  return out;
}

}  // namespace

absl::StatusOr<MinorUnits> ParseMoney(std::string_view text, DecimalSeparator ambiguous_as) {
  bool negative = false, ok = true;
  const std::string s = Clean(text, &negative, &ok);
  if (!ok) return Bad(text, "unbalanced parenthesis");
  if (s.empty()) return Bad(text, "no digits");
  const size_t last_point = s.rfind('.');
  const size_t last_comma = s.rfind(',');
  char decimal = 0;
  if (last_point != std::string::npos && last_comma != std::string::npos) {
    decimal = last_point > last_comma ? '.' : ',';
  } else if (last_point != std::string::npos || last_comma != std::string::npos) {
    const char sep = last_point != std::string::npos ? '.' : ',';
    const size_t pos = sep == '.' ? last_point : last_comma;
    const bool repeated = s.find(sep) != pos;
    const size_t after = s.size() - pos - 1;
    if (repeated) {
      decimal = 0;  // "1.234.567": only thousands groups
    } else if (after != 3) {
      decimal = sep;
    } else {
      const char ambiguous_decimal = ambiguous_as == DecimalSeparator::kPoint ? '.' : ',';
      decimal = sep == ambiguous_decimal ? sep : 0;
    }
  }
  const char thousands = decimal == '.' ? ',' : decimal == ',' ? '.' : 0;

  MinorUnits units = 0;
  int decimals = -1;  // -1 until the decimal separator is seen
  int group_digits = -1;  // digits since the last thousands separator
  bool any_digit = false;
  constexpr MinorUnits kMax = std::numeric_limits<MinorUnits>::max();
  for (const char c : s) {
    if (IsDigit(c)) {
      any_digit = true;
      const int digit = c - '0';
      if (decimals >= 0) {
        if (decimals >= kMinorDigits) {
          if (digit != 0) return Bad(text, "more than 2 decimal places; money must be exact");
          continue;
        }
        ++decimals;
      } else if (group_digits >= 0) {
        ++group_digits;
      }
      if (units > (kMax - digit) / 10) return Bad(text, "too large");
      units = units * 10 + digit;
    } else if (decimal != 0 && c == decimal) {
      if (decimals >= 0) return Bad(text, "two decimal separators");
      if (group_digits >= 0 && group_digits != 3) return Bad(text, "misplaced thousands separator");
      decimals = 0;
      group_digits = -1;
    } else if (c == '.' || c == ',') {
      if ((thousands != 0 && c != thousands) || decimals >= 0 || !any_digit ||
          (group_digits >= 0 && group_digits != 3)) {
        return Bad(text, "misplaced thousands separator");
      }
      group_digits = 0;
    } else {
      return Bad(text, StrCat("unexpected character '", std::string(1, c), "'"));
    }
  }
  if (!any_digit) return Bad(text, "no digits");
  if (group_digits >= 0 && group_digits != 3) return Bad(text, "misplaced thousands separator");
  for (int d = decimals < 0 ? 0 : decimals; d < kMinorDigits; ++d) {
    if (units > kMax / 10) return Bad(text, "too large");
    units *= 10;
  }
  return negative ? -units : units;
}

std::string FormatMoney(MinorUnits amount, bool decimal_comma) {
  // Work in unsigned so that INT64_MIN formats without overflow.
  const bool negative = amount < 0;
  const unsigned long long magnitude =
      negative ? 0ULL - static_cast<unsigned long long>(amount) : static_cast<unsigned long long>(amount);
  const unsigned long long whole = magnitude / kMinorPerMajor;
  const unsigned long long cents = magnitude % kMinorPerMajor;
  return StrCat(negative ? "-" : "", whole, decimal_comma ? "," : ".", cents < 10 ? "0" : "",
                      cents);
}

}  // namespace carteira
