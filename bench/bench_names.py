"""Benchmark of name normalisation, blocking keys and comparison.

Generates 100,000 synthetic records with a fixed seed: 50,000 children (Faker
``uk_UA`` names, one in ten ``ru_RU``), each described by two records written
the ways sources write them (as is, transliterated under a real system,
Russified, a diminutive, look-alike letters, capitals, a one-letter typo).
It measures

- throughput of normalisation + keys for given name, patronymic and family
  name, cold (empty caches) and warm (the same values again);
- throughput of the compare functions on the two records of each child;
- key selectivity: distinct keys, the largest block, the pairs the keys make
  (against all pairs), and recall: the share of one child's two records that
  share a key;
- places and dates on 100,000 records of ``homeward.synthetic`` (birth place,
  residence and birth date as its sources write them: Russian and former
  names, transliterations, ``м. Маріуполь, Донецька обл.``, ``04.03.2012``,
  Excel serials): resolve + ``place_keys`` and ``parse_date`` + ``date_keys``
  throughput, cold and warm, and the recall of those keys on true pairs.

Run it with::

    .venv/bin/python bench/bench_names.py            # 100,000 records
    .venv/bin/python bench/bench_names.py --records 20000

It prints a markdown table and writes it to ``bench/results/names.md``.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from faker import Faker

from homeward import synthetic
from homeward.names import compare as names_compare
from homeward.names import (
    dates,
    family,
    fullname,
    given,
    normalize,
    parse,
    patronymic,
    places,
    places_resolve,
    translit,
)
from homeward.names.given import name_groups, resolve_given_name
from homeward.names.normalize import normalize_name
from homeward.names.translit import SYSTEMS, transliterate

SEED = 20_250_602
RESULTS = Path(__file__).parent / "results" / "names.md"
_LOOK_ALIKES = {"а": "a", "о": "o", "і": "i", "е": "e", "с": "c", "р": "p"}
_RUSSIFY = str.maketrans({"і": "и", "ї": "и", "є": "е", "'": "ь", "’": "ь", "ґ": "г"})
_UK_SYSTEMS = sorted(n for n, (lang, _f) in SYSTEMS.items() if lang == "uk")
_RU_SYSTEMS = sorted(n for n, (lang, _f) in SYSTEMS.items() if lang == "ru")


@dataclass(frozen=True, slots=True)
class Record:
    """One synthetic record of a child."""

    child: int
    how: str
    given: str
    patronymic: str
    family: str


def _children(count: int, rng: random.Random) -> list[tuple[str, str, str, str]]:
    uk, ru = Faker("uk_UA"), Faker("ru_RU")
    uk.seed_instance(SEED)
    ru.seed_instance(SEED + 1)
    children = []
    for _ in range(count):
        fake = ru if rng.random() < 0.1 else uk
        if rng.random() < 0.5:
            names = (fake.first_name_male(), fake.middle_name_male(), fake.last_name_male(), "m")
        else:
            names = (
                fake.first_name_female(),
                fake.middle_name_female(),
                fake.last_name_female(),
                "f",
            )
        children.append(names)
    return children


def _typo(value: str, rng: random.Random) -> str:
    if len(value) < 4:
        return value
    i = rng.randrange(1, len(value) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return value[:i] + value[i + 1 :]
    if kind == 1:
        return value[:i] + value[i + 1] + value[i] + value[i + 2 :]
    return value[:i] + rng.choice("аеиоунрстлк") + value[i + 1 :]


def _diminutive(given: str, rng: random.Random) -> str:
    groups = name_groups()
    for group_id in sorted(resolve_given_name(given).groups):
        if groups[group_id].diminutives:
            return rng.choice(groups[group_id].diminutives)
    return given


def _russian_given(given: str) -> str:
    groups = name_groups()
    for group_id in sorted(resolve_given_name(given).groups):
        return groups[group_id].ru[0]
    return given.translate(_RUSSIFY)


def _render(child: int, names: tuple[str, str, str, str], rng: random.Random) -> Record:
    given, patronymic, family, _sex = names
    how = rng.choices(
        ["as is", "latin", "russified", "russified latin", "diminutive", "look-alike",
         "typo", "capitals"],
        weights=[25, 20, 15, 10, 8, 7, 10, 5],
    )[0]  # fmt: skip
    if how in ("russified", "russified latin"):
        given = _russian_given(given)
        patronymic, family = patronymic.translate(_RUSSIFY), family.translate(_RUSSIFY)
    if how in ("latin", "russified latin"):
        systems = _RU_SYSTEMS if how == "russified latin" else _UK_SYSTEMS
        system = rng.choice(systems)
        given, patronymic, family = (transliterate(v, system) for v in (given, patronymic, family))
    elif how == "diminutive":
        given = _diminutive(given, rng)
    elif how == "look-alike":
        spots = [i for i, c in enumerate(family) if c in _LOOK_ALIKES]
        if spots:
            i = rng.choice(spots)
            family = family[:i] + _LOOK_ALIKES[family[i]] + family[i + 1 :]
    elif how == "typo":
        if rng.random() < 0.5:
            given = _typo(given, rng)
        else:
            family = _typo(family, rng)
    elif how == "capitals":
        family = family.upper()
    return Record(child, how, given, patronymic, family)


def generate(records: int) -> list[Record]:
    """Two records of each of ``records // 2`` children, shuffled, fixed seed."""
    rng = random.Random(SEED)
    out = []
    for child, names in enumerate(_children(records // 2, rng)):
        out.append(_render(child, names, rng))
        out.append(_render(child, names, rng))
    rng.shuffle(out)
    return out


def _clear_caches() -> None:
    """Empty every bounded cache of the names layer (the loaded data stays)."""
    modules = (normalize, translit, given, patronymic, family, parse, names_compare, fullname)
    for module in (*modules, places, places_resolve, dates):
        for value in vars(module).values():
            info = getattr(value, "cache_info", None)
            if info is not None and info().maxsize is not None:
                value.cache_clear()


def _keys_all(record: Record) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    normalize_name(record.given)
    normalize_name(record.patronymic)
    normalize_name(record.family)
    return (
        names_compare.given_name_keys(record.given),
        names_compare.patronymic_keys(record.patronymic),
        names_compare.family_name_keys(record.family),
    )


def _rate(count: int, work: Callable[[], object]) -> tuple[float, float]:
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    return count / elapsed, elapsed


def _selectivity(name: str, keys_of: Iterable[tuple[int, frozenset[str]]]) -> dict[str, str]:
    blocks: Counter[str] = Counter()
    by_child: dict[int, list[frozenset[str]]] = {}
    total = 0
    for child, keys in keys_of:
        total += 1
        blocks.update(keys)
        by_child.setdefault(child, []).append(keys)
    pairs = sum(n * (n - 1) // 2 for n in blocks.values())
    all_pairs = total * (total - 1) // 2
    found = sum(1 for k in by_child.values() if len(k) == 2 and k[0] & k[1])
    return {
        "keys": name,
        "distinct keys": f"{len(blocks):,}",
        "largest block": f"{max(blocks.values()):,} ({max(blocks.values()) / total:.2%})",
        "candidate pairs": f"{pairs:,} ({pairs / all_pairs:.4%} of all)",
        "recall": f"{found / len(by_child):.1%}",
    }


def _place_date_keys(record: dict[str, str]) -> tuple[frozenset[str], ...]:
    return (
        places.place_keys(record.get("birth_place") or None),
        places.place_keys(record.get("residence") or None),
        dates.date_keys(record.get("birth_date") or None),
    )


def _places_and_dates(records: int) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Throughput and key recall for places and dates on synthetic records."""
    started = time.perf_counter()
    children = max(1, round(records / 2.4))  # about 2.56 records a child: a few spare
    rows = synthetic.generate(children, seed=SEED).records[:records]
    generated = time.perf_counter() - started
    _clear_caches()
    cold, cold_s = _rate(len(rows), lambda: [_place_date_keys(r) for r in rows])
    warm, warm_s = _rate(len(rows), lambda: [_place_date_keys(r) for r in rows])
    throughput = [
        {"measure": "generate synthetic records", "records": f"{len(rows):,}",
         "seconds": f"{generated:.2f}", "per second": "—"},
        {"measure": "place keys (birth place, residence) + date keys, cold caches",
         "records": f"{len(rows):,}", "seconds": f"{cold_s:.2f}", "per second": f"{cold:,.0f}"},
        {"measure": "place keys + date keys, warm caches", "records": f"{len(rows):,}",
         "seconds": f"{warm_s:.2f}", "per second": f"{warm:,.0f}"},
    ]  # fmt: skip
    by_id = {r["record_id"]: r for r in rows}
    true = [
        (by_id[a], by_id[b]) for a, b in synthetic.true_pairs(rows) if a in by_id and b in by_id
    ]
    recall = []
    for label, field, keys in (
        ("birth place", "birth_place", places.place_keys),
        ("residence", "residence", places.place_keys),
        ("birth date", "birth_date", dates.date_keys),
    ):
        both = [(a, b) for a, b in true if a.get(field) and b.get(field)]
        shared = sum(1 for a, b in both if keys(a[field]) & keys(b[field]))
        resolved = sum(
            1 for r in rows if r.get(field) and field != "birth_date"
            and places_resolve.resolve_place(r[field]).candidates
        )  # fmt: skip
        filled = sum(1 for r in rows if r.get(field))
        recall.append(
            {
                "field": label,
                "records with a value": f"{filled:,}",
                "resolved in the gazetteer": "—"
                if field == "birth_date"
                else f"{resolved / filled:.1%}",
                "true pairs with both values": f"{len(both):,}",
                "share a key": f"{shared / len(both):.1%}",
            }
        )
    return throughput, recall


def _table(rows: list[dict[str, str]]) -> str:
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row[h] for h in head) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    """Run the benchmark and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()

    # Start-up: the shipped groups, rigour's name data and the pymorphy3 dictionaries.
    started = time.perf_counter()
    names_compare.compare_given_names("Войцех", "Wojciech")
    fullname.compare_full_names("Коваленка Олександра", "Oleksandr Kovalenko")
    startup = time.perf_counter() - started

    started = time.perf_counter()
    records = generate(args.records)
    generated = time.perf_counter() - started
    _clear_caches()

    cold, cold_s = _rate(len(records), lambda: [_keys_all(r) for r in records])
    warm, _ = _rate(len(records), lambda: [_keys_all(r) for r in records])
    by_child: dict[int, list[Record]] = {}
    for record in records:
        by_child.setdefault(record.child, []).append(record)
    pairs = [p for p in by_child.values() if len(p) == 2]

    def compare_parts() -> None:
        for a, b in pairs:
            names_compare.compare_given_names(a.given, b.given)
            names_compare.compare_patronymics(a.patronymic, b.patronymic)
            names_compare.compare_family_names(a.family, b.family)

    compare_rate, compare_s = _rate(len(pairs), compare_parts)
    compare_warm, _ = _rate(len(pairs), compare_parts)
    full = [(f"{a.given} {a.family}", f"{b.family} {b.given}") for a, b in pairs]
    _clear_caches()
    full_rate, full_s = _rate(
        len(full), lambda: [fullname.compare_full_names(a, b) for a, b in full]
    )
    full_warm, _ = _rate(len(full), lambda: [fullname.compare_full_names(a, b) for a, b in full])

    throughput = [
        {"measure": "generate records", "records": f"{len(records):,}",
         "seconds": f"{generated:.2f}", "per second": "—"},
        {"measure": "start-up (name list, rigour data, pymorphy3)", "records": "—",
         "seconds": f"{startup:.2f}", "per second": "—"},
        {"measure": "normalise + keys (given, patronymic, family), cold caches",
         "records": f"{len(records):,}", "seconds": f"{cold_s:.2f}", "per second": f"{cold:,.0f}"},
        {"measure": "normalise + keys, warm caches", "records": f"{len(records):,}",
         "seconds": f"{len(records) / warm:.2f}", "per second": f"{warm:,.0f}"},
        {"measure": "compare given + patronymic + family, cold (pairs)",
         "records": f"{len(pairs):,}", "seconds": f"{compare_s:.2f}",
         "per second": f"{compare_rate:,.0f}"},
        {"measure": "compare given + patronymic + family, warm (pairs)",
         "records": f"{len(pairs):,}", "seconds": f"{len(pairs) / compare_warm:.2f}",
         "per second": f"{compare_warm:,.0f}"},
        {"measure": "compare full names with parsing, cold (pairs)", "records": f"{len(full):,}",
         "seconds": f"{full_s:.2f}", "per second": f"{full_rate:,.0f}"},
        {"measure": "compare full names, warm (pairs)", "records": f"{len(full):,}",
         "seconds": f"{len(full) / full_warm:.2f}", "per second": f"{full_warm:,.0f}"},
    ]  # fmt: skip
    selectivity = [
        _selectivity("given", ((r.child, names_compare.given_name_keys(r.given)) for r in records)),
        _selectivity(
            "patronymic", ((r.child, names_compare.patronymic_keys(r.patronymic)) for r in records)
        ),
        _selectivity(
            "family", ((r.child, names_compare.family_name_keys(r.family)) for r in records)
        ),
        _selectivity(
            "full (given × family, given × patronymic)",
            (
                (r.child, fullname.full_name_keys(f"{r.given} {r.patronymic} {r.family}"))
                for r in records
            ),
        ),
    ]
    place_rate, place_recall = _places_and_dates(args.records)
    report = "\n\n".join(
        [
            "# Names benchmark",
            f"`.venv/bin/python bench/bench_names.py --records {args.records}` "
            f"(seed {SEED}, one process, caches as stated).",
            "## Throughput",
            _table(throughput),
            "## Blocking keys",
            "Recall: share of children whose two records share at least one key "
            "(typos and diminutives included). Candidate pairs: pairs of records "
            "that share a key.",
            _table(selectivity),
            "## Places and dates",
            "Records of `homeward.synthetic` (seed as above), with the places and "
            "dates its sources write. Share a key: true pairs (two records of one "
            "child, both with a value) whose keys meet; a place the other side "
            "wrote differently (a new town after a move) or an altered birth date "
            "shares none, and is left to the name keys.",
            _table(place_rate),
            _table(place_recall),
        ]
    )
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
