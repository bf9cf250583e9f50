"""fuse stage: events from many reports → incidents, with corroboration, cumulative tolls and contradictions.

Pure functions over the model's dataclasses (the store and the CLI do the I/O):

* :mod:`~eventwatch.fuse.score` — blocking gates (±N days by time precision, ≤ 50 km / 150 km for regions) and
  the weighted pairwise score (type 0.20, actors 0.30, place 0.20, date 0.15, notes' text 0.15; join at ≥ 0.72);
* :mod:`~eventwatch.fuse.clustering` — :func:`assign` (incremental: join the best candidate or open a new incident)
  and :func:`cluster` (full re-cluster, the same decisions in a fixed order);
* :mod:`~eventwatch.fuse.counts` — low / best / high per kind, running tolls as a timeline, never summed;
* :mod:`~eventwatch.fuse.sources` — independent originals (attribution and syndication collapse), chains;
* :mod:`~eventwatch.fuse.incident` — an incident rebuilt from its members, contradictions kept with both versions;
* :mod:`~eventwatch.fuse.export` — ACLED rows per incident-day and JSON records;
* :mod:`~eventwatch.fuse.text` — name folding and the ``embed(texts)`` seam (multilingual USE, trigram fallback).
"""

from eventwatch.fuse.clustering import Assignment, Clusterer, assign, cluster, order_key, report_date
from eventwatch.fuse.incident import build_incident, incident_id_for, profile
from eventwatch.fuse.score import JOIN_THRESHOLD, blocking_bbox, blocking_window
from eventwatch.fuse.text import embed

__all__ = [
    "JOIN_THRESHOLD",
    "Assignment",
    "Clusterer",
    "assign",
    "blocking_bbox",
    "blocking_window",
    "build_incident",
    "cluster",
    "embed",
    "incident_id_for",
    "order_key",
    "profile",
    "report_date",
]
