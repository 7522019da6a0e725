#include "capi/src/api_guard.h"
#include "carteira/core/date.h"
#include "carteira/core/money.h"

#define CARTEIRA_STRINGIFY2(x) #x
#define CARTEIRA_STRINGIFY(x) CARTEIRA_STRINGIFY2(x)

extern "C" {

int32_t carteira_version_number(void) { return CARTEIRA_VERSION_NUMBER; }

const char* carteira_version_string(void) {
  return CARTEIRA_STRINGIFY(CARTEIRA_VERSION_MAJOR) "." CARTEIRA_STRINGIFY(
      CARTEIRA_VERSION_MINOR) "." CARTEIRA_STRINGIFY(CARTEIRA_VERSION_PATCH);
}

carteira_status carteira_parse_date(const char* text, int32_t* out_day) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(text);
  CARTEIRA_CHECK_ARG(out_day);
  auto day = carteira::ParseDate(text);
  CARTEIRA_RETURN_IF_ERROR(day.status());
  *out_day = *day;
  CARTEIRA_API_END();
}

carteira_status carteira_parse_money(const char* text, int64_t* out_minor) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(text);
  CARTEIRA_CHECK_ARG(out_minor);
  auto money = carteira::ParseMoney(text);
  CARTEIRA_RETURN_IF_ERROR(money.status());
  *out_minor = *money;
  CARTEIRA_API_END();
}

}  // extern "C"
