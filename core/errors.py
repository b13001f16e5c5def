"""Exceptions whose messages are written for the user (caught at the page or CLI boundary).

An error may carry a ``code`` and parameters: the app then shows the translation ``error.<code>`` in the
user's language; ``str(error)`` is the English sentence (CLI, logs).
"""


class StudyError(Exception):
    """Base class: ``str(error)`` is a complete, user-facing sentence."""

    def __init__(self, message: str = "", code: str | None = None, **params):
        super().__init__(message)
        self.code = code
        self.params = params


class InputError(StudyError, ValueError):
    """A value the user gave is not usable (unknown variable, out of range, not a number)."""


class DataIntegrityError(StudyError):
    """A shipped data file is missing, malformed or incomplete."""
