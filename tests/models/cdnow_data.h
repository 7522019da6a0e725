// The CDNOW calibration summary (Fader & Hardie; 2,357 customers, weeks
// 1-39, copied to tests/data/cdnow) as RfmData, for the model tests.
#ifndef CARTEIRA_TESTS_MODELS_CDNOW_DATA_H_
#define CARTEIRA_TESTS_MODELS_CDNOW_DATA_H_

#include <fstream>
#include <sstream>
#include <string>

#include "carteira/models/rfm_data.h"

namespace carteira::models::testing {

// ID,x,t_x,T,zbar (CRLF), weeks.
inline RfmData CdnowCalibration() {
  RfmData d;
  d.unit = TimeUnit::kWeeks;
  std::ifstream in(std::string(CARTEIRA_TEST_DATA) + "/cdnow/cdnow_customers_summary_with_transactions.csv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::stringstream row(line);
    std::string id, x, t_x, T, zbar;
    std::getline(row, id, ',');
    std::getline(row, x, ',');
    std::getline(row, t_x, ',');
    std::getline(row, T, ',');
    std::getline(row, zbar, ',');
    d.x.push_back(std::stod(x));
    d.t_x.push_back(std::stod(t_x));
    d.T.push_back(std::stod(T));
    d.zbar.push_back(std::stod(zbar));
  }
  return d;
}

}  // namespace carteira::models::testing

#endif  // CARTEIRA_TESTS_MODELS_CDNOW_DATA_H_
