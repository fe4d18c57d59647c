"""Every setting, declared once, read from HIPFLEX_* environment variables at call time."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from hipflex.domain.assessment import (
    HIP_EXTENSION_FLOOR_DEG,
    KNEE_FLEXION_FLOOR_DEG,
    THIGH_TOLERANCE_DEG,
)
from hipflex.domain.goniometry import PHOTO_SEM_DEG, TRUNK_LEAN_LIMIT_DEG

APP_NAME = "hipflex"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


class Settings(BaseSettings):
    """hipflex settings; each one can be set with the environment variable HIPFLEX_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="HIPFLEX_", extra="ignore", frozen=True)

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Folder for the database and other local data.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; defaults to hipflex.db in the data folder.",
    )
    strict: bool = Field(
        default=False,
        description="Tests that need a missing component fail instead of skipping (CI).",
    )
    web_password: SecretStr | None = Field(
        default=None,
        description=(
            "Password for `hipflex serve --allow-remote` (HTTP basic auth, any user; at least "
            "12 characters, kept only as a hash)."
        ),
    )
    thomas_knee_floor_deg: float = Field(
        default=KNEE_FLEXION_FLOOR_DEG,
        description="Thomas test: a knee bend below this is tight (PROTOCOL.md 2.1).",
    )
    thigh_tolerance_deg: float = Field(
        default=THIGH_TOLERANCE_DEG,
        description="Thomas test: a thigh more than this far above horizontal rises.",
    )
    hip_extension_floor_deg: float = Field(
        default=HIP_EXTENSION_FLOOR_DEG,
        description="Standing hip extension: less than this is tight (PROTOCOL.md 2.2).",
    )
    photo_sem_deg: float = Field(
        default=PHOTO_SEM_DEG,
        description=(
            "Standard error of an angle measured from a photo, degrees, above 0 and at most "
            "10 (PROTOCOL.md section 4: Peeler 2013, about 1)."
        ),
    )
    trunk_lean_limit_deg: float = Field(
        default=TRUNK_LEAN_LIMIT_DEG,
        description=(
            "Hip extension from a photo: a trunk leaning more than this from vertical "
            "counts as compensated (PROTOCOL.md section 4)."
        ),
    )

    maintenance_stretches_per_day: int = Field(
        default=1,
        description=(
            "Maintenance: sessions a day with the half-kneeling stretch, 1-3 "
            "(PROTOCOL.md section 4: once a day)."
        ),
    )
    maintenance_strength_per_week: int = Field(
        default=3,
        description=(
            "Maintenance: days a week with glute and core work, 2-3 "
            "(PROTOCOL.md section 4: 2-3 times a week)."
        ),
    )

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'hipflex.db'}"
