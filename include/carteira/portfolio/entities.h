// The domain entities of DESIGN.md as plain row records. The Portfolio keeps
// them columnar; these records are how one row goes in or comes out.
#ifndef CARTEIRA_PORTFOLIO_ENTITIES_H_
#define CARTEIRA_PORTFOLIO_ENTITIES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "carteira/core/date.h"
#include "carteira/core/money.h"

namespace carteira {

struct Attribute {
  std::string name;
  std::string value;
};

struct Customer {
  std::string id;  // the host's key, any string
  std::string name;
  std::string document;  // CPF or CNPJ as given
  std::string email;
  std::string phone;
  std::string city;
  std::string state;
  std::string region;  // territory
  std::string segment;
  std::optional<Date> created_at;
  bool key_account = false;
  bool delinquent = false;  // inadimplência
  std::vector<Attribute> attributes;
};

struct Rep {
  std::string id;
  std::string name;
  std::string region;
  std::vector<std::string> segments;
  std::int32_t capacity = 0;  // customers; 0 = not limited
  bool active = true;
  std::string team;
  std::vector<Attribute> attributes;
};

// Returns have a negative amount.
struct Transaction {
  std::string customer_id;
  Date date;
  MinorUnits amount = 0;
  std::string order_id;  // optional; unique when given
  std::string rep_id;    // optional
  std::string category;  // optional
  std::vector<Attribute> attributes;
};

struct Contract {
  std::string customer_id;
  std::string contract_id;
  Date start;
  Date end;
  MinorUnits value = 0;
  bool auto_renew = false;
};

struct Interaction {
  std::string customer_id;
  std::string rep_id;
  Date date;
  std::string channel;  // visit, call, e-mail, message...
  std::string outcome;
};

struct SurveyAnswer {
  std::string customer_id;
  Date date;
  int score = 0;  // 0..10
};

// One row of assignment history: from `since` on, `rep_id` holds the customer.
struct Assignment {
  std::string customer_id;
  std::string rep_id;
  Date since;
  std::string reason;
};

}  // namespace carteira

#endif  // CARTEIRA_PORTFOLIO_ENTITIES_H_
