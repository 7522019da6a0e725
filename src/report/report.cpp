// RenderReport: the HTML page around the charts (header, key figures,
// sections, tables), in Portuguese or English; WriteReport and
// WriteReportFile. Every label has its two languages side by side (Tr).
#include "carteira/report/report.h"

#include <algorithm>
#include <numeric>
#include <ostream>

#include "absl/strings/str_format.h"
#include "carteira/core/strings.h"
#include "carteira/report/markup.h"
#include "carteira/version.h"
#include "src/report/atomic_file.h"
#include "src/report/charts.h"

namespace carteira {
namespace {

using report::Bar;

constexpr std::string_view kStyle = R"css(
:root{--ink:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#f4f6f9}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",sans-serif}
header.top{background:#0f172a;color:#fff;padding:26px 0 24px}
header.top .wrap,main{max-width:1180px;margin:0 auto;padding-left:32px;padding-right:32px}
header.top h1{margin:0;font-size:26px;font-weight:650;letter-spacing:-.01em}
header.top p{margin:6px 0 0;color:#cbd5e1;font-size:13.5px}
main{padding-top:22px;padding-bottom:12px}
.cards{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:14px;margin-bottom:20px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:13px 16px}
.card .k{color:var(--muted);font-size:11.5px;text-transform:uppercase;letter-spacing:.05em;font-weight:600}
.card .v{font-size:22px;font-weight:650;margin-top:3px;font-variant-numeric:tabular-nums;white-space:nowrap}
.card .s{color:var(--muted);font-size:12px;margin-top:1px}
section.panel{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 22px 20px;margin-bottom:18px}
section.panel h2{margin:0 0 3px;font-size:18px;font-weight:650}
p.note{margin:0 0 14px;color:var(--muted);font-size:13px;max-width:900px}
.row{display:flex;flex-wrap:wrap;gap:18px 36px;align-items:flex-start}
figure{margin:0}
figcaption{font-weight:600;font-size:13px;margin:0 0 6px;color:#374151}
svg.chart{display:block;max-width:100%;height:auto}
svg text{font-family:inherit}
.tick{font-size:11px;fill:#6b7280}
.lbl{font-size:12px;fill:#374151}
.val{font-size:11.5px;fill:#111827;font-variant-numeric:tabular-nums}
.axis-title{font-size:11.5px;fill:#4b5563}
.cell-val{font-size:11px;font-variant-numeric:tabular-nums}
.col-head{font-size:11px;fill:#6b7280;font-weight:600}
.legend{font-size:11.5px;fill:#374151}
.annot{font-size:12px;fill:#b91c1c;font-weight:600}
.empty{font-size:13px;fill:#6b7280}
dl.defs{margin:4px 0 0;display:grid;grid-template-columns:auto 1fr;gap:5px 12px;font-size:12.5px;max-width:380px}
dl.defs dt{font-weight:600;white-space:nowrap}
dl.defs dd{margin:0;color:#4b5563}
.stats{display:grid;grid-template-columns:repeat(2,minmax(150px,1fr));gap:12px;align-content:start;max-width:440px}
.stat{border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.stat .k{color:var(--muted);font-size:12px}
.stat .v{font-size:20px;font-weight:650;font-variant-numeric:tabular-nums}
.explain{grid-column:1/-1;color:#4b5563;font-size:12.5px;margin:2px 0 0}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:11.5px;color:#4b5563;background:#f8fafc;font-weight:600;vertical-align:bottom}
th.n{text-align:right}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.reps{font-size:12px}
td.def{color:#4b5563}
td.name{white-space:nowrap}
tr.total td{font-weight:600}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
.table-wrap{overflow-x:auto;margin-top:16px}
footer{color:var(--muted);font-size:12px;text-align:center;padding:4px 0 28px}
@media print{body{background:#fff}section.panel,.card{break-inside:avoid}}
)css";

// The label in the report's language.
std::string_view Tr(ReportLanguage language, std::string_view pt, std::string_view en) {
  return language == ReportLanguage::kPtBr ? pt : en;
}

std::string_view StatusLabel(int status, ReportLanguage l) {
  switch (static_cast<Status>(status)) {
    case Status::kProspect:
      return Tr(l, "Prospecto", "Prospect");
    case Status::kNew:
      return Tr(l, "Novo", "New");
    case Status::kActive:
      return Tr(l, "Ativo", "Active");
    case Status::kAtRisk:
      return Tr(l, "Em risco", "At risk");
    case Status::kInactive:
      return Tr(l, "Inativo", "Inactive");
    case Status::kLost:
      return Tr(l, "Perdido", "Lost");
    case Status::kReactivated:
      return Tr(l, "Reativado", "Reactivated");
  }
  return "?";
}

std::string_view StatusDefinition(int status, ReportLanguage l) {
  switch (static_cast<Status>(status)) {
    case Status::kProspect:
      return Tr(l, "ainda sem compra", "no purchase yet");
    case Status::kNew:
      return Tr(l, "primeira compra recente", "first purchase recently");
    case Status::kActive:
      return Tr(l, "comprando dentro dos prazos", "buying within the thresholds");
    case Status::kAtRisk:
      return Tr(l, "próximo da inativação", "close to becoming inactive");
    case Status::kInactive:
      return Tr(l, "sem compra além do prazo de inatividade", "no purchase beyond the inactivity threshold");
    case Status::kLost:
      return Tr(l, "sem compra além do prazo de perda", "no purchase beyond the loss threshold");
    case Status::kReactivated:
      return Tr(l, "voltou a comprar depois de inativo", "bought again after being inactive");
  }
  return "";
}

// The default map's segment names in words; other names as they are.
std::string SegmentLabel(std::string_view name, ReportLanguage l) {
  struct Known {
    std::string_view key, pt, en;
  };
  static constexpr Known kKnown[] = {
      {"champions", "Campeões", "Champions"},
      {"loyal", "Fiéis", "Loyal"},
      {"potential_loyalist", "Potenciais fiéis", "Potential loyalists"},
      {"new", "Novos", "New"},
      {"promising", "Promissores", "Promising"},
      {"need_attention", "Precisam de atenção", "Need attention"},
      {"about_to_sleep", "Quase dormindo", "About to sleep"},
      {"at_risk", "Em risco", "At risk"},
      {"cant_lose", "Não podemos perder", "Can't lose"},
      {"hibernating", "Hibernando", "Hibernating"},
      {"lost", "Perdidos", "Lost"},
      {"unclassified", "Não classificados", "Unclassified"},
  };
  for (const Known& k : kKnown) {
    if (k.key == name) return std::string(Tr(l, k.pt, k.en));
  }
  return std::string(name);
}

std::optional<double> Share(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

class Page {
 public:
  Page(const ReportData& data, const ReportOptions& options)
      : d_(data), o_(options), l_(options.language) {}

  std::string Render() {
    w_.Raw("<!DOCTYPE html>\n");
    w_.Open("html", {{"lang", ReportLanguageTag(l_)}});
    w_.Newline();
    Head();
    w_.Open("body");
    w_.Newline();
    Header();
    w_.Open("main");
    w_.Newline();
    Cards();
    StatusSection();
    SegmentsSection();
    CohortSection();
    ConcentrationSection();
    RepsSection();
    KpiSection();
    w_.Close("main");
    w_.Newline();
    w_.Open("footer");
    w_.Text(StrCat(Tr(l_, "Gerado por Carteira ", "Made by Carteira "), CARTEIRA_VERSION_MAJOR, ".",
                   CARTEIRA_VERSION_MINOR, ".", CARTEIRA_VERSION_PATCH, " \xC2\xB7 ",
                   Tr(l_, "data-base ", "as of "), Day(d_.as_of)));
    w_.Close("footer");
    w_.Newline();
    w_.Close("body");
    w_.Close("html");
    w_.Newline();
    return w_.Release();
  }

 private:
  std::string Int(std::int64_t v) const { return FormatInteger(v, l_); }
  std::string Money(MinorUnits v) const { return FormatAmount(v, l_, o_.currency); }
  std::string Money(const std::optional<MinorUnits>& v) const { return FormatAmount(v, l_, o_.currency); }
  std::string MoneyShort(MinorUnits v) const { return FormatAmountShort(v, l_, o_.currency); }
  std::string Pct(const std::optional<double>& v, int decimals = 1) const { return FormatPercent(v, decimals, l_); }
  std::string Dec(const std::optional<double>& v, int decimals) const { return FormatDecimal(v, decimals, l_); }
  std::string Day(DayNumber day) const { return FormatDay(day, l_); }
  std::string Title() const {
    return o_.title.empty() ? std::string(Tr(l_, "Relatório da carteira", "Portfolio report")) : o_.title;
  }
  std::string Period() const {
    return StrCat(Day(d_.from), Tr(l_, " a ", " to "), Day(d_.as_of), " (", Int(d_.as_of - d_.from + 1),
                  Tr(l_, " dias)", " days)"));
  }

  void Head() {
    w_.Open("head");
    w_.Newline();
    w_.Empty("meta", {{"charset", "utf-8"}});
    w_.Empty("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}});
    w_.Newline();
    w_.Element("title", {}, StrCat(Title(), " \xE2\x80\x94 ", Day(d_.as_of)));
    w_.Newline();
    w_.Open("style");
    w_.Raw(kStyle);
    w_.Close("style");
    w_.Newline();
    w_.Close("head");
    w_.Newline();
  }

  void Header() {
    w_.Open("header", {{"class", "top"}});
    w_.Open("div", {{"class", "wrap"}});
    w_.Element("h1", {}, Title());
    w_.Element("p", {},
               StrCat(Tr(l_, "Data-base ", "As of "), Day(d_.as_of), " \xC2\xB7 ", Tr(l_, "Período ", "Period "),
                      Period(), " \xC2\xB7 ", Int(d_.customers), Tr(l_, " clientes, ", " customers, "),
                      Int(d_.reps), Tr(l_, " representantes, ", " reps, "), Int(d_.transactions),
                      Tr(l_, " transações", " transactions")));
    w_.Close("div");
    w_.Close("header");
    w_.Newline();
  }

  void Card(std::string_view key, std::string_view label, const std::string& value, const std::string& sub) {
    w_.Open("div", {{"class", "card"}, {"data-kpi", key}});
    w_.Element("div", {{"class", "k"}}, label);
    w_.Element("div", {{"class", "v"}}, value);
    w_.Element("div", {{"class", "s"}}, sub);
    w_.Close("div");
    w_.Newline();
  }

  void Cards() {
    const KpiRow& k = d_.kpis;
    w_.Open("section", {{"class", "cards"}, {"aria-label", Tr(l_, "Números-chave", "Key figures")}});
    w_.Newline();
    Card("customers", Tr(l_, "Clientes", "Customers"), Int(d_.customers),
         StrCat(Int(d_.rfm_customers), Tr(l_, " já compraram", " have bought")));
    Card("active", Tr(l_, "Ativos", "Active"), Int(k.active),
         StrCat(Pct(Share(k.active, k.customers)), Tr(l_, " dos clientes no fim do período", " of the customers at the end")));
    Card("revenue", Tr(l_, "Receita no período", "Revenue in the period"), MoneyShort(k.revenue),
         StrCat(Int(k.purchases), Tr(l_, " compras de ", " purchases by "), Int(k.buyers),
                Tr(l_, " compradores", " buyers")));
    Card("average_ticket", Tr(l_, "Ticket médio", "Average ticket"), Money(k.average_ticket),
         std::string(Tr(l_, "receita / compras", "revenue / purchases")));
    Card("retention_rate", Tr(l_, "Retenção", "Retention"), Pct(k.retention_rate),
         StrCat(Tr(l_, "churn ", "churn "), Pct(k.churn_rate)));
    Card("nps", "NPS", Dec(k.nps, 1), StrCat(Int(k.answers), Tr(l_, " respostas", " answers")));
    Card("positivacao", Tr(l_, "Positivação", "Positivação (buyers)"), Pct(k.positivacao),
         std::string(Tr(l_, "clientes que compraram no período", "customers who bought in the period")));
    Card("top20_share", Tr(l_, "Receita do top 20%", "Top 20% revenue share"), Pct(k.top20_share),
         StrCat("Gini ", Dec(k.gini, 3)));
    w_.Close("section");
    w_.Newline();
  }

  void OpenSection(std::string_view id, std::string_view title, const std::string& note) {
    w_.Open("section", {{"class", "panel"}, {"id", id}});
    w_.Newline();
    w_.Element("h2", {}, title);
    w_.Element("p", {{"class", "note"}}, note);
    w_.Newline();
  }
  void CloseSection() {
    w_.Close("section");
    w_.Newline();
  }

  void StatusSection() {
    const std::int64_t total = std::accumulate(d_.status.begin(), d_.status.end(), std::int64_t{0});
    OpenSection("status", Tr(l_, "Situação da carteira", "Portfolio status"),
                StrCat(Tr(l_, "Todos os clientes pela situação em ", "Every customer by lifecycle status as of "),
                       Day(d_.as_of), " (", Int(total), Tr(l_, " clientes; ", " customers; "),
                       o_.policy ? Tr(l_, "política informada", "the given policy")
                                 : Tr(l_, "política padrão", "the default policy"),
                       ")."));
    std::vector<Bar> bars;
    std::int64_t max = 0;
    for (int s = 0; s < kStatusCount; ++s) {
      const std::int64_t n = d_.status[s];
      max = std::max(max, n);
      Bar b;
      b.key = std::string(StatusName(static_cast<Status>(s)));
      b.label = std::string(StatusLabel(s, l_));
      b.value = static_cast<double>(n);
      b.data_value = std::to_string(n);
      b.value_text = StrCat(Int(n), " \xC2\xB7 ", Pct(Share(n, total)));
      b.tooltip = StrCat(b.label, ": ", b.value_text);
      b.color = report::StatusColor(s);
      bars.push_back(std::move(b));
    }
    w_.Open("div", {{"class", "row"}});
    w_.Open("figure");
    report::BarChart(w_, "status", "data-status", Tr(l_, "Clientes por situação", "Customers by status"), bars,
                     report::NiceAxis(max, [this](std::int64_t v) { return Int(v); },
                                      std::string(Tr(l_, "clientes", "customers"))),
                     640, 120);
    w_.Close("figure");
    w_.Open("dl", {{"class", "defs"}});
    for (int s = 0; s < kStatusCount; ++s) {
      w_.Open("dt");
      w_.Open("span", {{"class", "sw"}, {"style", StrCat("background:", report::StatusColor(s))}});
      w_.Close("span");
      w_.Text(StatusLabel(s, l_));
      w_.Close("dt");
      w_.Element("dd", {}, StatusDefinition(s, l_));
    }
    w_.Close("dl");
    w_.Close("div");
    CloseSection();
  }

  void SegmentsSection() {
    OpenSection("segments", Tr(l_, "Segmentos RFM", "RFM segments"),
                StrCat(Int(d_.rfm_customers),
                       Tr(l_, " clientes com compra até ", " customers with a purchase by "), Day(d_.as_of),
                       Tr(l_,
                          ", pontuados de 1 a 5 em recência (R), frequência (F) e valor (M) por quintis; "
                          "FM = (F + M) / 2 arredondado para cima.",
                          ", scored 1 to 5 on recency (R), frequency (F) and monetary value (M) by quintiles; "
                          "FM = (F + M) / 2 rounded up.")));
    std::vector<Bar> bars;
    std::vector<std::string> labels;
    std::int64_t max = 0;
    for (size_t i = 0; i < d_.segment_names.size(); ++i) {
      const std::int64_t n = d_.segment_counts[i];
      max = std::max(max, n);
      Bar b;
      b.key = d_.segment_names[i];
      b.label = SegmentLabel(d_.segment_names[i], l_);
      labels.push_back(b.label);
      b.value = static_cast<double>(n);
      b.data_value = std::to_string(n);
      b.value_text = StrCat(Int(n), " \xC2\xB7 ", Pct(Share(n, d_.rfm_customers)));
      b.tooltip = StrCat(b.label, " (", d_.segment_names[i], "): ", b.value_text);
      b.color = report::SegmentColor(d_.segment_names[i], i);
      bars.push_back(std::move(b));
    }
    w_.Open("div", {{"class", "row"}});
    w_.Open("figure");
    w_.Element("figcaption", {}, Tr(l_, "Clientes por segmento", "Customers by segment"));
    report::BarChart(w_, "segments", "data-segment", Tr(l_, "Clientes por segmento RFM", "Customers by RFM segment"),
                     bars,
                     report::NiceAxis(max, [this](std::int64_t v) { return Int(v); },
                                      std::string(Tr(l_, "clientes", "customers"))),
                     580, 160);
    w_.Close("figure");
    w_.Open("figure");
    w_.Element("figcaption", {}, Tr(l_, "Mapa R × FM (clientes por célula)", "R × FM map (customers per cell)"));
    std::vector<std::string> counts;
    for (const auto& row : d_.rfm_grid) {
      for (const std::int64_t c : row) counts.push_back(Int(c));
    }
    report::GridText text;
    text.aria_label = std::string(Tr(l_, "Mapa de segmentos R × FM", "R × FM segment map"));
    text.r_axis = std::string(Tr(l_, "Recência (R)", "Recency (R)"));
    text.fm_axis = std::string(Tr(l_, "Frequência e valor (FM)", "Frequency and value (FM)"));
    report::RfmGrid(w_, d_.rfm_grid, d_.rfm_grid_segment, d_.segment_names, labels, counts, text);
    w_.Close("figure");
    w_.Close("div");
    CloseSection();
  }

  void CohortSection() {
    OpenSection("cohorts", Tr(l_, "Retenção por coorte", "Cohort retention"),
                StrCat(Tr(l_,
                          "Coorte = clientes cuja primeira compra caiu no mês; cada célula é a parcela da coorte "
                          "que comprou k meses depois (+0 é o próprio mês). Período ",
                          "Cohort = the customers whose first purchase fell in the month; each cell is the share "
                          "of the cohort that bought k months later (+0 is the month itself). Period "),
                       Period(), "."));
    std::vector<report::CohortRow> rows;
    size_t months = 0;
    if (d_.cohorts) {
      const CohortMatrix& m = *d_.cohorts;
      months = m.month.size();
      for (size_t c = 0; c < m.month.size(); ++c) {
        report::CohortRow row;
        row.label = FormatMonth(m.month[c], l_);
        row.month_key = FormatDate(m.month[c]).substr(0, 7);
        row.size_text = Int(m.size[c]);
        for (size_t k = 0; k < m.buyers[c].size(); ++k) {
          const std::optional<double> t = m.Retention(c, k);
          row.retention.push_back(t);
          row.cell_text.push_back(t ? Pct(t, 0) : std::string(kNoValue));
          row.tooltip.push_back(StrCat(row.label, " +", k, ": ", Int(m.buyers[c][k]), Tr(l_, " de ", " of "),
                                       Int(m.size[c]), " (", Pct(t), ")"));
        }
        rows.push_back(std::move(row));
      }
    } else {
      w_.Element("p", {{"class", "note"}}, d_.cohort_error);
    }
    report::HeatmapText text;
    text.aria_label = std::string(Tr(l_, "Retenção por coorte de primeira compra", "Retention by first-purchase cohort"));
    text.cohort = std::string(Tr(l_, "Coorte", "Cohort"));
    text.size = std::string(Tr(l_, "Clientes", "Customers"));
    text.months_axis = std::string(Tr(l_, "Meses desde a primeira compra", "Months since the first purchase"));
    text.empty = std::string(Tr(l_, "Sem matriz de coortes para o período", "No cohort matrix for the period"));
    report::CohortHeatmap(w_, rows, months, text);
    CloseSection();
  }

  void Stat(std::string_view key, std::string_view label, const std::string& value) {
    w_.Open("div", {{"class", "stat"}, {"data-stat", key}});
    w_.Element("div", {{"class", "k"}}, label);
    w_.Element("div", {{"class", "v"}}, value);
    w_.Close("div");
  }

  void ConcentrationSection() {
    const KpiRow& k = d_.kpis;
    OpenSection("concentration", Tr(l_, "Concentração de receita", "Revenue concentration"),
                StrCat(Tr(l_,
                          "Curva de Lorenz da receita do período entre os clientes com receita positiva, do menor "
                          "para o maior. Quanto mais longe da diagonal, mais concentrada a receita. Período ",
                          "Lorenz curve of the period's revenue over the customers with positive revenue, from the "
                          "smallest to the largest. The further from the diagonal, the more concentrated. Period "),
                       Period(), "."));
    std::optional<std::pair<double, double>> top20;
    if (k.top20_share && d_.revenue_customers > 0) {
      const std::int64_t n = d_.revenue_customers;
      const std::int64_t top = (n + 4) / 5;  // ceil(20% n), as the KPI
      top20 = std::make_pair(static_cast<double>(n - top) / static_cast<double>(n), 1.0 - *k.top20_share);
    }
    std::vector<std::string> ticks;
    for (int p = 0; p <= 100; p += 20) ticks.push_back(StrCat(p, "%"));
    report::LorenzText text;
    text.aria_label = std::string(Tr(l_, "Curva de Lorenz da receita", "Lorenz curve of revenue"));
    text.x_axis = std::string(Tr(l_, "Clientes acumulados (do menor para o maior)", "Cumulative customers (smallest first)"));
    text.y_axis = std::string(Tr(l_, "Receita acumulada", "Cumulative revenue"));
    text.equality = std::string(Tr(l_, "Igualdade perfeita", "Perfect equality"));
    text.curve = std::string(Tr(l_, "Curva de Lorenz", "Lorenz curve"));
    text.top20_label = StrCat(Tr(l_, "Top 20%: ", "Top 20%: "), Pct(k.top20_share),
                              Tr(l_, " da receita", " of revenue"));
    text.empty = std::string(Tr(l_, "Sem receita no período", "No revenue in the period"));
    w_.Open("div", {{"class", "row"}});
    w_.Open("figure");
    report::LorenzChart(w_, d_.lorenz, top20, ticks, text);
    w_.Close("figure");
    w_.Open("div", {{"class", "stats"}});
    Stat("gini", Tr(l_, "Índice de Gini", "Gini coefficient"), Dec(k.gini, 3));
    Stat("top20_share", Tr(l_, "Receita do top 20%", "Top 20% revenue share"), Pct(k.top20_share));
    Stat("revenue_customers", Tr(l_, "Clientes com receita", "Customers with revenue"), Int(d_.revenue_customers));
    Stat("positive_revenue", Tr(l_, "Receita desses clientes", "Their revenue"), MoneyShort(d_.positive_revenue));
    w_.Element("p", {{"class", "explain"}},
               Tr(l_,
                  "Gini 0 = todos compram o mesmo; perto de 1 = poucos clientes fazem quase toda a receita. "
                  "O top 20% são os maiores clientes (20% arredondado para cima).",
                  "Gini 0 = everybody buys the same; near 1 = a few customers make almost all the revenue. "
                  "The top 20% are the largest customers (20% rounded up)."));
    w_.Close("div");
    w_.Close("div");
    CloseSection();
  }

  std::string RepLabel(size_t i) const {
    if (d_.rep_rows[i].rep == kNoRep) return std::string(Tr(l_, "(sem representante)", "(no rep)"));
    return d_.rep_names[i].empty() ? d_.rep_ids[i] : StrCat(d_.rep_ids[i], " \xC2\xB7 ", d_.rep_names[i]);
  }

  void RepsSection() {
    OpenSection("reps", Tr(l_, "Representantes", "Sales reps"),
                StrCat(Tr(l_, "Carteira de cada representante em ", "Each rep's book as of "), Day(d_.as_of),
                       Tr(l_, "; receita e positivação (clientes da carteira que compraram) no período ",
                          "; revenue and positivação (book customers who bought) in the period "),
                       Period(), "."));
    // Largest revenue first (rep order on a tie), the unassigned last.
    std::vector<size_t> order(d_.rep_rows.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [this](size_t a, size_t b) {
      const RepDashboardRow &ra = d_.rep_rows[a], &rb = d_.rep_rows[b];
      if ((ra.rep == kNoRep) != (rb.rep == kNoRep)) return rb.rep == kNoRep;
      return ra.revenue > rb.revenue;
    });
    std::vector<Bar> revenue, positivacao;
    MinorUnits max = 0;
    for (const size_t i : order) {
      const RepDashboardRow& r = d_.rep_rows[i];
      const bool none = r.rep == kNoRep;
      max = std::max(max, r.revenue);
      Bar b;
      b.key = none ? std::string() : d_.rep_ids[i];
      b.label = RepLabel(i);
      b.value = static_cast<double>(std::max<MinorUnits>(r.revenue, 0));
      b.data_value = FormatMoney(r.revenue);
      b.value_text = MoneyShort(r.revenue);
      b.tooltip = StrCat(b.label, ": ", Money(r.revenue));
      b.color = none ? report::kMutedColor : report::kRevenueColor;
      revenue.push_back(b);
      b.value = r.positivacao.value_or(0);
      b.data_value = r.positivacao ? absl::StrFormat("%.6f", *r.positivacao) : std::string();
      b.value_text = Pct(r.positivacao);
      b.tooltip = StrCat(b.label, ": ", b.value_text, " (", Int(r.buyers), Tr(l_, " de ", " of "), Int(r.book), ")");
      b.color = none ? report::kMutedColor : report::kPositivacaoColor;
      positivacao.push_back(std::move(b));
    }
    report::Axis percent;
    percent.max = 1;
    for (int p = 0; p <= 100; p += 25) percent.ticks.emplace_back(p / 100.0, StrCat(p, "%"));
    percent.title = std::string(Tr(l_, "compradores / carteira", "buyers / book"));
    w_.Open("div", {{"class", "row"}});
    w_.Open("figure");
    w_.Element("figcaption", {}, Tr(l_, "Receita no período", "Revenue in the period"));
    report::BarChart(w_, "rep-revenue", "data-rep", Tr(l_, "Receita por representante", "Revenue by rep"), revenue,
                     report::NiceAxis(max, [this](std::int64_t v) { return MoneyShort(v); },
                                      std::string(Tr(l_, "receita líquida", "net revenue"))),
                     515, 185);
    w_.Close("figure");
    w_.Open("figure");
    w_.Element("figcaption", {}, Tr(l_, "Positivação", "Positivação"));
    report::BarChart(w_, "rep-positivacao", "data-rep", Tr(l_, "Positivação por representante", "Positivação by rep"),
                     positivacao, percent, 515, 185);
    w_.Close("figure");
    w_.Close("div");
    RepTable();
    CloseSection();
  }

  void Th(std::string_view text, bool numeric = false) {
    if (numeric) {
      w_.Element("th", {{"class", "n"}}, text);
    } else {
      w_.Element("th", {}, text);
    }
  }
  void Td(const std::string& text, bool numeric = false) {
    if (numeric) {
      w_.Element("td", {{"class", "n"}}, text);
    } else {
      w_.Element("td", {}, text);
    }
  }

  void RepTable() {
    w_.Open("div", {{"class", "table-wrap"}});
    w_.Open("table", {{"class", "reps"}});
    w_.Open("thead");
    w_.Open("tr");
    Th(Tr(l_, "Representante", "Rep"));
    Th(Tr(l_, "Nome", "Name"));
    Th(Tr(l_, "Carteira", "Book"), true);
    Th(Tr(l_, "Ativos", "Active"), true);
    Th(Tr(l_, "Em risco", "At risk"), true);
    Th(Tr(l_, "Inativos", "Inactive"), true);
    Th(Tr(l_, "Perdidos", "Lost"), true);
    Th(Tr(l_, "Receita", "Revenue"), true);
    Th(Tr(l_, "Positivação", "Positivação"), true);
    Th("NPS", true);
    Th(Tr(l_, "Último contato", "Last contact"), true);
    Th(Tr(l_, "Receita em risco", "Revenue at risk"), true);
    w_.Close("tr");
    w_.Close("thead");
    w_.Open("tbody");
    w_.Newline();
    for (size_t i = 0; i < d_.rep_rows.size(); ++i) {
      const RepDashboardRow& r = d_.rep_rows[i];
      auto status = [&r](Status s) { return r.status[static_cast<int>(s)]; };
      w_.Open("tr", {{"data-rep", d_.rep_ids[i]}});
      Td(r.rep == kNoRep ? std::string(Tr(l_, "(sem representante)", "(no rep)")) : d_.rep_ids[i]);
      w_.Element("td", {{"class", "name"}}, d_.rep_names[i]);
      Td(Int(r.book), true);
      Td(Int(status(Status::kNew) + status(Status::kActive) + status(Status::kReactivated)), true);
      Td(Int(status(Status::kAtRisk)), true);
      Td(Int(status(Status::kInactive)), true);
      Td(Int(status(Status::kLost)), true);
      Td(Money(r.revenue), true);
      Td(Pct(r.positivacao), true);
      Td(Dec(r.nps, 1), true);
      Td(r.last_contact == kNoDay ? std::string(kNoValue)
                                  : StrCat(Day(r.last_contact), " (", Int(r.days_since_last_contact.value_or(0)),
                                           Tr(l_, " d)", " d)")),
         true);
      Td(Money(r.at_risk_value), true);
      w_.Close("tr");
      w_.Newline();
    }
    w_.Close("tbody");
    w_.Close("table");
    w_.Close("div");
    w_.Newline();
  }

  void KpiLine(std::string_view key, std::string_view label, const std::string& value, const std::string& definition) {
    w_.Open("tr", {{"data-kpi", key}});
    Td(std::string(label));
    Td(value, true);
    w_.Element("td", {{"class", "def"}}, definition);
    w_.Close("tr");
    w_.Newline();
  }

  void KpiSection() {
    const KpiRow& k = d_.kpis;
    OpenSection("kpis", Tr(l_, "Indicadores do período", "KPIs of the period"),
                StrCat(Tr(l_, "Período ", "Period "), Period(),
                       Tr(l_, ". Ativo = uma compra nos 180 dias anteriores ao dia; “—” quando o indicador não se "
                              "aplica (denominador zero).",
                          ". Active = a purchase within the 180 days before the day; “—” where a figure does not "
                          "apply (a zero denominator).")));
    w_.Open("div", {{"class", "table-wrap"}});
    w_.Open("table", {{"class", "kpis"}});
    w_.Open("thead");
    w_.Open("tr");
    Th(Tr(l_, "Indicador", "Figure"));
    Th(Tr(l_, "Valor", "Value"), true);
    Th(Tr(l_, "Definição", "Definition"));
    w_.Close("tr");
    w_.Close("thead");
    w_.Open("tbody");
    w_.Newline();
    KpiLine("customers", Tr(l_, "Clientes", "Customers"), Int(k.customers),
            std::string(Tr(l_, "clientes existentes até o fim do período", "customers that exist by the end")));
    KpiLine("active_start", Tr(l_, "Ativos no início (S)", "Active at the start (S)"), Int(k.active_start),
            std::string(Tr(l_, "ativos na véspera do período", "active on the eve of the period")));
    KpiLine("active", Tr(l_, "Ativos no fim (E)", "Active at the end (E)"), Int(k.active),
            std::string(Tr(l_, "ativos no último dia", "active on the last day")));
    KpiLine("new", Tr(l_, "Novos", "New"), Int(k.new_customers),
            StrCat(Tr(l_, "primeira compra no período (", "first purchase in the period ("), Int(k.new_active),
                   Tr(l_, " ativos no fim = N)", " active at the end = N)")));
    KpiLine("retained", Tr(l_, "Retidos / evadidos", "Retained / churned"),
            StrCat(Int(k.retained), " / ", Int(k.churned)),
            std::string(Tr(l_, "dos ativos no início: ativos ou não no fim", "of S: active at the end or not")));
    KpiLine("reactivated", Tr(l_, "Reativados", "Reactivated"), Int(k.reactivated),
            StrCat(Tr(l_, "de ", "of "), Int(k.lapsed_start),
                   Tr(l_, " inativos no início que compraram no período", " lapsed at the start who bought again")));
    KpiLine("retention_rate", Tr(l_, "Taxa de retenção", "Retention rate"), Pct(k.retention_rate), "(E \xE2\x88\x92 N) / S");
    KpiLine("churn_rate", "Churn", Pct(k.churn_rate), std::string(Tr(l_, "evadidos / S", "churned / S")));
    KpiLine("reactivation_rate", Tr(l_, "Taxa de reativação", "Reactivation rate"), Pct(k.reactivation_rate),
            std::string(Tr(l_, "reativados / inativos no início", "reactivated / lapsed at the start")));
    KpiLine("revenue", Tr(l_, "Receita", "Revenue"), Money(k.revenue),
            StrCat(Tr(l_, "líquida de devoluções; ", "net of returns; "), Int(k.purchases),
                   Tr(l_, " compras de ", " purchases by "), Int(k.buyers), Tr(l_, " compradores", " buyers")));
    KpiLine("average_ticket", Tr(l_, "Ticket médio", "Average ticket"), Money(k.average_ticket),
            std::string(Tr(l_, "receita / compras", "revenue / purchases")));
    KpiLine("purchase_frequency", Tr(l_, "Frequência de compra", "Purchase frequency"), Dec(k.purchase_frequency, 2),
            std::string(Tr(l_, "compras / compradores", "purchases / buyers")));
    KpiLine("revenue_per_customer", Tr(l_, "Receita por comprador", "Revenue per buyer"), Money(k.revenue_per_customer),
            std::string(Tr(l_, "receita / compradores", "revenue / buyers")));
    KpiLine("lifetime_observed_days", Tr(l_, "Tempo de vida observado (dias)", "Observed lifetime (days)"),
            Dec(k.lifetime_observed_days, 1),
            std::string(Tr(l_, "média de última − primeira compra dos que não estão ativos no fim",
                           "mean last − first purchase of those not active at the end")));
    KpiLine("lifetime_from_churn_days", Tr(l_, "Tempo de vida pelo churn (dias)", "Lifetime from churn (days)"),
            Dec(k.lifetime_from_churn_days, 1),
            std::string(Tr(l_, "dias do período / churn", "period days / churn rate")));
    KpiLine("nps", "NPS", Dec(k.nps, 1),
            StrCat(Int(k.answers), Tr(l_, " respostas: ", " answers: "), Int(k.promoters),
                   Tr(l_, " promotores, ", " promoters, "), Int(k.passives), Tr(l_, " neutros, ", " passives, "),
                   Int(k.detractors), Tr(l_, " detratores", " detractors")));
    KpiLine("positivacao", Tr(l_, "Positivação", "Positivação"), Pct(k.positivacao),
            std::string(Tr(l_, "compradores / clientes", "buyers / customers")));
    KpiLine("giro", Tr(l_, "Giro da carteira", "Book turnover (giro)"), Pct(k.giro),
            StrCat(Int(k.moved), Tr(l_, " de ", " of "), Int(k.book_at_start),
                   Tr(l_, " clientes com representante mudaram de representante",
                      " customers with a rep moved to another rep or none")));
    KpiLine("top20_share", Tr(l_, "Receita do top 20%", "Top 20% revenue share"), Pct(k.top20_share),
            std::string(Tr(l_, "receita dos 20% maiores clientes / total", "revenue of the largest 20% / total")));
    KpiLine("gini", "Gini", Dec(k.gini, 3),
            std::string(Tr(l_, "concentração da receita (0 = igual para todos)", "revenue concentration (0 = equal)")));
    w_.Close("tbody");
    w_.Close("table");
    w_.Close("div");
    w_.Newline();
    CloseSection();
  }

  const ReportData& d_;
  const ReportOptions& o_;
  const ReportLanguage l_;
  MarkupWriter w_;
};

}  // namespace

std::string RenderReport(const ReportData& data, const ReportOptions& options) { return Page(data, options).Render(); }

absl::Status WriteReport(const Portfolio& portfolio, const ReportOptions& options, std::ostream& out) {
  auto data = ComputeReport(portfolio, options);
  if (!data.ok()) return data.status();
  const std::string html = RenderReport(*data, options);
  out.write(html.data(), static_cast<std::streamsize>(html.size()));
  if (!out) return absl::DataLossError("writing the report failed");
  return absl::OkStatus();
}

absl::Status WriteReportFile(const Portfolio& portfolio, const ReportOptions& options, const std::string& path) {
  auto data = ComputeReport(portfolio, options);
  if (!data.ok()) return data.status();
  return WriteReportFile(*data, options, path);
}

absl::Status WriteReportFile(const ReportData& data, const ReportOptions& options, const std::string& path) {
  return WriteFileAtomically(path, RenderReport(data, options));
}

}  // namespace carteira
