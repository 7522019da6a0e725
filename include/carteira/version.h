// Carteira's version. CMake reads these three lines to set the project version,
// so this header is the single place where the version is bumped.
#ifndef CARTEIRA_VERSION_H_
#define CARTEIRA_VERSION_H_

#define CARTEIRA_VERSION_MAJOR 0
#define CARTEIRA_VERSION_MINOR 1
#define CARTEIRA_VERSION_PATCH 0

#define CARTEIRA_VERSION_NUMBER \
  (CARTEIRA_VERSION_MAJOR * 10000 + CARTEIRA_VERSION_MINOR * 100 + CARTEIRA_VERSION_PATCH)

#endif  // CARTEIRA_VERSION_H_
