"""Reply drafting: sandboxed Jinja templates in the house style, plus the safety checks.

The rest of the app uses `build_drafter(settings)` and the TemplateDrafter it returns, the
ReplyDrafter protocol (`draft`, `variants`, `check`: what the pipeline and the review actions
ask of any drafter), and `monitor.draft.length` (`count`, `limit`) for live counters.
Building reads and compiles the template files once; nothing happens at import time.
"""

from __future__ import annotations

from typing import Protocol

from monitor.config import Settings
from monitor.draft.drafter import TemplateDrafter
from monitor.draft.loader import TemplateLibrary, shipped_templates_dir
from monitor.errors import ConfigError
from monitor.model import CHECK_LABEL_BELOW, Classification, Draft, Mention

__all__ = ["ReplyDrafter", "TemplateDrafter", "build_drafter", "shipped_templates_dir"]


class ReplyDrafter(Protocol):
    """The drafting role: the template drafter, and the app's Composer that wraps it."""

    def draft(self, mention: Mention, classification: Classification, *,
              variant: int | None = None) -> Draft:
        """A reply for the mention (`variant`: an explicit wording); never raises for an
        unsafe text, which comes back with its violations."""
        ...

    def check(self, text: str, mention: Mention, *,
              classification: Classification | None = None) -> tuple[str, ...]:
        """The house checks' violations for any text meant as a reply to `mention`."""
        ...

    def variants(self, mention: Mention, classification: Classification) -> int:
        """How many wordings the mention's case has."""
        ...


def build_drafter(settings: Settings) -> TemplateDrafter:
    """A TemplateDrafter for the configured brand, with `replies.templates_dir` overriding the
    shipped templates file by file (a relative path is taken from the config file's folder)."""
    user_dir = None
    if settings.replies.templates_dir:
        user_dir = settings.resolve_path(settings.replies.templates_dir)
        if not user_dir.is_dir():
            raise ConfigError(f"{user_dir} is not a folder of reply templates",
                              key="replies.templates_dir", path=settings.source)
    library = TemplateLibrary.from_dirs(user_dir)
    # `[classifier] check_below`: under it a label is uncertain and drafted to fit any reading.
    check_below = float(getattr(settings.classifier, "check_below", CHECK_LABEL_BELOW))
    return TemplateDrafter(brand=settings.brand, replies=settings.replies,
                           incident=settings.incident, library=library, check_below=check_below,
                           status_links=settings.incidents.status_links)
