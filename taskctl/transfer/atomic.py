"""Files are written next to their destination and renamed into place, so a
reader (or a failed run) never sees half a file.

A symlink is followed (the file it points to is replaced, the link stays); a
FIFO or a device (``-o /dev/stdout``) is written through, never replaced by a
regular file.  The temporary file's name carries the writer's process id, so
the next export cleans up after one that was killed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_stale(target: Path) -> None:
    """Remove temporary files of exports to ``target`` whose writer is gone (killed)."""
    pattern = os.path.join(glob.escape(str(target.parent)), "." + glob.escape(target.name) + ".*.tmp")
    for tmp in glob.glob(pattern):
        middle = tmp[len(str(target.parent)) + len(target.name) + 3:-4]  # "/.NAME." … ".tmp"
        pid_text = middle.split(".", 1)[0]
        if pid_text.isdigit() and not _alive(int(pid_text)):
            with contextlib.suppress(OSError):
                os.remove(tmp)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """A temporary path in the target's directory; renamed onto ``target`` when the block succeeds."""
    target = Path(target)
    if target.is_symlink():
        target = Path(os.path.realpath(target))  # replace what the link points to, keep the link
    if target.exists() and not stat.S_ISREG(target.stat().st_mode) and not target.is_dir():
        with _write_through(target) as tmp_path:
            yield tmp_path
        return
    directory = target.parent if str(target.parent) else Path(".")
    clean_stale(target)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:  # the bytes reach the disk before the name does
            os.fsync(fh.fileno())
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; an export is an ordinary file
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


@contextlib.contextmanager
def _write_through(target: Path) -> Iterator[Path]:
    """A FIFO or device: the whole file is made aside, then streamed into it (opened, never replaced)."""
    with tempfile.TemporaryDirectory() as folder:
        tmp_path = Path(folder) / "export"
        yield tmp_path
        with open(tmp_path, "rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)


def write_bytes(target: str | os.PathLike, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_with(target: str | os.PathLike, writer: Callable[[Path], None]) -> None:
    """``writer(path)`` fills the temporary file (e.g. openpyxl's ``save``)."""
    with atomic_path(target) as tmp:
        writer(tmp)
