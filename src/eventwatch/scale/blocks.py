"""Fusion in parallel: events partitioned into space-time blocks (country × time window), blocks that could
interact reconciled into units, each unit fused by one worker with the ordinary fuse entry point.

A **block** is ``(country, window)``: the event's country (ISO code, else its folded country name) and the
``BLOCK_DAYS``-day window its date (or its report's date) falls in. Blocks are the unit of ownership: every block
belongs to exactly one **unit** and a unit is fused by one task, so no two workers ever fuse the same block.

Blocks are joined into one unit whenever an event of one could ever be compared with an incident of the other,
which makes the parallel result equal to single-machine fusion (:func:`eventwatch.fuse.cluster` over everything):
incidents are the connected components of a symmetric pairwise link (:mod:`eventwatch.fuse.link`), so once no
event of one unit can link to an event of another, each unit's components are exactly the single run's.
The reconciliation follows the link's own gates (:mod:`eventwatch.fuse.link`, :mod:`eventwatch.fuse.score`),
conservatively:

* **time** — two events link only when their matching days (their dates, else the follow-up span before their
  report: :func:`eventwatch.fuse.link.match_range`) are at most both precision windows apart (twice
  ``max(WINDOW_DAYS)`` at most), so events of one country whose matching days (widened by that) overlap chain
  their blocks together; a country's blocks split only at quiet gaps longer than that;
* **space** — the countries must agree unless both sides have coordinates; with coordinates, within
  ``RADIUS_REGION_KM``: chains of two countries whose boxes of placed events come that close are joined (a
  border clash may straddle), and so are chains that name the same place (a name match needs no distance);
* **no country** — an event placed nowhere may join anything in its time reach: it joins every chain there.
* **no date** — an event with neither a date nor a report date is never compared: a block of its own.

Everything here is deterministic (sorted keys, union-find by smallest key), so the same events always give the
same units. When fusion's gates change, these bounds follow them through the imported constants.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from eventwatch.fuse import report_date
from eventwatch.fuse.link import Node, match_range
from eventwatch.fuse.score import RADIUS_REGION_KM, WINDOW_DAYS
from eventwatch.fuse.text import fold
from eventwatch.model import Event, Report

BLOCK_DAYS = 28
REACH_DAYS = 2 * max(WINDOW_DAYS.values())  # how far apart two events' dates may be and still meet in an incident
BORDER_KM = RADIUS_REGION_KM + 50.0  # widest spatial gate, with a margin
ANYWHERE = "*"  # the "country" of events placed nowhere
KM_PER_DEGREE = 111.0


@dataclass(frozen=True, slots=True, order=True)
class Block:
    country: str  # ISO code, folded country name, or ANYWHERE
    window: int  # BLOCK_DAYS-day window index of the event's date; -1 when it has none

    def __str__(self) -> str:
        return f"{self.country}:{self.window}"


@dataclass(slots=True)
class Unit:
    """Blocks that must be fused together, and their events (in input order)."""

    blocks: list[Block] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def country_key(event: Event) -> str:
    if event.iso:
        return event.iso.upper()
    if event.country:
        return fold(event.country)
    return ANYWHERE


def event_days(event: Event, reports: Mapping[str, Report]) -> tuple[date, date] | None:
    """The days fusion may match the event on (:func:`eventwatch.fuse.link.match_range`): its own dates, else the
    follow-up span before its report's date (None: it is never compared)."""
    return match_range(Node(event, report_date(event, reports)))


def block_of(event: Event, reports: Mapping[str, Report]) -> Block:
    start = event.event_date or report_date(event, reports)
    return Block(country_key(event), start.toordinal() // BLOCK_DAYS if start else -1)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Block, Block] = {}

    def find(self, b: Block) -> Block:
        self.parent.setdefault(b, b)
        while self.parent[b] != b:
            self.parent[b] = self.parent[self.parent[b]]
            b = self.parent[b]
        return b

    def union(self, a: Block, b: Block) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))
            self.parent[high] = low


@dataclass(slots=True)
class _Chain:
    """Events of one country whose reaches overlap: their blocks are already one."""

    country: str
    block: Block
    start: int  # ordinal of the earliest date
    end: int  # ordinal of the latest date
    box: list[float] | None = None  # lat_min, lat_max, lon_min, lon_max of placed events
    places: set[str] = field(default_factory=set)


def _boxes_near(a: list[float], b: list[float]) -> bool:
    """Could a point of box ``a`` be within BORDER_KM of a point of box ``b``? Errs towards yes: the north-south
    gap is exact, the east-west one is measured along the parallel (longer than the great circle) so it gets a
    factor-two margin."""
    lat_gap = max(0.0, b[0] - a[1], a[0] - b[1]) * KM_PER_DEGREE
    lon_gap = max(0.0, b[2] - a[3], a[2] - b[3])
    lon_gap = min(lon_gap, 360.0 - lon_gap) if lon_gap else 0.0
    widest = max(abs(a[0]), abs(a[1]), abs(b[0]), abs(b[1]))
    return lat_gap <= BORDER_KM and lon_gap * KM_PER_DEGREE * math.cos(math.radians(min(widest, 89.0))) <= 2 * BORDER_KM


def _chains(events: list[tuple[Event, tuple[date, date], Block]], uf: _UnionFind) -> list[_Chain]:
    chains: list[_Chain] = []
    by_country: dict[str, list[tuple[Event, tuple[date, date], Block]]] = {}
    for item in events:
        by_country.setdefault(item[2].country, []).append(item)
    for country in sorted(by_country):
        items = sorted(by_country[country], key=lambda it: (it[1][0], it[2], it[0].id))
        chain: _Chain | None = None
        for event, (start, end), block in items:
            s, e = start.toordinal(), end.toordinal()
            if chain is None or s - chain.end > REACH_DAYS:
                chain = _Chain(country, block, s, e)
                chains.append(chain)
            uf.union(chain.block, block)
            chain.end = max(chain.end, e)
            if event.latitude is not None and event.longitude is not None:
                lat, lon = event.latitude, event.longitude
                box = chain.box or [lat, lat, lon, lon]
                chain.box = [min(box[0], lat), max(box[1], lat), min(box[2], lon), max(box[3], lon)]
            if event.location:
                chain.places.add(fold(event.location))
    return chains


def _near_in_time(a: _Chain, b: _Chain) -> bool:
    return b.start - a.end <= REACH_DAYS and a.start - b.end <= REACH_DAYS


def _merge(chains: list[_Chain]) -> _Chain:
    """One group's reach: its whole time span, the hull of its boxes, every place it names."""
    boxes = [c.box for c in chains if c.box is not None]
    hull = (
        [min(b[0] for b in boxes), max(b[1] for b in boxes), min(b[2] for b in boxes), max(b[3] for b in boxes)]
        if boxes
        else None
    )
    countries = {c.country for c in chains}
    return _Chain(
        ANYWHERE if ANYWHERE in countries else min(countries),
        min(c.block for c in chains),
        min(c.start for c in chains),
        max(c.end for c in chains),
        hull,
        set().union(*(c.places for c in chains)),
    )


def _reconcile(chains: list[_Chain], uf: _UnionFind) -> None:
    """Join groups of chains that could meet, until none can: placed nowhere (meets all in its time reach), boxes
    within the widest spatial gate (an incident's box is the hull of its members', so groups are compared by the
    hull of theirs), or the same place name."""
    while True:
        groups: dict[Block, list[_Chain]] = {}
        for chain in chains:
            groups.setdefault(uf.find(chain.block), []).append(chain)
        merged = [_merge(g) for _, g in sorted(groups.items())]
        joined = False
        for i, a in enumerate(merged):
            for b in merged[i + 1 :]:
                if uf.find(a.block) == uf.find(b.block) or not _near_in_time(a, b):
                    continue
                near = a.box is not None and b.box is not None and _boxes_near(a.box, b.box)
                if ANYWHERE in (a.country, b.country) or near or a.places & b.places:
                    uf.union(a.block, b.block)
                    joined = True
        if not joined:
            return


def plan_units(events: Iterable[Event], reports: Mapping[str, Report]) -> list[Unit]:
    """Partition ``events`` into independently fusable units (see the module docstring), largest first."""
    uf = _UnionFind()
    dated: list[tuple[Event, tuple[date, date], Block]] = []
    blocks: dict[str, Block] = {}
    ordered = list(events)
    for event in ordered:
        block = block_of(event, reports)
        blocks[event.id] = block
        uf.find(block)
        days = event_days(event, reports)
        if days is not None:
            dated.append((event, days, block))
    _reconcile(_chains(dated, uf), uf)
    units: dict[Block, Unit] = {}
    for block in sorted(uf.parent):
        units.setdefault(uf.find(block), Unit()).blocks.append(block)
    for event in ordered:
        units[uf.find(blocks[event.id])].events.append(event)
    return sorted((u for u in units.values() if u.events), key=lambda u: (-len(u.events), u.blocks[0]))
