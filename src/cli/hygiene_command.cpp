// `carteira check-doc`, `check-phone` and `hygiene`: data hygiene from the
// command line. They only read; `carteira merge` (merge_command.cpp) writes.
#include <iomanip>
#include <ostream>

#include "carteira/core/strings.h"
#include "carteira/hygiene/phone.h"
#include "carteira/hygiene/report.h"
#include "carteira/hygiene/tax_id.h"
#include "nlohmann/json.hpp"
#include "src/cli/commands.h"

namespace carteira::cli {

int RunCheckDoc(const std::vector<std::string>& values, std::ostream& out) {
  bool all_valid = true;
  for (const std::string& value : values) {
    const hygiene::TaxIdResult r = hygiene::CheckTaxId(value);
    all_valid &= r.valid();
    out << value << "\t" << (r.valid() ? "valid" : "invalid") << "\t"
        << hygiene::TaxIdKindName(r.kind) << "\t";
    if (r.valid()) {
      out << r.formatted;
    } else {
      // "invalid CNPJ: check digit mismatch at position 14" -> the reason.
      const std::string text = r.Describe();
      out << text.substr(text.find(": ") + 2);
    }
    out << "\n";
  }
  return all_valid ? kExitOk : kExitFailure;
}

int RunCheckPhone(const std::vector<std::string>& values, const std::string& region,
                  std::ostream& out) {
  const hygiene::PhoneChecker phones(region);
  bool all_valid = true;
  for (const std::string& value : values) {
    const hygiene::PhoneResult r = phones.Check(value);
    all_valid &= r.valid();
    if (r.valid()) {
      out << value << "\tvalid\t" << r.e164 << "\t" << hygiene::PhoneTypeName(r.type) << "\n";
    } else {
      out << value << "\tinvalid\t" << hygiene::PhoneProblemName(r.problem);
      if (!r.suggestion.empty()) out << "\tsuggested " << r.suggestion << " (ninth digit added)";
      out << "\n";
    }
  }
  return all_valid ? kExitOk : kExitFailure;
}

namespace {

std::vector<std::string> ClusterIds(const Portfolio& p, const hygiene::DuplicateCluster& c) {
  std::vector<std::string> ids;
  for (const CustomerIndex i : c.members) ids.emplace_back(p.customers().id[i]);
  return ids;
}

void WriteJson(std::ostream& out, const Portfolio& p, const hygiene::HygieneReport& r) {
  using Json = nlohmann::ordered_json;
  Json problems = Json::array();
  for (const auto& x : r.problems) {
    problems.push_back(Json{{"customer_id", x.customer_id}, {"field", x.field}, {"value", x.value},
                            {"problem", x.problem}, {"detail", x.detail},
                            {"suggestion", x.suggestion}});
  }
  Json duplicates = Json::array();
  for (const auto& c : r.duplicates.clusters) {
    Json reasons = Json::array();
    for (const auto name : hygiene::MatchReasonNames(c.reasons)) reasons.push_back(std::string(name));
    duplicates.push_back(Json{{"cluster", ClusterIds(p, c)}, {"reasons", reasons}, {"score", c.score}});
  }
  Json crowded = Json::array();
  for (const auto& k : r.duplicates.crowded_keys) {
    crowded.push_back(Json{{"reason", std::string(hygiene::MatchReasonNames(k.reason).front())},
                           {"value", k.key}, {"customers", k.customers}});
  }
  Json counts = Json::object();
  for (const auto& [key, n] : r.counts) counts[key] = n;
  const Json doc{{"problems", problems}, {"duplicates", duplicates}, {"shared_values", crowded},
                 {"counts", counts}};
  out << doc.dump(2) << "\n";
}

void WriteTable(std::ostream& out, const Portfolio& p, const hygiene::HygieneReport& r) {
  out << "Hygiene report: " << p.customers().size() << " customers, " << r.problems.size()
      << " problems, " << r.duplicates.clusters.size() << " duplicate clusters\n\n";
  out << "Problems by type\n";
  for (const auto& [key, n] : r.counts) out << "  " << std::left << std::setw(36) << key << n << "\n";
  if (!r.problems.empty()) {
    out << "\ncustomer_id\tfield\tproblem\tvalue\tsuggestion\n";
    for (const auto& x : r.problems) {
      out << x.customer_id << "\t" << x.field << "\t" << x.problem << "\t" << x.value << "\t"
          << x.suggestion << "\n";
    }
  }
  if (!r.duplicates.clusters.empty()) {
    out << "\nDuplicate clusters (score = weakest link)\n";
    for (const auto& c : r.duplicates.clusters) {
      const auto ids = ClusterIds(p, c);
      std::string reasons;
      for (const auto name : hygiene::MatchReasonNames(c.reasons)) {
        StrAppend(&reasons, reasons.empty() ? "" : ",", name);
      }
      out << "  " << std::fixed << std::setprecision(3) << c.score << "  " << reasons << "  ";
      for (size_t i = 0; i < ids.size(); ++i) out << (i ? "," : "") << ids[i];
      out << "\n";
    }
  }
}

}  // namespace

int RunHygiene(const LoadFlags& load, const std::string& format, std::ostream& out,
               std::ostream& err) {
  Portfolio portfolio;
  if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) {
    err << "carteira hygiene: " << s.message() << "\n";
    return ExitCodeFor(s);
  }
  const hygiene::PhoneChecker phones("BR");
  const hygiene::HygieneReport report = hygiene::CheckPortfolio(portfolio, phones);
  if (format == "json") {
    WriteJson(out, portfolio, report);
  } else {
    WriteTable(out, portfolio, report);
  }
  return kExitOk;
}

}  // namespace carteira::cli
