// `carteira merge --data DIR --cluster ID,ID,... [--into ID]`: merges
// duplicate customers in a data directory, in place and safely.
//
// The files are rewritten as text, not re-exported from the Portfolio, so
// that everything the operator did not ask to change (date and amount
// formats, extra columns, column order, delimiter) stays as it was: only
// the customer_id cells of the merged customers change, their rows leave
// customers.csv, and the survivor's empty cells take the merged records'
// values (as Portfolio::MergeCustomers does). The merged rows are kept in
// customer_merges.csv with who merged them into whom, and when.
//
// Safety: the new directory is built beside DIR (rewritten files, every
// other entry hard-linked or copied), imported back and checked against
// the merge done in memory (customers, rows of every table, money totals);
// only then does it take DIR's place in one atomic step (renameat2 with
// RENAME_EXCHANGE: a crash leaves DIR all old or all new). Where the file
// system cannot exchange, each rewritten file is renamed over its old one
// instead (atomic per file, said on stderr).
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "carteira/core/strings.h"
#include "carteira/io/csv_reader.h"
#include "src/cli/commands.h"
#include "src/cli/csv_table.h"

namespace carteira::cli {
namespace {

namespace fs = std::filesystem;

struct Totals {
  size_t customers = 0, transactions = 0, contracts = 0, interactions = 0, surveys = 0,
         assignments = 0;
  MinorUnits revenue = 0, contract_value = 0;
  bool operator==(const Totals&) const = default;
};

Totals Count(const Portfolio& p) {
  Totals t;
  t.customers = p.customers().size();
  t.transactions = p.transactions().size();
  t.contracts = p.contracts().size();
  t.interactions = p.interactions().size();
  t.surveys = p.surveys().size();
  t.assignments = p.assignments().size();
  for (const MinorUnits a : p.transactions().amount) t.revenue += a;
  for (const MinorUnits v : p.contracts().value) t.contract_value += v;
  return t;
}

absl::Status WriteFile(const fs::path& path, const Table& t) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << Line(t.header, t.delimiter);
  for (const auto& row : t.rows) out << Line(row, t.delimiter);
  out.close();
  if (!out) return absl::InternalError(StrCat(path.string(), ": cannot write"));
  return absl::OkStatus();
}

// The survivor's row takes the merged rows' values where its own cell is
// empty; for the flags and created_at the in-memory merge decided, and the
// cell that carries that value is copied.
void PatchSurvivor(std::vector<std::string>& survivor, const std::vector<std::vector<std::string>>& merged,
                   const Table& t, const Portfolio& before, CustomerIndex survivor_index,
                   const std::vector<CustomerIndex>& merged_index, const Portfolio& after,
                   CustomerIndex after_index) {
  const CustomerTable& b = before.customers();
  const CustomerTable& a = after.customers();
  const int created = Column(t, "created_at");
  const int key_account = Column(t, "key_account");
  const int delinquent = Column(t, "delinquent");
  for (size_t col = 0; col < t.header.size(); ++col) {
    const int c = static_cast<int>(col);
    if (c == created || c == key_account || c == delinquent) continue;
    if (col < survivor.size() && !survivor[col].empty()) continue;
    for (const auto& row : merged) {
      if (col < row.size() && !row[col].empty()) {
        if (survivor.size() <= col) survivor.resize(col + 1);
        survivor[col] = row[col];
        break;
      }
    }
  }
  auto take = [&](int c, auto same_as_result) {
    if (c < 0 || same_as_result(survivor_index)) return;
    for (size_t m = 0; m < merged.size(); ++m) {
      if (same_as_result(merged_index[m]) && static_cast<size_t>(c) < merged[m].size()) {
        if (survivor.size() <= static_cast<size_t>(c)) survivor.resize(c + 1);
        survivor[c] = merged[m][c];
        return;
      }
    }
  };
  take(created, [&](CustomerIndex i) { return b.created_at[i] == a.created_at[after_index]; });
  take(key_account, [&](CustomerIndex i) { return b.key_account[i] == a.key_account[after_index]; });
  take(delinquent, [&](CustomerIndex i) { return b.delinquent[i] == a.delinquent[after_index]; });
}

int Fail(std::ostream& err, const absl::Status& s) {
  err << "carteira merge: " << s.message() << "\n";
  return ExitCodeFor(s);
}

}  // namespace

int RunMerge(const LoadFlags& load, const MergeFlags& flags, std::ostream& out, std::ostream& err) {
  if (load.data_dir.empty() && load.db_file.empty()) {
    return Fail(err, absl::InvalidArgumentError("--data DIR or --db FILE is required"));
  }
  std::vector<std::string> cluster;
  for (const std::string& id : flags.cluster) {
    if (!id.empty() && std::find(cluster.begin(), cluster.end(), id) == cluster.end()) {
      cluster.push_back(id);
    }
  }
  if (cluster.size() < 2) {
    return Fail(err, absl::InvalidArgumentError("--cluster: give at least two distinct customer ids"));
  }
  const std::string into = flags.into.empty() ? cluster.front() : flags.into;
  if (std::find(cluster.begin(), cluster.end(), into) == cluster.end()) {
    return Fail(err, absl::InvalidArgumentError(StrCat("--into ", into, ": not in --cluster")));
  }
  CustomerMerge merge;
  merge.into = into;
  for (const std::string& id : cluster) {
    if (id != into) merge.merged.push_back(id);
  }
  merge.merged_by = flags.by;
  if (merge.merged_by.empty()) {
    const char* user = std::getenv("USER");
    merge.merged_by = user && *user ? user : "carteira";
  }
  if (flags.date.empty()) {
    merge.merged_at = boost::gregorian::day_clock::local_day();
  } else {
    auto day = ParseDate(flags.date);
    if (!day.ok()) return Fail(err, absl::InvalidArgumentError(StrCat("--date: ", day.status().message())));
    merge.merged_at = ToDate(*day);
  }

  // On a store: one transaction in the database.
  if (!load.db_file.empty()) return RunStoreMerge(load.db_file, merge, out, err);

  // The merge in memory: validates the ids and gives the figures the
  // rewritten files must reproduce.
  Portfolio before, after;
  if (auto s = LoadPortfolio(load, before, err); !s.ok()) return Fail(err, s);
  if (auto s = LoadPortfolio(load, after, err); !s.ok()) return Fail(err, s);
  const Totals totals_before = Count(before);
  if (auto s = after.MergeCustomers(std::vector<CustomerMerge>{merge}); !s.ok()) {
    return Fail(err, absl::InvalidArgumentError(StrCat("--cluster: ", s.message())));
  }
  Totals expected = Count(after);
  {
    Totals same = expected;
    same.customers = totals_before.customers;
    if (!(same == totals_before)) return Fail(err, absl::InternalError("the merge changed a total"));
  }
  const CustomerIndex survivor_index = *before.FindCustomer(into);
  std::vector<CustomerIndex> merged_index;
  absl::flat_hash_set<std::string> merged_ids;
  for (const std::string& id : merge.merged) {
    merged_index.push_back(*before.FindCustomer(id));
    merged_ids.insert(id);
  }

  const fs::path dir = fs::absolute(fs::path(load.data_dir)).lexically_normal();
  const fs::path temp =
      (dir.has_filename() ? dir : dir.parent_path()).parent_path() /
      StrCat(".", (dir.has_filename() ? dir : dir.parent_path()).filename().string(), ".carteira-merge-", ::getpid());
  std::error_code ec;
  fs::remove_all(temp, ec);
  if (!fs::create_directory(temp, ec)) {
    return Fail(err, absl::InternalError(StrCat(temp.string(), ": cannot create: ", ec.message())));
  }
  auto cleanup = [&] { fs::remove_all(temp, ec); };
  char delimiter = 0;
  if (load.delimiter.size() == 1) delimiter = load.delimiter[0];
  if (load.delimiter == "tab") delimiter = '\t';

  std::vector<std::string> rewritten;  // file names inside temp to move into dir
  std::vector<std::vector<std::string>> merged_rows(merge.merged.size());
  Table customers_table;
  bool have_customers = false;
  std::map<std::string, size_t> moved;
  for (const std::string_view stem :
       {"customers", "reps", "assignments", "transactions", "contracts", "interactions", "surveys"}) {
    const std::string path = FindFile(load.data_dir, stem);
    if (path.empty()) continue;
    const std::string name = fs::path(path).filename().string();
    if (stem == "reps") {  // unchanged; copied only for the check below
      fs::copy_file(path, temp / name, ec);
      continue;
    }
    auto table = ReadTable(path, delimiter);
    if (!table.ok()) {
      cleanup();
      return Fail(err, table.status());
    }
    const int id_column = Column(*table, "customer_id");
    if (id_column < 0) {
      cleanup();
      return Fail(err, absl::FailedPreconditionError(
                           StrCat(path, ": no customer_id column (merge needs the canonical header)")));
    }
    Table& t = *table;
    std::vector<std::vector<std::string>> kept;
    long survivor_row = -1;
    for (auto& row : t.rows) {
      if (static_cast<size_t>(id_column) >= row.size()) {
        kept.push_back(std::move(row));
        continue;
      }
      std::string& id = row[id_column];
      if (merged_ids.contains(id)) {
        if (stem == "customers") {
          const size_t m = std::find(merge.merged.begin(), merge.merged.end(), id) - merge.merged.begin();
          merged_rows[m] = std::move(row);
          continue;
        }
        id = into;
        ++moved[std::string(stem)];
      } else if (stem == "customers" && id == into) {
        survivor_row = static_cast<long>(kept.size());
      }
      kept.push_back(std::move(row));
    }
    t.rows = std::move(kept);
    if (stem == "customers") {
      have_customers = true;
      if (survivor_row >= 0) {
        PatchSurvivor(t.rows[survivor_row], merged_rows, t, before, survivor_index, merged_index, after,
                      *after.FindCustomer(into));
      }
      customers_table.header = t.header;
      customers_table.delimiter = t.delimiter;
    }
    if (auto s = WriteFile(temp / name, t); !s.ok()) {
      cleanup();
      return Fail(err, s);
    }
    rewritten.push_back(name);
  }

  // The merge log: one row per merged id, its customers.csv row kept whole.
  {
    const std::string existing = FindFile(load.data_dir, "customer_merges");
    Table log;
    if (!existing.empty()) {
      auto read = ReadTable(existing, 0);
      if (!read.ok()) {
        cleanup();
        return Fail(err, read.status());
      }
      log = std::move(*read);
    } else {
      log.delimiter = have_customers ? customers_table.delimiter : ';';
      log.header = {"merged_id", "into_id", "merged_at", "merged_by", "record"};
    }
    for (size_t m = 0; m < merge.merged.size(); ++m) {
      std::string record;
      if (have_customers && !merged_rows[m].empty()) {
        record = Line(customers_table.header, customers_table.delimiter) +
                 Line(merged_rows[m], customers_table.delimiter);
        record.pop_back();
      }
      log.rows.push_back({merge.merged[m], into, FormatDate(ToDayNumber(merge.merged_at)),
                          merge.merged_by, record});
    }
    const std::string name = existing.empty() ? "customer_merges.csv" : fs::path(existing).filename().string();
    if (auto s = WriteFile(temp / name, log); !s.ok()) {
      cleanup();
      return Fail(err, s);
    }
    rewritten.push_back(name);
  }

  // Everything else in DIR comes along unchanged (hard links where the file
  // system allows, copies otherwise), so that the new directory is whole.
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const fs::path target = temp / entry.path().filename();
    if (fs::exists(target)) continue;
    fs::copy(entry.path(), target,
             fs::copy_options::recursive | fs::copy_options::create_hard_links | fs::copy_options::copy_symlinks, ec);
    if (ec) {
      ec.clear();
      fs::copy(entry.path(), target, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
    }
    if (ec) {
      const std::string why = ec.message();
      cleanup();
      return Fail(err, absl::InternalError(StrCat(entry.path().string(), ": cannot carry over: ", why,
                                                  "; nothing was changed")));
    }
  }
  if (ec) {
    const std::string why = ec.message();
    cleanup();
    return Fail(err, absl::InternalError(StrCat(dir.string(), ": ", why, "; nothing was changed")));
  }
  fs::permissions(temp, fs::status(dir, ec).permissions(), ec);

  // Read the new files back: they must give the merged portfolio's figures.
  {
    LoadFlags check = load;
    check.data_dir = temp.string();
    Portfolio reread;
    std::ostringstream quiet;
    const absl::Status s = LoadPortfolio(check, reread, quiet);
    const Totals got = s.ok() ? Count(reread) : Totals{};
    // Without a customers file, merged customers were bare ids; they are
    // simply no longer referenced.
    if (!have_customers) expected.customers = got.customers;
    if (!s.ok() || !(got == expected)) {
      cleanup();
      return Fail(err, absl::InternalError(StrCat(
                           "the rewritten files do not reproduce the merge; nothing was changed",
                           s.ok() ? "" : StrCat(" (", s.message(), ")"))));
    }
  }
  if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) != 0) {
    const int code = errno;
    if (code != EINVAL && code != ENOSYS && code != ENOTSUP) {
      cleanup();
      return Fail(err, absl::InternalError(StrCat(dir.string(), ": cannot replace: ", std::strerror(code),
                                                  "; nothing was changed")));
    }
    err << "carteira merge: note: this file system cannot exchange directories atomically; "
           "replacing the files one by one\n";
    for (const std::string& name : rewritten) {
      fs::rename(temp / name, dir / name, ec);
      if (ec) {
        cleanup();
        return Fail(err, absl::InternalError(StrCat((dir / name).string(), ": ", ec.message())));
      }
    }
  }
  cleanup();  // the old contents, after an exchange

  out << "merged " << absl::StrJoin(merge.merged, ", ") << " into " << into << " ("
      << merge.merged_by << ", " << FormatDate(ToDayNumber(merge.merged_at)) << ")\n";
  for (const auto& [stem, n] : moved) out << "  " << stem << ": " << n << " rows moved\n";
  out << "  customers: " << totals_before.customers << " -> " << expected.customers
      << "; transactions " << expected.transactions << ", revenue total unchanged\n";
  return kExitOk;
}

}  // namespace carteira::cli
