#include <stdio.h>

#include "carteira/carteira.h"

int main(int argc, char** argv) {
  carteira_portfolio* p = NULL;
  carteira_portfolio_counts counts = CARTEIRA_PORTFOLIO_COUNTS_INIT;
  if (argc != 2) return 2;
  if (carteira_version_number() / 10000 != CARTEIRA_VERSION_MAJOR) return 3;
  if (carteira_portfolio_create(&p) != CARTEIRA_OK) return 4;
  if (carteira_import_directory(p, argv[1], NULL, NULL) != CARTEIRA_OK) {
    fprintf(stderr, "%s\n", carteira_last_error_message());
    return 5;
  }
  if (carteira_portfolio_get_counts(p, &counts) != CARTEIRA_OK) return 6;
  printf("consumer_c: %lld customers\n", (long long)counts.customers);
  carteira_portfolio_destroy(p);
  return counts.customers == 5000 ? 0 : 7;
}
