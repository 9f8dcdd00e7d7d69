"""The one exception tree. Third-party errors are translated at the boundary (raise ... from exc).

    MonitorError
      ConfigError (.key, .path)
      InputError (.key, .path)
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
ConfigError is the configuration's mistake (a key of the config file, a setting, a model file
it names); InputError is what a user typed or gave (an argument, a form field, a file to
import). Both exit 2 in the CLI and answer 400 in the web app.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime


class MonitorError(Exception):
    """Base of every known failure; its message is written for the user."""


def _located(message: str, key: str | None, path: str | None) -> str:
    where = f"{path}: " if path else ""
    what = f"{key}: " if key else ""
    return f"{where}{what}{message}"


class ConfigError(MonitorError):
    """The configuration is wrong: `key` names the setting, `path` the file holding it."""

    def __init__(self, message: str, *, key: str | None = None, path: str | None = None) -> None:
        self.key = key
        self.path = path
        self.message = message  # without the path and key, to re-raise with a path added
        super().__init__(_located(message, key, path))


class InputError(MonitorError):
    """What the user gave is wrong: `key` names the argument or form field, `path` the file
    they gave (an import, a password on standard input)."""

    def __init__(self, message: str, *, key: str | None = None, path: str | None = None) -> None:
        self.key = key
        self.path = path
        self.message = message
        super().__init__(_located(message, key, path))


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
