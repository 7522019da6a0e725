// Reading one object of a JSON configuration file (a plan's policies, the
// loyalty rules) key by key, every error located as "<where>.<key>: ...".
// The files add their own readers (money, dates, statuses...) on top.
#ifndef CARTEIRA_SRC_CORE_JSON_READER_H_
#define CARTEIRA_SRC_CORE_JSON_READER_H_

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "carteira/core/strings.h"

namespace carteira {

class JsonObjectReader {
 public:
  using Json = nlohmann::json;

  // `object` must outlive the reader.
  JsonObjectReader(const Json& object, std::string where) : object_(object), where_(std::move(where)) {}

  // The first key not in `allowed` is an error listing the known ones.
  absl::Status Keys(std::initializer_list<std::string_view> allowed) const {
    for (const auto& [key, value] : object_.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string list;
        for (std::string_view a : allowed) StrAppend(&list, list.empty() ? "" : ", ", a);
        return Error(key, StrCat("is not a known key (known: ", list, ")"));
      }
    }
    return absl::OkStatus();
  }

  // Leaves *out as it is when the key is absent.
  absl::Status Text(std::string_view key, std::string* out) const {
    const Json* v = Find(key);
    if (v == nullptr) return absl::OkStatus();
    if (!v->is_string()) return Error(key, StrCat("expected a string, got ", v->dump()));
    *out = v->get<std::string>();
    return absl::OkStatus();
  }

  // "<where>.<key>: <message>" ("<where>: <message>" for an empty key).
  absl::Status Error(std::string_view key, std::string_view message) const {
    return absl::InvalidArgumentError(StrCat(where_, key.empty() ? "" : ".", key, ": ", message));
  }

  // The key's value; nullptr when absent.
  const Json* Find(std::string_view key) const {
    auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }

  // `v` as a whole number in [min, max]; nullopt for anything else (a
  // fraction, a string, an unsigned beyond int64, out of range). Callers
  // word the error themselves: their files say different things.
  static std::optional<std::int64_t> WholeNumber(const Json& v, std::int64_t min, std::int64_t max) {
    if (!v.is_number_integer()) return std::nullopt;
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      return std::nullopt;
    }
    const std::int64_t n = v.get<std::int64_t>();
    if (n < min || n > max) return std::nullopt;
    return n;
  }

 private:
  const Json& object_;
  std::string where_;
};

}  // namespace carteira

#endif  // CARTEIRA_SRC_CORE_JSON_READER_H_
