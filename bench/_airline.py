"""Loading, cleaning and splitting the shared airline tweets, for bench scripts and tests.

Reads ../shared/data/airline-tweets.csv (never copies it into the repo), undoes the
published text leak ("Cancelled Flight" -> "Cancel", "Late Flight" -> "late",
"Flight Booking Problems" -> "booking"), drops duplicate tweet ids (first row kept), and
splits deterministically by a hash of the tweet id, so every script sees the same tune and
test rows without a random seed. It must not classify anything.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
AIRLINE_CSV = DATA_DIR / "airline-tweets.csv"
# The fix-request / venting hand labels: ids, labels and readings only. The texts stay in
# ../shared/data (its licence forbids copying them into the project); hand_labels joins them.
HAND_LABELS = Path(__file__).resolve().parent.parent / "tests" / "data" / "fix_vs_vent_labels.csv"

# The published file ran a find-and-replace over the texts; undo it, longest first.
LEAKS: tuple[tuple[str, str], ...] = (
    ("Flight Booking Problems", "booking"),
    ("Cancelled Flight", "Cancel"),
    ("Late Flight", "late"),
)
SENTIMENT_TO_LABEL = {"positive": "praise", "neutral": "neutral", "negative": "complaint"}


@dataclass(frozen=True, slots=True)
class Tweet:
    tweet_id: str
    text: str
    label: str  # praise / neutral / complaint
    confidence: float
    reason: str  # negativereason ("" unless a complaint)


def undo_leak(text: str) -> str:
    for leaked, original in LEAKS:
        text = text.replace(leaked, original)
    return text


def split_of(tweet_id: str, test_share: float = 0.5) -> str:
    """'tune' or 'test', stable for a tweet id (the first bytes of its SHA-256)."""
    bucket = int.from_bytes(hashlib.sha256(tweet_id.encode()).digest()[:4], "big") / 2**32
    return "test" if bucket < test_share else "tune"


def load(path: Path = AIRLINE_CSV, *, min_confidence: float = 1.0) -> list[Tweet]:
    """Clean rows with airline_sentiment_confidence >= min_confidence, de-duplicated."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: the shared data lives in ../shared/data")
    seen: set[str] = set()
    rows: list[Tweet] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            tid = row["tweet_id"]
            if tid in seen:
                continue
            seen.add(tid)
            conf = float(row["airline_sentiment_confidence"] or 0)
            if conf < min_confidence:
                continue
            rows.append(Tweet(tid, undo_leak(row["text"]),
                              SENTIMENT_TO_LABEL[row["airline_sentiment"]], conf,
                              row["negativereason"] or ""))
    return rows


@dataclass(frozen=True, slots=True)
class HandLabel:
    tweet_id: str
    text: str
    label: str  # fix_request / venting
    labelling_pass: str  # "1" to "5", see tests/data/fix_vs_vent_rubric.md
    readings: tuple[str, ...]


def hand_labels(part: str = "all", path: Path = HAND_LABELS,
                data: Path = AIRLINE_CSV) -> list[HandLabel]:
    """The hand-labelled airline complaints of `part` (tune, test or all), in file order, each
    with its text from the shared data (leak undone, as every other reader sees it)."""
    texts = {t.tweet_id: t.text for t in load(data)}
    out: list[HandLabel] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            tid = row["tweet_id"]
            if part != "all" and split_of(tid) != part:
                continue
            if tid not in texts:
                raise ValueError(f"{path}: tweet {tid} is not a confident airline tweet in {data}")
            out.append(HandLabel(tid, texts[tid], row["label"], row["pass"],
                                 tuple(row["readings"].split())))
    return out


def split(rows: list[Tweet], part: str) -> list[Tweet]:
    if part not in ("tune", "test", "all"):
        raise ValueError("part is tune, test or all")
    return rows if part == "all" else [t for t in rows if split_of(t.tweet_id) == part]


def texts(n: int, path: Path = AIRLINE_CSV) -> Iterator[str]:
    """n texts for load tests, cycling through every clean row (any confidence)."""
    pool = [t.text for t in load(path, min_confidence=0.0)]
    for i in range(n):
        yield pool[i % len(pool)]
