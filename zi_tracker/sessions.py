"""Sessions read from the shared cache (``SESSION_ENGINE`` when ``ZI_CACHE_URL`` is set).

Django's ``cached_db`` store: every request reads its session from Redis instead of a
query to the database (4 % of the app servers' CPU under the load test), and every write
goes to the database, which stays the record, and then to the cache. One change: an
entry stays in the cache at most ``CACHED_SECONDS``, not the session's whole life. A
logout deletes the session from both; should Redis miss that delete (unreachable at that
moment: the cache fails open, see zi_tracker/cache.py) and come back with its data, the
logged-out session is honoured for at most those minutes, not for the rest of its day.

Only with a shared cache: with each process's own memory cache a logout on one process
would leave the session cached on the others.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore
from django.core.cache import caches

CACHED_SECONDS = 5 * 60


class _Capped:
    """The session cache with every timeout cut to ``CACHED_SECONDS``."""

    def __init__(self, cache: Any) -> None:
        self._cache = cache

    def set(self, key: str, value: Any, timeout: int | None = None) -> None:
        limit = CACHED_SECONDS if timeout is None else min(timeout, CACHED_SECONDS)
        self._cache.set(key, value, limit)

    def __getattr__(self, name: str) -> Any:  # get, delete, __contains__'s helpers…
        return getattr(self._cache, name)

    def __contains__(self, key: str) -> bool:
        return key in self._cache


class SessionStore(CachedDbStore):
    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._cache: Any = _Capped(caches[settings.SESSION_CACHE_ALIAS])
