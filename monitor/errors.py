"""The one exception tree. Third-party errors are translated at the boundary (raise ... from exc).

    MonitorError
      ConfigError (.key, .path)
      AdapterError (.feed)
        FetchError
          RateLimited (.retry_at)
          AuthFailed
          SourceUnavailable
        NormaliseError (.external_id)
        PublishError
          PublishOutcomeUnknown
      DraftError
        TemplateNotFound
        UnsafeDraft (.violations)
      StoreError
        NotFound
        Conflict
      ReviewError
        InvalidTransition

The CLI and the web app map these to messages and exit codes / HTTP statuses, each in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime


class MonitorError(Exception):
    """Base of every known failure; its message is written for the user."""


class ConfigError(MonitorError):
    def __init__(self, message: str, *, key: str | None = None, path: str | None = None) -> None:
        self.key = key
        self.path = path
        self.message = message  # without the path and key, to re-raise with a path added
        where = f"{path}: " if path else ""
        what = f"{key}: " if key else ""
        super().__init__(f"{where}{what}{message}")


class AdapterError(MonitorError):
    def __init__(self, message: str, *, feed: str | None = None) -> None:
        self.feed = feed
        super().__init__(message)


class FetchError(AdapterError):
    """A poll could not fetch; the feed's cursor does not move."""


class RateLimited(FetchError):
    def __init__(self, message: str, *, retry_at: datetime, feed: str | None = None) -> None:
        self.retry_at = retry_at
        super().__init__(message, feed=feed)


class AuthFailed(FetchError):
    """Credentials were refused (after one refresh) or are missing."""


class SourceUnavailable(FetchError):
    """5xx, time-outs, malformed answers: worth trying again later."""


class NormaliseError(AdapterError):
    def __init__(self, message: str, *, external_id: str | None = None,
                 feed: str | None = None) -> None:
        self.external_id = external_id
        super().__init__(message, feed=feed)


class PublishError(AdapterError):
    """A reply could not be published."""


class PublishOutcomeUnknown(PublishError):
    """The network may or may not have taken the reply (a time-out after sending)."""


class DraftError(MonitorError):
    pass


class TemplateNotFound(DraftError):
    pass


class UnsafeDraft(DraftError):
    def __init__(self, message: str, *, violations: Sequence[str]) -> None:
        self.violations = tuple(violations)
        super().__init__(message)


class StoreError(MonitorError):
    pass


class NotFound(StoreError):
    pass


class Conflict(StoreError):
    """Someone else changed the row first (optimistic concurrency)."""


class ReviewError(MonitorError):
    pass


class InvalidTransition(ReviewError):
    pass
