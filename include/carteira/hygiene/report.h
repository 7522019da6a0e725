// The hygiene report of a portfolio: every problem found in the customer
// records (documents, e-mails, phones, names, cities) with the place (customer
// id and field), the value, the problem and a suggested fix, plus the
// duplicate clusters and counts per problem type. It changes nothing.
#ifndef CARTEIRA_HYGIENE_REPORT_H_
#define CARTEIRA_HYGIENE_REPORT_H_

#include <map>
#include <string>
#include <vector>

#include "carteira/hygiene/duplicates.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira::hygiene {

class PhoneChecker;

struct HygieneProblem {
  CustomerIndex customer = 0;
  std::string customer_id;
  std::string field;       // "document", "email", "phone", "name", "city"
  std::string value;       // as stored
  std::string problem;     // "check_digit_mismatch", "likely_typo", ...
  std::string detail;      // a sentence for people, e.g. "check digit mismatch at position 14"
  std::string suggestion;  // the suggested value; empty when there is none
};

struct HygieneOptions {
  bool find_duplicates = true;
  DuplicateOptions duplicates;
  // Report names and cities whose display form (DisplayName) differs.
  bool check_display_forms = true;
};

struct HygieneReport {
  std::vector<HygieneProblem> problems;  // by customer index, then field order
  // "field.problem" -> count, e.g. "email.likely_typo"; also
  // "duplicates.clusters", "duplicates.customers", "duplicates.crowded_keys".
  std::map<std::string, size_t> counts;
  DuplicateReport duplicates;
};

HygieneReport CheckPortfolio(const Portfolio& portfolio, const PhoneChecker& phones,
                             const HygieneOptions& options = {});

}  // namespace carteira::hygiene

#endif  // CARTEIRA_HYGIENE_REPORT_H_
