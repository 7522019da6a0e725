// How the report writes numbers, money and dates for its reader: pt-BR
// (1.234,56; 31/10/2026) or en (1,234.56; 2026-10-31). Money is formatted
// from its integer minor units, never through a double. An absent value
// (a ratio without a denominator) is written as an em dash, never NaN.
//
// Written by hand rather than with std::locale or ICU: the C++ locales
// present depend on the machine (the output must be the same bytes
// everywhere), and the report needs only two fixed conventions.
#ifndef CARTEIRA_REPORT_LOCALE_FORMAT_H_
#define CARTEIRA_REPORT_LOCALE_FORMAT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "carteira/core/date.h"
#include "carteira/core/money.h"

namespace carteira {

// The values are part of the C ABI (carteira_report_language): append only.
enum class ReportLanguage : std::uint8_t { kPtBr = 0, kEn = 1 };

// "pt-BR" or "en".
std::string_view ReportLanguageTag(ReportLanguage language);
// "pt-BR" (also "pt", "pt_BR", any case) or "en" ("en-US", "en_US").
std::optional<ReportLanguage> ParseReportLanguage(std::string_view tag);

// What stands for an absent value: "—" (U+2014).
inline constexpr std::string_view kNoValue = "\xE2\x80\x94";

// 1234567 -> "1.234.567" (pt-BR) / "1,234,567" (en).
std::string FormatInteger(std::int64_t value, ReportLanguage language);

// Minor units with two decimals: 123456 -> "1.234,56" / "1,234.56"; with a
// currency symbol, "R$ 1.234,56" / "-R$ 5,00".
std::string FormatAmount(MinorUnits amount, ReportLanguage language, std::string_view currency = {});
std::string FormatAmount(const std::optional<MinorUnits>& amount, ReportLanguage language,
                         std::string_view currency = {});

// A short amount for chart axes and labels, rounded half away from zero to
// one decimal of its unit: 123456789 (R$ 1.234.567,89) -> "1,2 mi" /
// "1.2M"; thousands "mil" / "k", billions "bi" / "B"; below a thousand the
// whole units ("850"). Integer arithmetic only.
std::string FormatAmountShort(MinorUnits amount, ReportLanguage language, std::string_view currency = {});

// A figure with `decimals` places (0 to 6), rounded half away from zero by
// printf, grouped: 1234.5 -> "1.234,5" / "1,234.5". Absent or not finite:
// kNoValue.
std::string FormatDecimal(const std::optional<double>& value, int decimals, ReportLanguage language);

// A ratio as a percentage: 0.1234 -> "12,3%" / "12.3%" (decimals = 1).
std::string FormatPercent(const std::optional<double>& ratio, int decimals, ReportLanguage language);

// "31/10/2026" / "2026-10-31"; kNoValue for kNoDay.
std::string FormatDay(DayNumber day, ReportLanguage language);

// The month of a day: "out/2026" / "Oct 2026".
std::string FormatMonth(DayNumber day, ReportLanguage language);

}  // namespace carteira

#endif  // CARTEIRA_REPORT_LOCALE_FORMAT_H_
