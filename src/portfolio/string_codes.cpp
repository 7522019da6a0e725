#include "src/portfolio/string_codes.h"

#include <algorithm>
#include <cstring>

namespace carteira::internal {
namespace {

std::uint64_t Load64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// A value's length and first 16 bytes (zero past its end): up to 16 bytes
// it determines the value exactly.
struct Fingerprint {
  std::uint64_t head = 0, tail = 0;
  std::uint32_t length = 0;
  friend bool operator==(const Fingerprint&, const Fingerprint&) = default;
};

// For a value followed by at least 16 readable bytes (the next values of
// the column's arena): 16 bytes are read and the bytes past the value
// masked off, without a branch on the length (mixed lengths, "Sul",
// "Nordeste", "Centro-Oeste", made length branches a coin toss).
Fingerprint OfPadded(std::string_view v) {
  const char* p = v.data();
  const size_t n = v.size();
  // Bits of the value in each word: min(n, 8) and min(max(n - 8, 0), 8) bytes.
  const unsigned low = static_cast<unsigned>(std::min<size_t>(n, 8)) * 8;
  const unsigned high = static_cast<unsigned>(std::min<size_t>(n > 8 ? n - 8 : 0, 8)) * 8;
  // A shift by 64 is undefined: shift twice by half.
  const std::uint64_t low_mask = ~(~std::uint64_t{0} << (low / 2) << (low - low / 2));
  const std::uint64_t high_mask = ~(~std::uint64_t{0} << (high / 2) << (high - high / 2));
  Fingerprint f;
  f.head = Load64(p) & low_mask;
  f.tail = Load64(p + 8) & high_mask;
  f.length = static_cast<std::uint32_t>(n);
  return f;
}

// The same for a value near the arena's end, copying it out first.
Fingerprint Of(std::string_view v) {
  char bytes[16] = {};
  std::memcpy(bytes, v.data(), std::min<size_t>(v.size(), 16));
  Fingerprint f;
  f.head = Load64(bytes);
  f.tail = Load64(bytes + 8);
  f.length = static_cast<std::uint32_t>(v.size());
  return f;
}

std::uint64_t Mix(const Fingerprint& f) {
  std::uint64_t h = (f.head ^ f.length) * 0x9E3779B97F4A7C15ull;
  h ^= (f.tail + (h >> 29)) * 0xC2B2AE3D27D4EB4Full;
  return h ^ (h >> 32);
}

}  // namespace

std::vector<std::string_view> CodeStrings(const StringColumn& column, std::uint32_t* code_out, size_t stride) {
  std::vector<std::string_view> values;
  const size_t n = column.size();
  if (column.all_empty()) {
    for (size_t row = 0; row < n; ++row) code_out[row * stride] = 0;
    return values;
  }
  struct Slot {
    Fingerprint print;
    std::uint32_t code = 0;  // 0: free
  };
  std::vector<Slot> table(64);
  size_t mask = table.size() - 1;
  auto insert = [&table, &mask](const Fingerprint& f, std::uint32_t code) {
    size_t i = Mix(f) & mask;
    while (table[i].code != 0) i = (i + 1) & mask;
    table[i] = {f, code};
  };
  // The values lie end to end in one arena (string_column.h), which ends
  // where the last row's value does.
  const std::string_view last = column[n - 1];
  const char* const arena_end = last.data() + last.size();
  for (size_t row = 0; row < n; ++row) {
    const std::string_view v = column[row];
    if (v.empty()) {
      code_out[row * stride] = 0;
      continue;
    }
    const Fingerprint f = arena_end - v.data() >= 16 ? OfPadded(v) : Of(v);
    size_t i = Mix(f) & mask;
    std::uint32_t code = 0;
    for (; table[i].code != 0; i = (i + 1) & mask) {
      // Up to 16 bytes the fingerprint is the value; beyond, compare.
      if (table[i].print == f && (f.length <= 16 || values[table[i].code - 1] == v)) {
        code = table[i].code;
        break;
      }
    }
    if (code == 0) {
      values.push_back(v);
      code = static_cast<std::uint32_t>(values.size());
      if (2 * values.size() > table.size()) {  // keep it at most half full
        std::vector<Slot> old(2 * table.size());
        old.swap(table);
        mask = table.size() - 1;
        for (const Slot& s : old) {
          if (s.code != 0) insert(s.print, s.code);
        }
      }
      insert(f, code);
    }
    code_out[row * stride] = code;
  }
  return values;
}

}  // namespace carteira::internal
