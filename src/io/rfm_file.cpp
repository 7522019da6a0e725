#include "carteira/io/rfm_file.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "carteira/core/strings.h"
#include "carteira/io/csv_reader.h"

namespace carteira {
namespace {

std::optional<size_t> Column(const std::vector<std::string>& header, std::initializer_list<std::string_view> names) {
  for (size_t i = 0; i < header.size(); ++i) {
    for (std::string_view n : names) {
      if (header[i] == n) return i;
    }
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<models::RfmData> ReadRfmFile(const std::string& path, TimeUnit unit) {
  auto reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  const auto& header = reader->header();
  const auto x = Column(header, {"x", "frequency"});
  const auto t_x = Column(header, {"t_x", "recency"});
  const auto T = Column(header, {"T", "periods", "n"});
  const auto weight = Column(header, {"weight", "weights"});
  const auto zbar = Column(header, {"zbar", "monetary_value"});
  if (!x || !t_x || !T) {
    return absl::InvalidArgumentError(StrCat(path, ":1: the header needs the columns x (or frequency), t_x (or "
                                                   "recency) and T (or periods)"));
  }
  const bool comma_decimal = reader->delimiter() == ';';
  models::RfmData d;
  d.unit = unit;
  CsvRecord record;
  std::string error;
  while (reader->Next(&record, &error)) {
    if (!error.empty()) return absl::InvalidArgumentError(error);
    auto number = [&](size_t column, std::string_view field) -> absl::StatusOr<double> {
      if (column >= record.fields.size()) {
        return absl::InvalidArgumentError(StrCat(path, ":", record.line, ": field ", field, " is missing"));
      }
      std::string text(record.fields[column]);
      if (comma_decimal) {
        for (char& c : text) {
          if (c == ',') c = '.';
        }
      }
      char* end = nullptr;
      errno = 0;
      const double v = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size() || errno != 0 || !std::isfinite(v)) {
        return absl::InvalidArgumentError(StrCat(path, ":", record.line, ":", column + 1, ": ", field, " '",
                                                 record.fields[column], "': not a number"));
      }
      return v;
    };
    auto vx = number(*x, "x");
    if (!vx.ok()) return vx.status();
    auto vt = number(*t_x, "t_x");
    if (!vt.ok()) return vt.status();
    auto vT = number(*T, "T");
    if (!vT.ok()) return vT.status();
    d.x.push_back(*vx);
    d.t_x.push_back(*vt);
    d.T.push_back(*vT);
    if (weight) {
      auto w = number(*weight, "weight");
      if (!w.ok()) return w.status();
      d.weight.push_back(*w);
    }
    if (zbar) {
      auto z = number(*zbar, "zbar");
      if (!z.ok()) return z.status();
      d.zbar.push_back(*z);
    }
  }
  if (absl::Status s = d.Validate(); !s.ok()) {
    return absl::InvalidArgumentError(StrCat(path, ": ", s.message(), " (rows counted from 0 after the header)"));
  }
  return d;
}

}  // namespace carteira
