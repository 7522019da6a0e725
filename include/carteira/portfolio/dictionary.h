// Interns repeated strings (categories, channels) as dense int32 codes so a
// column of them costs 4 bytes a row.
#ifndef CARTEIRA_PORTFOLIO_DICTIONARY_H_
#define CARTEIRA_PORTFOLIO_DICTIONARY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "carteira/core/strings.h"

namespace carteira {

class Dictionary {
 public:
  static constexpr std::int32_t kNone = -1;

  std::int32_t Intern(std::string_view value) {
    if (value.empty()) return kNone;
    if (auto it = codes_.find(AsAbsl(value)); it != codes_.end()) return it->second;
    const auto code = static_cast<std::int32_t>(values_.size());
    values_.emplace_back(value);
    codes_.emplace(values_.back(), code);
    return code;
  }
  std::int32_t Find(std::string_view value) const {
    auto it = codes_.find(AsAbsl(value));
    return it == codes_.end() ? kNone : it->second;
  }
  std::string_view operator[](std::int32_t code) const {
    return code == kNone ? std::string_view() : std::string_view(values_[code]);
  }
  size_t size() const { return values_.size(); }
  void Truncate(size_t size) {
    while (values_.size() > size) {
      codes_.erase(values_.back());
      values_.pop_back();
    }
  }

 private:
  std::vector<std::string> values_;
  absl::flat_hash_map<std::string, std::int32_t> codes_;
};

}  // namespace carteira

#endif  // CARTEIRA_PORTFOLIO_DICTIONARY_H_
