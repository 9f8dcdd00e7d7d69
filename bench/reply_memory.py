"""Reply memory on real airline threads: how many held-back posts get a draft from memory, and
a sample of those drafts beside the agent's real reply for a blind reading.

    .venv/bin/python bench/reply_memory.py [--held 2000] [--memory-share 0.8] [--threshold 0.5]
                                           [--sample 100] [--seed 13] [--out bench/out/reply_memory]

Input, read in place and never copied: ../shared/data/twacs-airline-conversations.csv.bz2
(43,072 TwACS airline support threads). Each thread gives one pair: its first customer tweet
and the first brand reply in it (company and customer handles are redacted in the corpus;
each thread's customer gets a handle of its own, @cust<thread id>). Threads are split by a
hash of their id: the memory part (`--memory-share`) is remembered as if approved in review,
every pair labelled by the classifier from its post; `--held` posts of the rest are drafted
by the product's drafter (monitor.draft.compose: reply memory, then the templates) for a
brand "Northwind Air" with no signature and no links configured, as X replies.

Reported: the share of held-back posts needing a reply that were drafted from memory, by
label, at the given threshold and at others (same run); how many memories were above the
threshold but refused (nothing left after re-filling, or a failed house check); and drafting
time per post against the templates alone. Written (never committed; bench/out/ is ignored):
`sample.jsonl` with {id, label, score, note, post, draft, agent} for `--sample` memory drafts
drawn with `--seed`, and for a blind reading `items.jsonl` ({id, post, A, B}, ours and the
agent's in random order) with `key.jsonl` (which one is ours) kept apart.
"""

from __future__ import annotations

import argparse
import bz2
import csv
import dataclasses
import hashlib
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import TWACS, command_line
from monitor.classify import build_classifier
from monitor.config import BrandSettings, RepliesSettings, demo_settings
from monitor.draft import build_drafter
from monitor.draft.compose import Composer
from monitor.draft.memory import ListSource, ReplyMemory
from monitor.model import Classification, Draft, Label, Mention, RememberedReply

BRAND = "Northwind Air"
HANDLE = "@northwindair"
_SEGMENT = re.compile(r"<(cust|rep)__(.*?)__(?:cust|rep)>", re.S)
_SPACES = re.compile(r"\s+")
THRESHOLDS = (0.4, 0.5, 0.6, 0.7, 0.8)


@dataclass(frozen=True)
class Pair:
    ident: str
    post: str
    reply: str


def customer(ident: str) -> str:
    """A handle for the thread's (redacted) customer: one per thread, so that no two posts
    share an author."""
    return f"@cust{ident}"


def clean(text: str, ident: str) -> str:
    text = text.replace("__company__", HANDLE).replace("__cust__", customer(ident))
    return _SPACES.sub(" ", text).strip()


def load_pairs(path: Path = TWACS) -> Iterator[Pair]:
    if not path.is_file():
        raise SystemExit(f"{path} not found: the shared data lives in ../shared/data")
    with bz2.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            ident = row["first_tweet_id"]
            first = _SEGMENT.search(row["first_utterance"])
            post = clean(first.group(2) if first else row["first_utterance"], ident)
            reply = next((m.group(2) for m in _SEGMENT.finditer(row["context"])
                          if m.group(1) == "rep"), None)
            if post and reply and clean(reply, ident):
                yield Pair(ident, post, clean(reply, ident))


def share_of(ident: str) -> float:
    """A stable number in [0, 1) for a thread id (the split does not depend on file order)."""
    return int(hashlib.sha256(ident.encode()).hexdigest()[:8], 16) / 2**32


def mention(pair: Pair, when: datetime) -> Mention:
    return Mention(feed="twacs", platform="x", external_id=pair.ident, text=pair.post,
                   author=customer(pair.ident), created_at=when)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--held", type=int, default=2000, help="held-back posts to draft")
    parser.add_argument("--memory-share", type=float, default=0.8)
    parser.add_argument("--threshold", type=float, default=RepliesSettings().memory_threshold)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--classifier", default="rules",
                        help="classifier kind for the labels (default: rules)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" /
                        "reply_memory")
    args = parser.parse_args()
    print(command_line())

    settings = dataclasses.replace(
        demo_settings(),
        brand=BrandSettings(name=BRAND, handles=(HANDLE,), keywords=("northwind",)),
        replies=RepliesSettings(signature=""),
    )
    classifier = build_classifier(settings, args.classifier)
    drafter = build_drafter(settings)

    started = time.perf_counter()
    pairs = list(load_pairs())
    memory_pairs = [p for p in pairs if share_of(p.ident) < args.memory_share]
    held_all = [p for p in pairs if share_of(p.ident) >= args.memory_share]
    held = random.Random(args.seed).sample(held_all, min(args.held, len(held_all)))
    read_s = time.perf_counter() - started

    started = time.perf_counter()
    when = datetime(2017, 10, 1, tzinfo=UTC)
    rows: list[RememberedReply] = []
    for i, pair in enumerate(memory_pairs, start=1):
        c = classifier.classify(pair.post)
        rows.append(RememberedReply(
            id=i, post=pair.post, reply=pair.reply, label=c.label, language=c.language,
            replied_at=when + timedelta(minutes=i), author=customer(pair.ident),
            source="approved"))
    label_s = time.perf_counter() - started
    memory = ReplyMemory(ListSource(rows), threshold=min((*THRESHOLDS, args.threshold)))
    started = time.perf_counter()
    memory.refresh(force=True)
    memory.recall("warm up the index", Label.FIX_REQUEST)
    for label in Label:
        memory.recall("build", label)
    build_s = time.perf_counter() - started
    composer = Composer(drafter, memory=memory)
    templates_only = Composer(drafter)

    now = datetime(2017, 12, 1, tzinfo=UTC)
    classified: list[tuple[Pair, Mention, Classification]] = []
    for pair in held:
        c = classifier.classify(pair.post)
        if c.label.needs_reply:
            classified.append((pair, mention(pair, now), c))

    # The best remembered score of each post, for the shares at other thresholds.
    best: list[float] = []
    for _, m, c in classified:
        found = memory.recall(m.text, c.label, c.language)
        best.append(found[0].score if found else 0.0)

    memory.threshold = args.threshold
    results = []
    started = time.perf_counter()
    for pair, m, c in classified:
        results.append((pair, c, composer.draft(m, c)))
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    for _, m, c in classified:
        templates_only.draft(m, c)
    base_s = time.perf_counter() - started

    from_memory = [(p, c, d) for p, c, d in results if d.template.startswith("memory/")]
    above = sum(1 for s in best if s >= args.threshold)
    n = len(classified)
    labels = Counter(c.label.value for _, _, c in classified)
    mem_labels = Counter(c.label.value for _, c, _ in from_memory)
    remembered = Counter(r.label.value for r in rows)

    print(f"threads read: {len(pairs):,} pairs ({read_s:.1f} s); memory {len(rows):,} "
          f"({', '.join(f'{k} {v:,}' for k, v in sorted(remembered.items()))}), labelled in "
          f"{label_s:.1f} s, indexed in {build_s:.1f} s")
    print(f"held back: {len(held):,} posts drafted, {n:,} need a reply "
          f"({', '.join(f'{k} {v}' for k, v in sorted(labels.items()))})")
    print(f"drafted from memory at threshold {args.threshold:g}: {len(from_memory):,} of {n:,} "
          f"= {len(from_memory) / max(1, n):.1%}")
    for name, count in sorted(labels.items()):
        print(f"  {name:<12} {mem_labels.get(name, 0):>5} of {count:>5} = "
              f"{mem_labels.get(name, 0) / max(1, count):.1%}")
    print(f"a memory at or above the threshold: {above:,}; refused (nothing left after "
          f"re-filling, or a house check failed): {above - len(from_memory):,}")
    sweep = ", ".join(f"{t:g}: {sum(1 for s in best if s >= t) / max(1, n):.1%}"
                      for t in THRESHOLDS)
    print(f"share with a memory at or above each threshold (before re-filling and checks): "
          f"{sweep}")
    scores = [best[i] for i, (_, _, d) in enumerate(results) if d.template.startswith("memory/")]
    if scores:
        print(f"best similarity of the posts drafted from memory: median "
              f"{statistics.median(scores):.2f}, lowest {min(scores):.2f}")
    print(f"drafting time per post: {ours_s / max(1, n) * 1e3:.2f} ms with memory, "
          f"{base_s / max(1, n) * 1e3:.2f} ms templates alone (x{ours_s / max(base_s, 1e-9):.1f})")

    write_sample(args, from_memory, best, results)


def write_sample(args: argparse.Namespace, from_memory: list[tuple[Pair, Classification, Draft]],
                 best: list[float], results: list[tuple[Pair, Classification, Draft]]) -> None:
    score_of = {p.ident: best[i] for i, (p, _, _) in enumerate(results)}
    rng = random.Random(args.seed)
    chosen = rng.sample(from_memory, min(args.sample, len(from_memory)))
    args.out.mkdir(parents=True, exist_ok=True)
    sample = args.out / "sample.jsonl"
    items = args.out / "items.jsonl"
    key = args.out / "key.jsonl"
    with sample.open("w", encoding="utf-8") as s_fh, items.open("w", encoding="utf-8") as i_fh, \
            key.open("w", encoding="utf-8") as k_fh:
        for pair, c, draft in chosen:
            ours = draft.text
            s_fh.write(json.dumps({
                "id": pair.ident, "label": c.label.value, "score": round(score_of[pair.ident], 3),
                "template": draft.template, "note": draft.note,
                "post": pair.post, "draft": ours, "agent": pair.reply}, ensure_ascii=False)
                + "\n")
            ours_first = rng.random() < 0.5
            a, b = (ours, pair.reply) if ours_first else (pair.reply, ours)
            i_fh.write(json.dumps({"id": pair.ident, "brand": BRAND, "tweet": pair.post,
                                   "A": a, "B": b}, ensure_ascii=False) + "\n")
            k_fh.write(json.dumps({"id": pair.ident, "ours": "A" if ours_first else "B",
                                   "label": c.label.value,
                                   "template": draft.template}) + "\n")
    print(f"wrote {len(chosen)} memory drafts beside the agents' replies: {sample}; for a blind "
          f"reading {items} (give the reader this one) and {key} (keep it apart)")


if __name__ == "__main__":
    main()
