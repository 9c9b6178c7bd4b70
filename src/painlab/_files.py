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
  points to, but only a link that cannot have been planted by someone else (below).

Symbolic links (the rule of Linux's ``fs.protected_symlinks``, made stricter): in a folder
that everyone may write to, another user can plant ``report.html`` as a link to the
victim's ``~/.bashrc``; writing "through the link" would overwrite that file. So no export
follows a link, anywhere on the path to its target,

- that sits in a sticky world-writable folder (``/tmp``, a course server's shared folder),
  whoever owns it, or
- that is owned by another user (links owned by root, the system's own such as macOS's
  ``/tmp``, are trusted: root can write any file anyway).

Such a target is refused with :class:`UnsafeLinkError`, which names the link and says why;
the user's own links in the user's own folders keep working.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

__all__ = ["UnsafeLinkError", "atomic_write", "check_target"]

_TMP_SUFFIX = ".painlab-tmp"
#: Most symbolic links followed on one path (as the kernel's ``MAXSYMLINKS``).
_MAX_LINKS = 40


class UnsafeLinkError(PermissionError):
    """A target reached through a symbolic link that someone else may have planted.

    A :class:`PermissionError` (``errno.EACCES``, the kernel's answer under
    ``fs.protected_symlinks``); the message names the link and says why it is not followed.
    """


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


def _link_problem(link: Path, st: os.stat_result) -> str | None:
    """Why the symbolic link `link` (its ``lstat`` is `st`) must not be followed, or None."""
    geteuid = getattr(os, "geteuid", None)
    if geteuid is None:  # Windows: links need privileges there, and no uid to compare
        return None
    try:
        folder = os.stat(link.parent)
    except OSError:
        folder = None
    if folder is not None and folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH:
        return (
            f"{str(link)!r} is a symbolic link in {str(link.parent)!r}, a folder everyone can "
            "write to (sticky, like /tmp), where anyone could have planted it"
        )
    if st.st_uid not in (geteuid(), 0):
        return (
            f"{str(link)!r} is a symbolic link owned by another user (uid {st.st_uid}), "
            "who chooses which file it overwrites"
        )
    return None


def _real_target(path: str | os.PathLike[str], name: str = "path") -> Path:
    """Where the bytes go: `path` with every symbolic link on it resolved, checked.

    Raises
    ------
    UnsafeLinkError
        If a link on the way may have been planted by someone else (see the module
        docstring); nothing is followed then.
    """
    given = str(path)
    absolute = Path(os.path.abspath(path))
    resolved = Path(absolute.anchor)
    pending = list(absolute.parts[1:])
    hops = 0
    while pending:
        part = pending.pop(0)
        if part in ("", "."):
            continue
        if part == "..":
            resolved = resolved.parent
            continue
        candidate = resolved / part
        try:
            st = os.lstat(candidate)
        except OSError:  # missing (or unreachable): nothing further can be a link
            return Path(os.path.normpath(candidate.joinpath(*pending)))
        if not stat.S_ISLNK(st.st_mode):
            resolved = candidate
            continue
        hops += 1
        problem = _link_problem(candidate, st)
        if problem is None and hops > _MAX_LINKS:
            problem = f"more than {_MAX_LINKS} symbolic links are followed (a loop?)"
        if problem is not None:
            raise UnsafeLinkError(
                errno.EACCES,
                f"{name} {given!r} was not written: {problem}. painlab does not write "
                "through such a link; remove it or choose another file name",
                given,
            )
        target = Path(os.readlink(candidate))
        if target.is_absolute():
            resolved = Path(target.anchor)
            pending = [*target.parts[1:], *pending]
        else:
            pending = [*target.parts, *pending]
    return resolved


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
    UnsafeLinkError
        A :class:`PermissionError`: a symbolic link on the way is in a sticky
        world-writable folder or owned by another user (see the module docstring).
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
    real = _real_target(target, name)
    for other in protect:
        other_real = Path(os.path.realpath(other))
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
        file it points to is replaced, unless someone else may have planted it.
    data : bytes or str
        The content; text is encoded as UTF-8.

    Returns
    -------
    pathlib.Path
        `path` as given.

    Raises
    ------
    UnsafeLinkError
        A :class:`PermissionError` for a link that must not be followed; nothing is written.
    OSError
        From the file system (full disk, read-only folder, ...). The target is then
        unchanged and no temporary file is left.
    """
    given = Path(path)
    target = _real_target(given)  # checked again: a link may be planted after check_target
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
