"""One entry point for every export format, shared by the CLI and the web app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hipflex.reports.formats import ExportFormat
from hipflex.services.data import Snapshot

__all__ = ["Export", "ExportFormat", "render_export"]


@dataclass(frozen=True)
class Export:
    text: str
    media_type: str
    filename: str


def render_export(kind: ExportFormat, data: Snapshot, now: datetime) -> Export:
    stamp = f"{now:%Y%m%d}"
    if kind is ExportFormat.CSV:
        from hipflex.reports.export_csv import build_csv

        return Export(build_csv(data), "text/csv", f"hipflex-{stamp}.csv")
    if kind is ExportFormat.FHIR:
        from hipflex.reports.export_fhir import bundle_json

        return Export(bundle_json(data, now), "application/fhir+json", f"hipflex-fhir-{stamp}.json")
    from hipflex.reports.export_json import dumps

    return Export(dumps(data, now), "application/json", f"hipflex-{stamp}.json")
