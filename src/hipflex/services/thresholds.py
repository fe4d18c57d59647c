"""The configurable cut-offs of the self-tests, read from the settings (a light module:
`hipflex measure` reads them without loading the store)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hipflex.domain.assessment import Thresholds
from hipflex.domain.goniometry import check_photo_sem

if TYPE_CHECKING:
    from hipflex.config import Settings


def finding_values(thresholds: Thresholds) -> dict[str, str]:
    """The cut-offs as the findings' words name them ({knee_floor}, {extension_floor})."""
    return {
        "knee_floor": f"{thresholds.knee_floor_deg:g}",
        "extension_floor": f"{thresholds.extension_floor_deg:g}",
    }


def thresholds_from(settings: Settings) -> Thresholds:
    """The configurable cut-offs; out-of-range settings are bad input."""
    return Thresholds(
        knee_floor_deg=settings.thomas_knee_floor_deg,
        thigh_tolerance_deg=settings.thigh_tolerance_deg,
        extension_floor_deg=settings.hip_extension_floor_deg,
    )


def photo_sem_from(settings: Settings) -> float:
    """The photo method's standard error setting (PROTOCOL.md section 4), checked."""
    return check_photo_sem(settings.photo_sem_deg)
