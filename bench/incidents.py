"""Incident detection on a replayed stream: how soon a surge is suggested, how much of the
suggestion is the surge (precision), how much of the surge it caught (recall), and how many
suggestions a week of ordinary traffic raises (target: none).

    PYTHONPATH=. .venv/bin/python bench/incidents.py [--days 8] [--per-day 1500] [--offset 0]
        [--surge checkin|charged|bags|website] [--surge-day 7] [--surge-minute 600]
        [--surge-posts 30] [--surge-every 3] [--poll-minutes 5] [--min-authors 6] [--ratio 5]
        [--db sqlite|postgresql] [--seed 7]

The ordinary traffic is the first customer tweet of TwACS airline support threads (read from
../shared/data, never copied), in thread order (the corpus' ids rise with time) from the
`--offset`-th thread, spread over `--days` days at `--per-day` posts a day with seeded
jitter, one author per thread. At `--surge-minute` of `--surge-day` a surge of one problem is
injected: `--surge-posts` posts from different authors, one every `--surge-every` minutes,
drawn from ten wordings of `--surge` (written here, not taken from any corpus; some do not
share the strongest words, as in life). The replay appends each post to a jsonl feed when the
fake clock reaches its time and polls every `--poll-minutes` through the real App
(classifier, drafter, store, detection after each poll), with the default [incidents]
thresholds unless `--min-authors` / `--ratio` say otherwise. Prints figures only; asserts
nothing.

Tuning and holding back: the detector's rules and defaults were chosen on the defaults here
(threads 0-12,000, the `checkin` surge). Threads from 12,000 on and the other surges were
held back, e.g. `--offset 12000 --days 4 --surge-day 3 --surge charged`. Last figures (README,
*Incidents*): checkin suggested after 30 minutes, precision 0.88, recall 1.00, 3 suggestions
in the 7.4 ordinary days (was 25 minutes, 0.83, 1.00 and 4).
"""

from __future__ import annotations

import argparse
import bz2
import csv
import dataclasses
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench._common import TWACS, clean_utterance, command_line, database, jsonl_feed, settings_for
from monitor.app import App

START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)  # a Monday
# Surges of one problem each, written here (not taken from any corpus) before the detector was
# tuned; some wordings do not share the strongest words, as in life. Settings were chosen on
# "checkin" over the first 12,000 threads only; the others, and the threads after 12,000
# (`--offset`), were held back to measure the chosen settings once.
SURGES = {
 "checkin": (
    "@northwindair your app crashes every time I try to check in for my flight",
    "@northwindair can't check in online, the app just crashes at the seat map",
    "@northwindair is online check-in down? app keeps crashing",
    "@northwindair app crash on check in again, flight leaves in 3 hours",
    "@northwindair mobile check in broken, the app closes itself when I tap check in",
    "@northwindair website check-in says error and the app crashes, what do I do",
    "@northwindair trying to check in for tomorrow, app crashed 5 times",
    "@northwindair your check in is broken. app crashes, website errors. fix it please",
    "@northwindair cannot get a boarding pass, the app keeps crashing",
    "@northwindair why does your app crash whenever I open check-in??",
 ),
 "charged": (
    "@northwindair you charged my card twice for the same ticket, I want the duplicate refunded",
    "@northwindair just got charged two times for one booking?? my bank shows both payments",
    "@northwindair double charge on my credit card for flight to Denver, please fix this",
    "@northwindair why was I billed twice for my seat upgrade",
    "@northwindair my card was charged twice today, one ticket. what is going on",
    "@northwindair duplicate payment taken from my account for the same reservation",
    "@northwindair is anyone else getting charged twice? two identical charges on my statement",
    "@northwindair I paid once and you took the money twice. refund the extra charge",
    "@northwindair bank alert: two charges from you for one fare. not ok",
    "@northwindair you double billed me for bags, need the second charge reversed",
 ),
 "bags": (
    "@northwindair landed at ORD an hour ago and still no bags on the carousel",
    "@northwindair waiting over 90 minutes for luggage at baggage claim, nobody knows anything",
    "@northwindair our whole flight is standing at baggage claim, no bags coming out",
    "@northwindair where are the bags from flight 212? carousel 6 has been empty forever",
    "@northwindair baggage claim at O'Hare is a mess, bags not showing up for any flight",
    "@northwindair been waiting for my suitcase for 2 hours, staff say the belt system is down",
    "@northwindair luggage delayed at the carousel again, is the baggage system broken?",
    "@northwindair still no luggage. baggage office line is 100 people long",
    "@northwindair my bag never came out at claim, neither did anyone else's",
    "@northwindair bags stuck somewhere at the airport, we have been waiting at claim since 9",
 ),
 "website": (
    "@northwindair your website is down, I can't load anything",
    "@northwindair site won't load, just a blank page when I try to book",
    "@northwindair is northwindair.com down? getting an error page",
    "@northwindair website keeps giving me a 500 error",
    "@northwindair can't access your website at all this morning",
    "@northwindair the site is not working, page times out",
    "@northwindair your web site has been down for an hour, I need to change my flight",
    "@northwindair error message every time I open the website",
    "@northwindair website not loading on phone or laptop",
    "@northwindair site crashed? nothing loads",
 ),
}


def load_threads(n: int, offset: int = 0) -> list[str]:
    """`n` threads' opening customer tweets from the `offset`-th on, in thread-id order."""
    rows: list[tuple[int, str]] = []
    with bz2.open(TWACS, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = clean_utterance(row["first_utterance"])
            if text:
                rows.append((int(row["first_tweet_id"]), text))
    rows.sort()
    if len(rows) < offset + n:
        raise SystemExit(f"only {len(rows)} threads in {TWACS}, asked for {offset + n}")
    return [t for _, t in rows[offset:offset + n]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--days", type=int, default=8)
    ap.add_argument("--per-day", type=int, default=1500)
    ap.add_argument("--surge-day", type=int, default=7)
    ap.add_argument("--surge-minute", type=int, default=600)
    ap.add_argument("--surge-posts", type=int, default=30)
    ap.add_argument("--surge-every", type=float, default=3.0)
    ap.add_argument("--surge", choices=sorted(SURGES), default="checkin")
    ap.add_argument("--offset", type=int, default=0)
    ap.add_argument("--poll-minutes", type=float, default=5.0)
    ap.add_argument("--min-authors", type=int, default=None)
    ap.add_argument("--ratio", type=float, default=None)
    ap.add_argument("--db", default="sqlite")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    print(command_line())
    rng = random.Random(args.seed)
    texts = load_threads(args.days * args.per_day, args.offset)
    gap = 86400 / args.per_day
    posts: list[tuple[datetime, dict[str, str]]] = []
    for i, text in enumerate(texts):
        at = START + timedelta(seconds=i * gap + rng.uniform(0, gap))
        posts.append((at, {"id": f"tw{i}", "text": text, "author": f"@traveller{i}"}))
    surge_start = START + timedelta(days=args.surge_day, minutes=args.surge_minute)
    surge_ids = set()
    for k in range(args.surge_posts):
        at = surge_start + timedelta(minutes=k * args.surge_every, seconds=rng.uniform(0, 50))
        wordings = SURGES[args.surge]
        text = wordings[rng.randrange(len(wordings))]
        posts.append((at, {"id": f"surge{k}", "text": text, "author": f"@flyer{k}"}))
        surge_ids.add(f"surge{k}")
    posts.sort(key=lambda p: p[0])
    end = START + timedelta(days=args.days)
    with tempfile.TemporaryDirectory() as tmp_dir, database(args.db, Path(tmp_dir)) as url:
        tmp = Path(tmp_dir)
        feed_path = tmp / "stream.jsonl"
        feed_path.write_text("")
        base = settings_for(url, jsonl_feed(feed_path), base_dir=str(tmp), workers=1)
        settings = dataclasses.replace(base, brand=dataclasses.replace(
            base.brand, name="Northwind Air", handles=("@northwindair",),
            keywords=("northwind", "northwind air"), products=()))
        tuned = {k: v for k, v in (("min_authors", args.min_authors), ("ratio", args.ratio))
                 if v is not None}
        settings = dataclasses.replace(
            settings, incidents=dataclasses.replace(settings.incidents, **tuned))
        now = START
        app = App(settings, environ={}, clock=lambda: now)
        app.migrate()
        seen: dict[int, datetime] = {}
        nxt = 0
        polls = 0
        t0 = time.perf_counter()
        with feed_path.open("a", encoding="utf-8") as fh:
            while now <= end:
                while nxt < len(posts) and posts[nxt][0] <= now:
                    at, row = posts[nxt]
                    fh.write(json.dumps({**row, "created_at": at.isoformat()}) + "\n")
                    nxt += 1
                fh.flush()
                app.poll_all()
                polls += 1
                for incident in app.incidents.listing():
                    seen.setdefault(incident.id, now)
                now += timedelta(minutes=args.poll_minutes)
        elapsed = time.perf_counter() - t0
        incidents = app.incidents.listing()
        external = {}
        with app.engine.connect() as conn:
            from monitor.store import queue as store_queue
            for incident in incidents:
                external[incident.id] = {store_queue.get_item(conn, i).mention.external_id
                                         for i in incident.item_ids}
        app.close()
    print(f"replayed {len(posts):,} posts ({args.days} days of threads from the "
          f"{args.offset:,}th, {args.per_day}/day + {args.surge_posts} {args.surge!r} surge "
          f"posts from day {args.surge_day} minute "
          f"{args.surge_minute}) in {polls:,} polls, {elapsed:.0f} s ({args.db}); "
          f"min_authors {settings.incidents.min_authors}, ratio {settings.incidents.ratio:g}")
    surge_hits = [(len(external[i.id] & surge_ids), i) for i in incidents]
    best = max(surge_hits, key=lambda h: h[0], default=(0, None))
    false = [i for hit, i in surge_hits if hit == 0]
    ordinary_end = surge_start
    before = [i for i in false if seen[i.id] < ordinary_end]
    print(f"false suggestions: {len(false)} in all, {len(before)} during the "
          f"{(ordinary_end - START).total_seconds() / 86400:.1f} days of ordinary traffic "
          "before the surge")
    for i in false:
        print(f"  #{i.id} {seen[i.id]:%a %H:%M} terms {', '.join(i.terms)}: {i.count} posts, "
              f"rate {i.rate:g} vs usual {i.baseline:g}; e.g. {i.examples[0][:90]!r}")
    hit, incident = best
    if incident is None or hit == 0:
        print("the surge was not suggested")
        sys.exit(0)
    minutes = (seen[incident.id] - surge_start).total_seconds() / 60
    count = len(external[incident.id])
    print(f"surge suggested as #{incident.id} ({', '.join(incident.terms)}) "
          f"{minutes:.0f} minutes after its first post (polls every {args.poll_minutes:g} "
          f"minutes; {args.surge_every:g} minutes between surge posts)")
    print(f"precision {hit}/{count} = {hit / count:.2f}; recall {hit}/{len(surge_ids)} = "
          f"{hit / len(surge_ids):.2f}")


if __name__ == "__main__":
    main()
