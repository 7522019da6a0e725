// libFuzzer target: the C ABI entry points that take strings, on arbitrary
// bytes split at NUL into arguments. Nothing may crash, throw or abort
// across the ABI, and every call returns a carteira_status code.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "carteira/carteira.h"

namespace {

void Expect(bool ok) {
  if (!ok) std::abort();
}

bool IsStatus(carteira_status s) { return s >= CARTEIRA_OK && s <= CARTEIRA_UNAUTHENTICATED; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Arguments: the input split at NUL bytes (C strings cannot hold one).
  std::vector<std::string> args(1);
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.emplace_back();
    } else {
      args.back().push_back(static_cast<char>(data[i]));
    }
  }
  const char* a = args[0].c_str();
  const char* b = args.size() > 1 ? args[1].c_str() : "BR";

  int32_t day = 0;
  int64_t minor = 0;
  Expect(IsStatus(carteira_parse_date(a, &day)));
  Expect(IsStatus(carteira_parse_money(a, &minor)));
  int32_t lifecycle = 0;
  Expect(IsStatus(carteira_lifecycle_parse(a, &lifecycle)));

  carteira_tax_id_result doc = CARTEIRA_TAX_ID_RESULT_INIT;
  Expect(carteira_check_tax_id(a, &doc) == CARTEIRA_OK);
  carteira_email_result email = CARTEIRA_EMAIL_RESULT_INIT;
  Expect(carteira_check_email(a, &email) == CARTEIRA_OK);
  carteira_phone_result phone = CARTEIRA_PHONE_RESULT_INIT;
  Expect(IsStatus(carteira_check_phone(a, b, &phone)));

  for (auto text_call : {carteira_display_name, carteira_fold_key}) {
    size_t length = 0;
    Expect(text_call(a, nullptr, 0, &length) == CARTEIRA_OK);
    std::vector<char> buffer(length + 1, 'x');
    Expect(text_call(a, buffer.data(), buffer.size(), &length) == CARTEIRA_OK);
    Expect(buffer[length] == '\0');
  }

  carteira_status_policy* policy = nullptr;
  const carteira_status s = carteira_status_policy_from_json(a, &policy);
  Expect(IsStatus(s) && ((s == CARTEIRA_OK) == (policy != nullptr)));
  carteira_status_policy_destroy(policy);

  // A segment map (rules with conditions too): loaded whole or not at all.
  carteira_segment_map* map = nullptr;
  const carteira_status m = carteira_segment_map_from_json(a, &map);
  Expect(IsStatus(m) && ((m == CARTEIRA_OK) == (map != nullptr)));
  if (map != nullptr) {
    carteira_segment_map_report check = CARTEIRA_SEGMENT_MAP_REPORT_INIT;
    Expect(carteira_segment_map_check(map, &check) == CARTEIRA_OK);
    for (size_t i = 0; i < check.rule_count; ++i) {
      const char* conditions = nullptr;
      Expect(carteira_segment_map_rule_conditions(map, i, nullptr, &conditions) == CARTEIRA_OK);
    }
    const char* json = nullptr;
    Expect(carteira_segment_map_to_json(map, &json) == CARTEIRA_OK);
    carteira_segment_map* again = nullptr;
    Expect(carteira_segment_map_from_json(json, &again) == CARTEIRA_OK);  // what it writes, it reads
    carteira_segment_map_destroy(again);
  }
  carteira_segment_map_destroy(map);

  carteira_portfolio* portfolio = nullptr;
  Expect(carteira_portfolio_create(&portfolio) == CARTEIRA_OK);
  carteira_import_report* report = nullptr;
  static const char* const kEntities[] = {"customers", "reps", "assignments", "transactions",
                                          "contracts", "interactions", "surveys", "bogus"};
  const char* entity = kEntities[size % 8];
  Expect(IsStatus(carteira_import_text(portfolio, entity, args.back().data(), args.back().size(), b, nullptr,
                                       &report)));
  carteira_import_report_destroy(report);
  carteira_portfolio_destroy(portfolio);
  return 0;
}
