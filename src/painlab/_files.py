"""Writing files so that a crash, a full disk or a bad path never costs a good file.

Every file painlab writes for a user (handout, lab report, journal export, slide images)
goes through :func:`atomic_write`, and every export checks its target with
:func:`check_target` *before* any long computation.

:func:`atomic_write` writes the new content to a temporary file in the target's own
folder (same file system, so the final rename is atomic), flushes and ``fsync`` s it, and
moves it over the target with :func:`os.replace`. The target therefore holds either its old
content or the new content, whole, whatever happens: an exception, a full disk
(``EFBIG``/``ENOSPC``), or the process being killed. On an error the temporary file is
removed; after a kill it is removed by the next write to the same target (its name
carries the writer's process id, and only files of processes that no longer run are
removed).

- Permissions of a *new* file follow the user's umask (created as ``0o666 & ~umask``, like
  any program's files); a replaced file keeps its mode.
- A symbolic link as target is kept: the new content is written to the file the link
  points to.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

__all__ = ["atomic_write", "check_target"]

_TMP_SUFFIX = ".painlab-tmp"


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable on POSIX; a no-op where folders cannot be opened (Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _real_target(path: Path) -> Path:
    """Where the bytes go: the file a symbolic link points to, else `path` itself."""
    path = Path(os.path.abspath(path))
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale_temps(target: Path) -> None:
    """Remove temporary files of `target` left by writers that were killed."""
    prefix = f".{target.name}."
    with contextlib.suppress(OSError):
        for p in target.parent.iterdir():
            name = p.name
            if not (name.startswith(prefix) and name.endswith(_TMP_SUFFIX)):
                continue
            pid_text = name[len(prefix) :].split(".", 1)[0]
            if pid_text.isdigit() and not _pid_alive(int(pid_text)):
                with contextlib.suppress(OSError):
                    p.unlink()


def check_target(
    path: str | os.PathLike[str],
    name: str = "path",
    *,
    suffixes: Iterable[str] | None = None,
    protect: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """Refuse, before any work is done, a target that an export must not write.

    Parameters
    ----------
    path : str or path-like
        The file the caller means to write.
    name : str
        The parameter name used in error messages.
    suffixes : iterable of str, optional
        Allowed file name endings (lower case, with the dot), e.g. ``(".html", ".htm")``.
    protect : iterable of path-like
        Files that must never be overwritten by this export (e.g. the journal itself).

    Returns
    -------
    pathlib.Path
        `path` as given (not resolved).

    Raises
    ------
    TypeError
        If `path` is not a string or path-like.
    ValueError
        For a wrong suffix, a folder, a protected file, or a non-regular file.
    PermissionError
        If the folder exists but cannot be written.
    """
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
        raise TypeError(f"{name} must be a file path (str or pathlib.Path); got {path!r}")
    target = Path(path)
    if not str(path).strip() or target.name in ("", ".", ".."):
        raise ValueError(f"{name} must name a file; got {str(path)!r}")
    if target.is_dir():
        raise ValueError(f"{name} {str(path)!r} is a folder; give a file name inside it")
    if suffixes is not None:
        allowed = tuple(suffixes)
        if target.suffix.lower() not in allowed:
            raise ValueError(f"{name} must end in {' or '.join(allowed)}; got {str(path)!r}")
    real = _real_target(target)
    for other in protect:
        other_real = _real_target(Path(other))
        same = real == other_real
        with contextlib.suppress(OSError):
            same = same or os.path.samefile(real, other_real)
        if same:
            raise ValueError(
                f"{name} {str(path)!r} is {str(other)!r}, which this export must not "
                "overwrite; choose another file name"
            )
    if real.exists() and not real.is_file():
        raise ValueError(f"{name} {str(path)!r} exists and is not a regular file")
    folder = real.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise ValueError(f"{name} {str(path)!r}: {str(folder)!r} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(
            errno.EACCES, f"{name}: the folder {str(folder)!r} is not writable", str(folder)
        )
    return target


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write `data` to `path` so that `path` holds either its old or the new content, whole.

    Parameters
    ----------
    path : str or path-like
        The target. Missing parent folders are created. A symbolic link is kept and the
        file it points to is replaced.
    data : bytes or str
        The content; text is encoded as UTF-8.

    Returns
    -------
    pathlib.Path
        `path` as given.

    Raises
    ------
    OSError
        From the file system (full disk, read-only folder, ...). The target is then
        unchanged and no temporary file is left.
    """
    given = Path(path)
    target = _real_target(given)
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    _clean_stale_temps(target)
    try:
        mode: int | None = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    tmp = folder / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{_TMP_SUFFIX}"
    # 0o666 here lets the kernel apply the umask, as for any new file.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            view = memoryview(data)
            while view:
                n = fh.write(view)
                view = view[n:]
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(folder)
    return given
