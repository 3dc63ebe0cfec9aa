"""Errors a user can act on. The CLI turns every MilerError into a message and exit code 1."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, at a line (0 when it concerns the whole file)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class MilerError(Exception):
    """Base of every error miler reports to a user."""

    exit_code = 1


class DataError(MilerError):
    """A dataset that failed validation; carries every problem found (up to a cap)."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        first = problems[0] if problems else "invalid data"
        more = f" (and {self.total - 1} more problems)" if self.total > 1 else ""
        super().__init__(f"{first}{more}")


class NotFoundError(MilerError):
    """A name, meet or race that is not in the dataset."""


class AmbiguousError(MilerError):
    """A query that fits several things equally well."""

    def __init__(self, message: str, candidates: list[str]):
        self.candidates = candidates
        super().__init__(message)


class EmptyResultError(MilerError):
    """Filters that leave nothing to show."""


class OutputError(MilerError):
    """A file miler was asked to write and could not (or would not)."""


class PathError(MilerError):
    """An OS error on a path, as ``PATH: what the OS said`` (File name too long, Permission
    denied, …)."""

    def __init__(self, path, exc: OSError):
        self.path = path
        self.errno = exc.errno
        super().__init__(f"{path}: {exc.strerror or exc}")
