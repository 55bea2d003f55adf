"""Errors that reach the co-ordinator: each carries its own exit status; cli.app prints them.

A message names the record, the reason and the way forward, and never a child's name.
"""


class MasgError(Exception):
    """Something the co-ordinator must put right; shown as one line on stderr."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Refused(MasgError):
    """The process does not allow it, or the data is wrong (exit 1)."""


class NotFound(MasgError):
    """An unknown reference, meeting or locality (exit 1)."""


class StoreProblem(MasgError):
    """The store is missing, unreadable, damaged or out of date (exit 1)."""


class UsageProblem(MasgError):
    """A malformed value given on the command line (exit 2)."""

    exit_code = 2
