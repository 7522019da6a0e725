#include "carteira/hygiene/text.h"

#include <algorithm>

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

// Character by character over UTF-8 with ICU's C property and case
// functions: a million names go through here, and building an
// icu::UnicodeString per name (UTF-16 conversion, allocation) cost most of
// the time. Simple (one-to-one) case mappings suffice for names: the full
// mappings differ only for characters such as 'ß' and Turkish dotted 'İ'.
namespace carteira::hygiene {
namespace {

bool IsAscii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool IsSpace(UChar32 c) { return u_isUWhiteSpace(c) || c == 0xA0 || c == 0x202F || c == 0x2007; }

// Calls f(code_point) for each character; malformed bytes come as U+FFFD.
template <typename F>
void ForEachCodePoint(std::string_view text, F&& f) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    f(c < 0 ? 0xFFFD : c);
  }
}

void Append(std::string& out, UChar32 c) {
  char buffer[U8_MAX_LENGTH];
  int32_t n = 0;
  U8_APPEND_UNSAFE(buffer, n, c);
  out.append(buffer, static_cast<size_t>(n));
}

std::string Lower(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  ForEachCodePoint(word, [&](UChar32 c) { Append(out, u_tolower(c)); });
  return out;
}

bool IsParticle(std::string_view lower) {
  return lower == "da" || lower == "de" || lower == "do" || lower == "das" || lower == "dos" ||
         lower == "e";
}

// Company forms written as acronyms; LTDA is customarily "Ltda".
std::string_view CompanyForm(std::string_view lower) {
  struct Form {
    std::string_view lower, spelled;
  };
  static constexpr Form kForms[] = {{"s/a", "S/A"}, {"s.a.", "S.A."}, {"sa", "SA"},
                                    {"me", "ME"},   {"epp", "EPP"},   {"eireli", "EIRELI"},
                                    {"mei", "MEI"}, {"ltda", "Ltda"}, {"ltda.", "Ltda."}};
  for (const Form& f : kForms) {
    if (lower == f.lower) return f.spelled;
  }
  return {};
}

// Title-cases the first letter of the word and of every part after a
// hyphen or an apostrophe ("d'ávila" -> "D'Ávila", "ana-lúcia" -> "Ana-Lúcia").
void AppendCapitalised(std::string& out, std::string_view lower) {
  bool start = true;
  ForEachCodePoint(lower, [&](UChar32 c) {
    if (start && u_isalpha(c)) {
      Append(out, u_totitle(c));
      start = false;
    } else {
      Append(out, c);
    }
    if (c == '-' || c == '\'' || c == 0x2019) start = true;
  });
}

}  // namespace

std::string CollapseSpaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  auto take = [&](UChar32 c, bool space) {
    if (space) {
      pending_space = !out.empty();
      return;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    Append(out, c);
  };
  if (IsAscii(text)) {
    for (const char c : text) take(c, c == ' ' || (c >= '\t' && c <= '\r'));
  } else {
    ForEachCodePoint(text, [&](UChar32 c) { take(c, IsSpace(c)); });
  }
  return out;
}

std::string DisplayName(std::string_view text) {
  const std::string collapsed = CollapseSpaces(text);
  std::string out;
  out.reserve(collapsed.size() + 8);
  size_t from = 0;
  bool first = true;
  while (from < collapsed.size()) {
    const size_t space = std::min(collapsed.find(' ', from), collapsed.size());
    const std::string lower = Lower(std::string_view(collapsed).substr(from, space - from));
    if (!first) out.push_back(' ');
    if (!first && IsParticle(lower)) {
      out += lower;
    } else if (const std::string_view form = CompanyForm(lower); !form.empty()) {
      out += form;
    } else {
      AppendCapitalised(out, lower);
    }
    first = false;
    from = space + 1;
  }
  return out;
}

std::string FoldKey(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  auto take = [&](UChar32 c) {
    if (!u_isalnum(c)) {
      pending_space = !out.empty();
      return;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    Append(out, c);
  };
  if (IsAscii(text)) {
    // Most names in an ERP export are plain ASCII: no normalisation needed.
    for (const char c : text) take(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return out;
  }
  UErrorCode error = U_ZERO_ERROR;
  // NFKD splits "é" into "e" + combining acute (and "ﬁ" into "fi"), so that
  // dropping the combining marks leaves the base letters.
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(error);
  std::string decomposed;
  icu::StringByteSink<std::string> sink(&decomposed);
  if (U_SUCCESS(error)) {
    nfkd->normalizeUTF8(0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink,
                        nullptr, error);
  }
  if (U_FAILURE(error)) return CollapseSpaces(text);
  ForEachCodePoint(decomposed, [&](UChar32 c) {
    if (u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK) return;
    take(u_foldCase(c, U_FOLD_CASE_DEFAULT));
  });
  return out;
}

}  // namespace carteira::hygiene
