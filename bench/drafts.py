"""Drafts replies for real customers' opening tweets and compares them with the real agents'
replies to the same tweets (issue 5's "measured against real replies").

    PYTHONPATH=. .venv/bin/python bench/drafts.py [--data ../shared/data] [--json] [--examples N]

Inputs, read in place and never copied: twcs-reply-pairs.csv (customer tweet + the brand's
first reply, 70 brands) and ibm-care-dev.json / ibm-care-test.json (customer turns + the
agent's reply, 25 brands). Each tweet is classified with monitor.classify.build_classifier
and drafted for X as if by that brand (brand name = the support account), with a support and
a status URL configured and no response window.

Reported, beside the agents on the same tweets:
- share of drafts passing every safety check (target 100 %);
- share that apologise, among tweets where the agent apologised;
- share that offer a next step, among tweets classified fix_request (agents too);
- median length (as X counts it), drafts against agents;
- distinct wordings used (draft bodies with the handle removed and details masked) and
  distinct templates, out of how many drafts;
- drafting time per tweet as a ratio of classifying time per tweet (same run).
Example texts are printed with every @handle and e-mail address scrubbed. The agents' words are
for comparison only: nothing here feeds back into the templates.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.classify import build_classifier
from monitor.config import BrandSettings, RepliesSettings, Settings, demo_settings
from monitor.draft import TemplateDrafter, build_drafter
from monitor.draft.details import find_details
from monitor.draft.length import count
from monitor.model import Classification, ClassifyContext, Draft, Label, Mention

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
APOLOGY = re.compile(r"(?i)\b(sorry|apolog\w*|regret\w*|that is on us|that's on us)\b")
# A concrete next step: a hand-off to DM, a question to answer here, a link or a number to call.
NEXT_STEP = re.compile(
    r"(?i)(\bDMs?\b|\bdirect message|private message|\bPM\b|\breply (here|with)|send us|"
    r"sent you|\bcall us|\bgive us a call|https?://|let us know|"
    r"(can|could) you (please )?(send|share|confirm|tell|provide|dm|follow|check|try)|"
    r"please (send|share|follow|dm|check|try|confirm|provide))"
)
HANDLE = re.compile(r"@[A-Za-z0-9_]+(?:@[A-Za-z0-9.-]+)?")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@dataclass(frozen=True)
class Pair:
    source: str
    brand: str
    customer: str
    agent: str
    ident: str


def scrub(text: str) -> str:
    """Real handles and e-mail addresses out, before anything is printed."""
    return HANDLE.sub("@user", EMAIL.sub("user@example.com", text))


def load_twcs(data: Path) -> Iterator[Pair]:
    with (data / "twcs-reply-pairs.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            yield Pair("twcs", row["brand"], row["customer_text"], row["reply_text"],
                       row["customer_tweet_id"])


def load_ibm(data: Path) -> Iterator[Pair]:
    for name in ("ibm-care-dev.json", "ibm-care-test.json"):
        with (data / name).open(encoding="utf-8") as fh:
            for item in json.load(fh):
                turns = item.get("dialogContent") or []
                text = " ".join(t.get("message", "") for t in turns).strip()
                agent = (item.get("agentURL") or {}).get("url_utterance", "")
                if text and agent:
                    yield Pair("ibm", item["dialogHeader"]["company"], text, agent,
                               str(turns[0].get("tweet_ID", "")))


def brand_settings(base: Settings, brand: str) -> Settings:
    replies = RepliesSettings(signature="", support_url="https://help.example.com",
                              status_url="https://status.example.com",
                              response_window=None)
    return dataclasses.replace(
        base, brand=BrandSettings(name=brand, handles=(f"@{brand}",), keywords=(brand.lower(),)),
        replies=replies)


def body(draft_text: str, mention: Mention) -> str:
    """The draft without the handle, details masked: what makes one wording differ."""
    text = draft_text.split(" ", 1)[1] if draft_text.startswith("@") else draft_text
    for token in find_details(mention.text).tokens():
        text = text.replace(token, "<detail>")
    return text


def pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}% ({part}/{whole})" if whole else "n/a (0)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--examples", type=int, default=4, help="scrubbed examples to print")
    args = parser.parse_args()

    base = demo_settings()
    classifier = build_classifier(base)
    drafters: dict[str, TemplateDrafter] = {}  # one per brand: the bench's own short-lived cache
    pairs = [*load_twcs(args.data), *load_ibm(args.data)]

    results: list[tuple[Pair, Mention, Classification, Draft]] = []
    classify_s = draft_s = 0.0
    for i, pair in enumerate(pairs):
        if pair.brand not in drafters:
            drafters[pair.brand] = build_drafter(brand_settings(base, pair.brand))
        t0 = time.perf_counter()
        cls = classifier.classify(pair.customer, ClassifyContext(platform="x"))
        t1 = time.perf_counter()
        mention = Mention(feed=pair.source, platform="x", external_id=f"{pair.ident}-{i}",
                          text=pair.customer, author="@customer",
                          created_at=datetime(2020, 1, 1, tzinfo=UTC))
        # Every tweet here opened a support thread, so each gets a draft, neutral ones too.
        draft = drafters[pair.brand].draft(mention, cls)
        t2 = time.perf_counter()
        classify_s += t1 - t0
        draft_s += t2 - t1
        results.append((pair, mention, cls, draft))

    n = len(results)
    passing = sum(d.ok for _, _, _, d in results)
    violations = Counter(v.split(" (")[0].split(":")[0][:60] for *_, d in results
                         for v in d.violations)
    agent_sorry = [(p, d) for p, _, _, d in results if APOLOGY.search(p.agent)]
    sorry_match = sum(bool(APOLOGY.search(d.text)) for _, d in agent_sorry)
    sorry_by_label = Counter(c.label.value for p, _, c, d in results
                             if APOLOGY.search(p.agent) and not APOLOGY.search(d.text))
    fixes = [(p, d) for p, _, c, d in results if c.label == Label.FIX_REQUEST]
    draft_steps = sum(bool(NEXT_STEP.search(d.text)) for _, d in fixes)
    agent_steps = sum(bool(NEXT_STEP.search(p.agent)) for p, _ in fixes)
    draft_len = statistics.median(count(d.text, "x") for *_, d in results)
    agent_len = statistics.median(count(p.agent, "x") for p, *_ in results)
    wordings = {(d.template, body(d.text, m)) for _, m, _, d in results}
    templates = Counter(d.template for *_, d in results)
    labels = Counter(c.label.value for _, _, c, _ in results)
    figures = {
        "tweets": n,
        "sources": dict(Counter(p.source for p, *_ in results)),
        "labels": dict(labels),
        "pass_every_check": passing / n,
        "violations": dict(violations),
        "apologise_where_agent_did": sorry_match / len(agent_sorry) if agent_sorry else None,
        "agent_apologised": len(agent_sorry),
        "next_step_fix_requests_drafts": draft_steps / len(fixes) if fixes else None,
        "next_step_fix_requests_agents": agent_steps / len(fixes) if fixes else None,
        "fix_requests": len(fixes),
        "median_length_x_drafts": draft_len,
        "median_length_x_agents": agent_len,
        "distinct_wordings": len(wordings),
        "distinct_templates": len(templates),
        "draft_to_classify_time_ratio": draft_s / classify_s if classify_s else None,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0

    print(f"tweets drafted: {n} ({', '.join(f'{k} {v}' for k, v in figures['sources'].items())})")
    print(f"labels (classifier {classifier.name}): "
          + ", ".join(f"{k} {v}" for k, v in labels.most_common()))
    print(f"pass every check:                  {pct(passing, n)}")
    for kind, k in violations.most_common():
        print(f"  violation: {kind}: {k}")
    print(f"apologise where the agent did:     {pct(sorry_match, len(agent_sorry))}")
    for label, k in sorry_by_label.most_common():
        print(f"  no apology in a draft for a {label} tweet the agent apologised to: {k}")
    print(f"next step offered, fix-requests:   drafts {pct(draft_steps, len(fixes))}, "
          f"agents {pct(agent_steps, len(fixes))}")
    print(f"median length (X count):           drafts {draft_len:.0f}, agents {agent_len:.0f}")
    print(f"distinct wordings used:            {len(wordings)} across {len(templates)} "
          f"templates, for {n} drafts")
    print("templates used: " + ", ".join(f"{k} {v}" for k, v in templates.most_common()))
    print(f"drafting time / classifying time:  {draft_s / classify_s:.2f} "
          f"(per tweet: draft {1000 * draft_s / n:.2f} ms, "
          f"classify {1000 * classify_s / n:.2f} ms)")
    step = max(1, n // max(1, args.examples))
    for pair, _, cls, draft in results[::step][: args.examples]:
        print(f"\n[{pair.source} {cls.label.value}/{cls.topic}] customer: "
              f"{scrub(pair.customer)[:200]}")
        print(f"  agent: {scrub(pair.agent)[:200]}")
        print(f"  draft: {scrub(draft.text)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
