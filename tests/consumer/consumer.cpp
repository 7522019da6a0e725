#include <iostream>

#include "carteira/io/import.h"
#include "carteira/summary/customer_summary.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  carteira::Portfolio portfolio;
  carteira::ImportReport report;
  if (!carteira::ImportDirectory(portfolio, argv[1], {}, &report).ok()) return 3;
  carteira::SummaryOptions options;
  options.as_of = carteira::Date(2026, 10, 31);
  auto summary = carteira::Summarize(portfolio, options);
  if (!summary.ok()) return 4;
  std::cout << "consumer_cpp: " << summary->size() << " customers summarised\n";
  return summary->size() > 4000 ? 0 : 5;
}
