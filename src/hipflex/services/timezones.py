"""The user's time zone: the preference if set, else the system's IANA zone."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hipflex.domain.errors import BadInput

FALLBACK_ZONE = "UTC"


def check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        msg = f"unknown time zone '{name}'; use an IANA name such as Europe/Berlin"
        raise BadInput(msg) from None
    return name


def system_zone_name() -> str:
    """TZ, /etc/timezone or the /etc/localtime link; UTC when none names a zone."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text(encoding="utf-8").strip())
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    return next((name for name in candidates if _known(name)), FALLBACK_ZONE)


def _known(name: str) -> bool:
    """An IANA zone name (looked up directly: listing every zone is slow)."""
    if not name or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def zone_for(preferred: str | None) -> ZoneInfo:
    return ZoneInfo(check_zone(preferred) if preferred else system_zone_name())
