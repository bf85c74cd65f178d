"""User-facing errors: the CLI prints these as one line, never as a traceback."""


class AvzooError(Exception):
    """A mistake in the user's input (file, key, name) with a message that says what to fix."""
