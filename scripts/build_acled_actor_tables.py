"""Build the ACLED actor tables shipped in ``src/eventwatch/data/`` from ``../shared/train/acled-train.csv``.

What ACLED calls the actors its notes mention is learned from the training file (never from an evaluation set):

* ``acled_actors.tsv``: every actor name ACLED gives (actor1/actor2/assoc_actor_*), its inter code (the most
  frequent), its home country (ISO2, the most frequent event country) and how many rows name it. Names of state
  forces carry their term as ``{term}`` ("Military Forces of Nigeria ({term})"): the term is picked by date.
* ``acled_aliases.tsv``: surface forms in notes that name an actor ("FARDC", "Tatmadaw", "BH", "al-Shabaab"),
  with the actor, the country they were seen in, how often and how precisely (share of the notes holding the
  phrase whose row names that actor). Phrases that are place names or calendar words are left out. A phrase that
  is an actor's own name ("NAF" of "NAF: United Armed Forces of Novorossiya") also names that actor in its
  country where the phrase's overall winner is another country's actor (the Nigerian Air Force).
* ``acled_terms.tsv``: the term labels of state forces and governments per country ("Military Forces of Iraq
  (2018-2020)") with the first and last event date that uses them.
* ``acled_assoc_nouns.tsv``: lowercase words of people in notes ("teachers", "employees") and the generic group
  ACLED names as their associated actor ("Teachers", "Labour Group"): assoc_actor_1 of protests and riots (those
  protesting), assoc_actor_2 of violence against civilians and explosions (those hit), with the share of notes
  holding the word that name it.
* ``acled_countries.tsv``: ACLED's country names ("Democratic Republic of Congo"), the form state forces use
  ("the Democratic Republic of Congo"), and how ACLED orders a battle between a state force and a non-state side
  there (the share of such battles with the state force as actor1: 0.94 in Myanmar, 0.00 in the Philippines).

Derived statistics only: no training row is copied. ACLED data: see NOTICE (ACLED, acleddata.com). Rows whose
``sha1(event_id_cnty)`` ends in a digit below ``--holdout`` tenths are held out (not mined), for tuning.

    .venv/bin/python scripts/build_acled_actor_tables.py --train ../shared/train/acled-train.csv
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "eventwatch" / "data"
TERM = re.compile(r"\s*\((\d{4})-(\d{4})?\)")
STATE = re.compile(r"^(Military Forces|Police Forces|Government|Prison Guards|Private Security Forces) of (.+?)$")
MILITIA = re.compile(r"(?:Communal|Ethnic|Clan|Sub-Clan|Tribal) Militia \(")
GENERIC = re.compile(r"^(Protesters|Rioters|Civilians|Unidentified Armed Group) \(")
TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f][\w'’-]*|\d+")
CONNECT = {"of", "the", "and", "al", "el", "de", "du", "des", "for", "la", "le", "wal", "bin", "ibn", "ad", "as"}
FORCE_NOUNS = {"forces", "force", "army", "military", "police", "soldiers", "troops", "militants", "fighters",
               "rebels", "militia", "militias", "militiamen", "gunmen", "members", "group", "elements", "officers",
               "personnel", "guards", "jihadists", "insurgents", "commandos", "units", "unit", "brigade"}  # fmt: skip
STOP = {"On", "In", "The", "A", "An", "At", "On the", "As", "Around", "According", "During", "After", "Between",
        "From", "Reported", "Unknown", "Several", "Two", "Three", "No", "This", "It", "They", "He", "She", "Also",
        "Note", "Fatalities", "Arrests", "Looting", "Clash", "Attack", "Property destruction", "Non-violent activity",
        "Weapons seizure", "Defusal", "Movement of forces", "Recruitment", "Other", "Mass grave", "Strike",
        "Protest"}  # fmt: skip
MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
          "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}  # fmt: skip


ROLE_OF = {"Protests": "assoc_actor_1", "Riots": "assoc_actor_1", "Violence against civilians": "assoc_actor_2",
           "Explosions/Remote violence": "assoc_actor_2"}  # where a note's people are ACLED's associated actors
WORD = re.compile(r"\b[a-z][a-z-]{2,}\b")
# Plural nouns of people ("teachers", "employees", "journalists", "nurses", "women"); other words a note's topic
# brings ("salaries", "campus") would only say what a protest is about.
PEOPLE = re.compile(r"(?:ers|ors|ists|ees|ants|ents|ians|ics|men|wives|ses|ives|ates|ists|ims|ids|ers)$")
STOPWORDS = {"the", "and", "for", "with", "from", "against", "over", "their", "they", "were", "was", "demanding",
             "protest", "protested", "protests", "protesters", "demonstration", "demonstrated", "size", "report",
             "rally", "held", "staged", "front", "office", "march", "marched", "people", "group", "groups",
             # plural nouns that are not people
             "bonuses", "businesses", "classes", "comments", "degrees", "economics", "fees", "governorates", "rates",
             "requirements", "prayers", "winners"}  # fmt: skip


def base(name: str) -> str:
    """An actor name with its term replaced by ``{term}``."""
    return TERM.sub(" ({term})", name, count=1).strip()


def held_out(event_id: str, tenths: int) -> bool:
    return int(hashlib.sha1(event_id.encode()).hexdigest(), 16) % 10 < tenths


def name_aliases(name: str) -> set[str]:
    """Aliases a name itself gives: "KIO/KIA: Kachin Independence ..." → KIO, KIA, KIO/KIA, the long forms."""
    out: set[str] = set()
    plain = TERM.sub("", name).strip()
    m = STATE.match(plain)
    if m and " " in m.group(2) and not m.group(2).startswith("the "):
        rest = m.group(2).split(" ", 1)
        if len(rest) == 2 and rest[1][:1].isupper():
            out.add(rest[1])  # "Military Forces of Iraq (2018-2020) Popular Mobilization Forces"
    if m:
        return out
    head, _, long_form = plain.partition(": ")
    for part in [head, *head.split("/"), *long_form.split("/"), long_form]:
        part = re.sub(r"\s*\([^)]*\)$", "", part).strip()
        if part and len(part) >= 2:
            out.add(part)
    return out


def phrases(text: str) -> set[str]:
    toks = [m.group(0) for m in TOKEN.finditer(text)]
    caps = [any(c.isupper() for c in t) for t in toks]
    out: set[str] = set()
    for i in range(len(toks)):
        if not caps[i]:
            continue
        for j in range(i, min(len(toks), i + 5)):
            tj = toks[j]
            if not caps[j] and tj.lower() not in CONNECT and tj.lower() not in FORCE_NOUNS:
                break
            if caps[j] or tj.lower() in FORCE_NOUNS:
                phrase = " ".join(toks[i : j + 1])
                if toks[j].lower() not in CONNECT:
                    out.add(phrase)
            if not caps[j] and tj.lower() in FORCE_NOUNS:
                break
    return {p for p in out if p not in STOP and p.split()[0].strip("-") not in MONTHS and not p.isdigit()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, default=Path("../shared/train/acled-train.csv"))
    ap.add_argument("--out", type=Path, default=DATA)
    ap.add_argument("--holdout", type=int, default=1, help="tenths of the rows held out for tuning (default 1)")
    ap.add_argument("--min-count", type=int, default=3)
    args = ap.parse_args()
    if not args.train.is_file():
        print(f"training file not found: {args.train}", file=sys.stderr)
        return 2
    raw = args.train.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    iso_of_numeric = {}
    for line in (DATA / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("iso2"):
            continue
        iso2, _iso3, numeric, *_ = line.split("\t")
        iso_of_numeric[numeric.lstrip("0") or "0"] = iso2
    inter: dict[str, Counter[str]] = defaultdict(Counter)
    home: dict[str, Counter[str]] = defaultdict(Counter)
    rows_of: Counter[str] = Counter()
    terms: dict[tuple[str, str, str], list[date]] = defaultdict(list)
    country_name: dict[str, Counter[str]] = defaultdict(Counter)
    phrase_country: Counter[tuple[str, str]] = Counter()  # (phrase, iso2): notes of the country holding it
    phrase_actor: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    country_rows: Counter[str] = Counter()
    actor_rows: Counter[tuple[str, str]] = Counter()
    mined = 0
    state_first: dict[str, Counter[bool]] = defaultdict(Counter)
    word_rows: Counter[tuple[str, str]] = Counter()  # (role, lowercase word): notes of the role's events holding it
    word_group: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)  # ... naming a generic group in the role
    group_rows: Counter[str] = Counter()
    group_countries: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        iso2 = iso_of_numeric.get((r.get("iso") or "").lstrip("0"), "")
        if iso2:
            country_name[iso2][r["country"]] += 1
        when = date.fromisoformat(r["eval_event_date"])
        names: list[tuple[str, str]] = []
        for col, icol in (("actor1", "inter1"), ("actor2", "inter2")):
            if r[col]:
                names.append((r[col], r[icol]))
        for col in ("assoc_actor_1", "assoc_actor_2"):
            names += [(a.strip(), "") for a in r[col].split(";") if a.strip()]
        for name, code in names:
            b = base(name)
            rows_of[b] += 1
            if code:
                inter[b][code] += 1
            if iso2:
                home[b][iso2] += 1
            t = TERM.search(name)
            m = STATE.match(name[: t.start()].strip()) if t else None
            if t and m:
                terms[(m.group(2).removeprefix("the "), m.group(1), t.group(0).strip())].append(when)
        if held_out(r["event_id_cnty"], args.holdout):
            continue
        mined += 1
        i1, i2 = r.get("inter1", ""), r.get("inter2", "")
        if r.get("event_type") == "Battles" and iso2 and i2 and (i1 == "1") != (i2 == "1"):
            state_first[iso2][i1 == "1"] += 1  # a battle of a state force and a non-state side: who is actor1
        actors = sorted({(base(n), iso2) for n, _ in names if not GENERIC.match(n)})  # sorted: a stable build
        role = ROLE_OF.get(r.get("event_type", ""))
        if role is not None:
            label = r["country"]
            groups = {a.strip()[: -len(label) - 3] for a in r[role].split(";")
                      if a.strip().endswith(f" ({label})")}  # fmt: skip
            words = set(WORD.findall(r["notes"]))
            for w in words:
                word_rows[(role, w)] += 1
                for g in groups:
                    word_group[(role, w)][g] += 1
            for g in groups:
                group_rows[g] += 1
                group_countries[g].add(label)
        # Role "actor": a generic group tagged with the event's country as actor1 or actor2 ("Pirates (Nigeria)",
        # "Anti-Drug Vigilantes (Philippines)"), by a word of the note that names it ("pirates", "vigilante-style").
        label = r["country"]
        tagged = {a[: -len(label) - 3] for a in (r["actor1"], r["actor2"])
                  if a.endswith(f" ({label})") and not GENERIC.match(a) and not MILITIA.search(a)}  # fmt: skip
        for w in set(WORD.findall(r["notes"])):
            word_rows[("actor", w)] += 1
            for g in tagged:
                word_group[("actor", w)][g] += 1
        country_rows[iso2] += 1
        for a in actors:
            actor_rows[a] += 1
        for p in phrases(r["notes"]):
            phrase_country[(p, iso2)] += 1
            for a in actors:
                phrase_actor[p][a] += 1
    # ACLED's country names; the form after "Military Forces of" ("the Philippines").
    countries = {iso: c.most_common(1)[0][0] for iso, c in country_name.items()}
    forms: dict[str, str] = {}
    for b in rows_of:
        m = STATE.match(b.replace(" ({term})", ""))
        if m:
            for iso, name in countries.items():
                if m.group(2) in (name, f"the {name}") and not forms.get(iso, "").startswith("the "):
                    forms[iso] = m.group(2)  # "of the Philippines" wherever ACLED writes it so
    name_alias: dict[str, set[str]] = {b: name_aliases(b.replace(" ({term})", "")) for b in rows_of}
    place_words = _place_filter()
    aliases: list[tuple[str, str, str, int, float]] = []
    phrase_rows: Counter[str] = Counter()
    for (p, _iso), n in phrase_country.items():
        phrase_rows[p] += n
    for p, n in phrase_rows.items():
        if n < args.min_count:
            continue
        if not phrase_actor[p]:
            continue

        # The actor the phrase names is the one it makes likelier than its country's notes already do (in Afghan
        # notes "ANDSF" comes with the Taliban as often as with the army, but the army is what it adds).
        def lift(item: tuple[tuple[str, str], int], n: int = n) -> float:
            (a, iso_a), k_a = item
            return k_a / n - actor_rows[(a, iso_a)] / max(1, country_rows[iso_a])

        (actor, iso), k = max(phrase_actor[p].items(), key=lambda it: (lift(it), it[1]))
        precision = k / n
        if lift(((actor, iso), k)) < 0.15 and p.lower() not in actor.lower():
            continue
        own = p in name_alias.get(actor, set()) or p.lower() in actor.lower()
        single = " " not in p and not p.isupper()
        if precision < (0.7 if single else 0.5) and not (own and precision >= 0.3):
            continue
        if not own and (place_words(p) or " and " in p or _place_like(p)):
            continue  # a place, or two parties ("AA and the Myanmar military"): not one actor's name
        aliases.append((p, actor, iso, k, round(precision, 3)))
    # A phrase no actor wins overall may still name one in a country, once ACLED's "A and/or B" rows count for A and
    # B: "ISWAP" is Islamic State (West Africa) in Nigeria's notes, split there with "... and/or Boko Haram" and
    # across Nigeria and Niger. Held to a stricter bar than the overall winners, and to names holding an acronym
    # (a capitalised common word, "Company", "Houses", says what a country's notes are about, not who acted).
    won_phrase = {a[0] for a in aliases}
    fallback: dict[str, list[tuple[str, str, str, int, float]]] = defaultdict(list)
    for (p, iso), n in phrase_country.items():
        if n < args.min_count or p in won_phrase or not phrase_actor[p]:
            continue
        if not any(w.isupper() and w.isalpha() and len(w) >= 2 for w in p.split()):
            continue  # only names holding an acronym ("ISWAP", "JAS militants", "US forces"): a capitalised word
        if any(w.strip("-") in MONTHS or w.lower() in PLACE_HEADS for w in p.split()) or " and " in p or (
                place_words(p)):  # fmt: skip
            continue
        merged: Counter[str] = Counter()
        for (a, iso_a), k in phrase_actor[p].items():
            if iso_a != iso:
                continue
            parts = [x.strip() for x in a.split(" and/or ")] if " and/or " in a else [a]
            for x in parts:
                merged[x if x in rows_of else a] += k
        if not merged:
            continue
        actor, k = max(merged.items(), key=lambda it: (it[1] / n - actor_rows[(it[0], iso)] / max(1, country_rows[iso]),
                                                      it[1]))  # fmt: skip
        lift_iso = k / n - actor_rows[(actor, iso)] / max(1, country_rows[iso])
        if k / n >= 0.8 and lift_iso >= 0.3 and k >= 10:
            fallback[p].append((p, actor, iso, k, round(k / n, 3)))
    for rows_p in fallback.values():
        # One actor across the countries that use the phrase (nine in ten of its notes), else no name ("RPG")
        by_actor: Counter[str] = Counter()
        for row in rows_p:
            by_actor[row[1]] += row[3]
        actor, k = by_actor.most_common(1)[0]
        if k >= 0.9 * sum(by_actor.values()):
            aliases += [row for row in rows_p if row[1] == actor]
    # An actor's own name in its country, where the phrase names another actor elsewhere: "NAF" is the Nigerian
    # Air Force in Nigeria's notes, the United Armed Forces of Novorossiya ("NAF: ...") in Ukraine's.
    won = {(a[0], a[2]) for a in aliases}
    for (p, iso), n in phrase_country.items():
        if n < args.min_count or (p, iso) in won:
            continue
        mine = [(a, k) for (a, iso_a), k in phrase_actor[p].items() if iso_a == iso and p in name_alias.get(a, set())]
        if mine:
            actor, k = max(mine, key=lambda it: it[1])
            if k / n >= 0.5:
                aliases.append((p, actor, iso, k, round(k / n, 3)))
    # "Boko Haram fighters" seen more often with the army that fights them than under Boko Haram's own two ACLED
    # names: a group's name followed by a force noun names that group, so it is left to the shorter alias.
    head_of = {(a[0], a[2]): a[1] for a in aliases}
    aliases = [a for a in aliases if not _extends_other(a[0], a[1], a[2], head_of)]
    for b, al in name_alias.items():
        iso = home[b].most_common(1)[0][0] if home[b] else ""
        for a in al:
            if a not in phrase_rows or phrase_rows[a] < args.min_count:
                aliases.append((a, b, iso, rows_of[b], 1.0))
    header = (f"# Derived from ACLED data (acleddata.com; see NOTICE) by scripts/build_acled_actor_tables.py "
              f"from "
              f"acled-train.csv sha256 {sha}: {len(rows)} rows, {mined} mined (holdout {args.holdout}/10).")  # fmt: skip
    out: Path = args.out
    with (out / "acled_actors.tsv").open("w", encoding="utf-8", newline="") as f:
        f.write(header + "\n# name\tinter\tiso2\trows\n")
        for b, n in sorted(rows_of.items(), key=lambda kv: (-kv[1], kv[0])):
            code = inter[b].most_common(1)[0][0] if inter[b] else ""
            iso = home[b].most_common(1)[0][0] if home[b] else ""
            f.write(f"{b}\t{code}\t{iso}\t{n}\n")
    with (out / "acled_aliases.tsv").open("w", encoding="utf-8", newline="") as f:
        f.write(header + "\n# alias\tname\tiso2\tcount\tprecision\n")
        for row in sorted(set(aliases), key=lambda a: (a[0], -a[3], a[1], a[2])):
            f.write("\t".join(str(x) for x in row) + "\n")
    with (out / "acled_terms.tsv").open("w", encoding="utf-8", newline="") as f:
        f.write(header + "\n# country\tforce\tterm\tfirst\tlast\trows\n")
        for (country, force, label), days in sorted(terms.items()):
            f.write(f"{country}\t{force}\t{label}\t{min(days)}\t{max(days)}\t{len(days)}\n")
    with (out / "acled_countries.tsv").open("w", encoding="utf-8", newline="") as f:
        f.write(header + "\n# iso2\tname\tstate_form\tbattles of a state force and a non-state side\t"
                         "share with the state force as actor1\n")
        for iso, name in sorted(countries.items()):
            n = sum(state_first[iso].values())
            share = round(state_first[iso][True] / n, 3) if n else ""
            f.write(f"{iso}\t{name}\t{forms.get(iso, name)}\t{n}\t{share}\n")
    # "teachers" → Teachers ({country}), "employees" → Labour Group ({country}): the generic groups ACLED names as
    # the people protesting or rioting (seen in 3+ countries), by the lowercase words that announce them.
    nouns: list[tuple[str, str, str, int, float]] = []
    for (role, w), n in word_rows.items():
        if role == "actor":
            # the word names the group itself ("pirates" → Pirates, "cultist" → Cult Militia), not its topic
            for g, k in word_group[(role, w)].items():
                if n >= 10 and k >= 8 and k / n >= 0.6 and w.split("-")[0][:5] in g.lower():
                    nouns.append((w, g, role, k, round(k / n, 3)))
            continue
        if n < 8 or w in STOPWORDS or not PEOPLE.search(w):
            continue
        for g, k in word_group[(role, w)].items():
            if len(group_countries[g]) >= 3 and k / n >= 0.6 and k >= 5:
                nouns.append((w, g, role, k, round(k / n, 3)))
    with (out / "acled_assoc_nouns.tsv").open("w", encoding="utf-8", newline="") as f:
        f.write(header + "\n# word\tgroup ('{group} ({country})')\trole (assoc_actor_1 of protests and riots, "
                         "assoc_actor_2 of violence against civilians and explosions; actor: actor1 or actor2)"
                         "\trows\tprecision\n")
        for row in sorted(nouns):
            f.write("\t".join(str(x) for x in row) + "\n")
    print(f"{len(rows_of)} actors, {len(aliases)} aliases, {len(terms)} terms, {len(countries)} countries → {out}")
    return 0


# Words that make a phrase a place by its head ("Chaung Village", "Buthidaung Township", "Barangay Poblacion").
PLACE_HEADS = {"village", "villages", "township", "district", "state", "province", "county", "region", "city", "town",
               "lga", "governorate", "municipality", "territory", "sub-district", "subdistrict", "area", "camp",
               "barangay", "commune", "department", "division", "sector", "neighborhood", "neighbourhood", "market",
               "road", "street", "highway", "river", "island", "mountain", "hill", "hills", "valley", "forest"}  # fmt: skip


def _place_like(phrase: str) -> bool:
    words = phrase.lower().split()
    return words[-1] in PLACE_HEADS or (len(words) > 1 and words[0] == "barangay")


def _extends_other(phrase: str, actor: str, iso: str, head_of: dict[tuple[str, str], str]) -> bool:
    """A phrase ending in a force noun ("Boko Haram fighters") whose head is an alias of another actor."""
    words = phrase.split()
    if len(words) < 2 or words[-1].lower() not in FORCE_NOUNS:
        return False
    head = " ".join(words[:-1])
    if all(w.lower() in FORCE_NOUNS for w in words[:-1]):
        return False  # "Army troops": common nouns, no group's name
    return (head, iso) in head_of and head_of[(head, iso)] != actor


def _place_filter():  # type: ignore[no-untyped-def]
    """Whether a phrase is a place name (GeoNames index) or a country name/demonym: not an actor alias."""
    sys.path.insert(0, str(DATA.parent.parent))
    from eventwatch.extract.lexicon import fold
    from eventwatch.resolve.gazetteer import candidates, gazetteer

    countries = gazetteer().country_of

    def is_place(p: str) -> bool:
        return fold(p) in countries or any(c.feature_class in ("P", "A") for c in candidates(p))

    return is_place


if __name__ == "__main__":
    raise SystemExit(main())
