// What the opaque C handles hold. Only the C ABI's own sources see this.
#ifndef CARTEIRA_CAPI_SRC_HANDLES_H_
#define CARTEIRA_CAPI_SRC_HANDLES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "carteira/actions/loyalty.h"
#include "carteira/carteira.h"
#include "carteira/io/import.h"
#include "carteira/models/model.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/segments/segment_map.h"
#include "carteira/status/status_engine.h"
#include "carteira/status/status_table.h"
#include "carteira/store/store.h"
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

struct carteira_status_policy {
  carteira::StatusPolicy impl;
  std::string json;  // ToJson(), made at creation; the pointer handed out stays valid
};

// Optional because StatusEngine has no empty state; always set once made.
struct carteira_status_engine {
  std::optional<carteira::StatusEngine> impl;
};

// Optional because Model has no empty state; always set once made.
struct carteira_model {
  std::optional<carteira::models::Model> impl;
};

struct carteira_status_table {
  carteira::StatusTable impl;
  const carteira::Portfolio* portfolio = nullptr;  // for Reason
  std::uint64_t merge_generation = 0;              // the portfolio's when the table was made
};

// Shared by the segments and the report sources.
struct carteira_segment_map {
  carteira::SegmentMap impl;
  // Made at creation, so that the pointers handed out stay valid and a
  // shared const map is never written.
  std::string json;
  carteira::SegmentMapCheck check;
  std::string description;
  std::vector<std::vector<std::uint32_t>> covered_by;
  std::vector<std::string> conditions;  // per rule
};

struct carteira_store {
  std::optional<carteira::Store> impl;
};

// Here, not in actions_api.cpp: the store's functions make and read ledgers too.
struct carteira_loyalty_ledger {
  std::optional<carteira::LoyaltyLedger> impl;  // LoyaltyLedger has no empty state
  std::uint64_t merge_generation = 0;           // the portfolio's when the ledger was made
};

#endif  // CARTEIRA_CAPI_SRC_HANDLES_H_
