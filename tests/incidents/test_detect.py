"""The surge rule, pure: distinct authors against the usual rate, no suggestion before enough
history, one author repeating is not a surge, a word that is always common is not a surge,
nor one word alone (a place in the news), nor a word most people use without complaining."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.incidents import detect

T0 = datetime(2026, 11, 1, tzinfo=UTC)
TH = detect.Thresholds(window=timedelta(hours=1), baseline=timedelta(days=7),
                       min_history=timedelta(hours=12), min_authors=6, ratio=5.0)


def post(i: int, at: datetime, text: str, author: str | None = None,
         complaint: bool = True) -> detect.Post:
    return detect.post(i, at, author or f"@a{i}", "x", "outage", text,
                       ignore=detect.brand_words(["@acme", "Acme"]), complaint=complaint)


def background(hours: int, text: str = "my parcel is late again", every: int = 30,
               ) -> list[detect.Post]:
    return [post(i, T0 + timedelta(minutes=every * i), text)
            for i in range(hours * 60 // every)]


def burst(first: int, at: datetime, n: int, text: str = "acme checkout crashes on payment",
          same_author: bool = False) -> list[detect.Post]:
    return [post(first + k, at + timedelta(minutes=3 * k), text,
                 "@one" if same_author else None) for k in range(n)]


def test_words_drop_stop_words_links_handles_and_the_brand() -> None:
    words = detect.words_of("@acme Acme's app CRASHES at https://x.example/a and crashed twice!",
                            detect.brand_words(["Acme", "@acme"]))
    assert words == frozenset({"app", "crash", "twice"})  # crashes, crashed: one word
    assert detect.words_of("crashing, delayed, stopped, boarding") == frozenset(
        {"crash", "delay", "stop", "board"})
    # Terms are shown as written and match every form of the word.
    assert detect.matches(detect.words_of("the app crashed"), ("crashes", "app"))


def test_a_burst_of_authors_is_a_surge_and_its_words_group() -> None:
    at = T0 + timedelta(hours=20)
    index = detect.Index(background(24) + burst(1000, at, 8))
    [surge] = detect.evaluate(index, at + timedelta(minutes=30), T0, TH)
    assert set(surge.terms) == {"checkout", "crashes", "payment"}  # as the posts write it
    assert surge.authors == 8 and len(surge.mention_ids) == 8 and surge.baseline == 0


def test_nothing_before_min_history() -> None:
    at = T0 + timedelta(hours=6)
    index = detect.Index(background(7) + burst(1000, at, 8))
    assert detect.evaluate(index, at + timedelta(minutes=30), T0, TH) == []


def test_one_author_repeating_is_not_a_surge() -> None:
    at = T0 + timedelta(hours=20)
    index = detect.Index(background(24) + burst(1000, at, 12, same_author=True))
    assert detect.evaluate(index, at + timedelta(minutes=40), T0, TH) == []


def test_a_word_that_is_always_common_needs_far_more() -> None:
    # "late" comes from 2 authors an hour all day: a surge needs 5 x (2 + 1) = 15 in an hour.
    ordinary = background(24, every=30)
    at = T0 + timedelta(hours=22)
    index = detect.Index(ordinary + burst(1000, at, 8, text="parcel late"))
    assert detect.evaluate(index, at + timedelta(minutes=25), T0, TH) == []


def test_scan_reports_each_surge_once_as_it_grows() -> None:
    at = T0 + timedelta(hours=20)
    index = detect.Index(background(24) + burst(1000, at, 16))
    found = detect.scan(index, at, at + timedelta(hours=1), T0, TH)
    assert len(found) == 1 and len(found[0].mention_ids) == 16


def test_one_word_alone_is_not_a_surge() -> None:
    # Eight authors on a new route in eight different wordings: a place, not a problem.
    at = T0 + timedelta(hours=20)
    texts = ["when do hawaii flights start?", "hawaii?!? when?", "going to hawaii soon??",
             "can we book hawaii yet?", "hawaii routes open when?", "hawaii in spring?",
             "so is it hawaii next?", "hawaii dates please?"]
    burst_ = [post(1000 + k, at + timedelta(minutes=3 * k), t) for k, t in enumerate(texts)]
    index = detect.Index(background(24) + burst_)
    assert detect.evaluate(index, at + timedelta(minutes=30), T0, TH) == []


def test_a_word_most_people_use_without_complaining_is_news_not_a_surge() -> None:
    at = T0 + timedelta(hours=20)
    complaints = burst(1000, at, 7, "acme route sale when?")
    happy = [post(2000 + k, at + timedelta(minutes=3 * k), "acme route sale is great news",
                  complaint=False) for k in range(9)]
    index = detect.Index(background(24) + complaints + happy)
    assert detect.evaluate(index, at + timedelta(minutes=30), T0, TH) == []
    # The same complaints with fewer happy posts around them are a surge.
    index = detect.Index(background(24) + complaints + happy[:5])
    [surge] = detect.evaluate(index, at + timedelta(minutes=30), T0, TH)
    assert surge.authors == 7 and len(surge.mention_ids) == 7  # the happy ones are not in it
