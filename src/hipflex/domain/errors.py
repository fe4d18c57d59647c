"""Errors the core raises; the CLI and the web map them to messages and status codes once."""


class HipflexError(Exception):
    """Base of every error hipflex reports to a user as one plain line."""


class BadInput(HipflexError):  # noqa: N818 - the name says what it is in the domain's words
    """A value given by the user is out of range, unknown or contradictory."""


class NotFound(HipflexError):  # noqa: N818 - reads as a state, like BadInput
    """Something named by id does not exist (a session log, say)."""
