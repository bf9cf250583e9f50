"""export stage: events out as ACLED-compatible CSV, GeoJSON and JSON Lines."""

from eventwatch.export.acled import acled_row, event_id_cnty
from eventwatch.export.formats import FORMATS, event_record, write_events

__all__ = ["FORMATS", "acled_row", "event_id_cnty", "event_record", "write_events"]
