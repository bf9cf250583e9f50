"""Build ``src/eventwatch/data/acled_unnamed_actors.tsv`` from ``../shared/train/acled-train.csv``.

Who ACLED codes as a side when the report does not name it differs by country: an unnamed killer is an
"Unidentified Armed Group" in Iraq, an "Unidentified Gang" in Mexico, "Unidentified Gang and/or Police Militia" in
Brazil; explosions the OSCE monitors observe on Ukraine's front line are coded to one of the two forces facing each
other there, never to an unidentified group. This script learns, per country and event type (and sub-event type),
the names ACLED gives a side (actor1 or actor2) in the training notes that do not name that side: a state force
is named by a force word ("soldiers", "police", "army", "troops", ...), any other actor by a part of its own name
("Al Shabaab", "NAF", "Allied Democratic Forces"); "Unidentified ..." names are unnamed by definition.

Rows: ``country (ISO2), event_type, sub_event_type ("*" for all of the type), role, cue, name, count, total``,
where ``total`` is the number of unnamed rows of that key and ``cue`` is ``*`` (the key's default) or a lowercase
word of the note that points to the name far more often than the default does ("drive-by" in Mexico: Unidentified
Gang). Names of state forces carry their term as ``{term}``. Derived statistics only: no training row is copied.
ACLED data: see NOTICE (ACLED, acleddata.com).

    .venv/bin/python scripts/build_acled_unnamed_actors.py --train ../shared/train/acled-train.csv
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "eventwatch" / "data"
TERM = re.compile(r"\s*\((\d{4})-(\d{4})?\)")
STATE = re.compile(r"^(Military Forces|Police Forces|Government|Prison Guards|Private Security Forces) of ")
FORCE_WORDS = re.compile(
    r"\b(?:military|army|soldiers?|troops?|forces?|police|policemen|officers?|gendarm\w*|navy|naval|marines?|"
    r"air ?force|airstrikes?|air strikes?|jets?|drones?|government|authorities|security|commandos?|guards?|"
    r"personnel|servicem[ae]n|units?|battalion|brigade|regiment|division|patrol)\b",
    re.IGNORECASE,
)
ROLES = ("actor1", "actor2")
TYPES = ("Battles", "Violence against civilians", "Explosions/Remote violence", "Strategic developments")
WORD = re.compile(r"(?<![\w-])[a-z][a-z-]{3,}\b")  # lowercase as written: no place or group names
MIN_TOTAL = 8  # unnamed rows a key's default must rest on
MIN_CUE = 10  # notes a cue word must be seen in
CUE_SHARE = 0.85  # share of a cue's notes that name its actor
CUE_LIFT = 0.2
ALIAS_COUNT = 10  # a learned alias counts as naming its actor when seen this often ...
ALIAS_PRECISION = (
    0.9  # ... and this precisely  # how far a cue's share must be above the key default's share of that name
)


def base(name: str) -> str:
    return TERM.sub(" ({term})", name, count=1).strip()


def own_parts(name: str) -> list[str]:
    """The parts of an actor's own name a note may name it by: "NAF", "United Armed Forces of Novorossiya"."""
    plain = re.sub(r"\s*\([^)]*\)", "", name).strip()
    head, _, long_form = plain.partition(": ")
    parts = [head, *head.split("/"), *long_form.split("/"), long_form]
    return [p.strip() for p in parts if len(p.strip()) >= 2]


def learned_aliases() -> dict[str, list[str]]:
    """Frequent, precise surface forms the actor tables learned for each name ("FARDC", "Tatmadaw", "Daesh")."""
    out: dict[str, list[str]] = defaultdict(list)
    for line in (DATA / "acled_aliases.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        alias, name, _iso, count, precision = line.split("\t")
        if int(count) >= ALIAS_COUNT and float(precision) >= ALIAS_PRECISION:
            out[name].append(alias)
    return out


def named(name: str, notes: str, aliases: dict[str, list[str]]) -> bool:
    """Whether a note names an actor (see the module's doc)."""
    if not name or name.startswith("Unidentified"):
        return False
    if STATE.match(name) and FORCE_WORDS.search(notes) is not None:
        return True
    low = notes.lower()
    for alias in aliases.get(base(name), []):
        if alias.isupper() and re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", notes):
            return True
        if not alias.isupper() and re.search(rf"(?<!\w){re.escape(alias.lower())}(?!\w)", low):
            return True
    if STATE.match(name):
        return False
    for part in own_parts(name):
        if part.isupper() and len(part) <= 6:
            if re.search(rf"(?<!\w){re.escape(part)}(?!\w)", notes):
                return True
        elif re.search(rf"(?<!\w){re.escape(part.lower())}(?!\w)", low):
            return True
        else:
            words = [w for w in re.findall(r"[a-z]{4,}", part.lower()) if w not in ("group", "forces", "militia")]
            if words and all(w in low for w in words):
                return True
    return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, default=Path("../shared/train/acled-train.csv"))
    ap.add_argument("--out", type=Path, default=DATA / "acled_unnamed_actors.tsv")
    args = ap.parse_args()
    raw = args.train.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    rows = list(csv.DictReader(raw.decode("utf-8").splitlines()))
    iso_of: dict[str, str] = {}
    for line in (DATA / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        iso_of[cols[3]] = cols[0]
    for line in (DATA / "acled_countries.tsv").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            cols = line.split("\t")
            iso_of[cols[1]] = cols[0]
    aliases = learned_aliases()
    names: dict[tuple[str, str, str, str], Counter[str]] = defaultdict(Counter)
    words: dict[tuple[str, str, str, str], dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for r in rows:
        et = r["event_type"]
        iso = iso_of.get(r["country"]) or r.get("iso", "")
        if et not in TYPES or not iso or len(iso) != 2:
            continue
        notes = r["notes"]
        toks = set(WORD.findall(notes))
        for role in ROLES:
            name = r[role]  # "" where ACLED codes no such side: a default of its own
            if name and named(name, notes, aliases):
                continue
            for st in (r["sub_event_type"], "*"):
                key = (iso, et, st, role)
                names[key][base(name)] += 1
                for w in toks:
                    words[key][w][base(name)] += 1
    out: list[tuple[str, str, str, str, str, str, int, int]] = []
    for key, counts in names.items():
        total = sum(counts.values())
        if total < MIN_TOTAL:
            continue
        top, n = counts.most_common(1)[0]
        if n < MIN_TOTAL:
            continue
        out.append((*key, "*", top, n, total))
        for w, by in words[key].items():
            seen = sum(by.values())
            if seen < MIN_CUE:
                continue
            name, k = by.most_common(1)[0]
            if not name or name.startswith("Civilians"):
                continue  # a cue only says who an unidentified side is (an "Unidentified Armed Group" after all)
            if k / seen >= CUE_SHARE and k / seen >= counts[name] / total + CUE_LIFT:
                out.append((*key, w, name, k, seen))
    header = (f"# Derived from ACLED data (acleddata.com; see NOTICE) by scripts/build_acled_unnamed_actors.py from "
              f"acled-train.csv sha256 {sha}: {len(rows)} rows.\n"
              "# iso2\tevent_type\tsub_event_type\trole\tcue\tname\tcount\ttotal\n")  # fmt: skip
    with args.out.open("w", encoding="utf-8", newline="") as f:
        f.write(header)
        for row in sorted(out, key=lambda r: (r[0], r[1], r[2], r[3], r[4] != "*", -r[6], r[4])):
            f.write("\t".join(str(x) for x in row) + "\n")
    print(f"{len(out)} rows -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
