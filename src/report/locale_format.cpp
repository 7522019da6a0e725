#include "carteira/report/locale_format.h"

#include <array>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "carteira/core/strings.h"

namespace carteira {
namespace {

char Thousands(ReportLanguage language) { return language == ReportLanguage::kPtBr ? '.' : ','; }
char Decimal(ReportLanguage language) { return language == ReportLanguage::kPtBr ? ',' : '.'; }

// Work in unsigned so that INT64_MIN formats without overflow.
unsigned long long Magnitude(std::int64_t value) {
  return value < 0 ? 0ULL - static_cast<unsigned long long>(value) : static_cast<unsigned long long>(value);
}

// "1234567" -> "1.234.567": digits only.
std::string Group(std::string_view digits, char separator) {
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(separator);
    out.push_back(digits[i]);
  }
  return out;
}

std::string WithCurrency(bool negative, std::string_view currency, const std::string& number) {
  if (currency.empty()) return StrCat(negative ? "-" : "", number);
  return StrCat(negative ? "-" : "", currency, " ", number);
}

// Civil date of a day (the inverse of DaysFromCivil) from its ISO form.
struct Ymd {
  std::string year, month, day;
};
Ymd SplitIso(DayNumber day) {
  const std::string iso = FormatDate(day);  // YYYY-MM-DD
  return {iso.substr(0, 4), iso.substr(5, 2), iso.substr(8, 2)};
}

}  // namespace

std::string_view ReportLanguageTag(ReportLanguage language) {
  return language == ReportLanguage::kPtBr ? "pt-BR" : "en";
}

std::optional<ReportLanguage> ParseReportLanguage(std::string_view tag) {
  const std::string lower = absl::AsciiStrToLower(AsAbsl(tag));
  if (lower == "pt-br" || lower == "pt_br" || lower == "pt") return ReportLanguage::kPtBr;
  if (lower == "en" || lower == "en-us" || lower == "en_us") return ReportLanguage::kEn;
  return std::nullopt;
}

std::string FormatInteger(std::int64_t value, ReportLanguage language) {
  return StrCat(value < 0 ? "-" : "", Group(std::to_string(Magnitude(value)), Thousands(language)));
}

std::string FormatAmount(MinorUnits amount, ReportLanguage language, std::string_view currency) {
  const unsigned long long magnitude = Magnitude(amount);
  const unsigned long long cents = magnitude % kMinorPerMajor;
  const std::string number = StrCat(Group(std::to_string(magnitude / kMinorPerMajor), Thousands(language)),
                                    std::string(1, Decimal(language)), cents < 10 ? "0" : "", cents);
  return WithCurrency(amount < 0, currency, number);
}

std::string FormatAmount(const std::optional<MinorUnits>& amount, ReportLanguage language,
                         std::string_view currency) {
  return amount ? FormatAmount(*amount, language, currency) : std::string(kNoValue);
}

std::string FormatAmountShort(MinorUnits amount, ReportLanguage language, std::string_view currency) {
  struct Unit {
    unsigned long long major;  // in major units
    const char* pt;
    const char* en;
  };
  static constexpr std::array<Unit, 4> kUnits = {{{1, "", ""},
                                                  {1'000, " mil", "k"},
                                                  {1'000'000, " mi", "M"},
                                                  {1'000'000'000, " bi", "B"}}};
  const unsigned long long minor = Magnitude(amount);
  const unsigned long long per_major = static_cast<unsigned long long>(kMinorPerMajor);
  size_t u = 0;
  while (u + 1 < kUnits.size() && minor >= kUnits[u + 1].major * per_major) ++u;
  std::string number;
  if (u == 0) {
    // Whole units, half away from zero; 999.50 rounds to 1000, which reads
    // better as "1 mil" / "1k".
    const unsigned long long whole = (minor + per_major / 2) / per_major;
    if (whole < 1000) {
      number = std::to_string(whole);
    } else {
      u = 1;
    }
  }
  if (u > 0) {
    // Tenths of the unit, half away from zero; 999.96 mil moves up to 1 mi.
    unsigned long long step = kUnits[u].major * per_major / 10;
    unsigned long long tenths = (minor + step / 2) / step;
    if (tenths >= 10'000 && u + 1 < kUnits.size()) {
      ++u;
      step = kUnits[u].major * per_major / 10;
      tenths = (minor + step / 2) / step;
    }
    number = Group(std::to_string(tenths / 10), Thousands(language));
    if (tenths % 10 != 0) StrAppend(&number, std::string(1, Decimal(language)), tenths % 10);
    StrAppend(&number, language == ReportLanguage::kPtBr ? kUnits[u].pt : kUnits[u].en);
  }
  const bool negative = amount < 0 && number != "0";
  return WithCurrency(negative, currency, number);
}

std::string FormatDecimal(const std::optional<double>& value, int decimals, ReportLanguage language) {
  if (!value || !std::isfinite(*value)) return std::string(kNoValue);
  if (decimals < 0) decimals = 0;
  if (decimals > 6) decimals = 6;
  std::string text = absl::StrFormat("%.*f", decimals, *value);
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    negative = true;
    text.erase(0, 1);
  }
  const size_t point = text.find('.');
  const std::string whole = text.substr(0, point);
  const std::string fraction = point == std::string::npos ? std::string() : text.substr(point + 1);
  // "-0.0" is zero.
  if (negative && whole.find_first_not_of('0') == std::string::npos &&
      fraction.find_first_not_of('0') == std::string::npos) {
    negative = false;
  }
  std::string out = StrCat(negative ? "-" : "", Group(whole, Thousands(language)));
  if (!fraction.empty()) StrAppend(&out, std::string(1, Decimal(language)), fraction);
  return out;
}

std::string FormatPercent(const std::optional<double>& ratio, int decimals, ReportLanguage language) {
  if (!ratio || !std::isfinite(*ratio)) return std::string(kNoValue);
  return StrCat(FormatDecimal(*ratio * 100.0, decimals, language), "%");
}

std::string FormatDay(DayNumber day, ReportLanguage language) {
  if (day == kNoDay) return std::string(kNoValue);
  if (language == ReportLanguage::kEn) return FormatDate(day);
  const Ymd d = SplitIso(day);
  return StrCat(d.day, "/", d.month, "/", d.year);
}

std::string FormatMonth(DayNumber day, ReportLanguage language) {
  static constexpr std::array<const char*, 12> kPt = {"jan", "fev", "mar", "abr", "mai", "jun",
                                                      "jul", "ago", "set", "out", "nov", "dez"};
  static constexpr std::array<const char*, 12> kEn = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (day == kNoDay) return std::string(kNoValue);
  const Ymd d = SplitIso(day);
  const int month = std::stoi(d.month);
  if (language == ReportLanguage::kPtBr) return StrCat(kPt[month - 1], "/", d.year);
  return StrCat(kEn[month - 1], " ", d.year);
}

}  // namespace carteira
