/* Data hygiene from C11: documents, phones, e-mails and names one value at
 * a time; the report of a small portfolio with planted problems and a
 * duplicate; the merge, which loses nothing (counts and revenue equal). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_test.h"
#include "carteira/carteira.h"

/* Revenue of every summarised customer and the number summarised. */
static int64_t TotalRevenue(const carteira_portfolio* p, int32_t as_of, size_t* customers) {
  carteira_summary_options o = CARTEIRA_SUMMARY_OPTIONS_INIT;
  carteira_summary* s = NULL;
  int64_t total = 0, revenue[16];
  size_t rows = 0, i;
  o.as_of = as_of;
  EXPECT(carteira_summary_compute(p, &o, &s) == CARTEIRA_OK);
  EXPECT(carteira_summary_size(s, &rows) == CARTEIRA_OK && rows <= 16);
  EXPECT(carteira_summary_get_int64(s, CARTEIRA_SUMMARY_REVENUE, revenue, 16) == CARTEIRA_OK);
  for (i = 0; i < rows && i < 16; ++i) total += revenue[i];
  carteira_summary_destroy(s);
  *customers = rows;
  return total;
}

int main(void) {
  carteira_tax_id_result doc = CARTEIRA_TAX_ID_RESULT_INIT;
  carteira_phone_result phone = CARTEIRA_PHONE_RESULT_INIT;
  carteira_email_result email = CARTEIRA_EMAIL_RESULT_INIT;
  char text[64];
  size_t length = 0;

  /* The Receita Federal's example of the alphanumeric CNPJ, and a neighbour. */
  EXPECT(carteira_check_tax_id("12ABC34501DE35", &doc) == CARTEIRA_OK);
  EXPECT(doc.valid == 1 && strcmp(doc.kind, "cnpj") == 0 && strcmp(doc.problem, "none") == 0);
  EXPECT(strcmp(doc.formatted, "12.ABC.345/01DE-35") == 0 && strcmp(doc.canonical, "12ABC34501DE35") == 0);
  EXPECT(carteira_check_tax_id("12.ABC.345/01DE-36", &doc) == CARTEIRA_OK);
  EXPECT(doc.valid == 0 && strcmp(doc.problem, "check_digit_mismatch") == 0 && doc.position == 14);
  EXPECT(strcmp(doc.formatted, "") == 0);
  EXPECT(carteira_check_tax_id("111.111.111-11", &doc) == CARTEIRA_OK);
  EXPECT(doc.valid == 0 && strcmp(doc.problem, "repeated_digits") == 0);
  EXPECT(carteira_check_tax_id(NULL, &doc) == CARTEIRA_INVALID_ARGUMENT);
  {
    carteira_tax_id_result small = CARTEIRA_TAX_ID_RESULT_INIT;
    small.struct_size = 4;
    EXPECT(carteira_check_tax_id("12ABC34501DE35", &small) == CARTEIRA_INVALID_ARGUMENT);
  }

  /* A mobile, a fixed line, and an old 8-digit mobile (the ninth digit is
   * only suggested). */
  EXPECT(carteira_check_phone("(11) 98765-4321", NULL, &phone) == CARTEIRA_OK);
  EXPECT(phone.valid == 1 && strcmp(phone.type, "mobile") == 0 && strcmp(phone.e164, "+5511987654321") == 0);
  EXPECT(carteira_check_phone("(11) 3333-4444", "BR", &phone) == CARTEIRA_OK);
  EXPECT(phone.valid == 1 && strcmp(phone.type, "fixed_line") == 0);
  EXPECT(carteira_check_phone("(11) 8765-4321", NULL, &phone) == CARTEIRA_OK);
  EXPECT(phone.valid == 0 && strcmp(phone.suggestion, "+5511987654321") == 0 && strcmp(phone.e164, "") == 0);

  /* An e-mail with a provider typo: valid syntax, suggestion not applied. */
  EXPECT(carteira_check_email("  Ana.Souza@GMIAL.com ", &email) == CARTEIRA_OK);
  EXPECT(email.valid == 1 && strcmp(email.normalized, "Ana.Souza@gmial.com") == 0);
  EXPECT(strcmp(email.suggestion, "Ana.Souza@gmail.com") == 0);
  EXPECT(carteira_check_email("ana..souza@gmail.com", &email) == CARTEIRA_OK);
  EXPECT(email.valid == 0 && strcmp(email.problem, "dot_placement") == 0);

  /* Names: size query, then fill; too small a buffer writes nothing. */
  EXPECT(carteira_display_name("MARIA DAS GRAÇAS  d'ávila", NULL, 0, &length) == CARTEIRA_OK);
  EXPECT(length == strlen("Maria das Graças D'Ávila"));
  EXPECT(carteira_display_name("MARIA DAS GRAÇAS  d'ávila", text, sizeof text, &length) == CARTEIRA_OK);
  EXPECT(strcmp(text, "Maria das Graças D'Ávila") == 0);
  EXPECT(carteira_fold_key("  José  D'Ávila-Gonçalves", text, sizeof text, &length) == CARTEIRA_OK);
  EXPECT(strcmp(text, "jose d avila goncalves") == 0);
  text[0] = 'x';
  EXPECT(carteira_fold_key("José", text, 4, &length) == CARTEIRA_OUT_OF_RANGE && text[0] == 'x');

  /* A portfolio: C1 and C3 are the same company (same CNPJ), C2 has a bad
   * CPF, a typo in the e-mail and an old mobile. */
  {
    const char* ids[] = {"C1", "C2", "C3"};
    const char* names[] = {"Padaria São João Ltda", "João Pereira", "PADARIA SAO JOAO LTDA"};
    const char* docs[] = {"11.222.333/0001-81", "123.456.789-00", "11222333000181"};
    const char* emails[] = {"contato@padariasj.com.br", "joao@hotmal.com", ""};
    const char* phones[] = {"(11) 3333-4444", "(21) 8765-4321", "(11) 3333-4444"};
    const char* cities[] = {"São Paulo", "Rio de Janeiro", "Sao Paulo"};
    const char* tx_ids[] = {"C1", "C1", "C2", "C3", "C3"};
    const int32_t dates[] = {20000, 20010, 20005, 20020, 20030};
    const int64_t amounts[] = {10000, 2550, 999, 4000, -500};
    uint32_t tx_index[5];
    carteira_portfolio* p = NULL;
    carteira_customer_columns c = CARTEIRA_CUSTOMER_COLUMNS_INIT;
    carteira_transaction_columns t = CARTEIRA_TRANSACTION_COLUMNS_INIT;
    carteira_hygiene_options options = CARTEIRA_HYGIENE_OPTIONS_INIT;
    carteira_hygiene_report* report = NULL;
    carteira_hygiene_problem problem = CARTEIRA_HYGIENE_PROBLEM_INIT;
    carteira_duplicate_cluster cluster = CARTEIRA_DUPLICATE_CLUSTER_INIT;
    carteira_portfolio_counts before = CARTEIRA_PORTFOLIO_COUNTS_INIT, after = CARTEIRA_PORTFOLIO_COUNTS_INIT;
    size_t n = 0, i, customers_before = 0, customers_after = 0;
    int saw_cpf = 0, saw_typo = 0, saw_mobile = 0;
    const char* merged[] = {"C3"};
    uint32_t found = 0;
    int64_t revenue_before, revenue_after;

    EXPECT(carteira_portfolio_create(&p) == CARTEIRA_OK);
    c.count = 3;
    c.id = ids;
    c.name = names;
    c.document = docs;
    c.email = emails;
    c.phone = phones;
    c.city = cities;
    EXPECT(carteira_portfolio_append_customers(p, &c) == CARTEIRA_OK);
    EXPECT(carteira_portfolio_intern_customers(p, tx_ids, 5, tx_index) == CARTEIRA_OK);
    t.count = 5;
    t.customer_index = tx_index;
    t.date = dates;
    t.amount = amounts;
    EXPECT(carteira_portfolio_append_transactions(p, &t) == CARTEIRA_OK);

    EXPECT(carteira_hygiene_check(p, &options, &report) == CARTEIRA_OK);
    EXPECT(carteira_hygiene_report_problem_count(report, &n) == CARTEIRA_OK && n > 0);
    for (i = 0; i < n; ++i) {
      EXPECT(carteira_hygiene_report_problem(report, i, &problem) == CARTEIRA_OK);
      if (strcmp(problem.customer_id, "C2") != 0) continue;
      if (strcmp(problem.field, "document") == 0 && strcmp(problem.problem, "check_digit_mismatch") == 0) saw_cpf = 1;
      if (strcmp(problem.field, "email") == 0 && strcmp(problem.suggestion, "joao@hotmail.com") == 0) saw_typo = 1;
      if (strcmp(problem.field, "phone") == 0 && strcmp(problem.suggestion, "+5521987654321") == 0) saw_mobile = 1;
    }
    EXPECT(saw_cpf && saw_typo && saw_mobile);
    EXPECT(carteira_hygiene_report_problem(report, n, &problem) == CARTEIRA_OUT_OF_RANGE);
    EXPECT(carteira_hygiene_report_count_size(report, &n) == CARTEIRA_OK && n > 0);
    {
      const char* name = NULL;
      uint64_t count = 0;
      int saw_clusters = 0;
      for (i = 0; i < n; ++i) {
        EXPECT(carteira_hygiene_report_count(report, i, &name, &count) == CARTEIRA_OK);
        if (strcmp(name, "duplicates.clusters") == 0) saw_clusters = count == 1;
      }
      EXPECT(saw_clusters);
    }
    EXPECT(carteira_hygiene_report_cluster_count(report, &n) == CARTEIRA_OK && n == 1);
    EXPECT(carteira_hygiene_report_cluster(report, 0, &cluster) == CARTEIRA_OK);
    EXPECT(cluster.member_count == 2 && cluster.members[0] == 0 && cluster.members[1] == 2);
    EXPECT(strstr(cluster.reasons, "document") != NULL && cluster.score >= 0.75);
    carteira_hygiene_report_destroy(report);
    options.link_threshold = 2.0;
    EXPECT(carteira_hygiene_check(p, &options, &report) == CARTEIRA_INVALID_ARGUMENT && report == NULL);

    /* The merge loses nothing, and the old id still finds the survivor. */
    EXPECT(carteira_portfolio_get_counts(p, &before) == CARTEIRA_OK);
    revenue_before = TotalRevenue(p, 20100, &customers_before);
    {
      /* An engine and a table made before the merge: refused after it (the
       * merge renumbers the customers), never read out of bounds. */
      carteira_status_policy* policy = NULL;
      carteira_status_engine* engine = NULL;
      carteira_status_table* table = NULL;
      size_t length = 0;
      EXPECT(carteira_status_policy_default(&policy) == CARTEIRA_OK);
      EXPECT(carteira_status_engine_create(p, policy, &engine) == CARTEIRA_OK);
      EXPECT(carteira_status_classify(engine, 20100, &table) == CARTEIRA_OK);
      EXPECT(carteira_status_table_reason(table, 2, NULL, 0, &length) == CARTEIRA_OK);
      EXPECT(carteira_portfolio_merge_customers(p, "C1", merged, 1, 20100, "teste") == CARTEIRA_OK);
      EXPECT(carteira_status_table_reason(table, 2, NULL, 0, &length) == CARTEIRA_FAILED_PRECONDITION);
      carteira_status_table_destroy(table);
      table = NULL;
      EXPECT(carteira_status_classify(engine, 20100, &table) == CARTEIRA_FAILED_PRECONDITION && table == NULL);
      EXPECT(strstr(carteira_last_error_message(), "make a new engine") != NULL);
      carteira_status_engine_destroy(engine);
      EXPECT(carteira_status_engine_create(p, policy, &engine) == CARTEIRA_OK);
      EXPECT(carteira_status_classify(engine, 20100, &table) == CARTEIRA_OK);
      carteira_status_table_destroy(table);
      carteira_status_engine_destroy(engine);
      carteira_status_policy_destroy(policy);
    }
    EXPECT(carteira_portfolio_get_counts(p, &after) == CARTEIRA_OK);
    revenue_after = TotalRevenue(p, 20100, &customers_after);
    EXPECT(after.customers == before.customers - 1 && after.transactions == before.transactions);
    EXPECT(revenue_after == revenue_before && revenue_before == 10000 + 2550 + 999 + 4000 - 500);
    EXPECT(customers_after == customers_before - 1);
    EXPECT(carteira_portfolio_find_customer(p, "C3", &found) == CARTEIRA_OK && found == 0);
    /* Unknown ids, and a merge into itself, change nothing. */
    merged[0] = "C9";
    EXPECT(carteira_portfolio_merge_customers(p, "C1", merged, 1, 20100, NULL) != CARTEIRA_OK);
    EXPECT(carteira_portfolio_merge_customers(p, "C1", NULL, 1, 20100, NULL) == CARTEIRA_INVALID_ARGUMENT);
    EXPECT(carteira_portfolio_get_counts(p, &before) == CARTEIRA_OK && before.customers == after.customers);
    carteira_portfolio_destroy(p);
  }
  carteira_hygiene_report_destroy(NULL);

  printf("%d checks passed, %d failed\n", passes, failures);
  return failures == 0 ? 0 : 1;
}
