#include "carteira/hygiene/text.h"

#include <algorithm>
#include <cstring>

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

namespace detail {

std::string DisplayNameReference(std::string_view text) {
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

std::string FoldKeyReference(std::string_view text) {
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

}  // namespace detail

// Fast paths. Names in a customer base are almost all Latin letters with
// Portuguese accents: code points below U+0800 (one or two UTF-8 bytes).
// For those, what the reference functions above ask ICU per character is
// asked once per code point when the tables are built (from ICU itself:
// still no accent table of our own), and a name is then one pass over its
// bytes with no allocation but the result. Text with any other code point,
// or malformed UTF-8, takes the reference path. FoldKey per code point
// equals FoldKey over the string because NFKD decomposes each code point on
// its own and only reorders combining marks, which folding drops.
// tests/hygiene/text_test.cpp compares both paths on random text.
namespace {

constexpr UChar32 kTableSize = 0x800;

struct CodePointTables {
  struct Display {
    UChar32 lower;     // u_tolower
    UChar32 title;     // u_totitle of the lower-case form
    bool space;        // IsSpace
    bool alpha;        // u_isalpha of the lower-case form
    bool opens_part;   // the lower-case form is '-', '\'' or U+2019
    char lower_utf8[4], title_utf8[4];  // the two forms in UTF-8
    std::uint8_t lower_length, title_length;
  };
  Display display[kTableSize];
  // FoldKey's output for the code point: UTF-8 of the kept characters, a
  // ' ' for each dropped non-alphanumeric one (a word break).
  char fold[kTableSize][15];
  std::uint8_t fold_length[kTableSize];
  bool fold_ok[kTableSize];  // false: the reference path must decide

  CodePointTables() {
    const icu::Normalizer2* nfkd = nullptr;
    UErrorCode error = U_ZERO_ERROR;
    nfkd = icu::Normalizer2::getNFKDInstance(error);
    for (UChar32 c = 0; c < kTableSize; ++c) {
      Display& d = display[c];
      d.lower = u_tolower(c);
      d.title = u_totitle(d.lower);
      d.space = IsSpace(c);
      d.alpha = u_isalpha(d.lower);
      d.opens_part = d.lower == '-' || d.lower == '\'' || d.lower == 0x2019;
      int32_t n = 0;
      U8_APPEND_UNSAFE(d.lower_utf8, n, d.lower);
      d.lower_length = static_cast<std::uint8_t>(n);
      n = 0;
      U8_APPEND_UNSAFE(d.title_utf8, n, d.title);
      d.title_length = static_cast<std::uint8_t>(n);
      fold_ok[c] = false;
      fold_length[c] = 0;
      if (U_FAILURE(error) || U_IS_SURROGATE(c)) continue;
      std::string utf8;
      Append(utf8, c);
      std::string decomposed;
      icu::StringByteSink<std::string> sink(&decomposed);
      UErrorCode e = U_ZERO_ERROR;
      nfkd->normalizeUTF8(0, icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), sink,
                          nullptr, e);
      if (U_FAILURE(e)) continue;
      std::string tokens;
      ForEachCodePoint(decomposed, [&](UChar32 x) {
        if (u_getCombiningClass(x) != 0 || u_charType(x) == U_NON_SPACING_MARK) return;
        const UChar32 folded = u_foldCase(x, U_FOLD_CASE_DEFAULT);
        if (!u_isalnum(folded)) {
          tokens.push_back(' ');
        } else {
          Append(tokens, folded);
        }
      });
      if (tokens.size() > sizeof fold[c]) continue;
      std::copy(tokens.begin(), tokens.end(), fold[c]);
      fold_length[c] = static_cast<std::uint8_t>(tokens.size());
      fold_ok[c] = true;
    }
  }
};

const CodePointTables& Tables() {
  static const CodePointTables* tables = new CodePointTables();
  return *tables;
}

// Decodes the code point at s[i] when it is below U+0800 and well formed;
// returns its length in bytes, or 0 (the caller takes the reference path).
inline int NextSmall(std::string_view s, size_t i, UChar32& c) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    c = b0;
    return 1;
  }
  if (b0 < 0xC2 || b0 > 0xDF || i + 1 >= s.size()) return 0;
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if ((b1 & 0xC0) != 0x80) return 0;
  c = ((b0 & 0x1F) << 6) | (b1 & 0x3F);
  return 2;
}

inline void AppendSmall(std::string& out, UChar32 c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else {
    Append(out, c);
  }
}

// DisplayName into `out`; false when the text needs the reference path.
bool DisplayNameFast(std::string_view text, std::string& out) {
  const CodePointTables& t = Tables();
  // Every code point in the tables gives at most 4 bytes (its lower or
  // title form), and a word's separating space stands for at least one
  // byte of space in the input: 4 bytes per input byte is enough.
  out.resize(4 * text.size() + 8);
  char* const base = out.data();
  char* o = base;
  char lower_buffer[64];
  bool first = true;
  size_t i = 0;
  while (i < text.size()) {
    // Skip spaces.
    UChar32 c;
    int len = NextSmall(text, i, c);
    if (len == 0) return false;
    if (t.display[c].space) {
      i += len;
      continue;
    }
    // A word: [begin, end).
    const size_t begin = i;
    size_t lower_length = 0;
    bool lower_fits = true;
    while (i < text.size()) {
      len = NextSmall(text, i, c);
      if (len == 0) return false;
      const CodePointTables::Display& d = t.display[c];
      if (d.space) break;
      if (d.lower >= 0x80 || lower_length >= sizeof lower_buffer) {
        lower_fits = false;  // not a particle nor a company form (those are ASCII)
      } else {
        lower_buffer[lower_length++] = static_cast<char>(d.lower);
      }
      i += len;
    }
    const size_t end = i;
    if (!first) *o++ = ' ';
    const std::string_view lower(lower_buffer, lower_length);
    std::string_view fixed;  // the word's spelling when it is a particle or a company form
    if (lower_fits) {
      if (!first && IsParticle(lower)) {
        fixed = lower;
      } else {
        fixed = CompanyForm(lower);
      }
    }
    if (!fixed.empty()) {
      std::memcpy(o, fixed.data(), fixed.size());
      o += fixed.size();
    } else {
      bool start = true;
      for (size_t k = begin; k < end;) {
        k += static_cast<size_t>(NextSmall(text, k, c));
        const CodePointTables::Display& d = t.display[c];
        if (start && d.alpha) {
          std::memcpy(o, d.title_utf8, 4);
          o += d.title_length;
          start = false;
        } else {
          std::memcpy(o, d.lower_utf8, 4);
          o += d.lower_length;
        }
        if (d.opens_part) start = true;
      }
    }
    first = false;
  }
  out.resize(static_cast<size_t>(o - base));
  return true;
}

bool FoldKeyFast(std::string_view text, std::string& out) {
  const CodePointTables& t = Tables();
  out.clear();
  bool pending_space = false;
  for (size_t i = 0; i < text.size();) {
    UChar32 c;
    const int len = NextSmall(text, i, c);
    if (len == 0 || !t.fold_ok[c]) return false;
    i += len;
    const char* tokens = t.fold[c];
    for (int k = 0; k < t.fold_length[c]; ++k) {
      if (tokens[k] == ' ') {
        pending_space = !out.empty();
        continue;
      }
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(tokens[k]);
    }
  }
  return true;
}

}  // namespace

void DisplayNameTo(std::string_view text, std::string& out) {
  if (!DisplayNameFast(text, out)) out = detail::DisplayNameReference(text);
}

void FoldKeyTo(std::string_view text, std::string& out) {
  if (!FoldKeyFast(text, out)) out = detail::FoldKeyReference(text);
}

std::string DisplayName(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  DisplayNameTo(text, out);
  return out;
}

std::string FoldKey(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  FoldKeyTo(text, out);
  return out;
}

}  // namespace carteira::hygiene
