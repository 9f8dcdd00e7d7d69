"""The TF-IDF similarity index behind saved answers and reply memory."""

from __future__ import annotations

from monitor.draft.similar import TfidfIndex, build_index, words


def test_words_ignore_links_handles_and_the_digits_themselves() -> None:
    assert words("@jo Order #48213 at https://x.example/a?b=1 ISN'T here") == [
        "order", "0", "at", "isnt", "here"]


def test_the_same_text_scores_one_and_a_paraphrase_beats_unrelated_posts() -> None:
    index = build_index([
        (1, "Does the offer apply to bowls?"),
        (2, "Do you ship to the UK? Is there a UK plug?"),
        (3, "my order #12345 never arrived"),
        (4, "the app crashes when I log in"),
    ])
    assert index.search("Does the offer apply to bowls?")[0].key == 1
    assert abs(index.search("Does the offer apply to bowls?")[0].score - 1.0) < 1e-6
    best = index.search("does your offer also apply to the bowls")
    assert best[0].key == 1 and best[0].score > 0.5
    assert all(m.score < best[0].score for m in best[1:])
    # Only the number differs: the same post as far as similarity goes.
    assert index.search("my order #99 never arrived")[0].score > 0.99
    # Inflections still meet through character n-grams.
    assert index.search("crashing app, logging in")[0].key == 4


def test_no_shared_word_means_no_match_and_scores_are_ordered() -> None:
    index = build_index([(1, "kettle lid broken"), (2, "refund for my kettle please")])
    assert index.search("weather is lovely today") == []
    found = index.search("my kettle lid is broken, can I get a refund")
    assert [m.key for m in found] == [1, 2]
    assert 0.0 < found[1].score < found[0].score <= 1.0


def test_remove_and_replace_keys_and_rebuild_after_many_changes() -> None:
    index: TfidfIndex[str] = TfidfIndex()
    for i in range(40):
        index.add(f"k{i}", f"filler post number {i} about descaling kettles weekly")
    index.add("target", "where is my parcel, it never arrived")
    assert index.search("parcel never arrived")[0].key == "target"
    index.remove("target")
    assert all(m.key != "target" for m in index.search("parcel never arrived"))
    index.add("k1", "parcel never arrived at all")  # replaces what k1 held
    assert index.search("parcel never arrived")[0].key == "k1"
    assert len(index) == 40
    for i in range(2, 30):  # past a fifth of the index: IDF is worked out again
        index.remove(f"k{i}")
    assert index.search("parcel never arrived")[0].key == "k1"
    assert len(index) == 12


def test_an_empty_index_and_an_empty_query_find_nothing() -> None:
    index: TfidfIndex[int] = TfidfIndex()
    assert index.search("anything") == []
    index.add(1, "something")
    assert index.search("") == [] and index.search("!!! ???") == []
    assert index.search("anything", limit=0) == []
