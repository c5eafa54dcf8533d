"""The base of every error a user can cause: the CLI turns any :class:`KgError` into one line.

Each layer raises its own subclass (:class:`kg.store.StoreError`, :class:`kg.query.QueryError`,
:class:`kg.loaders.LoadError`, :class:`kg.network.NetworkError`, :class:`kg.evaluate.GoldError`)
whose ``str()`` is one line naming the file or value and saying what to do.

>>> from kg.store import StoreError
>>> issubclass(StoreError, KgError)
True
"""

from __future__ import annotations


class KgError(Exception):
    """A problem the user can fix; ``str()`` is one line for the user, without a traceback."""
