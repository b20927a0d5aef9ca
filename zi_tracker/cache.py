"""The shared cache: Django's own ``RedisCache`` with two changes an app server sharing one
Redis with others needs (``ZI_CACHE_URL``, see settings and the README).

- ``clear()`` removes only this cache's keys (its ``KEY_PREFIX``), never the whole Redis
  database: the page cache and the small-entry cache, other databases' caches and huey's
  queue may live in the same Redis.
- A Redis that does not answer is a slower page, not an error page: a read is a miss and a
  write is skipped (logged once a minute), so every page is computed from the database
  until Redis is back. Every entry is keyed by a revision read from the database, so
  nothing stale is served when it comes back.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

logger = logging.getLogger(__name__)

# What a Redis that is down, restarting or unreachable raises.
UNAVAILABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
WARN_EVERY_SECONDS = 60
SCAN_BATCH = 1000


class _Unavailable:
    """Logs Redis outages at most once a minute per process."""

    last_warning = 0.0

    @classmethod
    def warn(cls, exc: Exception) -> None:
        now = time.monotonic()
        if now - cls.last_warning >= WARN_EVERY_SECONDS:
            cls.last_warning = now
            logger.warning("Redis cache unavailable, computing from the database: %s", exc)


class FailOpenClient(RedisCacheClient):
    """Django's client; connection failures become misses and skipped writes. One
    ``redis.Redis`` per connection pool instead of a new one for every operation (Django
    builds one each time, with its ~170 response callbacks: ~0.15 ms of CPU per cache
    operation); a ``redis.Redis`` is thread-safe, its connections come from the pool."""

    # Django's attributes the stubs leave out: the connection pools, one per server, and
    # the client class (redis.Redis).
    _pools: dict[int, Any]
    _client: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}  # id of a pool -> its client

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def get(self, key: Any, default: Any) -> Any:
        try:
            return super().get(key, default)
        except UNAVAILABLE as exc:
            _Unavailable.warn(exc)
            return default

    def get_many(self, keys: Any) -> dict:
        try:
            return super().get_many(keys)
        except UNAVAILABLE as exc:
            _Unavailable.warn(exc)
            return {}

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        try:
            super().set(key, value, timeout)
        except UNAVAILABLE as exc:
            _Unavailable.warn(exc)

    def set_many(self, data: Any, timeout: Any) -> None:
        try:
            super().set_many(data, timeout)
        except UNAVAILABLE as exc:
            _Unavailable.warn(exc)

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        try:
            return bool(super().add(key, value, timeout))
        except UNAVAILABLE as exc:
            _Unavailable.warn(exc)
            return False

    def incr(self, key: Any, delta: int) -> int:
        try:
            return int(super().incr(key, delta))
        except UNAVAILABLE as exc:
            _Unavailable.warn(exc)
            raise ValueError("Key not available while Redis is unavailable.") from exc

    def delete(self, key: Any) -> bool:
        try:
            return bool(super().delete(key))
        except UNAVAILABLE as exc:
            _Unavailable.warn(exc)
            return False

    def delete_many(self, keys: Any) -> None:
        try:
            super().delete_many(keys)
        except UNAVAILABLE as exc:
            _Unavailable.warn(exc)

    def clear_prefix(self, prefix: str) -> int:
        """Delete every key starting with ``prefix`` (SCAN, never KEYS or FLUSHDB)."""
        client = self.get_client(None, write=True)
        removed, batch = 0, []
        for key in client.scan_iter(match=f"{prefix}*", count=SCAN_BATCH):
            batch.append(key)
            if len(batch) >= SCAN_BATCH:
                removed += client.delete(*batch)
                batch = []
        if batch:
            removed += client.delete(*batch)
        return removed


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` whose ``clear()`` keeps to its own
    prefix and whose outages are misses (see the module's docstring)."""

    _cache: FailOpenClient  # Django's cached property, built from ``_class``

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        if not self.key_prefix:
            raise ValueError("A shared Redis cache needs a KEY_PREFIX (ZI_CACHE_PREFIX).")
        self._class = FailOpenClient

    def disconnect(self) -> None:
        """Close this cache's connections (Django keeps them open between requests;
        tests that switch caches close them rather than leave them to the collector)."""
        for pool in self._cache._pools.values():
            pool.disconnect()

    def clear(self) -> None:
        # Django's keys are "<KEY_PREFIX>:<version>:<key>".
        self._cache.clear_prefix(f"{self.key_prefix}:")
