/* The HTML report from C11: carteira_report_write on the sample with the
 * defaults (options NULL and CARTEIRA_REPORT_OPTIONS_INIT give the same
 * bytes), in English with a period, a title, no currency, a policy and a
 * segment map; and its errors (bad arguments, a missing directory named in
 * the message and nothing written, an empty portfolio without a date). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_test.h"
#include "carteira/carteira.h"

static int32_t Day(const char* text) {
  int32_t day = CARTEIRA_NO_DAY;
  if (carteira_parse_date(text, &day) != CARTEIRA_OK) {
    fprintf(stderr, "bad date %s\n", text);
    exit(2);
  }
  return day;
}

/* The whole file, NUL-terminated (NULL if it cannot be read); free() it. */
static char* ReadFile(const char* path) {
  FILE* f = fopen(path, "rb");
  char* text;
  long size;
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  text = (char*)malloc((size_t)size + 1);
  if (text != NULL && fread(text, 1, (size_t)size, f) != (size_t)size) {
    free(text);
    text = NULL;
  }
  if (text != NULL) text[size] = '\0';
  fclose(f);
  return text;
}

static int Contains(const char* text, const char* what) { return text != NULL && strstr(text, what) != NULL; }

int main(int argc, char** argv) {
  char defaults_path[1024], init_path[1024], en_path[1024], missing_path[1024];
  char *defaults, *init, *en;
  carteira_portfolio* p = NULL;
  carteira_portfolio* empty = NULL;
  carteira_import_report* import = NULL;
  carteira_status_policy* policy = NULL;
  carteira_segment_map* map = NULL;
  carteira_report_options options = CARTEIRA_REPORT_OPTIONS_INIT;
  carteira_report_options bad = CARTEIRA_REPORT_OPTIONS_INIT;

  if (argc != 3) {
    fprintf(stderr, "usage: %s SAMPLE_DIR WORK_DIR\n", argv[0]);
    return 2;
  }
  snprintf(defaults_path, sizeof defaults_path, "%s/capi_report_defaults.html", argv[2]);
  snprintf(init_path, sizeof init_path, "%s/capi_report_init.html", argv[2]);
  snprintf(en_path, sizeof en_path, "%s/capi_report_en.html", argv[2]);
  snprintf(missing_path, sizeof missing_path, "%s/no_such_dir/report.html", argv[2]);

  EXPECT(carteira_portfolio_create(&p) == CARTEIRA_OK);
  EXPECT(carteira_import_directory(p, argv[1], NULL, &import) == CARTEIRA_OK);
  carteira_import_report_destroy(import);

  /* The defaults: the 365 days ending at the last transaction, pt-BR. */
  EXPECT(carteira_report_write(p, NULL, defaults_path) == CARTEIRA_OK);
  EXPECT(carteira_report_write(p, &options, init_path) == CARTEIRA_OK);
  defaults = ReadFile(defaults_path);
  init = ReadFile(init_path);
  EXPECT(defaults != NULL && strncmp(defaults, "<!DOCTYPE html>", 15) == 0);
  EXPECT(Contains(defaults, "<html lang=\"pt-BR\">"));
  EXPECT(Contains(defaults, "data-chart=\"status\" data-series=\"7\""));
  EXPECT(Contains(defaults, "Situação da carteira"));
  EXPECT(Contains(defaults, "01/11/2025 a 31/10/2026 (365 dias)"));
  EXPECT(defaults != NULL && init != NULL && strcmp(defaults, init) == 0);

  /* English, a period, a title with markup, no currency, a fixed policy
   * and a map of two named segments. */
  EXPECT(carteira_status_policy_fixed(30, 90, 365, &policy) == CARTEIRA_OK);
  EXPECT(carteira_segment_map_from_json("{\"segments\": [{\"name\": \"recent\", \"r\": [4, 5]}, {\"name\": \"older\"}]}",
                                        &map) == CARTEIRA_OK);
  options.as_of = Day("2026-10-31");
  options.from = Day("2026-01-01");
  options.language = CARTEIRA_REPORT_EN;
  options.currency = "";
  options.title = "Sales <North> & \"South\"";
  options.policy = policy;
  options.segment_map = map;
  EXPECT(carteira_report_write(p, &options, en_path) == CARTEIRA_OK);
  en = ReadFile(en_path);
  EXPECT(Contains(en, "<html lang=\"en\">"));
  EXPECT(Contains(en, "Portfolio status"));
  EXPECT(Contains(en, "2026-01-01 to 2026-10-31 (304 days)"));
  EXPECT(Contains(en, "Sales &lt;North&gt; &amp; &quot;South&quot;"));
  EXPECT(Contains(en, "data-segment=\"recent\""));
  EXPECT(Contains(en, "data-segment=\"older\""));
  EXPECT(Contains(en, "the given policy"));
  EXPECT(!Contains(en, "R$"));
  free(defaults);
  free(init);
  free(en);

  /* Errors. */
  EXPECT(carteira_report_write(NULL, NULL, en_path) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(carteira_report_write(p, NULL, NULL) == CARTEIRA_INVALID_ARGUMENT);
  bad.language = 7;
  EXPECT(carteira_report_write(p, &bad, en_path) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(Contains(carteira_last_error_message(), "language"));
  bad.language = CARTEIRA_REPORT_PT_BR;
  bad.struct_size = 4;
  EXPECT(carteira_report_write(p, &bad, en_path) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(Contains(carteira_last_error_message(), "struct_size"));
  bad.struct_size = sizeof bad;
  bad.as_of = Day("2026-01-01");
  bad.from = Day("2026-02-01");
  EXPECT(carteira_report_write(p, &bad, en_path) == CARTEIRA_INVALID_ARGUMENT);
  bad.from = CARTEIRA_NO_DAY;
  bad.title = "\xff\xfe";
  EXPECT(carteira_report_write(p, &bad, en_path) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(Contains(carteira_last_error_message(), "UTF-8"));
  EXPECT(carteira_report_write(p, NULL, missing_path) == CARTEIRA_NOT_FOUND);
  EXPECT(Contains(carteira_last_error_message(), missing_path));
  EXPECT(ReadFile(missing_path) == NULL);
  EXPECT(carteira_portfolio_create(&empty) == CARTEIRA_OK);
  EXPECT(carteira_report_write(empty, NULL, en_path) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(Contains(carteira_last_error_message(), "no transactions"));

  remove(defaults_path);
  remove(init_path);
  remove(en_path);
  carteira_portfolio_destroy(empty);
  carteira_segment_map_destroy(map);
  carteira_status_policy_destroy(policy);
  carteira_portfolio_destroy(p);
  printf("%d checks passed, %d failed\n", passes, failures);
  return failures == 0 ? 0 : 1;
}
