"""The priority formula: how urgently a reviewer should look at a mention, in [0, 1].

    priority = low + (high - low) * strength

    band (low, high) by label:  fix_request (0.50, 1.00)
                                question    (0.35, 0.49)
                                venting     (0.20, 0.34)
                                praise      (0.00, 0.19), neutral (0.00, 0.19)

    strength = 0.35 * negativity + 0.25 * urgency + 0.20 * reach + 0.20 * age      (in [0, 1])
      negativity = max(0, -compound)                      VADER's compound, 0..1
      urgency    = min(1, urgency cues / 2)               "urgent", "asap", "stranded", "today"...
      reach      = min(1, log10(1 + followers) / 6)       1,000,000 followers -> 1; unknown -> 0
      age        = min(1, age_hours / 48)                 older items first; unknown -> 0

The bands never overlap, so every fix-request outranks every question (it needs an answer),
which outranks every venting post, which outranks
all praise and neutral chatter; within a band, stronger negativity, urgency, reach and age
rank higher. Pure arithmetic: no I/O, no clock (age is given by the caller).
"""

from __future__ import annotations

import math

from monitor.model import ClassifyContext, Label

BANDS: dict[Label, tuple[float, float]] = {
    Label.FIX_REQUEST: (0.50, 1.00),
    Label.QUESTION: (0.35, 0.49),
    Label.VENTING: (0.20, 0.34),
    Label.PRAISE: (0.00, 0.19),
    Label.NEUTRAL: (0.00, 0.19),
}
W_NEGATIVITY, W_URGENCY, W_REACH, W_AGE = 0.35, 0.25, 0.20, 0.20
AGE_FULL_HOURS = 48.0
REACH_FULL_LOG10 = 6.0


def _unit(x: float) -> float:
    # NaN and negative inputs (a clock skew, a bad follower count) count as nothing.
    if not x > 0.0:
        return 0.0
    return 1.0 if x > 1.0 else x


def priority(label: Label, compound: float, urgency: float,
             context: ClassifyContext | None) -> float:
    """The formula in the module docstring, rounded to 3 decimals."""
    reach = age = 0.0
    if context is not None:
        if context.author_followers is not None and context.author_followers > 0:
            reach = _unit(math.log10(1.0 + context.author_followers) / REACH_FULL_LOG10)
        if context.age_hours is not None:
            age = _unit(context.age_hours / AGE_FULL_HOURS)
    strength = (W_NEGATIVITY * _unit(-compound) + W_URGENCY * _unit(urgency / 2.0)
                + W_REACH * reach + W_AGE * age)
    low, high = BANDS[label]
    return round(low + (high - low) * strength, 3)
