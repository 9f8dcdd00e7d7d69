"""Made-up traffic for incident tests: an ordinary stream of varied complaints from
different authors, and a surge of one problem, as JSON lines for the jsonl feed."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

ORDINARY = (
    "@northwindkettles my order never arrived and tracking has not moved, can you check?",
    "@northwindkettles the lid hinge on my kettle snapped after a month, need a replacement",
    "@northwindkettles charged twice for one kettle, please refund the second payment",
    "@northwindkettles why does the descaling light stay on after cleaning?",
    "@northwindkettles parcel left at the wrong address again, really annoying",
    "@northwindkettles the base plug gets hot, is that normal?",
    "@northwindkettles your delivery driver threw the box over the fence, it arrived dented",
    "@northwindkettles still waiting on my refund from three weeks ago",
    "@northwindkettles the whistle stopped working on my stovetop model",
    "@northwindkettles cannot change my delivery slot on the website, keeps failing",
    "@northwindkettles kettle leaks from the bottom seam, order 55123",
    "@northwindkettles the temperature dial is stuck on 80 degrees",
)
SURGE = (
    "@northwindkettles the app login is broken, it keeps saying error 503 when I sign in",
    "@northwindkettles cannot sign in to the app, login fails with error 503",
    "@northwindkettles is the app down? login error 503 every time",
    "@northwindkettles app login not working since this morning, error 503",
    "@northwindkettles your app login gives me error 503, please fix",
)


def row(i: int, text: str, author: str, at: datetime) -> str:
    return json.dumps({"id": f"p{i}", "text": text, "author": author,
                       "created_at": at.isoformat().replace("+00:00", "Z")})


def ordinary(start: datetime, hours: float, every_minutes: float = 20.0,
             first_id: int = 0) -> list[str]:
    out = []
    n = int(hours * 60 / every_minutes)
    for i in range(n):
        at = start + timedelta(minutes=i * every_minutes)
        out.append(row(first_id + i, ORDINARY[i % len(ORDINARY)], f"@cust{first_id + i}", at))
    return out


def surge(start: datetime, count: int, every_minutes: float = 3.0,
          first_id: int = 10_000) -> list[str]:
    return [row(first_id + i, SURGE[i % len(SURGE)], f"@angry{i}",
                start + timedelta(minutes=i * every_minutes)) for i in range(count)]


def write(path: Path, lines: list[str]) -> None:
    with path.open("a", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line + "\n")


# A copy-and-paste campaign: many authors, one template, asking for something (no failure).
CAMPAIGN = ("@northwindkettles please bring back the bamboo handle kettle, "
            "I want one for my kitchen! #bringbackbamboo")
# A wave of opinions against a decision, each in its own words: nothing is broken.
OPINIONS = (
    "@northwindkettles the new returns policy is a disgrace, thirty days was fine",
    "@northwindkettles fourteen day returns policy? terrible decision, shame on you",
    "@northwindkettles your returns policy change is greedy and I hate it",
    "@northwindkettles who thought the new returns policy was a good idea? awful",
    "@northwindkettles cutting the returns policy to 14 days is so disappointing",
    "@northwindkettles that returns policy change is customer hostile, rethink it",
    "@northwindkettles I am unhappy about the shorter returns policy, really annoying",
    "@northwindkettles the returns policy news makes me sad, loyal customer for years",
)


def burst(start: datetime, texts: tuple[str, ...], count: int, every_minutes: float = 3.0,
          first_id: int = 20_000) -> list[str]:
    """`count` posts from different authors cycling through `texts`."""
    return [row(first_id + i, texts[i % len(texts)], f"@voice{i}",
                start + timedelta(minutes=i * every_minutes)) for i in range(count)]
