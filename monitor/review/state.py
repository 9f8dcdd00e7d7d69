"""The review state machine, pure: which action may move an item from which status to which.

    skipped  --draft-->   pending
    pending  --edit-->    pending        (a new draft; the item stays in the queue)
    pending  --approve--> approved
    pending  --reject-->  rejected
    skipped  --reject-->  rejected       (dismissed for good)
    approved --publish--> published
    approved --fail-->    failed         (publishing failed; can be approved again)
    failed   --approve--> approved
    failed   --reject-->  rejected
    approved|rejected --reopen--> pending
    pending|skipped --relabel--> pending   (skipped instead when the new label is neutral)

`published` is final. A reviewer's relabel is only for items still under review: a decided
item is reopened first, so a label never changes under an approval or a sent reply. No I/O
here.
"""

from __future__ import annotations

from enum import StrEnum

from monitor.errors import InvalidTransition
from monitor.model import Status


class Action(StrEnum):
    DRAFT = "draft"
    EDIT = "edit"
    APPROVE = "approve"
    REJECT = "reject"
    PUBLISH = "publish"
    FAIL = "fail"
    REOPEN = "reopen"
    RELABEL = "relabel"


TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.SKIPPED, Action.DRAFT): Status.PENDING,
    (Status.PENDING, Action.DRAFT): Status.PENDING,
    (Status.PENDING, Action.EDIT): Status.PENDING,
    (Status.PENDING, Action.APPROVE): Status.APPROVED,
    (Status.PENDING, Action.REJECT): Status.REJECTED,
    (Status.SKIPPED, Action.REJECT): Status.REJECTED,
    (Status.APPROVED, Action.PUBLISH): Status.PUBLISHED,
    (Status.APPROVED, Action.FAIL): Status.FAILED,
    (Status.FAILED, Action.APPROVE): Status.APPROVED,
    (Status.FAILED, Action.REJECT): Status.REJECTED,
    (Status.APPROVED, Action.REOPEN): Status.PENDING,
    (Status.REJECTED, Action.REOPEN): Status.PENDING,
    (Status.PENDING, Action.RELABEL): Status.PENDING,
    (Status.SKIPPED, Action.RELABEL): Status.PENDING,
}


def next_status(current: Status, action: Action) -> Status:
    """The status after `action`, or InvalidTransition naming both."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise InvalidTransition(f"cannot {action.value} an item that is {current.value}") from None


def after_relabel(current: Status, to_neutral: bool) -> Status:
    """The status after a relabel: as the table says, except that a mention relabelled
    neutral needs no reply and is skipped (as ingest skips neutral mentions)."""
    target = next_status(current, Action.RELABEL)
    return Status.SKIPPED if to_neutral else target


def allowed_actions(current: Status) -> list[Action]:
    return [action for (status, action) in TRANSITIONS if status == current]
