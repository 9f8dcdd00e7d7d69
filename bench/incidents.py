"""Incident detection on a replayed stream: how soon a surge is suggested, how much of the
suggestion is the surge (precision), how much of the surge it caught (recall), and how many
suggestions a week of ordinary traffic raises (target: none).

    PYTHONPATH=. .venv/bin/python bench/incidents.py [--days 8] [--per-day 1500] [--offset 0]
        [--surge checkin|charged|bags|website] [--surge-day 7] [--surge-minute 600]
        [--surge-posts 30] [--surge-every 3] [--poll-minutes 5] [--min-authors 6] [--ratio 5]
        [--db sqlite|postgresql] [--no-store] [--every-surge] [--varied-surge] [--seed 7]

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
held back, e.g. `--offset 12000 --days 4 --surge-day 3 --surge charged`. `--no-store`
replays the same detection without the store (minutes, not the better part of an hour);
`--every-surge` suggests campaigns and surges describing no failure too (the rule before
`failures_only`); `--varied-surge` gives each surge post an opening and an ending of its
author's own. Last figures (README, *Incidents*): checkin suggested after 30 minutes,
precision 0.88, recall 1.00, 1 suggestion in the 7.4 ordinary days, a real outage (was 3
with `--every-surge`).
"""

from __future__ import annotations

import argparse
import bz2
import csv
import dataclasses
import json
import math
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench._common import TWACS, clean_utterance, command_line, database, jsonl_feed, settings_for
from monitor.app import App
from monitor.classify import BatchClassifier
from monitor.config import Settings
from monitor.incidents import detect
from monitor.model import ClassifyContext
from monitor.store.incidents import DETECTED_LABELS

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


# --varied-surge: people hit by one problem tell it in their own words. The ten wordings
# repeated over thirty posts make a third of them copies, which no real surge has; these
# openings and endings (none about any surge's problem) make each post its author's own.
OPENINGS = ("", "", "hey ", "ugh, ", "seriously, ", "so ", "again?! ", "morning. ",
            "not again. ", "help: ", "hello, ", "quick one: ")
ENDINGS = ("", "", " any update?", " please help", " #fail", " 😡", " second time this week",
           " what is going on?", " thanks", " so frustrating", " on my phone",
           " need this sorted asap", " travelling with kids", " anyone?")


def own_words(text: str, rng: random.Random) -> str:
    """`text` (a surge wording, the brand's handle first) with an opening and an ending of
    its author's own, and sometimes in lower case."""
    handle, _, rest = text.partition(" ")
    out = f"{handle} {rng.choice(OPENINGS)}{rest}{rng.choice(ENDINGS)}"
    return out.lower() if rng.random() < 0.3 else out


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


@dataclasses.dataclass
class Found:
    """One suggested incident as the replay saw it: when it was first listed, its terms, and
    the bench ids of its posts."""

    seen: datetime
    terms: tuple[str, ...]
    ids: set[str]
    count: int
    rate: float
    baseline: float
    examples: tuple[str, ...]
    verdict: str = ""


Row = tuple[datetime, dict[str, str]]


def bench_settings(url: str, feed_path: Path, tmp: Path, min_authors: int | None,
                   ratio: float | None) -> Settings:
    """The demo settings as an airline brand, with the default [incidents] thresholds unless
    the options say otherwise."""
    base = settings_for(url, jsonl_feed(feed_path), base_dir=str(tmp), workers=1)
    settings = dataclasses.replace(base, brand=dataclasses.replace(
        base.brand, name="Northwind Air", handles=("@northwindair",),
        keywords=("northwind", "northwind air"), products=()))
    tuned = {k: v for k, v in (("min_authors", min_authors), ("ratio", ratio)) if v is not None}
    return dataclasses.replace(
        settings, incidents=dataclasses.replace(settings.incidents, **tuned))


def replay_app(posts: list[Row], settings: Settings, feed_path: Path, end: datetime,
               poll: timedelta) -> tuple[list[Found], int]:
    """Every post through the real App: the jsonl feed is appended to as the fake clock
    reaches each post's time, and `poll` runs every `poll` (detection after each)."""
    now = START
    app = App(settings, environ={}, clock=lambda: now)
    app.migrate()
    seen: dict[int, datetime] = {}
    nxt = polls = 0
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
            now += poll
    found = []
    with app.engine.connect() as conn:
        from monitor.store import queue as store_queue
        for i in app.incidents.listing():
            ids = {store_queue.get_item(conn, m).mention.external_id for m in i.item_ids}
            found.append(Found(seen[i.id], i.terms, ids, i.count, i.rate, i.baseline,
                               i.examples))
    app.close()
    return sorted(found, key=lambda f: f.seen), polls


def replay_pure(posts: list[Row], settings: Settings, end: datetime, poll: timedelta
                ) -> tuple[list[Found], list[Found], int]:
    """The same posts, polls and detection code without the store (minutes, not the better
    part of an hour): each post is classified once by the App's classifier, and after every
    poll the posts that arrived are scanned as `Incidents.scan` does (`detect.scan` over
    their span, a surge overlapping a listed incident grows it, a new post holding two of an
    incident's terms joins it). Nobody confirms or dismisses, so every incident stays open.
    Also returns the surges passed over as no service failure (their first sighting)."""
    app = App(settings, environ={}, clock=lambda: START)
    classifier = app.classifier
    th = app.incidents.thresholds()
    brand = settings.brand
    ignore = detect.brand_words((brand.name, *brand.handles, *brand.keywords, *brand.products))
    arrival = [START + poll * math.ceil((at - START) / poll) for at, _ in posts]
    texts = [row["text"] for _, row in posts]
    contexts = [ClassifyContext(platform="jsonl",
                                age_hours=(arrived - at).total_seconds() / 3600)
                for (at, _), arrived in zip(posts, arrival, strict=True)]
    labels = []
    for k in range(0, len(texts), 500):  # pages, as polls classify them
        labels.extend(classifier.classify_many(texts[k:k + 500], contexts[k:k + 500])
                      if isinstance(classifier, BatchClassifier) else
                      [classifier.classify(t, c) for t, c in
                       zip(texts[k:k + 500], contexts[k:k + 500], strict=True)])
    detected = [detect.post(k, at, row["author"], "jsonl", c.topic, row["text"],
                            ignore=ignore, complaint=c.label.value in DETECTED_LABELS)
                for k, ((at, row), c) in enumerate(zip(posts, labels, strict=True))]
    # Every scan reads only windows ending by its newest post, and every post created by then
    # has arrived (posts are written when the clock reaches them): one index serves all.
    index = detect.Index(detected)
    found: list[Found] = []
    passed: list[Found] = []
    first_seen: list[datetime] = []
    now, nxt, polls = START, 0, 0
    while now <= end:
        fresh = []
        while nxt < len(posts) and posts[nxt][0] <= now:
            fresh.append(detected[nxt])
            nxt += 1
        polls += 1
        if fresh:
            start, last = min(p.created_at for p in fresh), max(p.created_at for p in fresh)
            history_start = detected[0].created_at
            for surge in detect.scan(index, start, last, history_start, th):
                ids = {posts[m][1]["id"] for m in surge.mention_ids}
                k = next((k for k, f in enumerate(found)
                          if detect.overlaps(f.terms, surge.terms)), None)
                if k is None and surge.verdict and th.failures_only:
                    # Not a service failure: not suggested (Incidents._place); shown once.
                    if not any(detect.overlaps(f.terms, surge.terms) for f in passed):
                        passed.append(Found(now, surge.terms, ids, len(ids), surge.rate,
                                            surge.baseline, surge.examples, surge.verdict))
                    continue
                if k is None:
                    found.append(Found(now, surge.terms, ids, 0, surge.rate, surge.baseline,
                                       surge.examples))
                    first_seen.append(surge.first_seen)
                else:
                    found[k].terms = detect.union_terms(found[k].terms, surge.terms)
                    found[k].ids |= ids
            for k, f in enumerate(found):
                f.ids |= {posts[p.mention_id][1]["id"] for p in fresh if p.complaint
                          and p.created_at >= first_seen[k] - th.window
                          and detect.matches(p.words, f.terms)}
        now += poll
    app.close()
    for f in found:
        f.count = len(f.ids)
    return found, passed, polls


def stream(args: argparse.Namespace) -> tuple[list[Row], set[str], datetime]:
    """The ordinary posts and the surge's, time-ordered; the surge's ids and first minute."""
    rng = random.Random(args.seed)
    texts = load_threads(args.days * args.per_day, args.offset)
    gap = 86400 / args.per_day
    posts: list[Row] = []
    for i, text in enumerate(texts):
        at = START + timedelta(seconds=i * gap + rng.uniform(0, gap))
        posts.append((at, {"id": f"tw{i}", "text": text, "author": f"@traveller{i}"}))
    surge_start = START + timedelta(days=args.surge_day, minutes=args.surge_minute)
    surge_ids = set()
    vary = random.Random(args.seed + 1)  # its own draws: times and wordings stay the same
    for k in range(args.surge_posts):
        at = surge_start + timedelta(minutes=k * args.surge_every, seconds=rng.uniform(0, 50))
        wordings = SURGES[args.surge]
        text = wordings[rng.randrange(len(wordings))]
        if args.varied_surge:
            text = own_words(text, vary)
        posts.append((at, {"id": f"surge{k}", "text": text, "author": f"@flyer{k}"}))
        surge_ids.add(f"surge{k}")
    posts.sort(key=lambda p: p[0])
    return posts, surge_ids, surge_start


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
    ap.add_argument("--no-store", action="store_true",
                    help="replay the detection without the App's store (much faster)")
    ap.add_argument("--every-surge", action="store_true",
                    help="[incidents] failures_only = false: suggest campaigns and opinion "
                         "waves too (the method before it)")
    ap.add_argument("--varied-surge", action="store_true",
                    help="each surge post in its author's own words around the wording")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    print(command_line())
    posts, surge_ids, surge_start = stream(args)
    end = START + timedelta(days=args.days)
    poll = timedelta(minutes=args.poll_minutes)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp_dir, database(args.db, Path(tmp_dir)) as url:
        tmp = Path(tmp_dir)
        feed_path = tmp / "stream.jsonl"
        feed_path.write_text("")
        settings = bench_settings(url, feed_path, tmp, args.min_authors, args.ratio)
        settings = dataclasses.replace(settings, incidents=dataclasses.replace(
            settings.incidents, failures_only=not args.every_surge))
        if args.no_store:
            found, passed, polls = replay_pure(posts, settings, end, poll)
        else:
            found, polls = replay_app(posts, settings, feed_path, end, poll)
            passed = []  # the App logs them (Incidents._place); --no-store lists them
    elapsed = time.perf_counter() - t0
    how = "no store" if args.no_store else args.db
    print(f"replayed {len(posts):,} posts ({args.days} days of threads from the "
          f"{args.offset:,}th, {args.per_day}/day + {args.surge_posts} {args.surge!r} surge "
          f"posts from day {args.surge_day} minute "
          f"{args.surge_minute}) in {polls:,} polls, {elapsed:.0f} s ({how}); "
          f"min_authors {settings.incidents.min_authors}, ratio {settings.incidents.ratio:g}")
    report(found, surge_ids, surge_start, args.poll_minutes, args.surge_every)
    if args.no_store and settings.incidents.failures_only:
        print(f"surges passed over as no service failure: {len(passed)}")
        for f in passed:
            hit = len(f.ids & surge_ids)
            print(f"  {f.seen:%a %H:%M} {f.verdict}: terms {', '.join(f.terms)}: {f.count} "
                  f"posts{f' ({hit} of the surge)' if hit else ''}; "
                  f"e.g. {f.examples[0][:90]!r}")


def report(found: list[Found], surge_ids: set[str], surge_start: datetime,
           poll_minutes: float, surge_every: float) -> None:
    """Figures only: false suggestions (before the surge: in ordinary traffic), then how
    soon, how precisely and how completely the surge was suggested."""
    hits = [(len(f.ids & surge_ids), f) for f in found]
    false = [f for hit, f in hits if hit == 0]
    before = [f for f in false if f.seen < surge_start]
    print(f"false suggestions: {len(false)} in all, {len(before)} during the "
          f"{(surge_start - START).total_seconds() / 86400:.1f} days of ordinary traffic "
          "before the surge")
    for f in false:
        print(f"  {f.seen:%a %H:%M} terms {', '.join(f.terms)}: {f.count} posts, "
              f"rate {f.rate:g} vs usual {f.baseline:g}; e.g. {f.examples[0][:90]!r}")
    hit, best = max(hits, key=lambda h: h[0], default=(0, None))
    if best is None or hit == 0:
        print("the surge was not suggested")
        return
    minutes = (best.seen - surge_start).total_seconds() / 60
    print(f"surge suggested as ({', '.join(best.terms)}) {minutes:.0f} minutes after its "
          f"first post (polls every {poll_minutes:g} minutes; {surge_every:g} minutes "
          "between surge posts)")
    print(f"precision {hit}/{best.count} = {hit / best.count:.2f}; recall "
          f"{hit}/{len(surge_ids)} = {hit / len(surge_ids):.2f}")


if __name__ == "__main__":
    main()
