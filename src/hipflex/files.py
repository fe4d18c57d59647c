"""The one way hipflex writes a file: whole or not at all, only over a regular file.

Every output (`export`, `report`, `calendar export`, `backup`, `measure --out`, the reminder
daemon's files) goes through `write_file` or `staged`: a temporary file with an
unpredictable name is created exclusively (O_EXCL: a link planted at that name is never
followed) in the target's folder, given the old file's permissions (0600 for a new file:
this is health data), synced to disk, then renamed over the target in one step. A target
that is not a regular file (a symbolic link, a device, a pipe, a folder) is refused; `-`
means the standard output where a command offers it. Only the standard library and the
domain's errors: the reminder daemon uses it too.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hipflex.domain.errors import CannotWrite, OutputRefused

#: Permissions of a new file: yours alone (the data is about your health).
NEW_FILE_MODE = 0o600
#: The path that means the standard output, where a command offers it.
STDOUT = "-"

_KINDS = (
    (stat.S_ISLNK, "a symbolic link", "give the path of the file it points to"),
    (stat.S_ISDIR, "a folder", "give a file name inside it"),
    (stat.S_ISCHR, "a device", "give a file name"),
    (stat.S_ISBLK, "a device", "give a file name"),
    (stat.S_ISFIFO, "a pipe (FIFO)", "give a file name, or - for the screen where offered"),
    (stat.S_ISSOCK, "a socket", "give a file name"),
)
#: Errors that mean a full or closed output rather than a wrong path.
OUTPUT_FAULTS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def cache_directory() -> Path:
    """The user's cache folder for hipflex: what is kept between processes to start faster
    (the validated content, compiled code and templates), safe to delete at any time."""
    from platformdirs import user_cache_path

    return user_cache_path("hipflex", appauthor=False)


def keep_cached(path: Path, data: bytes, *, replaces: str) -> None:
    """Write a cache file whole (a temporary file renamed) or not at all, then remove the
    older files of its folder that match the glob `replaces` (other keys of the same
    cache). A folder that cannot be written only costs the time: a cache is never needed."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        temporary.replace(path)
        for old in path.parent.glob(replaces):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def is_stdout(path: Path | str) -> bool:
    return str(path) == STDOUT


def write_file(path: Path, data: bytes, *, allow_stdout: bool = False) -> None:
    """Write `data` to `path` whole (replacing a regular file), or raise one plain line."""
    if allow_stdout and is_stdout(path):
        write_stdout(data)
        return
    with _staging(path, replace=True, label=str(path)) as (descriptor, _):
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]


def append_file(path: Path, data: bytes) -> None:
    """Append `data` to a regular file (created 0600 if new) and sync it: an append-only
    log such as the reminder's outbox. A link, device, pipe or folder is refused."""
    target = path.expanduser()
    new = not os.path.lexists(target)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        descriptor = os.open(target, flags, NEW_FILE_MODE)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
            check_target(path)  # says what is there instead of a regular file
        raise CannotWrite(f"cannot write {path}: {_reason(exc)}") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            check_target(path)
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    except OSError as exc:
        raise CannotWrite(f"cannot write {path}: {_reason(exc)}") from None
    finally:
        os.close(descriptor)
    if new:
        _sync_folder(target.parent)


def write_stdout(data: bytes) -> None:
    """Write to the standard output, or raise CannotWrite (a full disk, a closed pipe)."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except OSError as exc:
        raise stdout_failure(exc) from None


def stdout_failure(exc: OSError) -> CannotWrite:
    """The one line for a standard output that cannot take any more."""
    if exc.errno == errno.EPIPE:
        return CannotWrite("the output was closed before hipflex finished writing it")
    return CannotWrite(f"cannot write to the standard output: {_reason(exc)}")


def check_target(path: Path, label: str | None = None) -> os.stat_result | None:
    """The target's status if it is a regular file, None if there is nothing there yet;
    OutputRefused for anything else (checked without following a link)."""
    label = label or str(path)
    target = path.expanduser()
    try:
        found = target.lstat()
    except FileNotFoundError:
        folder = target.parent
        if not folder.is_dir():
            msg = f"cannot write {label}: the folder {folder} does not exist"
            raise CannotWrite(msg) from None
        return None
    except OSError as exc:
        raise CannotWrite(f"cannot write {label}: {_reason(exc)}") from None
    if stat.S_ISREG(found.st_mode):
        return found
    kind, advice = next(
        ((kind, advice) for test, kind, advice in _KINDS if test(found.st_mode)),
        ("not a regular file", "give a file name"),
    )
    msg = f"will not write {path}: it is {kind}, and hipflex writes only regular files ({advice})"
    raise OutputRefused(msg)


@contextmanager
def staged(path: Path, *, replace: bool = True, label: str | None = None) -> Iterator[Path]:
    """A new, empty temporary file beside `path` for the caller to fill (a SQLite backup);
    on a clean exit it is synced and becomes `path` in one step (`replace=False`: only if
    nothing is there). On an error it is removed and the target is untouched."""
    with _staging(path, replace=replace, label=label or str(path)) as (_, temporary):
        yield temporary


@contextmanager
def _staging(path: Path, *, replace: bool, label: str) -> Iterator[tuple[int, Path]]:
    target = path.expanduser()
    old = check_target(path, label)
    if old is not None and not replace:
        msg = f"{path} already exists: choose a new file name (this never overwrites a file)"
        raise CannotWrite(msg)
    try:
        descriptor, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".partial", dir=target.parent
        )
    except OSError as exc:
        raise CannotWrite(f"cannot write {label}: {_reason(exc)}") from None
    temporary = Path(name)
    try:
        _keep_owner_and_mode(descriptor, old)
        yield descriptor, temporary
        os.fsync(descriptor)  # the file's data, whoever wrote it
        if replace:
            # A link put at the target since the check is replaced, never followed.
            temporary.replace(target)
        else:
            _link_new(temporary, target, path)
        _sync_folder(target.parent)
    except OSError as exc:
        raise CannotWrite(f"cannot write {label}: {_reason(exc)}") from None
    finally:
        os.close(descriptor)
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def _keep_owner_and_mode(descriptor: int, old: os.stat_result | None) -> None:
    if old is None:
        os.fchmod(descriptor, NEW_FILE_MODE)
        return
    with contextlib.suppress(OSError):  # only root can give a file away
        os.fchown(descriptor, old.st_uid, old.st_gid)
    os.fchmod(descriptor, stat.S_IMODE(old.st_mode))


def _link_new(source: Path, target: Path, shown: Path) -> None:
    """Give `source` the name `target` unless something is there (no race)."""
    try:
        os.link(source, target)
    except FileExistsError:
        msg = f"{shown} already exists: choose a new file name (this never overwrites a file)"
        raise CannotWrite(msg) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # A file system without hard links: rename, after checking again.
        if os.path.lexists(target):
            msg = f"{shown} already exists: choose a new file name (this never overwrites a file)"
            raise CannotWrite(msg) from None
        source.replace(target)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system can sync a folder
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__
