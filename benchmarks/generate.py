"""Generate a large synthetic register with realistic German measures (for benchmarks)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

GOALS = [
    "wohnen",
    "verknuepfung",
    "verkehr",
    "nachbarschaften",
    "kinder-jugend",
    "image",
    "qualifizierung",
    "beteiligung",
]
VERBS = [
    "Einrichtung",
    "Ausbau",
    "Umgestaltung",
    "Förderung",
    "Aufbau",
    "Erweiterung",
    "Sanierung",
    "Neuordnung",
    "Unterstützung",
    "Qualifizierung",
]
OBJECTS = [
    "eines Nachbarschaftstreffs",
    "des Spielplatzes",
    "der Grünanlage am Markt",
    "eines Stadtteilbüros",
    "der Schulhofflächen",
    "eines Jugendtreffs",
    "der Beratungsstelle für Familien",
    "eines Mietergartens",
    "der Wegeverbindung zum Zentrum",
    "eines Repair-Cafés",
    "der Sprachkurse für Zugewanderte",
    "einer Tafel-Ausgabestelle",
]
PLACES = [
    "in Powe",
    "an der Stettiner Straße",
    "im Quartier",
    "am Marktplatz",
    "im Wohnpark Nord",
    "an der Grundschule",
    "im Punkthochhaus",
    "am Gemeindezentrum",
]
TRAEGER = [
    "Gemeinde",
    "Landkreis",
    "Diakonie",
    "Caritas",
    "Arbeitsamt",
    "Quartiermanagement",
    "Sportverein",
    "Wohnungsgesellschaft",
    "Bewohnerinnen und Bewohner",
    "Kirche",
    "Jugendwerkstatt",
    "Integrationsclub",
]
FOERDERUNG = ["Arbeitsamt", "LOS", "Landkreis", "ehrenamtlich", "Stiftung", "ESF", "Sponsoren"]
STATUS = ["in_planung", "in_umsetzung", "abgeschlossen", "nicht_umgesetzt"]
KOSTENGRUPPEN = [
    "vorbereitung",
    "ordnungsmassnahmen",
    "baumassnahmen",
    "fonds",
    "quartiersmanagement",
    "sonstige",
]
#: Three sources of the default catalogue; a plan spans five years.
QUELLEN = ["stbauf", "gemeinde", "esf"]
PLAN_YEARS = 5

META = """# Synthetisches Register für Messungen
gebiet: Musterstadt-Süd
gemeinde: Musterstadt
programm: Sozialer Zusammenhalt
ziele:
""" + "".join(f"  {g}:\n    titel: Handlungsfeld {g}\n" for g in GOALS)


def measure(rng: random.Random, i: int, status: str | None = None) -> str:
    goal = rng.choice(GOALS)
    others = rng.sample([g for g in GOALS if g != goal], rng.randint(0, 2))
    year = rng.randint(2001, 2024)
    lines = [
        f"# Maßnahme Nr. {i}",
        f"titel: {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)} ({i})",
        f"oberziel: {goal}",
    ]
    if others:
        lines += ["weitere_ziele:"] + [f"  - {g}" for g in others]
    lines += ["traeger:"] + [f"  - {t}" for t in rng.sample(TRAEGER, rng.randint(1, 4))]
    planned = rng.random() < 0.8
    stbauf = "true" if planned else rng.choice(["true", "false"])
    lines += ["finanzierung:", f"  staedtebaufoerderung: {stbauf}"]
    lines += ["  sonstige:"] + [f"    - {f}" for f in rng.sample(FOERDERUNG, rng.randint(1, 2))]
    if planned:
        lines += plan(rng, year)
    elif rng.random() < 0.5:
        lines.append(f"  kosten_eur: {rng.randint(1, 500) * 1000}")
    lines += [
        f"status: {status or rng.choice(STATUS)}",
        f"aufgenommen: {year}-{rng.randint(1, 12):02d}",
    ]
    if rng.random() < 0.3:
        lines += [
            "nachtraege:",
            f"  - stand: {year + 1}-12",
            "    text: Die Planung wurde mit dem Sanierungsforum abgestimmt.",
        ]
    lines.append("beschreibung: >-")
    lines.append("  Die Maßnahme verbessert die Wohn- und Lebensbedingungen im Gebiet und wird mit")
    lines.append("  den Bewohnerinnen und Bewohnern gemeinsam geplant und umgesetzt.")
    return "\n".join(lines) + "\n"


def plan(rng: random.Random, start: int) -> list[str]:
    """A Kostengruppe, a plan over five years from three sources, two years spent."""
    lines = [f"  kostengruppe: {rng.choice(KOSTENGRUPPEN)}", "  plan:"]
    spent = ["  ist:"]
    for year in range(start, start + PLAN_YEARS):
        lines.append(f"    {year}:")
        amounts = {q: rng.randint(1, 100) * 1000 for q in QUELLEN}
        lines += [f"      {q}: {amount}" for q, amount in amounts.items()]
        if year < start + 2:
            spent.append(f"    {year}:")
            spent += [f"      {q}: {amount * 9 // 10}" for q, amount in amounts.items()]
    return lines + spent


def indicator(rng: random.Random, i: int, values: int = 10) -> str:
    """An indicator with a basis, a target and ``values`` yearly values."""
    falling = rng.random() < 0.5
    basis = round(rng.uniform(10, 40), 1)
    target = round(basis * (0.7 if falling else 1.4), 1)
    lines = [
        f"titel: Indikator {i}",
        'einheit: "%"',
        f"art: {rng.choice(['kontext', 'ergebnis', 'output'])}",
        f"oberziel: {rng.choice(GOALS)}",
        f"richtung: {'sinken' if falling else 'steigen'}",
        f"basis: {{jahr: 2001, wert: {basis}}}",
        f"ziel: {{jahr: 2020, wert: {target}}}",
        "werte:",
    ]
    for year in range(2002, 2002 + values):
        lines.append(f"  - {{jahr: {year}, wert: {round(rng.uniform(5, 50), 2)}}}")
    return "\n".join(lines) + "\n"


def generate(root: Path, count: int, seed: int = 1, indicators: int = 0) -> None:
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "massnahmen").mkdir(parents=True)
    (root / "ihk.yaml").write_text(META, encoding="utf-8")
    for i in range(count):
        (root / "massnahmen" / f"massnahme-{i:05d}.yaml").write_text(
            measure(rng, i), encoding="utf-8"
        )
    if indicators:
        (root / "indikatoren").mkdir()
        for i in range(indicators):
            (root / "indikatoren" / f"indikator-{i:04d}.yaml").write_text(
                indicator(rng, i), encoding="utf-8"
            )
