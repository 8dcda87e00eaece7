"""Writing outputs so that a failure never leaves a half-written file behind, nor overwrites an input.

Each file goes to a temporary file beside its target and is renamed over it only when complete.
The temporary file is created with mode 0666 less the umask (0644 under the usual 022), the
mode any program gives a new file, so a web server running as another user can serve the site.
Every way a write can fail (a folder in the way, a read-only folder, a full disk) becomes an
InputError naming the path and what to do.
"""
from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

from .errors import InputError, Problem, display_path


def _problem(path: Path, error: OSError) -> InputError:
    name = display_path(path)
    if error.errno == errno.ENOSPC or error.errno == errno.EDQUOT:
        text = "the disk is full; free some space and run again"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        text = "cannot write here: the folder or file is read-only; choose another place or change its permissions"
    elif error.errno == errno.EISDIR:
        text = "a folder of this name is in the way; give a file name, or move the folder"
    elif error.errno in (errno.ENOTDIR, errno.EEXIST):
        text = "a file stands where a folder is needed on this path; give another path, or move that file"
    elif error.errno == errno.ENAMETOOLONG:
        text = "the file name is too long for this disk; use a shorter name"
    else:
        text = f"cannot write this file ({error.strerror or error})"
    return InputError([Problem(name, text)])


def _temporary(path: Path) -> tuple[int, Path]:
    """A new file beside `path`, created with the umask's normal mode (unlike tempfile.mkstemp's 0600)."""
    for _ in range(100):
        temp = path.parent / f".{path.name[:100]}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))


def _stage(path: Path, data: bytes) -> Path:
    """Write `data` to a temporary file beside `path`; returns it (the caller renames or removes it)."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = _temporary(path)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def cache_dir(root: Path) -> Path:
    """Where casekit keeps what it can make again (rendered PDFs, previews, the string template)."""
    return root / ".cache" / "casekit"


def write_atomic(path: Path, data: bytes) -> None:
    write_many({Path(path): data})


def write_many(files: dict[Path, bytes]) -> None:
    """Several files together or not at all: every file is staged first, then each is renamed into place.

    A failure while staging (a full disk, a read-only folder) removes what was staged and leaves
    every target as it was."""
    staged: dict[Path, Path] = {}
    current = None
    try:
        for current, data in files.items():
            staged[current] = _stage(current, data)
        for current, temp in staged.items():
            os.replace(temp, current)
    except OSError as error:
        for temp in staged.values():
            temp.unlink(missing_ok=True)
        raise _problem(current, error) from None
    except BaseException:
        for temp in staged.values():
            temp.unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, text: str) -> bool:
    """Generated pages are rewritten only when they change, so `mkdocs serve` does not loop."""
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True


def refuse_inputs(output: Path, inputs) -> None:
    """An output that is one of the command's inputs would destroy the input it reads: say so first."""
    output = Path(output)
    for source in map(Path, inputs):
        same = (output.exists() and source.exists() and os.path.samefile(output, source)) or \
            output.resolve() == source.resolve()
        if same:
            named = Path(display_path(output.parent)) / output.name  # as given, not where a link leads
            raise InputError([Problem(str(named), f"this output is also an input ({display_path(source)}); "
                                                            "writing it would destroy what it is read from; "
                                                            "give another output name after -o")])


class Preserved:
    """A folder's files as they were; `restore()` puts every byte back and removes files added since.

    A build writes generated pages into the docs folder before MkDocs runs; a failed build restores
    it, so it leaves the folder exactly as it was."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.files = {p: p.read_bytes() for p in self.folder.rglob("*") if p.is_file() and not p.is_symlink()}
        self.folders = {p for p in self.folder.rglob("*") if p.is_dir()}

    def restore(self) -> None:
        for path in sorted(self.folder.rglob("*"), reverse=True):  # files before the folders that hold them
            if path.is_file() and path not in self.files and not path.is_symlink():
                path.unlink()
            elif path.is_dir() and path not in self.folders and not any(path.iterdir()):
                path.rmdir()
        for path, data in self.files.items():
            if not path.is_file() or path.read_bytes() != data:
                write_atomic(path, data)
