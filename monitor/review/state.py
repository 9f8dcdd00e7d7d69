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

`published` is final. No I/O here.
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
}


def next_status(current: Status, action: Action) -> Status:
    """The status after `action`, or InvalidTransition naming both."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise InvalidTransition(f"cannot {action.value} an item that is {current.value}") from None


def allowed_actions(current: Status) -> list[Action]:
    return [action for (status, action) in TRANSITIONS if status == current]
