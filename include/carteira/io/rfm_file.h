// Reading model input from a summary file: one row per customer (or per
// pattern, with a weight) with the columns x, t_x and T, as Fader &
// Hardie's and lifetimes' files have them. Accepted names: x | frequency;
// t_x | recency; T | periods | n; weight | weights; zbar | monetary_value.
// Delimiter detected, BOM and CRLF accepted; with ';' a decimal comma is
// read too. Errors name file, line, column and field.
#ifndef CARTEIRA_IO_RFM_FILE_H_
#define CARTEIRA_IO_RFM_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "carteira/models/rfm_data.h"

namespace carteira {

// `unit` is the unit of the file's t_x and T (the file does not say).
absl::StatusOr<models::RfmData> ReadRfmFile(const std::string& path, TimeUnit unit);

}  // namespace carteira

#endif  // CARTEIRA_IO_RFM_FILE_H_
