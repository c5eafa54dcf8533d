"""Generate kg/data/parties.csv from pycountry and kg/data/countries-wikidata.csv.

Codes and names come from pycountry (ISO 3166-1); Wikidata QIDs and the organisations come
from the reference file ``kg/data/countries-wikidata.csv``. Nothing here is typed by hand: the
hand-made aliases, demonyms, capitals and leaders live in their own files in ``kg/data/``.

Run from the repository root::

    .venv/bin/python scripts/make_parties.py
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

import pycountry

DATA = Path(__file__).resolve().parent.parent / "kg" / "data"
FIELDS = ("code", "qid", "kind", "name", "names")


def ascii_fold(text: str) -> str:
    """Strip accents ('Côte d'Ivoire' -> 'Cote d'Ivoire') so plain-ASCII spellings match too."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def usable_forms(raw: str) -> list[str]:
    """ISO's sorted forms ('Korea, Republic of') are not prose; split off parentheticals."""
    forms: list[str] = []
    if not raw:
        return forms
    outer = re.sub(r"\s*\(.*?\)", "", raw).strip()
    inner = re.findall(r"\((.*?)\)", raw)
    for form in [outer, *inner]:
        form = re.sub(r"^the\s+", "", form.strip(), flags=re.IGNORECASE)
        if form and "," not in form:
            forms.append(form)
    return forms


def display_name(iso_name: str, ref_name: str) -> str:
    """The name a reader knows, when pycountry has no ``common_name``: the shorter of ISO's name
    and the reference's common English name ('Russia', 'Brunei', 'Turkey', not 'Russian
    Federation'), keeping ISO's accents when the two differ only by them ('Côte d'Ivoire')."""
    iso = usable_forms(iso_name)
    if not iso:
        return ref_name
    if not ref_name or "(" in ref_name or ascii_fold(iso[0]) == ref_name or len(iso[0]) <= len(ref_name):
        return iso[0]
    return ref_name


def country_rows(qids: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        code = country.alpha_3
        qid, ref_name = qids.get(code, ("", ""))
        common = getattr(country, "common_name", "")
        names: list[str] = []
        for raw in (common, country.name, getattr(country, "official_name", ""), ref_name):
            for form in usable_forms(raw):
                for variant in (form, ascii_fold(form)):
                    if variant not in names:
                        names.append(variant)
        display = common or display_name(country.name, ref_name) or names[0]
        rows.append({"code": code, "qid": qid, "kind": "country", "name": display,
                     "names": "|".join(names)})
    return rows


def organisation_rows(reference: list[dict[str, str]]) -> list[dict[str, str]]:
    rows = []
    for row in reference:
        if pycountry.countries.get(alpha_3=row["iso3"]) is None:
            rows.append({"code": row["iso3"], "qid": row["wikidata"], "kind": "organisation",
                         "name": row["name"], "names": row["name"]})
    return rows


def main() -> int:
    with open(DATA / "countries-wikidata.csv", encoding="utf-8", newline="") as handle:
        reference = list(csv.DictReader(handle))
    qids = {row["iso3"]: (row["wikidata"], row["name"]) for row in reference}
    rows = country_rows(qids) + organisation_rows(reference)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    target = DATA / "parties.csv"
    fd, tmp = tempfile.mkstemp(dir=DATA, prefix=".parties.", suffix=".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(buffer.getvalue())
    os.replace(tmp, target)
    print(f"wrote {len(rows)} parties to {target} (pycountry {pycountry.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
