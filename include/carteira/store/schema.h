// The store's schema version and identity. The tables themselves, and the
// migration from each version to the next, are in src/store/schema.cpp and
// described in docs/store.md.
//
// A Carteira store is an SQLite file whose header carries
// PRAGMA application_id = kStoreApplicationId and PRAGMA user_version = the
// schema version. Opening runs the forward migrations (each one
// transaction) from the file's version up to kStoreSchemaVersion; a file
// with a newer version is refused untouched.
#ifndef CARTEIRA_STORE_SCHEMA_H_
#define CARTEIRA_STORE_SCHEMA_H_

#include <cstdint>

namespace carteira {

// "CART" in ASCII.
inline constexpr std::int32_t kStoreApplicationId = 0x43415254;
// Version history:
//   1: customers, reps (+attributes), transactions (+attributes), contracts,
//      interactions, surveys, assignments, plans, customer_aliases,
//      dictionaries, customer_state (summary + status), status_runs,
//      status_events, loyalty_ledger (reserved, empty until the loyalty
//      program exists).
//   2: transactions in recording order (rowid = seq); customer_state as
//      blocks of 256 customers holding each one's purchase digest, record
//      fields and status; pending_transactions; status_runs.policy; meta
//      keys folded_seq and columns:* (docs/store.md).
//   3: loyalty_ledger written (Store::SaveLoyalty), with reverses and note;
//      meta key loyalty:earned_until.
//   4: customer_state_log, the refreshes' log of judged state entries laid
//      over their blocks (blocks in format 2, with the run merged up to).
//   5: state blocks written in format 3 (fixed-size records first, then
//      the payloads); formats 1 and 2 still read, converted when rewritten.
inline constexpr int kStoreSchemaVersion = 5;

}  // namespace carteira

#endif  // CARTEIRA_STORE_SCHEMA_H_
