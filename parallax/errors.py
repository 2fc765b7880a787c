"""Exceptions whose message is meant to be shown to a user as one line."""


class ParallaxError(Exception):
    """Base class: the message says what went wrong and what to do about it."""


class UnreadableDocument(ParallaxError):
    """A single input document cannot be read; the batch goes on without it."""


class StoreError(ParallaxError):
    """The store cannot be opened or migrated."""
