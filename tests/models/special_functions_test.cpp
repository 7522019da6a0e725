#include "carteira/models/special_functions.h"

#include <gtest/gtest.h>

#include <cmath>

namespace carteira::models {
namespace {

TEST(SpecialFunctions, LogSumExpAndLogBeta) {
  EXPECT_DOUBLE_EQ(LogSumExp(std::log(2.0), std::log(3.0)), std::log(5.0));
  EXPECT_DOUBLE_EQ(LogSumExp(-INFINITY, 1.5), 1.5);
  EXPECT_NEAR(LogBeta(2.0, 3.0), std::log(1.0 / 12.0), 1e-15);
}

}  // namespace
}  // namespace carteira::models
