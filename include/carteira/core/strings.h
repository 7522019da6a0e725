// Bridges std::string_view to Abseil. Debian 12 builds Abseil with its own
// absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW 0), which does not
// convert from std::string_view; Carteira's API speaks std::string_view, so
// every call into Abseil's string functions goes through these helpers.
#ifndef CARTEIRA_CORE_STRINGS_H_
#define CARTEIRA_CORE_STRINGS_H_

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace carteira {

inline absl::string_view AsAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

namespace strings_internal {
inline absl::string_view Piece(std::string_view s) { return AsAbsl(s); }
inline absl::string_view Piece(const std::string& s) { return absl::string_view(s); }
inline absl::string_view Piece(const char* s) { return absl::string_view(s); }
template <typename T>
const T& Piece(const T& v) {
  return v;
}
}  // namespace strings_internal

// absl::StrCat / absl::StrAppend that also accept std::string_view.
template <typename... Args>
std::string StrCat(const Args&... args) {
  return absl::StrCat(strings_internal::Piece(args)...);
}
template <typename... Args>
void StrAppend(std::string* out, const Args&... args) {
  absl::StrAppend(out, strings_internal::Piece(args)...);
}

}  // namespace carteira

#endif  // CARTEIRA_CORE_STRINGS_H_
