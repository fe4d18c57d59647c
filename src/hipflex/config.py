"""Every setting, declared once, read from HIPFLEX_* environment variables at call time.

The settings are a plain pydantic model that reads its own variables (`Settings()`), not
pydantic-settings' BaseSettings: that package's import alone (its cloud secret providers,
asyncio) cost every command about a tenth of its start-up (issue 15), for the handful of
scalar values here. The rules are the same: a value given to `Settings(...)` wins over the
environment, the variable's name is HIPFLEX_<NAME> in any case, and pydantic converts and
checks the text as it does any input.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from hipflex.domain.assessment import (
    HIP_EXTENSION_FLOOR_DEG,
    KNEE_FLEXION_FLOOR_DEG,
    THIGH_TOLERANCE_DEG,
)
from hipflex.domain.errors import BadSetting
from hipflex.domain.goniometry import PHOTO_SEM_DEG, TRUNK_LEAN_LIMIT_DEG

APP_NAME = "hipflex"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


#: Every setting's environment variable is this prefix and its name, in any case.
ENV_PREFIX = "HIPFLEX_"


def _from_environment(names: frozenset[str]) -> dict[str, str]:
    """The values of the settings named, as their HIPFLEX_* variables give them."""
    found: dict[str, str] = {}
    for variable, value in os.environ.items():
        upper = variable.upper()
        if upper.startswith(ENV_PREFIX):
            name = upper.removeprefix(ENV_PREFIX).lower()
            if name in names:
                found[name] = value
    return found


class Settings(BaseModel):
    """hipflex settings; each one can be set with the environment variable HIPFLEX_<NAME>."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    def __init__(self, **values: Any) -> None:
        """Read the settings: the values given, then the environment, then the defaults. A
        value that does not fit is BadSetting, one line naming it (a secret's value is never
        shown)."""
        names = frozenset(type(self).model_fields)
        try:
            super().__init__(**{**_from_environment(names), **values})
        except ValidationError as exc:
            raise BadSetting(_first_problem(exc)) from None

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Folder for the database and other local data.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; defaults to hipflex.db in the data folder.",
    )
    team: bool = Field(
        default=False,
        description=(
            "Team mode (`hipflex serve --team`): accounts and logins, each person's data their own."
        ),
    )
    public_url: str = Field(
        default="http://127.0.0.1:8765",
        description=(
            "The address people open the web app at (team mode): invitation links start with it."
        ),
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


#: Settings whose value is never repeated in a message.
_SECRET_SETTINGS = frozenset({"web_password", "database_url"})


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    name = str(problem["loc"][0]) if problem["loc"] else "a setting"
    variable = f"{ENV_PREFIX}{name}".upper()
    reason = str(problem["msg"]).removeprefix("Value error, ")
    reason = reason[0].lower() + reason[1:] if reason else "not accepted"
    if name in _SECRET_SETTINGS:
        return f"the setting {variable} is not accepted: {reason}"
    return f"the setting {variable}={problem.get('input')!r} is not accepted: {reason}"
