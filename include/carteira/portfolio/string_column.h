// A column of UTF-8 strings in one byte arena plus offsets (Arrow's layout).
// One std::string per cell would cost 32 bytes each even when empty; most
// optional columns (e-mail, phone, order id) are empty for most rows, so the
// offsets are only allocated once the first non-empty value arrives.
#ifndef CARTEIRA_PORTFOLIO_STRING_COLUMN_H_
#define CARTEIRA_PORTFOLIO_STRING_COLUMN_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace carteira {

class StringColumn {
 public:
  size_t size() const { return size_; }
  bool all_empty() const { return offsets_.empty(); }

  std::string_view operator[](size_t row) const {
    if (offsets_.empty()) return {};
    return std::string_view(bytes_.data() + offsets_[row], offsets_[row + 1] - offsets_[row]);
  }

  void Append(std::string_view value) {
    if (offsets_.empty()) {
      if (value.empty()) {
        ++size_;
        return;
      }
      offsets_.assign(size_ + 1, 0);
    }
    bytes_.append(value.data(), value.size());
    offsets_.push_back(bytes_.size());
    ++size_;
  }

  // Appends `count` empty values.
  void AppendEmpty(size_t count) {
    if (!offsets_.empty()) offsets_.insert(offsets_.end(), count, offsets_.back());
    size_ += count;
  }

  // Drops every row from `rows` on; used to roll back a failed append.
  void Truncate(size_t rows) {
    if (rows >= size_) return;
    size_ = rows;
    if (offsets_.empty()) return;
    offsets_.resize(rows + 1);
    bytes_.resize(offsets_.back());
  }

  size_t MemoryBytes() const {
    return offsets_.capacity() * sizeof(std::uint64_t) + bytes_.capacity();
  }

 private:
  size_t size_ = 0;
  std::vector<std::uint64_t> offsets_;  // size_ + 1 entries once materialised
  std::string bytes_;
};

// Extra columns of an input file that Carteira has no field for ("kept as
// attributes"): one StringColumn per name, all as long as their table.
class AttributeColumns {
 public:
  const std::vector<std::string>& names() const { return names_; }
  const StringColumn& column(size_t i) const { return columns_[i]; }

  // Index of the attribute `name`, adding it (empty for `rows` existing rows)
  // if it is new.
  size_t Ensure(std::string_view name, size_t rows) {
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) return i;
    }
    names_.emplace_back(name);
    columns_.emplace_back();
    columns_.back().AppendEmpty(rows);
    return names_.size() - 1;
  }

  // Value of attribute `name` for `row`, empty if absent.
  std::string_view Get(std::string_view name, size_t row) const {
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) return columns_[i][row];
    }
    return {};
  }

  // Brings every column to `rows` rows, appending empty values.
  void Fill(size_t rows) {
    for (auto& c : columns_) {
      if (c.size() < rows) c.AppendEmpty(rows - c.size());
    }
  }

  StringColumn& mutable_column(size_t i) { return columns_[i]; }

  void Truncate(size_t rows, size_t attribute_count) {
    names_.resize(attribute_count);
    columns_.resize(attribute_count);
    for (auto& c : columns_) c.Truncate(rows);
  }

  size_t MemoryBytes() const {
    size_t total = 0;
    for (const auto& c : columns_) total += c.MemoryBytes();
    return total;
  }

 private:
  std::vector<std::string> names_;
  std::vector<StringColumn> columns_;
};

}  // namespace carteira

#endif  // CARTEIRA_PORTFOLIO_STRING_COLUMN_H_
