// Turning the C ABI's column pointers into the core's spans.
#ifndef CARTEIRA_CAPI_SRC_COLUMNS_H_
#define CARTEIRA_CAPI_SRC_COLUMNS_H_

#include <span>
#include <string_view>
#include <vector>

namespace carteira::capi {

// A column of C strings as views: a NULL column is an absent field (empty
// result), NULL cells are empty strings.
inline std::vector<std::string_view> Strings(const char* const* column, size_t count) {
  std::vector<std::string_view> out;
  if (column == nullptr) return out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    out.emplace_back(column[i] == nullptr ? std::string_view() : std::string_view(column[i]));
  }
  return out;
}

// Index of the first NULL entry of a string column, or `count` if none: a
// NULL id is an error (it is no key), unlike a NULL optional cell.
inline size_t FirstNull(const char* const* column, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (column[i] == nullptr) return i;
  }
  return count;
}

// A caller's array as a span: empty when the pointer is NULL (field absent).
template <typename T>
std::span<const T> Column(const T* data, size_t count) {
  return data == nullptr ? std::span<const T>() : std::span<const T>(data, count);
}

}  // namespace carteira::capi

#endif  // CARTEIRA_CAPI_SRC_COLUMNS_H_
