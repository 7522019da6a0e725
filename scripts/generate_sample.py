#!/usr/bin/env python3
"""Generate the Brazilian sample portfolio in examples/sample/.

The sample is a fictional food-service and supplies distributor with about
5,000 customers all over Brazil, 25 field reps (5 per macro-region) and
three years of history, 01/11/2023 to 31/10/2026. `carteira demo` loads it
and the tests read it, so it has to look like a real ERP export and cover
every case the engine decides on: regular buyers of several rhythms,
seasonal and one-off buyers, churned, reactivated and new customers,
prospects, returns, reassignments, a rep who left, contracts ending soon,
contacts and NPS answers.

Files (UTF-8, LF, `;` delimiter, header row, Brazilian formats: dates
dd/mm/yyyy, money with decimal comma and no thousands separator, booleans
sim/não; customers.csv starts with a BOM as Excel writes it):
customers.csv, reps.csv, transactions.csv, assignments.csv, contracts.csv,
interactions.csv, surveys.csv.

Facts a consumer relies on: ids C00001.. grow with created_at; orders
P0000001.. grow with date; rep_id on a transaction or interaction is the
customer's assigned rep on that date (assignments.csv, `since` inclusive);
returns are negative rows with their own order id; prospects have no
transactions; R09 left on 30/06/2025 and his book moved on 01/07/2025,
R18 left on 09/10/2026 and still holds his book (transactions after that
date still carry R18, interactions do not); contract `end` is inclusive.
Purchase rhythms are drawn from RHYTHM_MIX below with exact counts.

Product categories follow a buying journey (CATEGORY_PROFILES): each
customer has a business profile, starts with its first one to three
categories and adds the next ones over time, so that categories co-occur
with real structure (frios with hortifruti in a mercadinho, embalagens with
ferramentas in a factory) and a cross-sell model has something to learn.

The output is a pure function of the seed: all randomness comes from
random.Random(seed) consumed in a fixed order (and, for the categories, a
second random.Random(seed + 1), so that the journeys left the dates and
amounts of the first stream exactly as they were), there is no hash(), no
set iteration and no clock, so two runs give byte-identical files.

Usage: generate_sample.py [--out examples/sample] [--seed 20261123]
"""

import argparse
import datetime as dt
import math
import os
import unicodedata
import random
from dataclasses import dataclass, field

START = dt.date(2023, 11, 1)
END = dt.date(2026, 10, 31)  # the "as of" date of the sample, inclusive
DAY = dt.timedelta(days=1)

N_CUSTOMERS = 5000
PROSPECT_SHARE = 0.03

# Customers that buy, by rhythm. Shares are exact (largest remainder), so the
# documented mix is what the files contain.
RHYTHM_MIX = [
    ("weekly", 0.08),       # a purchase about every 7 days
    ("biweekly", 0.12),     # about every 14 days
    ("monthly", 0.27),      # about every 30 days
    ("quarterly", 0.12),    # about every 91 days
    ("seasonal", 0.07),     # mostly inside one season a year (Natal, Páscoa...)
    ("one_off", 0.09),      # a single purchase, more than 90 days ago
    ("churned", 0.14),      # regular, then stop for good
    ("reactivated", 0.06),  # regular, a gap of 200+ days, then buying again
    ("new", 0.05),          # first purchase in the last 90 days
]

REGIONS = ["Norte", "Nordeste", "Centro-Oeste", "Sudeste", "Sul"]
# Share of customers per region: the distributor is strongest in the
# Sudeste, but each region must fit 5 reps of capacity 150..300.
REGION_WEIGHTS = [16.5, 21.0, 16.5, 26.0, 20.0]

SEGMENTS = ["varejo", "atacado", "industria", "servicos"]
SEGMENT_WEIGHTS = [48, 18, 14, 20]
COMPANY_SHARE = {"varejo": 0.15, "atacado": 1.0, "industria": 1.0, "servicos": 0.5}

# ---------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class City:
    name: str
    state: str
    region: str
    ddd: str
    weight: float


def _cities(region, rows):
    return [City(n, uf, region, ddd, w) for n, uf, ddd, w in rows]


# Real cities, their UF, their area code (DDD) and a rough size weight.
CITIES = (
    _cities("Norte", [
        ("Manaus", "AM", "92", 22), ("Belém", "PA", "91", 14),
        ("Ananindeua", "PA", "91", 5), ("Santarém", "PA", "93", 3),
        ("Marabá", "PA", "94", 3), ("Porto Velho", "RO", "69", 6),
        ("Ji-Paraná", "RO", "69", 2), ("Rio Branco", "AC", "68", 5),
        ("Macapá", "AP", "96", 5), ("Boa Vista", "RR", "95", 5),
        ("Palmas", "TO", "63", 4), ("Araguaína", "TO", "63", 2),
    ])
    + _cities("Nordeste", [
        ("Salvador", "BA", "71", 24), ("Feira de Santana", "BA", "75", 6),
        ("Vitória da Conquista", "BA", "77", 3), ("Ilhéus", "BA", "73", 2),
        ("Fortaleza", "CE", "85", 24), ("Juazeiro do Norte", "CE", "88", 3),
        ("Sobral", "CE", "88", 2), ("Recife", "PE", "81", 15),
        ("Jaboatão dos Guararapes", "PE", "81", 6), ("Caruaru", "PE", "81", 3),
        ("Petrolina", "PE", "87", 3), ("São Luís", "MA", "98", 10),
        ("Imperatriz", "MA", "99", 3), ("Teresina", "PI", "86", 8),
        ("Parnaíba", "PI", "86", 1), ("Natal", "RN", "84", 8),
        ("Mossoró", "RN", "84", 3), ("João Pessoa", "PB", "83", 8),
        ("Campina Grande", "PB", "83", 4), ("Maceió", "AL", "82", 9),
        ("Arapiraca", "AL", "82", 2), ("Aracaju", "SE", "79", 6),
    ])
    + _cities("Centro-Oeste", [
        ("Brasília", "DF", "61", 28), ("Goiânia", "GO", "62", 15),
        ("Aparecida de Goiânia", "GO", "62", 5), ("Anápolis", "GO", "62", 4),
        ("Rio Verde", "GO", "64", 2), ("Cuiabá", "MT", "65", 6),
        ("Várzea Grande", "MT", "65", 3), ("Rondonópolis", "MT", "66", 2),
        ("Sinop", "MT", "66", 2), ("Campo Grande", "MS", "67", 9),
        ("Dourados", "MS", "67", 2), ("Três Lagoas", "MS", "67", 1),
    ])
    + _cities("Sudeste", [
        ("São Paulo", "SP", "11", 60), ("Guarulhos", "SP", "11", 7),
        ("Osasco", "SP", "11", 4), ("Santo André", "SP", "11", 4),
        ("Campinas", "SP", "19", 7), ("Piracicaba", "SP", "19", 2),
        ("Santos", "SP", "13", 3), ("São José dos Campos", "SP", "12", 4),
        ("Ribeirão Preto", "SP", "16", 4), ("Sorocaba", "SP", "15", 4),
        ("São José do Rio Preto", "SP", "17", 3), ("Bauru", "SP", "14", 2),
        ("Presidente Prudente", "SP", "18", 1), ("Rio de Janeiro", "RJ", "21", 35),
        ("Niterói", "RJ", "21", 3), ("Duque de Caxias", "RJ", "21", 4),
        ("Nova Iguaçu", "RJ", "21", 4), ("Petrópolis", "RJ", "24", 2),
        ("Volta Redonda", "RJ", "24", 2), ("Campos dos Goytacazes", "RJ", "22", 3),
        ("Belo Horizonte", "MG", "31", 14), ("Contagem", "MG", "31", 4),
        ("Ipatinga", "MG", "31", 1), ("Uberlândia", "MG", "34", 4),
        ("Juiz de Fora", "MG", "32", 3), ("Montes Claros", "MG", "38", 2),
        ("Governador Valadares", "MG", "33", 2), ("Vitória", "ES", "27", 2),
        ("Vila Velha", "ES", "27", 3), ("Serra", "ES", "27", 3),
        ("Cachoeiro de Itapemirim", "ES", "28", 1),
    ])
    + _cities("Sul", [
        ("Curitiba", "PR", "41", 18), ("São José dos Pinhais", "PR", "41", 3),
        ("Londrina", "PR", "43", 6), ("Maringá", "PR", "44", 4),
        ("Ponta Grossa", "PR", "42", 3), ("Cascavel", "PR", "45", 3),
        ("Foz do Iguaçu", "PR", "45", 2), ("Porto Alegre", "RS", "51", 14),
        ("Canoas", "RS", "51", 3), ("Novo Hamburgo", "RS", "51", 2),
        ("Caxias do Sul", "RS", "54", 5), ("Passo Fundo", "RS", "54", 2),
        ("Pelotas", "RS", "53", 3), ("Santa Maria", "RS", "55", 3),
        ("Florianópolis", "SC", "48", 5), ("São José", "SC", "48", 2),
        ("Criciúma", "SC", "48", 2), ("Joinville", "SC", "47", 6),
        ("Blumenau", "SC", "47", 4), ("Itajaí", "SC", "47", 2),
        ("Chapecó", "SC", "49", 2),
    ])
)

MALE_NAMES = [
    "João", "José", "Antônio", "Francisco", "Carlos", "Paulo", "Pedro", "Lucas",
    "Luiz", "Marcos", "Luís", "Gabriel", "Rafael", "Daniel", "Marcelo", "Bruno",
    "Eduardo", "Felipe", "Raimundo", "Rodrigo", "Sebastião", "Otávio", "Caio",
    "Vinícius", "Mateus", "Thiago", "Fábio", "André", "Márcio", "Sérgio", "Júlio",
    "César", "Flávio", "Rogério", "Heitor", "Davi", "Arthur", "Joaquim", "Ítalo",
    "Ângelo", "Gustavo", "Leandro", "Renato", "Diego", "Henrique", "Washington",
    "Cícero", "Severino", "Benedito", "Valdir", "Wagner", "Anderson", "Émerson",
]
FEMALE_NAMES = [
    "Maria", "Ana", "Francisca", "Antônia", "Adriana", "Juliana", "Márcia",
    "Fernanda", "Patrícia", "Aline", "Sandra", "Camila", "Amanda", "Bruna",
    "Jéssica", "Letícia", "Júlia", "Luciana", "Vanessa", "Mariana", "Gabriela",
    "Vitória", "Beatriz", "Larissa", "Cláudia", "Tânia", "Conceição", "Luíza",
    "Lúcia", "Mônica", "Débora", "Fátima", "Sônia", "Regina", "Rosângela",
    "Valéria", "Cecília", "Helena", "Alícia", "Lívia", "Isabela", "Heloísa",
    "Lorena", "Raíssa", "Inês", "Elaine", "Simone", "Terezinha", "Luana",
]
COMPOUND_FIRST_NAMES = [
    "Maria da Conceição", "Maria de Fátima", "Maria das Graças", "Maria José",
    "Maria Eduarda", "Ana Clara", "Ana Luíza", "Ana Paula", "João Pedro",
    "João Vitor", "José Carlos", "Luiz Fernando", "Antônio Carlos",
    "Carlos Eduardo", "Pedro Henrique", "Paulo Sérgio", "Maria Aparecida",
]
SURNAMES = [
    "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves",
    "Pereira", "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho",
    "Almeida", "Lopes", "Soares", "Fernandes", "Vieira", "Barbosa", "Rocha",
    "Dias", "Nascimento", "Andrade", "Moreira", "Nunes", "Marques", "Machado",
    "Mendes", "Freitas", "Cardoso", "Ramos", "Gonçalves", "Santana", "Teixeira",
    "Araújo", "Conceição", "Guimarães", "Magalhães", "Brandão", "Falcão",
    "Simões", "Assunção", "Damião", "Monteiro", "Figueiredo", "Peixoto", "Sá",
    "Queiroz", "Rezende", "Sampaio", "Pinto", "Camargo", "Castro", "Azevedo",
    "Aragão", "Romão", "Leão", "Galvão", "Lacerda", "Loureiro", "Jesus",
    "Anjos", "Reis", "Cruz", "Paula", "Batista", "Moraes", "Xavier", "Borges",
]
REGIONAL_SURNAMES = {
    "Nordeste": ["Cavalcanti", "Albuquerque", "Bezerra", "Medeiros", "Nóbrega",
                 "Holanda", "Sobral", "Brito", "Feitosa", "Tavares", "Macêdo"],
    "Sul": ["Schmidt", "Schneider", "Becker", "Weber", "Wagner", "Müller",
            "Zanella", "Rossi", "Bortolini", "Fontana", "Lorenzi", "Kowalski"],
    "Norte": ["Tavares", "Pantoja", "Brito", "Farias", "Sarmento"],
    "Centro-Oeste": ["Caiado", "Bueno", "Prado", "Arruda", "Campos"],
    "Sudeste": ["Prado", "Bueno", "Campos", "Toledo", "Matarazzo", "Rossi"],
}
# The particle Brazilians put in front of some surnames ("da Silva").
SURNAME_PARTICLE = {
    "Silva": "da", "Santos": "dos", "Conceição": "da", "Jesus": "de",
    "Souza": "de", "Oliveira": "de", "Nascimento": "do", "Costa": "da",
    "Araújo": "de", "Assunção": "da", "Paula": "de", "Rocha": "da",
    "Cruz": "da", "Anjos": "dos", "Reis": "dos", "Moraes": "de",
}
ALWAYS_PARTICLE = ("Jesus", "Anjos", "Paula")

COMPANY_KINDS = {
    "varejo": ["Padaria", "Mercearia", "Mercadinho", "Supermercado", "Empório",
               "Açougue", "Quitanda", "Minimercado", "Farmácia", "Conveniência",
               "Hortifruti", "Adega"],
    "atacado": ["Distribuidora", "Atacadista", "Comercial", "Atacadão",
                "Armazém", "Central de Distribuição", "Depósito"],
    "industria": ["Indústria de Embalagens", "Metalúrgica", "Plásticos",
                  "Indústria Têxtil", "Laticínios", "Alimentos", "Moinho",
                  "Cerâmica", "Móveis", "Química", "Frigorífico", "Confecções"],
    "servicos": ["Restaurante", "Lanchonete", "Clínica", "Hotel", "Pousada",
                 "Academia", "Lavanderia", "Oficina Mecânica", "Salão de Beleza",
                 "Escola", "Buffet", "Pizzaria", "Transportadora", "Auto Posto",
                 "Bar e Restaurante", "Hospital Veterinário"],
}
COMPANY_CORES = [
    "São Jorge", "Santa Luzia", "São Francisco", "Nossa Senhora Aparecida",
    "Bom Jesus", "Santo Antônio", "São João", "Santa Rita", "São Pedro",
    "Estrela", "Boa Vista", "Bela Vista", "Pão de Açúcar", "Sol Nascente",
    "Nova Era", "Progresso", "União", "Primavera", "Serra Azul", "Vale Verde",
    "Horizonte", "Ipê Amarelo", "Jequitibá", "Araucária", "Cristal",
    "Diamante", "Três Irmãos", "Bom Preço", "Estrela do Norte", "Cruzeiro do Sul",
    "Mar Azul", "Canaã", "Esperança", "Vitória", "Aliança", "Paraíso",
    "Monte Sião", "Recanto", "Beira-Mar", "Amazônia", "Pantanal", "Cerrado",
    "Sertão", "Planalto", "Litoral", "Vale do Sol", "Monte Verde", "Rio Doce",
    "Pampa", "Chapada", "Ouro Verde", "Terra Nova", "Boa Esperança",
]
# Trade names with a quoted nickname, as some registrations have them.
NICKNAMES = {
    "varejo": [("Padaria", "Zé do Pão"), ("Padaria", "Cia do Pão"),
               ("Mercearia", "Ponto Certo"), ("Quitanda", "Sabor da Roça")],
    "servicos": [("Lanchonete", "Cantinho do Sabor"), ("Restaurante", "Tia Nair"),
                 ("Pastelaria", "O Rei do Pastel"), ("Bar e Restaurante", "Boteco do Alemão"),
                 ("Restaurante", "Sabor da Terra")],
}
COMPANY_SUFFIXES = {
    "varejo": [("ME", 5), ("Ltda", 4), ("EPP", 2)],
    "atacado": [("Ltda", 7), ("EPP", 2), ("S.A.", 1)],
    "industria": [("Ltda", 6), ("Indústria e Comércio Ltda", 2), ("S.A.", 2)],
    "servicos": [("ME", 5), ("Ltda", 4), ("EPP", 2)],
}
PERSONAL_EMAIL_DOMAINS = [
    ("gmail.com", 45), ("hotmail.com", 18), ("outlook.com", 12),
    ("yahoo.com.br", 8), ("uol.com.br", 8), ("bol.com.br", 5), ("terra.com.br", 4),
]

# The catalogue and how much each segment buys of each category.
CATEGORY_MIX = {
    "varejo": {"mercearia": 30, "bebidas": 22, "hortifruti": 15, "frios": 12,
               "higiene": 10, "limpeza": 9, "descartaveis": 2},
    "atacado": {"mercearia": 28, "bebidas": 25, "limpeza": 13, "higiene": 12,
                "frios": 8, "descartaveis": 7, "embalagens": 7},
    "industria": {"embalagens": 35, "ferramentas": 25, "limpeza": 15,
                  "descartaveis": 10, "higiene": 5, "mercearia": 5, "bebidas": 5},
    "servicos": {"limpeza": 22, "descartaveis": 20, "bebidas": 15,
                 "mercearia": 15, "higiene": 12, "frios": 8, "hortifruti": 8},
}
CATEGORY_PRICE = {"ferramentas": 1.3, "embalagens": 1.1, "frios": 0.9,
                  "hortifruti": 0.7}

# The buying journeys: per segment, business profiles (weight, categories in
# the order a customer of that profile typically adopts them). A customer
# starts with the first one to three, adds the next one after a while
# (CATEGORY_ADOPTION_DAYS on average) and now and then tries a category
# outside its profile.
CATEGORY_PROFILES = {
    "varejo": [
        (40, ["mercearia", "bebidas", "limpeza", "frios", "hortifruti"]),  # mercadinho
        (20, ["hortifruti", "frios", "mercearia", "bebidas"]),  # quitanda, sacolão
        (25, ["bebidas", "descartaveis", "frios", "mercearia"]),  # conveniência, bar
        (15, ["higiene", "limpeza", "descartaveis", "mercearia"]),  # perfumaria
    ],
    "atacado": [
        (45, ["mercearia", "bebidas", "frios", "hortifruti", "limpeza"]),  # alimentar
        (30, ["limpeza", "higiene", "descartaveis", "embalagens"]),  # limpeza
        (25, ["bebidas", "descartaveis", "embalagens", "mercearia"]),  # bebidas
    ],
    "industria": [
        (45, ["embalagens", "ferramentas", "limpeza", "descartaveis", "higiene"]),  # fábrica
        (30, ["embalagens", "mercearia", "higiene", "limpeza"]),  # alimentos
        (25, ["ferramentas", "limpeza", "higiene", "descartaveis"]),  # manutenção
    ],
    "servicos": [
        (40, ["mercearia", "hortifruti", "frios", "descartaveis", "bebidas", "limpeza"]),  # restaurante
        (35, ["limpeza", "higiene", "descartaveis", "bebidas"]),  # clínica, escritório
        (25, ["higiene", "limpeza", "bebidas", "frios"]),  # hotelaria
    ],
}
CATEGORY_ADOPTION_DAYS = 240
CATEGORY_OFF_PROFILE = 0.02  # share of orders of a category outside the profile

# Median ticket in reais (log-normal per customer: median, sigma).
TICKET_MEDIAN = {
    ("varejo", False): (120, 0.55), ("varejo", True): (900, 0.6),
    ("servicos", False): (350, 0.6), ("servicos", True): (1500, 0.7),
    ("atacado", True): (7000, 0.7), ("industria", True): (11000, 0.8),
}
# Rare buyers buy more per order, frequent ones less.
RHYTHM_TICKET = {"weekly": 0.6, "biweekly": 0.8, "quarterly": 1.8,
                 "seasonal": 1.5, "one_off": 1.2}

# Reps: segments served, rotated per region so that R01 is not always "varejo".
REP_SEGMENT_PATTERNS = [
    ("varejo",), ("varejo", "servicos"), ("varejo", "atacado"),
    ("atacado", "industria"), ("industria", "servicos"),
]
# Reps who left the company: R09's book was handed over the day after he
# left; R18 left three weeks before the as-of date and still holds his book.
REPS_LEFT = {"R09": dt.date(2025, 6, 30), "R18": dt.date(2026, 10, 9)}

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

def fmt_date(d):
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def fmt_money(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100},{cents % 100:02d}"


def fmt_bool(b):
    return "sim" if b else "não"


def add_months(d, months):
    y, m = divmod(d.month - 1 + months, 12)
    y, m = d.year + y, m + 1
    last = (dt.date(y + m // 12, m % 12 + 1, 1) - DAY).day
    return dt.date(y, m, min(d.day, last))


def month_end(d):
    return add_months(d.replace(day=1), 1) - DAY


def rand_date(rng, lo, hi):
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def weighted(rng, pairs):
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights)[0]


def ascii_fold(text):
    """Lowercase ASCII: accents stripped, anything else dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii()).lower()


def weekday_shift(rng, d, lo, hi):
    """Businesses do not order on Sundays: move a Sunday to the Friday,
    Saturday or Monday around it (staying within lo..hi)."""
    if d.weekday() != 6:
        return d
    options = [x for x in (d - 2 * DAY, d - DAY, d + DAY) if lo <= x <= hi]
    return rng.choice(options) if options else d


def exact_counts(total, shares):
    """Split total by shares with the largest-remainder rule."""
    raw = [total * s for _, s in shares]
    counts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return {name: c for (name, _), c in zip(shares, counts)}


def weighted_sample(rng, items, weight, k):
    """k items without replacement, P ~ weight (Efraimidis-Spirakis)."""
    keyed = []
    for pos, item in enumerate(items):
        w = weight(item)
        if w > 0:
            keyed.append((rng.random() ** (1.0 / w), pos, item))
    keyed.sort(key=lambda t: (-t[0], t[1]))
    return [item for _, _, item in keyed[:k]]

# ---------------------------------------------------------------------------
# Documents, names, contacts
# ---------------------------------------------------------------------------

def cpf_digits(rng):
    while True:
        base = [rng.randint(0, 9) for _ in range(9)]
        if len(set(base)) > 1:
            break
    for n in (9, 10):
        s = sum(d * w for d, w in zip(base, range(n + 1, 1, -1)))
        base.append((s * 10 % 11) % 10)
    return "".join(map(str, base))


def cnpj_digits(rng):
    while True:
        root = [rng.randint(0, 9) for _ in range(8)]
        if len(set(root)) > 1:
            break
    digits = root + [0, 0, 0, 1]
    for weights in ([5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2],
                    [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]):
        r = sum(d * w for d, w in zip(digits, weights)) % 11
        digits.append(0 if r < 2 else 11 - r)
    return "".join(map(str, digits))


def make_document(rng, is_company, seen):
    while True:
        if is_company:
            d = cnpj_digits(rng)
            doc = f"{d[:2]}.{d[2:5]}.{d[5:8]}/{d[8:12]}-{d[12:]}"
        else:
            d = cpf_digits(rng)
            doc = f"{d[:3]}.{d[3:6]}.{d[6:9]}-{d[9:]}"
        if doc not in seen:
            seen.add(doc)
            return doc


def person_name(rng, region):
    """Returns (full name, first token, last surname) for e-mail building."""
    if rng.random() < 0.12:
        first = rng.choice(COMPOUND_FIRST_NAMES)
    else:
        first = rng.choice(MALE_NAMES if rng.random() < 0.5 else FEMALE_NAMES)
    pool = SURNAMES + REGIONAL_SURNAMES[region] * 3
    n = weighted(rng, [(1, 20), (2, 65), (3, 15)])
    surnames = []
    while len(surnames) < n:
        s = rng.choice(pool)
        if s not in surnames:
            surnames.append(s)
    parts = [first]
    for s in surnames:
        particle = SURNAME_PARTICLE.get(s)
        if particle and (s in ALWAYS_PARTICLE or rng.random() < 0.45):
            parts.append(f"{particle} {s}")
        else:
            parts.append(s)
    return " ".join(parts), first.split()[0], surnames[-1]


def company_name(rng, segment, region):
    kind = rng.choice(COMPANY_KINDS[segment])
    roll = rng.random()
    if roll < 0.55:
        core = rng.choice(COMPANY_CORES)
    elif roll < 0.70:
        core = f"Irmãos {rng.choice(SURNAMES + REGIONAL_SURNAMES[region])}"
    elif roll < 0.85:
        core = f"{rng.choice(SURNAMES + REGIONAL_SURNAMES[region])} & Filhos"
    else:
        core = rng.choice(SURNAMES + REGIONAL_SURNAMES[region])
    suffix = weighted(rng, COMPANY_SUFFIXES[segment])
    if segment in NICKNAMES and rng.random() < 0.02:
        kind, nickname = rng.choice(NICKNAMES[segment])
        return f'{kind} "{nickname}" {suffix}'
    if kind in ("Alimentos", "Plásticos", "Móveis", "Confecções") and rng.random() < 0.5:
        return f"{core} {kind} {suffix}"
    return f"{kind} {core} {suffix}"


def company_slug(name):
    skip = {"ltda", "me", "epp", "s", "a", "de", "da", "do", "das", "dos", "e",
            "industria", "comercio"}
    words = [w for w in ascii_fold(name).replace("&", " ").replace(".", " ").split()]
    words = ["".join(c for c in w if c.isalnum()) for w in words]
    slug = "".join(w for w in words if w and w not in skip)
    return slug[:32]


def unique_email(local, domain, seen):
    email = f"{local}@{domain}"
    n = 2
    while email in seen:
        email = f"{local}{n}@{domain}"
        n += 1
    seen.add(email)
    return email


def person_email(rng, first, last, seen):
    f, l = ascii_fold(first), ascii_fold(last).replace(" ", "")
    local = weighted(rng, [
        (f"{f}.{l}", 30), (f"{f}{l}", 15), (f"{f}_{l}", 8),
        (f"{f}.{l}{rng.randint(1, 99)}", 20),
        (f"{f}{l}{rng.randint(1960, 2006)}", 15), (f"{f[0]}{l}", 12),
    ])
    return unique_email(local, weighted(rng, PERSONAL_EMAIL_DOMAINS), seen)


def company_email(rng, name, city, seen, domains):
    slug = company_slug(name)
    if rng.random() < 0.65:
        domain = f"{slug}.com.br"
        if domain in domains:  # a namesake elsewhere owns it: add the city
            domain = f"{slug}{company_slug(city.name)}.com.br"
        domains.add(domain)
        local = rng.choice(["contato", "compras", "financeiro", "comercial", "adm"])
        return unique_email(local, domain, seen)
    return unique_email(slug, rng.choice(["gmail.com", "hotmail.com", "outlook.com"]), seen)


def make_phone(rng, ddd, mobile, seen):
    while True:
        if mobile:
            n = "9" + str(rng.randint(6, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
            phone = f"+55 {ddd} {n[:5]}-{n[5:]}"
        else:
            n = str(rng.randint(2, 5)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
            phone = f"+55 {ddd} {n[:4]}-{n[4:]}"
        if phone not in seen:
            seen.add(phone)
            return phone

# ---------------------------------------------------------------------------
# Entities
# ---------------------------------------------------------------------------

@dataclass
class Rep:
    rep_id: str
    name: str
    region: str
    segments: tuple
    team: str
    left_on: object = None  # date the rep left, or None
    capacity: int = 0

    def available(self, d):
        return self.left_on is None or d <= self.left_on

    @property
    def handed_over(self):
        """Left long enough ago that the book went to colleagues."""
        return self.left_on is not None and self.left_on < END - 30 * DAY


@dataclass
class Customer:
    seq: int
    segment: str
    is_company: bool
    name: str
    document: str
    email: str
    phone: str
    city: City
    rhythm: str
    purchases: list          # sorted purchase dates
    existing: bool           # already a customer before START
    stop: object = None      # churned: last purchase date
    created_at: object = None
    ticket: int = 0          # median order value in cents
    categories: dict = field(default_factory=dict)
    customer_id: str = ""
    key_account: bool = False
    delinquent: bool = False
    assignments: list = field(default_factory=list)  # [(rep, since)]

    def rep_at(self, d):
        for rep, since in reversed(self.assignments):
            if since <= d:
                return rep
        raise ValueError(f"{self.customer_id} has no rep on {d}")


def make_reps(rng):
    reps, seen = [], set()
    for r, region in enumerate(REGIONS):
        offset = rng.randrange(len(REP_SEGMENT_PATTERNS))
        for k in range(5):
            rep_id = f"R{r * 5 + k + 1:02d}"
            while True:
                full, _, _ = person_name(rng, region)
                name = " ".join(full.split()[:1] + full.split()[-1:])
                if name not in seen:
                    seen.add(name)
                    break
            segs = REP_SEGMENT_PATTERNS[(offset + k) % len(REP_SEGMENT_PATTERNS)]
            reps.append(Rep(rep_id, name, region, segs, f"Equipe {region}",
                            REPS_LEFT.get(rep_id)))
    return reps

# --- purchase rhythms -------------------------------------------------------

def cadence(rng, first, last, gap, jitter, company):
    """Dates from first to last about every gap days, with jitter and the odd
    missed cycle, so gaps are never constant."""
    dates, d = [], first
    while d <= last:
        shifted = weekday_shift(rng, d, first, last) if company else d
        if shifted <= last and (not dates or shifted > dates[-1]):
            dates.append(shifted)
        g = gap * rng.lognormvariate(0, jitter)
        if gap < 60 and rng.random() < 0.03:
            g += gap * rng.uniform(1, 2)  # holidays, a missed order
        d += dt.timedelta(days=max(1, round(g)))
    return dates


def regular_start(rng, gap, existing_share):
    """First purchase: in the first cycle for customers we already had,
    anywhere before the last 9 months for those won during the window."""
    if rng.random() < existing_share:
        return START + dt.timedelta(days=rng.randrange(max(1, round(gap)))), True
    return rand_date(rng, START + 30 * DAY, END - 270 * DAY), False


def rhythm_regular(rng, c, gap, jitter):
    gap *= rng.uniform(0.85, 1.2)
    first, existing = regular_start(rng, gap, 0.75)
    return cadence(rng, first, END, gap, jitter, c.is_company), existing


def rhythm_weekly(rng, c):
    return rhythm_regular(rng, c, 7, 0.25)


def rhythm_biweekly(rng, c):
    return rhythm_regular(rng, c, 14, 0.25)


def rhythm_monthly(rng, c):
    return rhythm_regular(rng, c, 30, 0.2)


def rhythm_quarterly(rng, c):
    return rhythm_regular(rng, c, 91, 0.2)


SEASONS = [  # (name, weight, (month, day) from, (month, day) to)
    ("natal", 60, (11, 10), (12, 22)),
    ("volta_as_aulas", 15, (1, 10), (2, 25)),
    ("pascoa", 10, (3, 1), (4, 15)),
    ("festa_junina", 15, (5, 25), (6, 30)),
]


def rhythm_seasonal(rng, c):
    _, _, lo, hi = weighted(rng, [(s, s[1]) for s in SEASONS])
    dates = []
    for year in range(START.year, END.year + 1):
        a, b = dt.date(year, *lo), dt.date(year, *hi)
        if a < START or b > END or rng.random() > 0.85:
            continue
        for _ in range(weighted(rng, [(1, 30), (2, 35), (3, 25), (4, 10)])):
            dates.append(rand_date(rng, a, b))
        if rng.random() < 0.25:  # an odd purchase off season
            dates.append(rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 31)))
    dates = sorted(d for d in dates if START <= d <= END)
    dates = [d for i, d in enumerate(dates) if i == 0 or d != dates[i - 1]]
    if not dates:
        dates = [rand_date(rng, dt.date(2024, *lo), dt.date(2024, *hi))]
    return dates, rng.random() < 0.7


def rhythm_one_off(rng, c):
    return [rand_date(rng, START, END - 91 * DAY)], rng.random() < 0.2


def rhythm_churned(rng, c):
    gap = weighted(rng, [(7, 20), (14, 30), (30, 50)]) * rng.uniform(0.85, 1.2)
    # How long before the end they stopped: mostly 6-18 months (lost or
    # inactive by any rule), some recently (at risk), some long ago.
    lost_days = weighted(rng, [((180, 540), 55), ((60, 179), 25), ((541, 900), 20)])
    stop = END - dt.timedelta(days=rng.randint(*lost_days))
    first, existing = regular_start(rng, gap, 0.85)
    if first > stop - dt.timedelta(days=round(3 * gap)):
        first, existing = START + dt.timedelta(days=rng.randrange(round(gap))), True
    dates = cadence(rng, first, stop, gap, 0.25, c.is_company)
    c.stop = dates[-1]
    return dates, existing


def rhythm_reactivated(rng, c):
    gap = weighted(rng, [(7, 15), (14, 35), (30, 50)]) * rng.uniform(0.85, 1.2)
    pause = rng.randint(200, 420)
    resume = rand_date(rng, START + dt.timedelta(days=60 + pause), END - 7 * DAY)
    lapse = resume - dt.timedelta(days=pause)
    first = START + dt.timedelta(days=rng.randrange(round(gap)))
    before = cadence(rng, first, lapse, gap, 0.25, c.is_company)
    after = cadence(rng, resume, END, gap, 0.25, c.is_company)
    return before + [d for d in after if d > before[-1]], True


def rhythm_new(rng, c):
    first = END - dt.timedelta(days=rng.randint(0, 89))
    if rng.random() < 0.35:
        return [first], False
    gap = weighted(rng, [(7, 20), (14, 30), (30, 50)])
    return cadence(rng, first, END, gap, 0.25, c.is_company), False


RHYTHMS = {
    "weekly": rhythm_weekly, "biweekly": rhythm_biweekly,
    "monthly": rhythm_monthly, "quarterly": rhythm_quarterly,
    "seasonal": rhythm_seasonal, "one_off": rhythm_one_off,
    "churned": rhythm_churned, "reactivated": rhythm_reactivated,
    "new": rhythm_new,
}

# --- customers --------------------------------------------------------------

def created_date(rng, c):
    """Registration date: years ago for customers we already had, shortly
    before (or on) the first purchase for the others."""
    if c.rhythm == "prospect":
        return END - dt.timedelta(days=int(rng.expovariate(1 / 150)) % 720)
    first = c.purchases[0]
    if c.existing:
        return min(first, rand_date(rng, dt.date(2012, 1, 1), START - DAY))
    if rng.random() < 0.3:
        return first
    return max(dt.date(2012, 1, 1), first - dt.timedelta(days=rng.randint(1, 30)))


def customer_ticket(rng, c):
    median, sigma = TICKET_MEDIAN[(c.segment, c.is_company)]
    reais = median * rng.lognormvariate(0, sigma) * RHYTHM_TICKET.get(c.rhythm, 1.0)
    return max(1500, round(reais * 100))


def customer_categories(rng, segment):
    """A personal basket: the segment's mix, with 2-5 favourite categories."""
    mix = CATEGORY_MIX[segment]
    names = list(mix)
    favourites = rng.sample(names, rng.randint(2, min(5, len(names))))
    return {n: mix[n] * (3.0 if n in favourites else 0.3) * rng.uniform(0.7, 1.3)
            for n in names}


def make_customer(rng, seq, rhythm, seen):
    segment = weighted(rng, list(zip(SEGMENTS, SEGMENT_WEIGHTS)))
    is_company = rng.random() < COMPANY_SHARE[segment]
    region = weighted(rng, list(zip(REGIONS, REGION_WEIGHTS)))
    city = weighted(rng, [(ct, ct.weight) for ct in CITIES if ct.region == region])
    if is_company:
        while True:
            name = company_name(rng, segment, region)
            if name not in seen["names"]:
                seen["names"].add(name)
                break
        email = company_email(rng, name, city, seen["emails"], seen["domains"])
        mobile = rng.random() < 0.45
    else:
        name, first, last = person_name(rng, region)
        email = person_email(rng, first, last, seen["emails"])
        mobile = rng.random() < 0.9
    document = make_document(rng, is_company, seen["documents"])
    phone = make_phone(rng, city.ddd, mobile, seen["phones"])
    c = Customer(seq, segment, is_company, name, document, email, phone, city,
                 rhythm, [], False)
    if rhythm != "prospect":
        c.purchases, c.existing = RHYTHMS[rhythm](rng, c)
    c.created_at = created_date(rng, c)
    c.ticket = customer_ticket(rng, c)
    c.categories = customer_categories(rng, segment)
    return c


def make_customers(rng):
    n_prospects = round(N_CUSTOMERS * PROSPECT_SHARE)
    counts = exact_counts(N_CUSTOMERS - n_prospects, RHYTHM_MIX)
    rhythms = ["prospect"] * n_prospects
    for name, n in counts.items():
        rhythms += [name] * n
    rng.shuffle(rhythms)
    seen = {"names": set(), "emails": set(), "domains": set(), "documents": set(),
            "phones": set()}
    customers = [make_customer(rng, i, r, seen) for i, r in enumerate(rhythms)]
    # ERP ids grow with registration, so C00001 is the oldest customer.
    customers.sort(key=lambda c: (c.created_at, c.seq))
    for i, c in enumerate(customers, 1):
        c.customer_id = f"C{i:05d}"
    return customers


def flag_key_accounts(rng, customers):
    """~3%: the biggest regular atacado/industria buyers, plus a few
    large servicos companies."""
    regular = ("weekly", "biweekly", "monthly", "quarterly", "churned", "reactivated")
    big = [c for c in customers if c.segment in ("atacado", "industria")
           and c.rhythm in regular]
    big.sort(key=lambda c: (-c.ticket * len(c.purchases), c.seq))
    chosen = big[:125]
    services = [c for c in customers if c.segment == "servicos" and c.is_company
                and c.rhythm in regular]
    chosen += weighted_sample(rng, services, lambda c: c.ticket, 25)
    for c in chosen:
        c.key_account = True
        c.ticket = round(c.ticket * 1.3)


def flag_delinquent(rng, customers):
    """~4%, three times as likely among churned customers (blocked buyers)."""
    def weight(c):
        if not c.purchases:
            return 0
        return 3.0 if c.rhythm == "churned" else 1.0
    for c in weighted_sample(rng, customers, weight, round(0.04 * len(customers))):
        c.delinquent = True

# --- reps and assignments ---------------------------------------------------

def serving_reps(reps, c, on, exclude=None):
    """Reps of the customer's region who serve the segment and are still
    with the company on that date; a move (exclude given) never goes to a
    rep whose book is handed over later, which would need a third row."""
    return [r for r in reps if r.region == c.city.region and c.segment in r.segments
            and r.available(on) and r is not exclude
            and not (exclude is not None and r.handed_over)]


def pick_rep(rng, reps, c, on, loads, exclude=None):
    """The least loaded serving rep, with noise so books are not identical."""
    cands = serving_reps(reps, c, on, exclude)
    if not cands:
        raise ValueError(f"no rep serves {c.segment} in {c.city.region} on {on}")
    return min(cands, key=lambda r: (loads[r.rep_id] + rng.uniform(0, 25), r.rep_id))


def first_since(rng, c):
    limit = c.purchases[0] if c.purchases else END
    return min(limit, c.created_at + dt.timedelta(days=rng.randint(0, 3)))


def make_assignments(rng, customers, reps):
    loads = {r.rep_id: 0 for r in reps}
    for c in customers:
        since = first_since(rng, c)
        rep = pick_rep(rng, reps, c, since, loads)
        c.assignments.append((rep, since))
        loads[rep.rep_id] += 1
    moved = hand_over_left_reps(rng, customers, reps, loads)
    target = round(0.10 * len(customers)) - moved
    movable = [c for c in customers if len(c.assignments) == 1 and not c.key_account
               and c.assignments[0][1] <= END - 120 * DAY]
    rng.shuffle(movable)
    for c in movable:
        if target <= 0:
            break
        rep0, since0 = c.assignments[0]
        lo = max(since0 + 60 * DAY, START + 30 * DAY)
        on = rand_date(rng, lo, END - 14 * DAY)
        if not rep0.available(on):
            on = rep0.left_on + DAY
        if serving_reps(reps, c, on, exclude=rep0):  # else keep the customer
            move(rng, c, reps, on, loads)
            target -= 1
    set_capacities(rng, reps, loads)


def hand_over_left_reps(rng, customers, reps, loads):
    """Customers of a rep who left long enough ago go to a colleague the day
    after the departure; a rep who left recently keeps his book."""
    moved = 0
    for c in customers:
        rep0 = c.assignments[0][0]
        if rep0.handed_over:
            move(rng, c, reps, rep0.left_on + DAY, loads)
            moved += 1
    return moved


def move(rng, c, reps, on, loads):
    rep0 = c.assignments[-1][0]
    rep1 = pick_rep(rng, reps, c, on, loads, exclude=rep0)
    c.assignments.append((rep1, on))
    loads[rep0.rep_id] -= 1
    loads[rep1.rep_id] += 1


def set_capacities(rng, reps, loads):
    """Capacity near the current book: most reps have room, a few are over."""
    for r in reps:
        if r.left_on is not None:
            r.capacity = rng.randint(15, 25) * 10
        else:
            r.capacity = max(150, min(300, round(loads[r.rep_id] * rng.uniform(0.95, 1.3))))

# --- transactions -----------------------------------------------------------

def price(rng, c, d, category, scale=1.0):
    years = (d - START).days / 365.25
    season = 1.25 if d.month == 12 else 1.1 if d.month == 11 else 1.0
    cents = (c.ticket * scale * rng.lognormvariate(0, 0.4) * (1 + 0.045 * years)
             * season * CATEGORY_PRICE.get(category, 1.0))
    return max(500, min(95_000_000, round(cents)))


def pick_category(rng, c, avoid=None):
    pairs = [(k, w) for k, w in c.categories.items() if k != avoid]
    return weighted(rng, pairs)


class CategoryJourney:
    """A customer's categories over time (CATEGORY_PROFILES), drawn from its
    own random stream."""

    def __init__(self, crng, c):
        self.crng = crng
        order = list(weighted(crng, [(cats, w) for w, cats in CATEGORY_PROFILES[c.segment]]))
        for i in range(len(order) - 1):  # neighbours swap now and then
            if crng.random() < 0.25:
                order[i], order[i + 1] = order[i + 1], order[i]
        self.order = order
        self.adopted = weighted(crng, [(1, 50), (2, 35), (3, 15)])
        self.last = None
        self.off = [(k, w) for k, w in CATEGORY_MIX[c.segment].items() if k not in order]
        if not self.off:
            self.off = list(CATEGORY_MIX[c.segment].items())

    def pick(self, d, avoid=None):
        crng = self.crng
        if self.last is not None and self.adopted < len(self.order):
            gap = (d - self.last).days
            if crng.random() < 1 - math.exp(-gap / CATEGORY_ADOPTION_DAYS):
                self.adopted += 1
        if self.last is None or d > self.last:
            self.last = d
        if crng.random() < CATEGORY_OFF_PROFILE:
            return weighted(crng, self.off)
        # The categories adopted first stay the bulk of the orders.
        pairs = [(k, 1.0 / (1 + i)) for i, k in enumerate(self.order[:self.adopted]) if k != avoid]
        if not pairs:
            return weighted(crng, self.off)
        return weighted(crng, pairs)


def make_transactions(rng, customers, crng):
    """Rows (date, customer, seq, amount, category); order ids come later."""
    rows = []
    for c in customers:
        journey = CategoryJourney(crng, c)
        n = 0
        for d in c.purchases:
            # This draw once chose the category; it now sets the price level
            # of the order only, and is kept so that the sample's amounts
            # (which many tests pin) did not move with the journeys.
            level = pick_category(rng, c)
            amount = price(rng, c, d, level)
            cat = journey.pick(d)
            rows.append((d, c, n, amount, cat))
            n += 1
            if rng.random() < (0.012 if c.is_company else 0.005):  # a second order
                level2 = pick_category(rng, c, avoid=level)
                extra = journey.pick(d, avoid=cat)
                rows.append((d, c, n, price(rng, c, d, level2, 0.5), extra))
                n += 1
            if rng.random() < 0.0101:  # a return of part or all of this order
                back = d + dt.timedelta(days=rng.randint(1, 30))
                if back <= END:
                    part = 1.0 if rng.random() < 0.4 else rng.uniform(0.1, 0.9)
                    rows.append((back, c, n, -max(100, round(amount * part)), cat))
                    n += 1
    rows.sort(key=lambda r: (r[0], r[1].customer_id, r[2]))
    return [(c, d, amount, f"P{i:07d}", c.rep_at(d), cat)
            for i, (d, c, _, amount, cat) in enumerate(rows, 1)]

# --- contracts --------------------------------------------------------------

def contract_value(rng, c, months):
    per_year = max(4, len(c.purchases) / 3)
    value = c.ticket * per_year * months / 12 * rng.uniform(0.5, 0.9)
    return max(120_000, round(value / 10_000) * 10_000)  # whole hundreds of reais


def last_contract_end(rng, c, months):
    """Where the customer's latest contract stands on the as-of date:
    (earliest end, latest end, state). Every contract has started by then."""
    if c.rhythm == "churned":
        end = min(END - DAY, c.stop + dt.timedelta(days=rng.randint(-60, 90)))
        return end, end, "ended"
    state = weighted(rng, [("ended", 12), ("due", 22), ("running", 66)])
    if state == "ended":
        return START, END - DAY, state
    if state == "due":
        return END + DAY, END + 90 * DAY, state
    return END + 91 * DAY, add_months(END.replace(day=1), months) - DAY, state


def customer_contracts(rng, c):
    months = 12 if rng.random() < 0.6 else 24
    lo, hi, state = last_contract_end(rng, c, months)
    end = rand_date(rng, lo, hi)
    if rng.random() < 0.6 and month_end(end) <= hi:
        end = month_end(end)  # most contracts run whole months
    start = add_months(end + DAY, -months)
    floor = max(c.created_at, dt.date(2022, 1, 1))
    if start < floor:
        start = floor
        end = add_months(start, months) - DAY
    auto = rng.random() < {"ended": 0.1, "due": 0.45, "running": 0.5}[state]
    chain = [(start, end, contract_value(rng, c, months), auto)]
    p_renew = 0.55
    while rng.random() < p_renew:
        m = 12 if rng.random() < 0.6 else 24
        prev_end = chain[0][0] - DAY
        prev_start = add_months(prev_end + DAY, -m)
        if prev_start < floor:
            break
        chain.insert(0, (prev_start, prev_end, contract_value(rng, c, m), rng.random() < 0.8))
        p_renew = 0.35
    return chain


def make_contracts(rng, customers):
    eligible = [c for c in customers if c.segment in ("atacado", "industria", "servicos")]
    def weight(c):
        if not c.purchases or c.rhythm == "one_off":
            return 0
        return 4.0 if c.key_account else 1.0
    chosen = weighted_sample(rng, eligible, weight, round(0.20 * len(eligible)))
    chosen.sort(key=lambda c: c.customer_id)
    rows = []
    for c in chosen:
        for start, end, value, auto in customer_contracts(rng, c):
            rows.append((c, f"K{len(rows) + 1:05d}", start, end, value, auto))
    return rows

# --- interactions -----------------------------------------------------------

CHANNELS = {
    "person": [("mensagem", 45), ("ligacao", 25), ("email", 20), ("visita", 10)],
    "company": [("visita", 35), ("ligacao", 30), ("email", 20), ("mensagem", 15)],
    "key": [("visita", 50), ("ligacao", 25), ("email", 15), ("mensagem", 10)],
}
CONTACT_RATE = {"varejo": 0.8, "servicos": 1.8, "atacado": 3.2, "industria": 3.2}
RHYTHM_CONTACT = {"quarterly": 0.8, "seasonal": 0.8, "one_off": 0.4, "new": 4.0}  # onboarding


def contact_rate(c, d):
    """Contacts per year: key accounts and active customers get more."""
    if c.rhythm == "prospect":
        return 3.0
    rate = CONTACT_RATE[c.segment] * (1.6 if c.is_company and c.segment == "varejo" else 1.0)
    rate *= RHYTHM_CONTACT.get(c.rhythm, 1.0)
    if c.stop is not None and d > c.stop:
        rate *= 0.4  # occasional win-back attempts
    if c.key_account:
        rate += 14
    return rate


def outcome(rng, c, d, channel, bought_soon):
    if bought_soon and rng.random() < 0.7:
        return "venda"
    lost = c.rhythm == "prospect" or (c.stop is not None and d > c.stop)
    pairs = [("retornar", 35), ("nao_atendeu", 5 if channel == "visita" else 30),
             ("sem_interesse", 25 if lost else 12), ("reclamacao", 12 if c.delinquent else 5)]
    return weighted(rng, pairs)


def customer_interactions(rng, c):
    rows, seen = [], set()
    channels = CHANNELS["key" if c.key_account else "company" if c.is_company else "person"]
    d = max(START, c.assignments[0][1])
    purchases = c.purchases
    i = 0
    while True:
        d += dt.timedelta(days=max(1, round(rng.expovariate(contact_rate(c, d) / 365.25))))
        if d > END:
            return rows
        channel = weighted(rng, channels)
        on = d
        if on.weekday() == 6 or (channel == "visita" and on.weekday() == 5):
            on = on + dt.timedelta(days=7 - on.weekday()) if on + 2 * DAY <= END else on - 2 * DAY
        if on < c.assignments[0][1]:
            continue
        rep = c.rep_at(on)
        if not rep.available(on) or (c.customer_id, on, channel) in seen:
            continue
        seen.add((c.customer_id, on, channel))
        while i < len(purchases) and purchases[i] < on:
            i += 1
        bought_soon = i < len(purchases) and (purchases[i] - on).days <= 7
        rows.append((c, rep, on, channel, outcome(rng, c, on, channel, bought_soon)))


def make_interactions(rng, customers):
    rows = []
    for c in customers:
        rows += customer_interactions(rng, c)
    rows.sort(key=lambda r: (r[2], r[0].customer_id, r[3]))
    return rows

# --- surveys ----------------------------------------------------------------

NPS_CLASSES = {  # promoter 9-10, passive 7-8, detractor 0-6
    "churned": [("promoter", 25), ("passive", 30), ("detractor", 45)],
    "delinquent": [("promoter", 40), ("passive", 30), ("detractor", 30)],
    "default": [("promoter", 60), ("passive", 30), ("detractor", 10)],
    "overall": [("promoter", 55), ("passive", 30), ("detractor", 15)],
}
NPS_SCORES = {
    "promoter": [(9, 45), (10, 55)],
    "passive": [(7, 45), (8, 55)],
    "detractor": [(0, 3), (1, 1), (2, 2), (3, 3), (4, 4), (5, 8), (6, 12)],
}


def customer_surveys(rng, c):
    """An NPS invitation after a purchase, at most every 120 days; about one
    in six is answered, 1-10 days after the purchase."""
    kind = "churned" if c.rhythm == "churned" else "delinquent" if c.delinquent else "default"
    mood = weighted(rng, NPS_CLASSES[kind])
    rows, next_invite = [], START
    for d in c.purchases:
        if d < next_invite:
            continue
        next_invite = d + 120 * DAY
        if rng.random() >= 0.16:
            continue
        answered = d + dt.timedelta(days=rng.randint(1, 10))
        if answered > END:
            continue
        cls = mood if rng.random() < 0.75 else weighted(rng, NPS_CLASSES["overall"])
        rows.append((c, answered, weighted(rng, NPS_SCORES[cls])))
    return rows


def make_surveys(rng, customers):
    rows = []
    for c in customers:
        rows += customer_surveys(rng, c)
    rows.sort(key=lambda r: (r[1], r[0].customer_id))
    return rows

# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

def csv_field(value):
    text = str(value)
    if any(ch in text for ch in ';"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_csv(path, header, rows, bom=False):
    with open(path, "w", encoding="utf-8", newline="") as f:
        if bom:
            f.write("\ufeff")
        f.write(";".join(header) + "\n")
        count = 0
        for row in rows:
            f.write(";".join(csv_field(v) for v in row) + "\n")
            count += 1
    return count


def write_all(out, customers, reps, transactions, contracts, interactions, surveys):
    counts = {}
    counts["customers.csv"] = write_csv(
        os.path.join(out, "customers.csv"),
        ["customer_id", "name", "document", "email", "phone", "city", "state",
         "region", "segment", "created_at", "key_account", "delinquent"],
        ([c.customer_id, c.name, c.document, c.email, c.phone, c.city.name,
          c.city.state, c.city.region, c.segment, fmt_date(c.created_at),
          fmt_bool(c.key_account), fmt_bool(c.delinquent)] for c in customers),
        bom=True)
    counts["reps.csv"] = write_csv(
        os.path.join(out, "reps.csv"),
        ["rep_id", "name", "region", "segments", "capacity", "active", "team"],
        ([r.rep_id, r.name, r.region, "|".join(s for s in SEGMENTS if s in r.segments),
          r.capacity, fmt_bool(r.left_on is None), r.team] for r in reps))
    counts["transactions.csv"] = write_csv(
        os.path.join(out, "transactions.csv"),
        ["customer_id", "date", "amount", "order_id", "rep_id", "category"],
        ([c.customer_id, fmt_date(d), fmt_money(a), o, r.rep_id, cat]
         for c, d, a, o, r, cat in transactions))
    counts["assignments.csv"] = write_csv(
        os.path.join(out, "assignments.csv"),
        ["customer_id", "rep_id", "since"],
        ([c.customer_id, r.rep_id, fmt_date(s)] for c in customers for r, s in c.assignments))
    counts["contracts.csv"] = write_csv(
        os.path.join(out, "contracts.csv"),
        ["customer_id", "contract_id", "start", "end", "value", "auto_renew"],
        ([c.customer_id, k, fmt_date(s), fmt_date(e), fmt_money(v), fmt_bool(a)]
         for c, k, s, e, v, a in contracts))
    counts["interactions.csv"] = write_csv(
        os.path.join(out, "interactions.csv"),
        ["customer_id", "rep_id", "date", "channel", "outcome"],
        ([c.customer_id, r.rep_id, fmt_date(d), ch, o] for c, r, d, ch, o in interactions))
    counts["surveys.csv"] = write_csv(
        os.path.join(out, "surveys.csv"),
        ["customer_id", "date", "score"],
        ([c.customer_id, fmt_date(d), s] for c, d, s in surveys))
    return counts


def print_summary(out, counts, customers):
    for name, n in counts.items():
        size = os.path.getsize(os.path.join(out, name))
        print(f"{name:18s} {n:8d} rows {size / 1e6:7.2f} MB")
    print("rhythm mix (share of all customers):")
    tally = {}
    for c in customers:
        tally[c.rhythm] = tally.get(c.rhythm, 0) + 1
    for name in [r for r, _ in RHYTHM_MIX] + ["prospect"]:
        print(f"  {name:12s} {tally.get(name, 0):5d} {100 * tally.get(name, 0) / len(customers):5.1f}%")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out", default=os.path.join(here, "..", "examples", "sample"))
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    reps = make_reps(rng)
    customers = make_customers(rng)
    flag_key_accounts(rng, customers)
    flag_delinquent(rng, customers)
    make_assignments(rng, customers, reps)
    transactions = make_transactions(rng, customers, random.Random(args.seed + 1))
    contracts = make_contracts(rng, customers)
    interactions = make_interactions(rng, customers)
    surveys = make_surveys(rng, customers)

    os.makedirs(args.out, exist_ok=True)
    counts = write_all(args.out, customers, reps, transactions, contracts,
                       interactions, surveys)
    print_summary(args.out, counts, customers)


if __name__ == "__main__":
    main()
