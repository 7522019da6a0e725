#include "carteira/io/csv_reader.h"

#include <gtest/gtest.h>

namespace carteira {
namespace {

std::vector<std::vector<std::string>> ReadAll(const std::string& text, CsvOptions options = {}) {
  auto reader = CsvReader::FromString(text, "t.csv", options);
  EXPECT_TRUE(reader.ok()) << reader.status();
  std::vector<std::vector<std::string>> rows;
  CsvRecord record;
  std::string error;
  while (reader->Next(&record, &error)) {
    EXPECT_EQ(error, "");
    rows.emplace_back(record.fields.begin(), record.fields.end());
  }
  return rows;
}

TEST(CsvReader, DetectsSemicolonAndStripsBom) {
  auto reader = CsvReader::FromString("\xEF\xBB\xBF" "id;valor\r\nC1;1,50\r\n", "t.csv");
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->delimiter(), ';');
  EXPECT_EQ(reader->header(), (std::vector<std::string>{"id", "valor"}));
  CsvRecord r;
  std::string error;
  ASSERT_TRUE(reader->Next(&r, &error));
  EXPECT_EQ(r.line, 2);
  EXPECT_EQ(r.fields[1], "1,50");  // CR stripped, comma kept
}

TEST(CsvReader, QuotedFieldsWithDelimitersQuotesAndNewlines) {
  const auto rows = ReadAll("a,b,c\n\"x,1\",\"say \"\"oi\"\"\",\"two\nlines\"\nlast,2,3\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"x,1", "say \"oi\"", "two\nlines"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"last", "2", "3"}));
}

TEST(CsvReader, LineNumbersCountBlankAndMultilineRecords) {
  auto reader = CsvReader::FromString("h1,h2\n\n\"a\nb\",1\nc,2\n", "t.csv");
  CsvRecord r;
  std::string error;
  ASSERT_TRUE(reader->Next(&r, &error));
  EXPECT_EQ(r.line, 3);
  ASSERT_TRUE(reader->Next(&r, &error));
  EXPECT_EQ(r.line, 5);
  EXPECT_FALSE(reader->Next(&r, &error));
}

TEST(CsvReader, WhitespaceSeparatedLikeCdnow) {
  CsvOptions options;
  options.has_header = false;
  const auto rows = ReadAll(" 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n",
                            options);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"00004", "0001", "19970101", "2", "29.33"}));
}

TEST(CsvReader, ReportsMalformedRecordsAndCarriesOn) {
  auto reader = CsvReader::FromString("a,b\n\"x\"y,1\nok,2\n", "t.csv");
  CsvRecord r;
  std::string error;
  ASSERT_TRUE(reader->Next(&r, &error));
  EXPECT_NE(error.find("2:1"), std::string::npos) << error;
  ASSERT_TRUE(reader->Next(&r, &error));
  EXPECT_EQ(error, "");
  EXPECT_EQ(r.fields[0], "ok");
  EXPECT_EQ(r.line, 3);
}

TEST(CsvReader, UnterminatedQuoteIsAnError) {
  auto reader = CsvReader::FromString("a,b\n\"never closed,1\n", "t.csv");
  CsvRecord r;
  std::string error;
  ASSERT_TRUE(reader->Next(&r, &error));
  EXPECT_NE(error.find("unterminated"), std::string::npos);
  EXPECT_FALSE(reader->Next(&r, &error));
}

TEST(CsvReader, MissingFileIsNotFound) {
  EXPECT_TRUE(absl::IsNotFound(CsvReader::Open("/nonexistent/x.csv").status()));
}

}  // namespace
}  // namespace carteira
