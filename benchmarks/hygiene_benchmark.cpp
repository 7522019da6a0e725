// Data hygiene over 1 million synthetic customers (CARTEIRA_BENCH_CUSTOMERS
// overrides the count): accented Portuguese names, CPFs/CNPJs, e-mails,
// phones and cities, with ~5% planted problems (bad check digits, e-mail
// typos, old 8-digit mobiles, shouting names) and ~3% planted duplicates
// (a copy of an earlier customer typed differently). Fixed seed.
//
// libphonenumber's PhoneNumberUtil is a singleton whose metadata loads on
// first use: the PhoneChecker is built before timing, and BM_PhoneCheckerColdStart
// measures that load on its own (only its first iteration is really cold).
//
// Targets (one core): BM_ValidateCustomers <= 1 s; BM_FindDuplicates (from
// raw records: keys + blocking + scoring + clusters) <= 5 s. Read them also
// as ratios to BM_BaselineCopyFields of the same run.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "carteira/hygiene/duplicates.h"
#include "carteira/hygiene/phone.h"
#include "carteira/hygiene/report.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira::hygiene {
namespace {

size_t CustomerCount() {
  const char* env = std::getenv("CARTEIRA_BENCH_CUSTOMERS");
  return env ? std::strtoull(env, nullptr, 10) : 1'000'000;
}

const char* const kFirst[] = {"José", "João", "Antônio", "Francisco", "Carlos", "Paulo", "Lívia",
                              "Maria", "Ana", "Conceição", "Sebastião", "Márcia", "Luís", "Inês",
                              "Fábio", "Letícia", "Raimundo", "Cecília", "Otávio", "Gonçalo"};
const char* const kMiddle[] = {"", "", "da", "de", "dos", "das", "do"};
const char* const kLast[] = {"Silva", "Santos", "Oliveira", "Souza", "Araújo", "Gonçalves",
                             "Conceição", "Pereira", "Lima", "Gomes", "Ribeiro", "Magalhães",
                             "Simões", "Romão", "Brandão", "Assunção", "Machado", "Falcão"};
// Syllables for a third surname, so that names are about as varied as in a
// real customer base (a million customers with 20 x 18 x 18 names would
// share name and city far more often than real ones do).
const char* const kSyllables[] = {"ba", "ca", "da", "fa", "ga", "la", "ma", "na", "pa", "ra",
                                  "sa", "ta", "va", "bo", "co", "do", "lo", "mo", "ro", "to",
                                  "bi", "ci", "di", "li", "mi", "ri", "ti", "vi", "zu", "xe"};
const char* const kCities[] = {"São Paulo", "Rio de Janeiro", "Belo Horizonte", "Brasília",
                               "Salvador", "Fortaleza", "Curitiba", "Manaus", "Recife", "Belém",
                               "Goiânia", "Porto Alegre", "Maceió", "Florianópolis", "Santarém"};
const char* const kDdd[] = {"11", "21", "31", "61", "71", "85", "41", "92", "81", "91",
                            "62", "51", "82", "48", "93"};
const char* const kDomains[] = {"gmail.com", "hotmail.com", "outlook.com", "yahoo.com.br",
                                "uol.com.br", "bol.com.br", "empresa.com.br"};
const char* const kTypos[] = {"gmial.com", "hotmal.com", "gmail.com.br", "outlok.com"};

std::string Cpf(std::mt19937_64& rng) {
  std::string d(11, '0');
  for (int i = 0; i < 9; ++i) d[i] = static_cast<char>('0' + rng() % 10);
  for (int k = 9; k <= 10; ++k) {
    int sum = 0;
    for (int i = 0; i < k; ++i) sum += (d[i] - '0') * (k + 1 - i);
    const int r = sum % 11;
    d[k] = static_cast<char>('0' + (r < 2 ? 0 : 11 - r));
  }
  return d.substr(0, 3) + "." + d.substr(3, 3) + "." + d.substr(6, 3) + "-" + d.substr(9);
}

struct Columns {
  std::vector<std::string> id, name, document, email, phone, city;
};

Portfolio Build(size_t n) {
  std::mt19937_64 rng(20260701);
  Columns c;
  for (auto* v : {&c.id, &c.name, &c.document, &c.email, &c.phone, &c.city}) v->reserve(n);
  for (size_t i = 0; i < n; ++i) {
    c.id.push_back("C" + std::to_string(i));
    const bool duplicate = i > 100 && rng() % 100 < 3;
    if (duplicate) {
      // An earlier customer typed again: upper-case name, and either the
      // same document, the same e-mail or the same phone.
      const size_t j = rng() % i;
      std::string name = c.name[j];
      for (char& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      c.name.push_back(name);
      const int which = static_cast<int>(rng() % 3);
      c.document.push_back(which == 0 ? c.document[j] : Cpf(rng));
      c.email.push_back(which == 1 ? c.email[j] : "");
      c.phone.push_back(which == 2 ? c.phone[j] : "");
      c.city.push_back(c.city[j]);
      continue;
    }
    const std::string first = kFirst[rng() % std::size(kFirst)];
    const std::string middle = kMiddle[rng() % std::size(kMiddle)];
    const std::string last = kLast[rng() % std::size(kLast)];
    const std::string last2 = kLast[rng() % std::size(kLast)];
    std::string last3 = kSyllables[rng() % std::size(kSyllables)];
    last3 += kSyllables[rng() % std::size(kSyllables)];
    last3 += kSyllables[rng() % std::size(kSyllables)];
    last3[0] = static_cast<char>(last3[0] - 'a' + 'A');
    std::string name = first + (middle.empty() ? " " : " " + middle + " ") + last + " " + last3 +
                       " " + last2;
    const int problem = static_cast<int>(rng() % 100);
    std::string doc = Cpf(rng);
    if (problem == 0) doc.back() = doc.back() == '9' ? '0' : static_cast<char>(doc.back() + 1);
    std::string local = first.substr(0, 1) + std::to_string(rng() % 1'000'000);
    const std::string domain = problem == 1 ? kTypos[rng() % std::size(kTypos)]
                                            : kDomains[rng() % std::size(kDomains)];
    const size_t city = rng() % std::size(kCities);
    std::string phone = std::string("(") + kDdd[city] + ") ";
    const unsigned prefix = static_cast<unsigned>(rng() % 2000);
    const unsigned number = static_cast<unsigned>(rng() % 10000);
    char digits[16];
    if (problem == 2) {
      std::snprintf(digits, sizeof digits, "%04u-%04u", 8000 + prefix, number);
    } else if (rng() % 3 == 0) {
      std::snprintf(digits, sizeof digits, "%04u-%04u", 3000 + prefix % 1000, number);
    } else {
      std::snprintf(digits, sizeof digits, "9%04u-%04u", 8000 + prefix, number);
    }
    phone += digits;
    if (problem == 3) {
      for (char& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    c.name.push_back(std::move(name));
    c.document.push_back(std::move(doc));
    c.email.push_back(local + "@" + domain);
    c.phone.push_back(std::move(phone));
    c.city.push_back(kCities[city]);
  }
  std::vector<std::string_view> id(c.id.begin(), c.id.end()), name(c.name.begin(), c.name.end()),
      document(c.document.begin(), c.document.end()), email(c.email.begin(), c.email.end()),
      phone(c.phone.begin(), c.phone.end()), city(c.city.begin(), c.city.end());
  CustomerColumns columns;
  columns.id = id;
  columns.name = name;
  columns.document = document;
  columns.email = email;
  columns.phone = phone;
  columns.city = city;
  Portfolio p;
  if (!p.AppendCustomers(columns).ok()) std::abort();
  return p;
}

const Portfolio& Customers() {
  static const Portfolio p = Build(CustomerCount());
  return p;
}

const PhoneChecker& Phones() {
  static const PhoneChecker checker("BR");
  return checker;
}

void BM_PhoneCheckerColdStart(benchmark::State& state) {
  for (auto _ : state) {
    PhoneChecker checker("BR");
    benchmark::DoNotOptimize(checker.Check("(11) 98765-4321"));
  }
}
BENCHMARK(BM_PhoneCheckerColdStart)->Iterations(1)->Unit(benchmark::kMillisecond);

// Baseline for ratios in the same run: copying the five checked text fields
// of every record into std::strings, the least any per-record script does
// (a Python loop over the records builds these objects and more).
void BM_BaselineCopyFields(benchmark::State& state) {
  const CustomerTable& c = Customers().customers();
  for (auto _ : state) {
    size_t bytes = 0;
    for (size_t i = 0; i < c.size(); ++i) {
      std::string fields[] = {std::string(c.name[i]), std::string(c.document[i]), std::string(c.email[i]),
                              std::string(c.phone[i]), std::string(c.city[i])};
      for (const std::string& f : fields) bytes += f.size();
    }
    benchmark::DoNotOptimize(bytes);
  }
}
BENCHMARK(BM_BaselineCopyFields)->Unit(benchmark::kMillisecond)->Iterations(2);

// Every check of every record (documents, e-mails with typo suggestions,
// phones with the ninth-digit check, display forms of names and cities),
// without the duplicate search.
void BM_ValidateCustomers(benchmark::State& state) {
  const Portfolio& p = Customers();
  const PhoneChecker& phones = Phones();
  HygieneOptions options;
  options.find_duplicates = false;
  size_t problems = 0;
  for (auto _ : state) {
    const HygieneReport r = CheckPortfolio(p, phones, options);
    problems = r.problems.size();
    benchmark::DoNotOptimize(problems);
  }
  state.counters["customers"] = static_cast<double>(p.customers().size());
  state.counters["problems"] = static_cast<double>(problems);
}
BENCHMARK(BM_ValidateCustomers)->Unit(benchmark::kMillisecond)->Iterations(2);

// Duplicates from the raw records: normalised keys, blocking, scoring,
// clusters.
void BM_FindDuplicates(benchmark::State& state) {
  const Portfolio& p = Customers();
  const PhoneChecker& phones = Phones();
  size_t clusters = 0, pairs = 0;
  for (auto _ : state) {
    const DuplicateReport r = FindDuplicates(BuildMatchKeys(p, phones));
    clusters = r.clusters.size();
    pairs = r.candidate_pairs;
  }
  state.counters["clusters"] = static_cast<double>(clusters);
  state.counters["candidate_pairs"] = static_cast<double>(pairs);
}
BENCHMARK(BM_FindDuplicates)->Unit(benchmark::kMillisecond)->Iterations(2);

// Blocking, scoring and clustering alone, keys given.
void BM_FindDuplicatesFromKeys(benchmark::State& state) {
  const MatchKeys keys = BuildMatchKeys(Customers(), Phones());
  size_t clusters = 0;
  for (auto _ : state) {
    clusters = FindDuplicates(keys).clusters.size();
    benchmark::DoNotOptimize(clusters);
  }
  state.counters["clusters"] = static_cast<double>(clusters);
}
BENCHMARK(BM_FindDuplicatesFromKeys)->Unit(benchmark::kMillisecond)->Iterations(2);

// The whole report: checks and duplicates in one pass over the records.
void BM_HygieneReport(benchmark::State& state) {
  const Portfolio& p = Customers();
  const PhoneChecker& phones = Phones();
  for (auto _ : state) benchmark::DoNotOptimize(CheckPortfolio(p, phones).problems.size());
}
BENCHMARK(BM_HygieneReport)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace
}  // namespace carteira::hygiene
