"""The per-report pipeline: extract, then resolve. Pure: a Report in, a ReportAnalysis out."""

from __future__ import annotations

from eventwatch.model import Report, ReportAnalysis


def process_report(report: Report) -> ReportAnalysis:
    """Run every per-report stage over one report (placeholder until the extraction engine lands)."""
    return ReportAnalysis(report_id=report.id, language=report.language)
