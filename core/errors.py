"""Exceptions whose messages are written for the user (caught at the page or CLI boundary)."""


class StudyError(Exception):
    """Base class: ``str(error)`` is a complete, user-facing sentence."""


class InputError(StudyError, ValueError):
    """A value the user gave is not usable (unknown variable, out of range, not a number)."""


class DataIntegrityError(StudyError):
    """A shipped data file is missing, malformed or incomplete."""
