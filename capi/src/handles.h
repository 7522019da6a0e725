// What the opaque C handles hold. Only the C ABI's own sources see this.
#ifndef CARTEIRA_CAPI_SRC_HANDLES_H_
#define CARTEIRA_CAPI_SRC_HANDLES_H_

#include <string>

#include "carteira/carteira.h"
#include "carteira/io/import.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/summary/customer_summary.h"

struct carteira_portfolio {
  carteira::Portfolio impl;
};

struct carteira_import_report {
  carteira::ImportReport impl;
  std::string text;  // Summary(), made once so the pointer handed out stays valid
};

struct carteira_summary {
  carteira::CustomerSummary impl;
  carteira::SummaryWorkspace workspace;  // reused by carteira_summary_recompute
};

#endif  // CARTEIRA_CAPI_SRC_HANDLES_H_
