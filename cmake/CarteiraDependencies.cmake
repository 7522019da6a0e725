# Every dependency is a Debian 12 package installed by scripts/setup.
find_package(absl CONFIG REQUIRED)
find_package(Boost 1.74 CONFIG REQUIRED COMPONENTS date_time)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json 3 CONFIG REQUIRED)
find_package(NLopt 2.7 CONFIG REQUIRED)
find_package(Threads REQUIRED)
# Data hygiene (carteira::hygiene): ICU folds accents and case in names;
# libphonenumber (no CMake package in Debian: cmake/FindPhoneNumber.cmake
# looks for it by hand) validates phones.
find_package(ICU REQUIRED COMPONENTS uc i18n)
find_package(PhoneNumber MODULE REQUIRED)
# The embedded store (carteira::store): SQLite's C API (FindSQLite3, CMake's own).
find_package(SQLite3 REQUIRED)
# LEMON (liblemon-dev): its network simplex solves the rebalance exactly.
# Header-only for what Carteira uses, so only its include directory is needed
# (and only to build: no public header includes it).
find_path(LEMON_INCLUDE_DIR lemon/network_simplex.h REQUIRED)
# GLPK (libglpk-dev): branch and cut for the rebalance of weighted loads, an
# integer program (src/redistribution/rebalance_weighted.cpp).
find_path(GLPK_INCLUDE_DIR glpk.h REQUIRED)
find_library(GLPK_LIBRARY NAMES glpk REQUIRED)
