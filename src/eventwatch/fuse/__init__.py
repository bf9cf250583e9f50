"""fuse stage: events from many reports → incidents, with corroboration, cumulative tolls and contradictions.

Pure functions over the model's dataclasses (the store and the CLI do the I/O):

* :mod:`~eventwatch.fuse.link` — the symmetric pairwise link: gates (type, place, dates with a follow-up span for
  report-dated events) and evidence (same report; document similarity of title + text; event agreement);
* :mod:`~eventwatch.fuse.score` — the event-level weighted score the link's cross-language path uses (type 0.20,
  actors 0.30, place 0.20, date 0.15, notes' text 0.15; ≥ 0.72);
* :mod:`~eventwatch.fuse.clustering` — incidents as connected components of the link, so any order and the
  incremental path give the same incidents: :func:`cluster` (full), :func:`components` (incremental, used by
  ``runner.fuse_events``), :func:`assign` (one event against candidate incidents);
* :mod:`~eventwatch.fuse.counts` — low / best / high per kind, running tolls as a timeline, never summed;
* :mod:`~eventwatch.fuse.sources` — independent originals (attribution and syndication collapse), chains;
* :mod:`~eventwatch.fuse.incident` — an incident rebuilt from its members, contradictions kept with both versions;
* :mod:`~eventwatch.fuse.export` — ACLED rows per incident-day and JSON records;
* :mod:`~eventwatch.fuse.text` — name folding, the ``embed(texts)`` seam (multilingual USE, trigram fallback) and
  document vectors (sublinear tf × a fixed idf background, ``data/doc_frequencies.tsv``).
"""

from eventwatch.fuse.clustering import Assignment, Clusterer, assign, cluster, components, order_key, report_date
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
    "components",
    "embed",
    "incident_id_for",
    "order_key",
    "profile",
    "report_date",
]
