// The HTML report through the C ABI (docs/report.md): one call that
// computes, renders and writes it atomically.
#include <string>

#include "capi/src/api_guard.h"
#include "capi/src/checks.h"
#include "capi/src/handles.h"
#include "capi/src/struct_size.h"
#include "carteira/report/report.h"

namespace {

using carteira::capi::CheckDay;
using carteira::capi::CheckStructSize;
using carteira::capi::SetLastError;

// The first released size (STYLE.md rule 10).
constexpr size_t kReportOptionsV1 = sizeof(carteira_report_options);

}  // namespace

carteira_status carteira_report_write(const carteira_portfolio* portfolio, const carteira_report_options* options,
                                      const char* path) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(path);
  carteira::ReportOptions o;
  if (options != nullptr) {
    if (carteira_status s = CheckStructSize(options->struct_size, kReportOptionsV1, "carteira_report_options"); s) {
      return s;
    }
    CARTEIRA_RETURN_IF_ERROR(CheckDay(options->as_of, "carteira_report_options.as_of", false));
    CARTEIRA_RETURN_IF_ERROR(CheckDay(options->from, "carteira_report_options.from", false));
    switch (options->language) {
      case CARTEIRA_REPORT_PT_BR:
        o.language = carteira::ReportLanguage::kPtBr;
        break;
      case CARTEIRA_REPORT_EN:
        o.language = carteira::ReportLanguage::kEn;
        break;
      default:
        return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                            carteira::StrCat("carteira_report_options.language: unknown language ", options->language,
                                             " (0 = pt-BR, 1 = en)"));
    }
    o.as_of = options->as_of;
    o.from = options->from;
    if (options->currency != nullptr) o.currency = options->currency;
    if (options->title != nullptr) o.title = options->title;
    if (options->policy != nullptr) o.policy = &options->policy->impl;
    if (options->segment_map != nullptr) o.segment_map = &options->segment_map->impl;
  }
  CARTEIRA_RETURN_IF_ERROR(carteira::WriteReportFile(portfolio->impl, o, path));
  CARTEIRA_API_END();
}
