"""Read files from a fetched repository snapshot (a bare git directory) at a pinned commit.

The real corpus is rebuilt from public snapshots, not from the live web. A snapshot
is a git directory such as ``/work/.mirror/OWNER+NAME/repo``; every document keeps
the repository, the commit and the path it came from, so the extraction reruns
byte for byte.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Snapshot", "SnapshotError", "find_snapshot"]


class SnapshotError(RuntimeError):
    """A snapshot is missing, or a path or commit is not in it."""


def find_snapshot(mirror_root: str | Path, repo: str) -> Path:
    """The git directory of ``owner/name`` under ``mirror_root`` (``OWNER+NAME/repo``)."""
    root = Path(mirror_root)
    for cand in (root / repo.replace("/", "+") / "repo", root / repo.replace("/", "+"),
                 root / repo):
        if (cand / "HEAD").is_file():  # a bare git directory
            return cand
        if (cand / ".git" / "HEAD").is_file():  # a working copy
            return cand / ".git"
    raise SnapshotError(f"no snapshot of {repo} under {root} (expected "
                        f"{root / repo.replace('/', '+') / 'repo'}); fetch it first")


@dataclass
class Snapshot:
    """A repository snapshot pinned to one commit."""

    repo: str
    git_dir: Path
    commit: str

    @classmethod
    def open(cls, mirror_root: str | Path, repo: str, commit: str | None = None) -> Snapshot:
        """Open ``repo`` under ``mirror_root``; ``commit`` defaults to the snapshot's HEAD."""
        git_dir = find_snapshot(mirror_root, repo)
        rev = commit or "HEAD"
        try:
            full = _git(git_dir, "rev-parse", "--verify", f"{rev}^{{commit}}").strip()
        except SnapshotError as e:
            raise SnapshotError(f"{repo}: commit {rev} is not in the snapshot ({e})") from e
        return cls(repo, git_dir, full)

    def files(self, prefix: str = "") -> list[str]:
        """Paths (sorted) of the files under ``prefix`` at the pinned commit."""
        args = ["ls-tree", "-r", "--name-only", "-z", self.commit]
        if prefix:
            args += ["--", prefix]
        out = _git(self.git_dir, *args)
        return sorted(p for p in out.split("\0") if p)

    def read_bytes(self, path: str) -> bytes:
        """The content of ``path`` at the pinned commit."""
        try:
            return subprocess.run(["git", "--git-dir", str(self.git_dir), "show",
                                   f"{self.commit}:{path}"], check=True,
                                  capture_output=True).stdout
        except subprocess.CalledProcessError as e:
            msg = e.stderr.decode("utf-8", "replace").strip()
            raise SnapshotError(f"{self.repo}@{self.commit[:10]}: cannot read {path}: "
                                f"{msg}") from e

    def read_text(self, path: str) -> str:
        """``path`` decoded as UTF-8 (a BOM is dropped); UnicodeDecodeError if it is not."""
        return self.read_bytes(path).decode("utf-8-sig")

    def history(self, path: str) -> list[str]:
        """The commits up to the pinned one that changed ``path``, oldest first.

        For a source that overwrote one file on every run (a feed), the whole text
        lives in the file's history, not in its last version.
        """
        out = _git(self.git_dir, "rev-list", "--reverse", self.commit, "--", path)
        return out.split()

    def iter_bytes(self, paths: list[str], commits: list[str] | None = None
                   ) -> Iterator[tuple[str, bytes]]:
        """(path, content) for many paths through one ``git cat-file --batch`` process.

        ``commits`` (one per path) reads each path at that commit instead of the
        pinned one.
        """
        revs = commits if commits is not None else [self.commit] * len(paths)
        if len(revs) != len(paths):
            raise ValueError("iter_bytes: one commit per path")
        proc = subprocess.Popen(["git", "--git-dir", str(self.git_dir), "cat-file", "--batch"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert proc.stdin is not None and proc.stdout is not None
        try:
            for path, rev in zip(paths, revs, strict=True):
                proc.stdin.write(f"{rev}:{path}\n".encode())
                proc.stdin.flush()
                header = proc.stdout.readline().decode().split()
                if len(header) != 3:
                    raise SnapshotError(f"{self.repo}@{self.commit[:10]}: cannot read {path}")
                data = proc.stdout.read(int(header[2]))
                proc.stdout.read(1)  # the newline after each object
                yield path, data
        finally:
            proc.stdin.close()
            proc.wait()


def _git(git_dir: Path, *args: str) -> str:
    try:
        res = subprocess.run(["git", "--git-dir", str(git_dir), *args], check=True,
                             capture_output=True)
    except subprocess.CalledProcessError as e:
        raise SnapshotError(e.stderr.decode("utf-8", "replace").strip()) from e
    return res.stdout.decode("utf-8", "surrogateescape")
