#include "carteira/hygiene/report.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "carteira/core/strings.h"
#include "carteira/hygiene/email.h"
#include "carteira/hygiene/phone.h"
#include "carteira/hygiene/tax_id.h"
#include "carteira/hygiene/text.h"

namespace carteira::hygiene {
namespace {

class Collector {
 public:
  Collector(const CustomerTable& customers, HygieneReport& report)
      : customers_(customers), report_(report) {}

  void Add(size_t i, std::string_view field, std::string_view value, std::string_view problem,
           std::string detail, std::string suggestion) {
    HygieneProblem p;
    p.customer = static_cast<CustomerIndex>(i);
    p.customer_id = std::string(customers_.id[i]);
    p.field = std::string(field);
    p.value = std::string(value);
    p.problem = std::string(problem);
    p.detail = std::move(detail);
    p.suggestion = std::move(suggestion);
    report_.problems.push_back(std::move(p));
    ++report_.counts[StrCat(field, ".", problem)];
  }

 private:
  const CustomerTable& customers_;
  HygieneReport& report_;
};

void CheckDocument(Collector& out, size_t i, std::string_view value, MatchKeys* keys) {
  if (value.empty()) return;
  TaxIdResult r = CheckTaxId(value);
  if (!r.valid()) {
    out.Add(i, "document", value, TaxIdProblemName(r.problem), r.Describe(), "");
    return;
  }
  if (value != r.formatted) {
    out.Add(i, "document", value, "not_formatted", StrCat("the canonical form is ", r.formatted),
            r.formatted);
  }
  if (keys) keys->document[i] = std::move(r.canonical);
}

void CheckEmailField(Collector& out, size_t i, std::string_view value, MatchKeys* keys) {
  if (value.empty()) return;
  EmailResult r = CheckEmail(value);
  if (!r.valid()) {
    out.Add(i, "email", value, EmailProblemName(r.problem), r.Describe(), "");
    return;
  }
  if (!r.suggestion.empty()) {
    out.Add(i, "email", value, "likely_typo",
            StrCat("the domain looks like a typo of ", r.suggestion.substr(r.suggestion.find('@') + 1)),
            r.suggestion);
  } else if (value != r.normalized) {
    out.Add(i, "email", value, "not_normalized", "spaces around it or an upper-case domain",
            r.normalized);
  }
  if (keys) keys->email[i] = absl::AsciiStrToLower(AsAbsl(r.normalized));
}

void CheckPhoneField(Collector& out, size_t i, std::string_view value, const PhoneChecker& phones,
                     MatchKeys* keys) {
  if (value.empty()) return;
  PhoneResult r = phones.Check(value);
  if (!r.valid()) {
    if (!r.suggestion.empty()) {
      out.Add(i, "phone", value, "missing_ninth_digit",
              "an old 8-digit mobile number; mobiles have had a leading 9 since 2016",
              r.suggestion);
    } else {
      out.Add(i, "phone", value, PhoneProblemName(r.problem), r.Describe(), "");
    }
    return;
  }
  if (keys) keys->phone[i] = std::move(r.e164);
}

// `display`: a buffer reused from record to record.
void CheckDisplay(Collector& out, size_t i, std::string_view field, std::string_view value,
                  std::string& display) {
  if (value.empty()) {
    if (field == "name") out.Add(i, field, value, "missing", "no name", "");
    return;
  }
  DisplayNameTo(value, display);
  if (display != value) {
    out.Add(i, field, value, "not_normalized", "spacing or letter case differ from the display form",
            display);
  }
}

}  // namespace

HygieneReport CheckPortfolio(const Portfolio& portfolio, const PhoneChecker& phones,
                             const HygieneOptions& options) {
  const CustomerTable& c = portfolio.customers();
  const size_t n = c.size();
  HygieneReport report;
  Collector out(c, report);
  // The duplicate search blocks on the values these checks normalise:
  // collect them on the way instead of checking every field twice.
  // Only filled when the duplicates are wanted.
  MatchKeys keys;
  MatchKeys* const keep = options.find_duplicates ? &keys : nullptr;
  if (keep) {
    keys.document.resize(n);
    keys.email.resize(n);
    keys.phone.resize(n);
    keys.name.resize(n);
    keys.city.resize(n);
  }
  absl::flat_hash_map<std::string, std::pair<std::string, std::string>> cities;  // raw -> display, key
  std::string display;
  // Missing contact data is counted, not listed: customers known only from
  // their purchases would otherwise fill the list with three rows each.
  size_t& missing_document = report.counts["missing.document"];
  size_t& missing_email = report.counts["missing.email"];
  size_t& missing_phone = report.counts["missing.phone"];
  for (size_t i = 0; i < n; ++i) {
    missing_document += c.document[i].empty();
    missing_email += c.email[i].empty();
    missing_phone += c.phone[i].empty();
    CheckDocument(out, i, c.document[i], keep);
    CheckEmailField(out, i, c.email[i], keep);
    CheckPhoneField(out, i, c.phone[i], phones, keep);
    if (options.check_display_forms) CheckDisplay(out, i, "name", c.name[i], display);
    if (options.find_duplicates) keys.name[i] = FoldKey(c.name[i]);
    if (const std::string_view city = c.city[i]; !city.empty()) {
      // A portfolio has few distinct cities: normalise each once (looked up
      // by the view, no string made per record).
      auto it = cities.find(AsAbsl(city));
      if (it == cities.end()) {
        it = cities.try_emplace(std::string(city), DisplayName(city), FoldKey(city)).first;
      }
      if (options.check_display_forms && it->second.first != city) {
        out.Add(i, "city", city, "not_normalized",
                "spacing or letter case differ from the display form", it->second.first);
      }
      if (keep) keys.city[i] = it->second.second;
    }
  }
  if (options.find_duplicates) {
    report.duplicates = FindDuplicates(keys, options.duplicates);
    size_t customers = 0;
    for (const auto& cluster : report.duplicates.clusters) customers += cluster.members.size();
    report.counts["duplicates.clusters"] = report.duplicates.clusters.size();
    report.counts["duplicates.customers"] = customers;
    report.counts["duplicates.crowded_keys"] = report.duplicates.crowded_keys.size();
  }
  return report;
}

}  // namespace carteira::hygiene
