// `carteira fit` and `carteira predict`: the customer models from the
// command line.
#include <cmath>
#include <ostream>

#include <nlohmann/json.hpp>

#include "absl/strings/str_format.h"
#include "carteira/core/strings.h"
#include "carteira/io/rfm_file.h"
#include "carteira/models/model.h"
#include "src/cli/commands.h"
#include "src/cli/summary_output.h"

namespace carteira::cli {
namespace {

using models::Duration;
using models::Model;
using models::ModelKind;
using models::RfmData;

absl::StatusOr<ModelKind> KindOf(const std::string& name) {
  const auto kind = models::ParseModelKind(name);
  if (!kind) {
    return absl::InvalidArgumentError(
        StrCat("--model ", name, ": unknown model (bgnbd, mbgnbd, paretonbd, bgbb, gammagamma)"));
  }
  return *kind;
}

TimeUnit UnitOf(const std::string& name) {
  return name == "days" ? TimeUnit::kDays : name == "months" ? TimeUnit::kMonths : TimeUnit::kWeeks;
}

// The customers' (x, t_x, T, zbar) as of the calibration end, and their ids.
struct Customers {
  RfmData data;
  std::vector<std::string> ids;
  DayNumber as_of = kNoDay;
};

absl::StatusOr<Customers> FromTransactions(const LoadFlags& load, const std::string& calibration_end,
                                           TimeUnit unit, std::ostream& err) {
  Portfolio portfolio;
  if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) return s;
  auto as_of = ResolveAsOf(calibration_end, portfolio);
  if (!as_of.ok()) return as_of.status();
  SummaryOptions options;
  options.as_of = ToDate(*as_of);
  options.unit = unit;
  auto summary = Summarize(portfolio, options);
  if (!summary.ok()) return summary.status();
  Customers c;
  c.data = models::RfmFromSummary(*summary);
  c.as_of = *as_of;
  for (CustomerIndex i : summary->customer) c.ids.emplace_back(portfolio.customers().id[i]);
  return c;
}

std::string Number(double v) {
  const std::string s = FormatDouble(v);
  return s.empty() ? "null" : s;
}

// BG/BB counts opportunities; Gamma-Gamma has no time parameter.
std::string UnitLabel(const Model& m) {
  if (m.kind() == ModelKind::kBgBb) return "opportunities";
  if (m.kind() == ModelKind::kGammaGamma) return "none";
  return std::string(TimeUnitName(m.fit()->unit));
}

void WriteFit(std::ostream& out, const Model& m, bool json) {
  const models::FitResult& f = *m.fit();
  if (json) {
    out << "{\"model\": " << JsonString(std::string(models::ModelKindName(m.kind()))) << ", \"params\": {";
    for (size_t k = 0; k < f.params.size(); ++k) {
      out << (k ? ", " : "") << JsonString(f.names[k]) << ": " << Number(f.params[k]);
    }
    out << "}, \"std_errors\": {";
    for (size_t k = 0; k < f.params.size(); ++k) {
      out << (k ? ", " : "") << JsonString(f.names[k]) << ": " << Number(f.std_errors[k]);
    }
    out << "}, \"log_likelihood\": " << Number(f.log_likelihood) << ", \"n_customers\": " << Number(f.n_customers)
        << ", \"converged\": " << (f.converged ? "true" : "false") << ", \"iterations\": " << f.evaluations
        << ", \"gradient_norm\": " << Number(f.gradient_norm) << ", \"aic\": " << Number(f.Aic())
        << ", \"bic\": " << Number(f.Bic()) << ", \"unit\": " << JsonString(UnitLabel(m))
        << ", \"reason\": " << JsonString(f.reason) << "}\n";
    return;
  }
  out << "Model " << models::ModelKindName(m.kind()) << " fitted on " << f.n_customers << " customers ("
      << f.rows << " distinct rows), time unit " << UnitLabel(m) << "\n";
  for (size_t k = 0; k < f.params.size(); ++k) {
    out << absl::StrFormat("  %-6s %14.6f   (standard error %s)\n", f.names[k], f.params[k],
                           std::isnan(f.std_errors[k]) ? "n/a" : absl::StrFormat("%.6f", f.std_errors[k]));
  }
  out << absl::StrFormat("  log-likelihood %.4f   AIC %.2f   BIC %.2f\n", f.log_likelihood, f.Aic(), f.Bic());
  out << "  " << (f.converged ? "converged" : "NOT CONVERGED") << " after " << f.evaluations
      << " evaluations: " << f.reason << "\n";
}

}  // namespace

int RunFit(const LoadFlags& load, const ModelFlags& flags, std::ostream& out, std::ostream& err) {
  auto fail = [&err](const absl::Status& s) {
    err << "carteira fit: " << s.message() << "\n";
    return ExitCodeFor(s);
  };
  auto kind = KindOf(flags.model);
  if (!kind.ok()) return fail(kind.status());
  const TimeUnit unit = UnitOf(flags.unit);
  RfmData data;
  if (!flags.summary_file.empty()) {
    if (!load.data_dir.empty() || !load.transactions_file.empty()) {
      return fail(absl::InvalidArgumentError("give --summary, --data or --transactions, one of them"));
    }
    auto d = ReadRfmFile(flags.summary_file, unit);
    if (!d.ok()) return fail(d.status());
    data = std::move(*d);
  } else {
    if (*kind == ModelKind::kBgBb) {
      return fail(absl::InvalidArgumentError(
          "--model bgbb takes discrete opportunities: give --summary FILE with frequency, recency, periods"));
    }
    auto c = FromTransactions(load, flags.calibration_end, unit, err);
    if (!c.ok()) return fail(c.status());
    data = std::move(c->data);
  }
  auto model = Model::Fit(*kind, data);
  if (!model.ok()) return fail(model.status());
  WriteFit(out, *model, flags.format == "json");
  // A fit that did not converge is reported, and is a failure of the run.
  return model->fit()->converged ? kExitOk : kExitFailure;
}

int RunPredict(const LoadFlags& load, const ModelFlags& flags, std::ostream& out, std::ostream& err) {
  auto fail = [&err](const absl::Status& s) {
    err << "carteira predict: " << s.message() << "\n";
    return ExitCodeFor(s);
  };
  auto kind = KindOf(flags.model);
  if (!kind.ok()) return fail(kind.status());
  if (*kind == ModelKind::kBgBb || *kind == ModelKind::kGammaGamma) {
    return fail(absl::InvalidArgumentError(StrCat("--model ", flags.model,
                                                  ": predict takes a model of dated purchases (bgnbd, mbgnbd, paretonbd)")));
  }
  if (!(flags.horizon >= 0)) return fail(absl::InvalidArgumentError("--horizon must be >= 0"));
  const TimeUnit unit = UnitOf(flags.unit);
  LoadFlags source = load;
  if (!flags.fit_from.empty()) {
    if (!load.data_dir.empty() || !load.transactions_file.empty()) {
      return fail(absl::InvalidArgumentError("give --fit-from FILE, or --data/--transactions with --params"));
    }
    source.transactions_file = flags.fit_from;
  } else if (flags.params_json.empty()) {
    return fail(absl::InvalidArgumentError("give --params JSON or --fit-from TRANSACTIONS_FILE"));
  }
  auto customers = FromTransactions(source, flags.calibration_end, unit, err);
  if (!customers.ok()) return fail(customers.status());
  const RfmData& data = customers->data;

  absl::StatusOr<Model> model = absl::UnknownError("");
  if (!flags.params_json.empty()) {
    // {"r": 0.24, "alpha": 4.4, ...} by the model's names, in --unit.
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(flags.params_json);
    } catch (const nlohmann::json::exception& e) {  // parse_error, out_of_range (a number overflow)
      return fail(absl::InvalidArgumentError(StrCat("--params: not valid JSON: ", e.what())));
    }
    std::vector<double> params;
    for (const std::string& name : models::ParamNames(*kind)) {
      if (!j.is_object() || !j.contains(name) || !j[name].is_number()) {
        return fail(absl::InvalidArgumentError(StrCat("--params: needs the number \"", name, "\"")));
      }
      params.push_back(j[name].get<double>());
    }
    model = Model::FromParams(*kind, params, unit);
  } else {
    model = Model::Fit(*kind, data);
  }
  if (!model.ok()) return fail(model.status());
  if (model->fit() && !model->fit()->converged) {
    err << "carteira predict: warning: the fit did not converge: " << model->fit()->reason << "\n";
  }
  // Spend: Gamma-Gamma fitted on the same customers, those with repeat
  // purchases of positive value (the model refuses the others).
  RfmData spend_data;
  spend_data.unit = data.unit;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data.x[i] > 0 && data.zbar[i] > 0) {
      spend_data.x.push_back(data.x[i]);
      spend_data.t_x.push_back(data.t_x[i]);
      spend_data.T.push_back(data.T[i]);
      spend_data.zbar.push_back(data.zbar[i]);
    }
  }
  auto spend = Model::Fit(ModelKind::kGammaGamma, spend_data);
  const size_t n = data.size();
  std::vector<double> p_alive(n), purchases(n), avg_spend(n, std::nan("")), clv(n, std::nan(""));
  const Duration horizon{flags.horizon, unit};
  if (auto s = model->PAliveAndExpectedPurchases(data, horizon, p_alive, purchases); !s.ok()) return fail(s);
  if (spend.ok()) {
    if (auto s = spend->ExpectedSpend(data, avg_spend); !s.ok()) return fail(s);
    // Monthly periods, the annual discount rate turned monthly.
    const double monthly = std::pow(1.0 + flags.discount_rate, 1.0 / 12.0) - 1.0;
    if (auto s = model->LifetimeValue(*spend, data, horizon, Duration::Months(1), monthly, flags.margin, clv);
        !s.ok()) {
      return fail(s);
    }
  } else {
    err << "carteira predict: note: no spend model (" << spend.status().message()
        << "); expected_spend and clv are empty\n";
  }
  if (flags.format == "json") {
    out << "{\"model\": " << JsonString(flags.model) << ", \"as_of\": " << JsonString(FormatDate(customers->as_of))
        << ", \"horizon\": " << Number(flags.horizon) << ", \"unit\": " << JsonString(flags.unit)
        << ",\n \"customers\": [";
    for (size_t i = 0; i < n; ++i) {
      out << (i ? ",\n  " : "\n  ") << "{\"customer_id\": " << JsonString(customers->ids[i])
          << ", \"p_alive\": " << Number(p_alive[i]) << ", \"expected_purchases\": " << Number(purchases[i])
          << ", \"expected_spend\": " << Number(avg_spend[i]) << ", \"clv\": " << Number(clv[i]) << "}";
    }
    out << (n ? "\n ]}\n" : "]}\n");
  } else {
    out << "customer_id,p_alive,expected_purchases,expected_spend,clv\n";
    for (size_t i = 0; i < n; ++i) {
      out << CsvQuote(customers->ids[i]) << "," << FormatDouble(p_alive[i]) << "," << FormatDouble(purchases[i])
          << "," << FormatDouble(avg_spend[i]) << "," << FormatDouble(clv[i]) << "\n";
    }
  }
  return kExitOk;
}

}  // namespace carteira::cli
