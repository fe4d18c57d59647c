"""The validated content, kept between processes (start-up speed).

Validating the data files takes longer than a short command runs, so the validated
`Content` is pickled in the user's cache folder under a key made of everything it was
built from: the data files, the code of the models and the loader, and the Python and
pydantic versions. Any change gives another key (the old file is removed); a file that
cannot be read back is ignored and written again; a file is written whole (a temporary
file renamed) or not at all; a cache folder that cannot be written only costs the time.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from hipflex.domain.protocol import Content
from hipflex.files import cache_directory, keep_cached

PREFIX = "content-"
SUFFIX = ".pickle"


def _sources() -> Iterable[tuple[str, bytes]]:
    """The data files and the code the content is built by, in a stable order."""
    import pydantic

    yield "versions", f"{sys.version}|{pydantic.VERSION}".encode()
    package = Path(__file__).resolve().parent.parent  # the installed hipflex package
    for folder, suffix in (("content/data", ".toml"), ("domain", ".py"), ("content", ".py")):
        for entry in sorted((package / folder).glob(f"*{suffix}")):
            yield f"{folder}/{entry.name}", entry.read_bytes()


def content_key(sources: Iterable[tuple[str, bytes]] | None = None) -> str:
    digest = hashlib.sha256()
    for name, data in _sources() if sources is None else sources:
        digest.update(name.encode())
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:32]


def _read(path: Path) -> Content | None:
    try:
        found = pickle.loads(path.read_bytes())  # noqa: S301 - our own file, in the user's cache
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a broken cache file is rebuilt, whatever broke it
        return None
    return found if isinstance(found, Content) else None


def cached_content(
    build: Callable[[], Content],
    *,
    directory: Path | None = None,
    key: str | None = None,
) -> Content:
    """The content from the cache when its key matches, else built and cached."""
    try:
        folder = cache_directory() if directory is None else directory
        path = folder / f"{PREFIX}{key or content_key()}{SUFFIX}"
    except OSError:
        return build()
    found = _read(path)
    if found is not None:
        return found
    content = build()
    data = pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL)
    keep_cached(path, data, replaces=f"{PREFIX}*{SUFFIX}")
    return content
