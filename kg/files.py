"""Writing the files a user names with ``-o``: into the path they named, atomically where it can be.

* A regular file (or a new one) is written through a temporary file in the same folder that is
  renamed over it, so a reader never sees half a file. An existing file keeps its permission
  bits; a new one gets the usual ``0666`` less the umask.
* A symbolic link is followed: the file it points to is written, and the link stays a link.
* A device, FIFO or socket (``/dev/null``, ``/dev/stdout``, a named pipe) is written as a
  stream; it is never replaced by a regular file.

A write that fails raises :class:`WriteError`, one line that names the path the user gave (not
the temporary file beside it), for the Python API and the command line alike.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from kg.errors import KgError

#: Permission bits of a new file before the umask, as ``open()`` and the shell use them.
NEW_FILE_MODE = 0o666

#: What to do when a write fails with this errno (others: the system's reason alone).
_ADVICE = {
    errno.ENOENT: "check the folder exists",
    errno.ENOTDIR: "check the folder exists",
    errno.EACCES: "check the folder is writable",
    errno.EPERM: "check the folder is writable",
    errno.EROFS: "check the folder is writable",
    errno.EISDIR: "give a file name",
    errno.ENOSPC: "free some space",
}


class WriteError(KgError, OSError):
    """A file could not be written: ``str()`` names the path the user gave and what to do.

    Still an :class:`OSError` (``errno``, ``strerror`` and ``filename``, the user's path), so
    code that catches those keeps working.

    >>> str(WriteError(errno.ENOENT, "No such file or directory", "out/v.html"))
    'cannot write out/v.html: No such file or directory; check the folder exists'
    """

    def __str__(self) -> str:
        advice = _ADVICE.get(self.errno) if self.errno is not None else None
        return f"cannot write {self.filename}: {self.strerror}" + (f"; {advice}" if advice else "")


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` to the file ``path`` names; never half a regular file.

    Text is written as UTF-8 with ``\\n`` line ends.

    Returns:
        the path written (the link's target when ``path`` is a symbolic link).

    Raises:
        WriteError: the folder is missing or not writable, the path is a folder, the disk is full
            (the file it named is left as it was).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "out.txt", "one\\n").read_text()
    'one\\n'
    """
    try:
        return _write(path, data)
    except OSError as err:
        raise WriteError(err.errno, err.strerror or str(err), os.fspath(path)) from err


def _write(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """:func:`write_atomic` without its error: a device or pipe as a stream, else replaced."""
    target = Path(os.path.realpath(path))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder")
    if info is not None and not stat.S_ISREG(info.st_mode):
        # A device or a pipe: write into it, as a shell redirection would.
        with open(target, "wb") as stream:
            stream.write(payload)
        return target
    mode = stat.S_IMODE(info.st_mode) if info is not None else None
    _replace(target, payload, mode)
    return target


def _replace(target: Path, payload: bytes, mode: int | None) -> None:
    """Write ``payload`` to a temporary file beside ``target`` and rename it over ``target``."""
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    # os.open applies the umask to NEW_FILE_MODE, as a shell redirection would for a new file.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
