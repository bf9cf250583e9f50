"""Generate a realistic synthetic report corpus in every ingest format, for throughput benchmarks.

Texts are built from templates of wire-style conflict reporting (en/fr/ar), about 400 words each once padded
with background paragraphs, so that reports/s is comparable to real articles.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

PLACES = ["Harem", "Idlib", "Jableh", "Tartus", "El Fasher", "Nyala", "Menaka", "Djibo", "Kharkiv", "Goma"]
ACTORS = [
    ("government forces", "fighters of a foreign jihadist faction"),
    ("the Rapid Support Forces", "the Sudanese army"),
    ("JNIM militants", "Malian soldiers"),
    ("Russian forces", "Ukrainian defenders"),
    ("M23 rebels", "FARDC troops"),
]
EN = [
    "{a} clashed with {b} overnight near {p}, according to local sources, killing at least {n} people.",
    "A drone strike hit a market in {p} on Tuesday, the monitor said; {n} civilians were reportedly wounded.",
    "Residents of {p} protested peacefully against rising prices, witnesses told reporters.",
    "The death toll from the attack in {p} rose to {n}, the health ministry said.",
]
FR = [
    "Selon l'OSDH, des affrontements ont opposé {a} et {b} près de {p}, faisant au moins {n} morts.",
    "Une frappe de drone a visé {p} mardi soir ; {n} civils auraient été blessés.",
]
AR = ["أفاد المرصد السوري لحقوق الإنسان بمقتل {n} أشخاص في اشتباكات قرب {p}."]
FILLER = (
    "Humanitarian agencies said access to the area remained limited, and independent verification of the "
    "figures was not immediately possible. The region has seen repeated fighting since the start of the year, "
    "with civilians caught between rival forces, checkpoints closed and supply routes cut for days at a time. "
)


def report_text(rng: random.Random) -> tuple[str, str]:
    lang = rng.choices(["en", "fr", "ar"], weights=[6, 3, 1])[0]
    templates = {"en": EN, "fr": FR, "ar": AR}[lang]
    a, b = rng.choice(ACTORS)
    lead = rng.choice(templates).format(a=a, b=b, p=rng.choice(PLACES), n=rng.randint(1, 60))
    body = " ".join(FILLER for _ in range(6))  # ≈ 400 words in all
    return f"{lead} (ref {rng.getrandbits(48):012x})\n\n{body}", lang


def generate(folder: Path, n_reports: int = 10_000, seed: int = 7) -> dict[str, int]:
    """Write ``n_reports`` reports spread over the formats into ``folder``; returns counts per format."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    shares = {"jsonl": 0.5, "markdown": 0.1, "telegram": 0.2, "feed": 0.1, "x": 0.1}
    counts = {fmt: int(n_reports * share) for fmt, share in shares.items()}
    counts["jsonl"] += n_reports - sum(counts.values())

    def when(i: int) -> datetime:
        return start + timedelta(minutes=17 * i)

    with (folder / "wire.jsonl").open("w", encoding="utf-8") as f:
        for i in range(counts["jsonl"]):
            text, lang = report_text(rng)
            rec = {"text": text, "source": "Wire", "published": when(i).isoformat(), "language": lang}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    md = folder / "articles"
    md.mkdir(exist_ok=True)
    for i in range(counts["markdown"]):
        text, lang = report_text(rng)
        front = f"---\npublished: {when(i).isoformat()}\nsource: Monitor\nlanguage: {lang}\n---\n"
        (md / f"article-{i:05d}.md").write_text(front + text + "\n", encoding="utf-8")
    messages = []
    for i in range(counts["telegram"]):
        text, _ = report_text(rng)
        ts = when(i)
        messages.append(
            {
                "id": i + 1,
                "type": "message",
                "date": ts.strftime("%Y-%m-%dT%H:%M:%S"),
                "date_unixtime": str(int(ts.timestamp())),
                "from": "Frontline Monitor",
                "text": [{"type": "bold", "text": "URGENT | "}, text],
            }
        )
    tg = folder / "telegram"
    tg.mkdir(exist_ok=True)
    (tg / "result.json").write_text(
        json.dumps({"name": "Frontline Monitor", "type": "public_channel", "id": 1, "messages": messages}),
        encoding="utf-8",
    )
    items = []
    for i in range(counts["feed"]):
        text, _ = report_text(rng)
        pub = when(i).strftime("%a, %d %b %Y %H:%M:%S +0000")
        items.append(
            f"<item><title>Update {i}</title><link>https://example.org/n/{i}</link>"
            f"<pubDate>{pub}</pubDate><description><![CDATA[<p>{text}</p>]]></description></item>"
        )
    (folder / "feed.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Regional Desk</title>'
        f"<link>https://example.org/</link><description>news</description>{''.join(items)}</channel></rss>",
        encoding="utf-8",
    )
    tweets = []
    for i in range(counts["x"]):
        text, lang = report_text(rng)
        created = when(i).strftime("%a %b %d %H:%M:%S +0000 %Y")
        tweets.append({"tweet": {"id_str": str(10**18 + i), "full_text": text, "created_at": created, "lang": lang}})
    x = folder / "x" / "data"
    x.mkdir(parents=True, exist_ok=True)
    (x / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(tweets, ensure_ascii=False), "utf-8")
    return counts
