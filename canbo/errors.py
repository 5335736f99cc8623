"""Domain exceptions. Each carries a Vietnamese message a user can act on.

Only the edges (``cli/``, ``admin_app.py``) turn them into exit codes, flashed
messages or HTTP statuses.
"""


class CanboError(Exception):
    """Base of every error the user is meant to read."""

    def __init__(self, message, **data):
        super().__init__(message)
        self.message = message
        self.data = data


class DatabaseUnavailable(CanboError):
    "The database could not be opened."


class NotFound(CanboError):
    "A unit, person or rating named by the user does not exist."


class InvalidInput(CanboError):
    "A value given by the user is malformed or out of range."


class InvalidChoice(InvalidInput, ValueError):
    """A value outside a fixed list (a rating level, a kind of staff).  Also a
    ``ValueError``, which the parsers of such lists have always raised."""


class NoData(CanboError):
    "The request is well formed but there is nothing to report."


class Forbidden(CanboError):
    "The acting user's role or unit does not allow this."


class RuleViolation(CanboError):
    "An action would break a rule of the governing rule set."


class StaleRecord(CanboError):
    """A save made from a copy of a record that someone else changed meanwhile (its
    ``version`` is no longer the one it was read at); nothing was written.  ``data``:
    ``changes`` (``{field label: value now}``), ``actor``, ``version``, ``current``."""
