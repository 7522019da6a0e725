/* The check every C test program of the C ABI uses: EXPECT(cond) counts a
 * pass or reports the failed condition with the library's last error, and
 * the program then exits non-zero when `failures` is not 0. Header-only,
 * C11, for programs built with -Wall -Wextra -Werror -pedantic. */
#ifndef CARTEIRA_TESTS_CAPI_C_TEST_H_
#define CARTEIRA_TESTS_CAPI_C_TEST_H_

#include <stdio.h>

#include "carteira/carteira.h"

static int failures = 0;
static int passes = 0;

#define EXPECT(cond)                                                        \
  do {                                                                      \
    if (cond) {                                                             \
      ++passes;                                                             \
    } else {                                                                \
      ++failures;                                                           \
      fprintf(stderr, "%s:%d: expected %s (last error: %s)\n", __FILE__,    \
              __LINE__, #cond, carteira_last_error_message());              \
    }                                                                       \
  } while (0)

#endif /* CARTEIRA_TESTS_CAPI_C_TEST_H_ */
