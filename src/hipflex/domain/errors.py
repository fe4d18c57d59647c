"""Errors the core raises. Each kind maps once to an HTTP status and to a command-line exit
status (hipflex/errors.py, the one table the web app and the command line both read)."""


class HipflexError(Exception):
    """Base of every error hipflex reports to a user as one plain line."""


class BadInput(HipflexError):  # noqa: N818 - the name says what it is in the domain's words
    """A value given by the user is out of range, unknown or contradictory."""


class TooLarge(BadInput):
    """An input is larger than hipflex accepts (a request body, a file)."""


class NotFound(HipflexError):  # noqa: N818 - reads as a state, like BadInput
    """Something named by id does not exist (a session log, say)."""


class NotReady(HipflexError):  # noqa: N818 - reads as a state, like BadInput
    """What was asked needs something else done first (an assessment before a plan)."""


class NoAssessment(NotReady):
    """There is nothing to build a plan from yet."""

    def __init__(self) -> None:
        super().__init__("no assessment saved yet: run `hipflex assess` first")


class Conflict(HipflexError):  # noqa: N818 - reads as a state, like BadInput
    """What was asked contradicts what is already recorded (a second, different finish of
    a session): refused, nothing changes."""


class NotSignedIn(HipflexError):  # noqa: N818 - reads as a state, like BadInput
    """Team mode: no account is signed in, or the e-mail address and password do not match
    an active account (which of the two is never said)."""


class Forbidden(HipflexError):  # noqa: N818 - reads as a state, like BadInput
    """Team mode: the account signed in may not do this (another person's data without
    their consent, an admin's action)."""


class TooManyTries(HipflexError):  # noqa: N818 - reads as a state, like BadInput
    """Too many failed logins lately for the account or the address: wait, then try again."""


class Unavailable(HipflexError):  # noqa: N818 - reads as a state, like BadInput
    """Something hipflex needs cannot be reached (the database)."""


class MissingExtra(Unavailable):
    """What was asked needs an optional extra that is not installed or cannot load (the
    pose model): the user's choice to make, so a usage error on the command line."""


class BadSetting(HipflexError):  # noqa: N818 - reads as a state, like BadInput
    """A HIPFLEX_* setting cannot be used (not a number, a database hipflex cannot use):
    the user's to fix before anything runs, so a usage error on the command line."""


class CannotWrite(HipflexError):  # noqa: N818 - reads as a state, like BadInput
    """An output file or the standard output could not be written (nothing half-written
    is left behind)."""


class OutputRefused(BadInput):
    """An output path that is not a regular file (a link, a device, a pipe, a folder)."""


class StorageFault(Unavailable):
    """The database is there but cannot do what was asked; each kind says what to do."""


class ReadOnlyStore(StorageFault):
    """The database (or its folder) cannot be written."""


class StoreLocked(StorageFault):
    """Another program held the database's write lock for too long."""


class StoreFull(StorageFault):
    """The disk (or the database's quota) is full."""


class StoreCorrupt(StorageFault):
    """The database file is damaged."""


class OlderStore(StorageFault):
    """The database's schema is older than this hipflex's, and team mode does not upgrade
    it while serving (several processes, several machines): `hipflex db upgrade` does."""


class NewerStore(StorageFault):
    """The database was written by a newer hipflex (a schema this one does not know)."""
