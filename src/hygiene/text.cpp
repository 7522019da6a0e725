#include "carteira/hygiene/text.h"

#include <array>

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

namespace carteira::hygiene {
namespace {

const icu::Locale& Portuguese() {
  static const icu::Locale locale("pt", "BR");
  return locale;
}

bool IsAscii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

icu::UnicodeString FromUtf8(std::string_view text) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

std::string ToUtf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

bool IsSpace(UChar32 c) { return u_isUWhiteSpace(c) || c == 0xA0 || c == 0x202F || c == 0x2007; }

// Splits on single spaces (the input is already collapsed).
template <typename F>
void ForEachWord(const icu::UnicodeString& text, F&& f) {
  int32_t start = 0;
  for (int32_t i = 0; i <= text.length(); ++i) {
    if (i == text.length() || text[i] == u' ') {
      if (i > start) f(start, i);
      start = i + 1;
    }
  }
}

bool IsParticle(const icu::UnicodeString& lower) {
  static const std::array<icu::UnicodeString, 6> kParticles = {
      icu::UnicodeString(u"da"), icu::UnicodeString(u"de"),  icu::UnicodeString(u"do"),
      icu::UnicodeString(u"das"), icu::UnicodeString(u"dos"), icu::UnicodeString(u"e")};
  for (const auto& p : kParticles) {
    if (lower == p) return true;
  }
  return false;
}

// Company forms written as acronyms; LTDA is customarily "Ltda".
bool CompanyForm(const icu::UnicodeString& lower, icu::UnicodeString* out) {
  struct Form {
    const char16_t* lower;
    const char16_t* spelled;
  };
  static constexpr Form kForms[] = {{u"s/a", u"S/A"}, {u"s.a.", u"S.A."}, {u"sa", u"SA"},
                                    {u"me", u"ME"},   {u"epp", u"EPP"},   {u"eireli", u"EIRELI"},
                                    {u"mei", u"MEI"}, {u"ltda", u"Ltda"}, {u"ltda.", u"Ltda."}};
  for (const Form& f : kForms) {
    if (lower == icu::UnicodeString(f.lower)) {
      *out = icu::UnicodeString(f.spelled);
      return true;
    }
  }
  return false;
}

// Upper-cases the first letter of `word` and of every part after a hyphen or
// an apostrophe ("d'ávila" -> "D'Ávila", "ana-lúcia" -> "Ana-Lúcia").
icu::UnicodeString Capitalise(const icu::UnicodeString& lower) {
  icu::UnicodeString out;
  bool start = true;
  for (int32_t i = 0; i < lower.length();) {
    const UChar32 c = lower.char32At(i);
    i += U16_LENGTH(c);
    if (start && u_isalpha(c)) {
      out.append(u_totitle(c));
      start = false;
    } else {
      out.append(c);
    }
    if (c == u'-' || c == u'\'' || c == 0x2019) start = true;
  }
  return out;
}

}  // namespace

std::string CollapseSpaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  if (IsAscii(text)) {
    bool pending_space = false;
    for (const char c : text) {
      if (c == ' ' || (c >= '\t' && c <= '\r')) {
        pending_space = !out.empty();
        continue;
      }
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(c);
    }
    return out;
  }
  const icu::UnicodeString u = FromUtf8(text);
  icu::UnicodeString collapsed;
  bool pending_space = false;
  for (int32_t i = 0; i < u.length();) {
    const UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (IsSpace(c)) {
      pending_space = !collapsed.isEmpty();
      continue;
    }
    if (pending_space) collapsed.append(u' ');
    pending_space = false;
    collapsed.append(c);
  }
  return ToUtf8(collapsed);
}

std::string DisplayName(std::string_view text) {
  icu::UnicodeString in = FromUtf8(CollapseSpaces(text));
  in.toLower(Portuguese());
  icu::UnicodeString out;
  bool first = true;
  ForEachWord(in, [&](int32_t from, int32_t to) {
    const icu::UnicodeString word(in, from, to - from);
    if (!first) out.append(u' ');
    icu::UnicodeString form;
    if (!first && IsParticle(word)) {
      out.append(word);
    } else if (CompanyForm(word, &form)) {
      out.append(form);
    } else {
      out.append(Capitalise(word));
    }
    first = false;
  });
  return ToUtf8(out);
}

std::string FoldKey(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  if (IsAscii(text)) {
    // Most names in an ERP export are plain ASCII: no need for ICU's
    // round trip through UTF-16 for those.
    bool pending_space = false;
    for (const char c : text) {
      const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!alnum) {
        pending_space = !out.empty();
        continue;
      }
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    return out;
  }
  UErrorCode error = U_ZERO_ERROR;
  // NFKD splits "é" into "e" + combining acute (and "ﬁ" into "fi"), so that
  // dropping the combining marks leaves the base letters.
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(error);
  if (U_FAILURE(error)) return CollapseSpaces(text);
  icu::UnicodeString decomposed = nfkd->normalize(FromUtf8(text), error);
  if (U_FAILURE(error)) return CollapseSpaces(text);
  decomposed.foldCase();
  icu::UnicodeString folded;
  bool pending_space = false;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK) continue;
    if (!u_isalnum(c)) {
      pending_space = !folded.isEmpty();
      continue;
    }
    if (pending_space) folded.append(u' ');
    pending_space = false;
    folded.append(c);
  }
  return ToUtf8(folded);
}

}  // namespace carteira::hygiene
