"""The export formats hipflex offers: one enum for the command line, the web and the
exporters (no imports of its own, so the command line's help stays fast)."""

from __future__ import annotations

from enum import StrEnum


class ExportFormat(StrEnum):
    JSON = "json"  # everything, for `hipflex import`
    CSV = "csv"  # one row per observation, for spreadsheets
    FHIR = "fhir"  # a FHIR R4 Bundle of Observations, for a clinician's system
