# Every dependency is a Debian 12 package installed by scripts/setup.
find_package(absl CONFIG REQUIRED)
find_package(Boost 1.74 CONFIG REQUIRED COMPONENTS date_time)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json 3 CONFIG REQUIRED)
find_package(NLopt 2.7 CONFIG REQUIRED)
find_package(Threads REQUIRED)
