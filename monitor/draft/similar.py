"""Text similarity for saved answers and reply memory: a small TF-IDF cosine index over word
and character n-grams, with no dependencies beyond the standard library.

`TextIndex` is the interface the rest of the drafting code uses (add, remove, search); an
embedding model can replace `TfidfIndex` later by implementing it. Scores are cosines in
[0, 1]: half from word unigrams and bigrams, half from character 3- and 4-grams inside words
(which forgive inflections and typos). Links, @handles and digits are ignored, so two posts
that differ only in an order number or a handle score as equal.

Search is two-stage: documents sharing a word with the query are gathered from an inverted
index (very common words skipped), and only the best few are scored in full. Features are
interned and stored as compact arrays, so ten thousand remembered replies cost tens of
megabytes, not hundreds. Pure computation: no I/O, no global state.
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Generic, Protocol, TypeVar

K = TypeVar("K", bound=Hashable)

_LINK = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_HANDLE = re.compile(r"(?<![\w@])[@＠][\w.-]+(?:@[\w.-]+)?")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W_]+")
WORD_WEIGHT = 0.5
"""The share of the score that comes from whole words (the rest from character n-grams)."""
CHAR_SIZES = (3, 4)
SCAN_CHARS = 5000
"""Only this much of a text is read (posts can be a megabyte; the start says what it is)."""


@dataclass(frozen=True, slots=True)
class Match(Generic[K]):
    key: K
    score: float


class TextIndex(Protocol[K]):
    """What saved answers and reply memory need from a similarity model."""

    def add(self, key: K, text: str) -> None: ...

    def remove(self, key: K) -> None: ...

    def search(self, text: str, limit: int = 5) -> list[Match[K]]: ...

    def __len__(self) -> int: ...


def words(text: str) -> list[str]:
    """The words similarity looks at: lower case, no links, no handles, digits as '0'."""
    text = _HANDLE.sub(" ", _LINK.sub(" ", text[:SCAN_CHARS]))
    text = _DIGITS.sub("0", text.lower().replace("’", "").replace("'", ""))
    return _WORD.findall(text)


_STOP_TEXT = """
a about after again all am an and any are as at be been before being but by can could did do
does doing for from had has have having he her here hers him his how i if in into is it its
just me more most my no nor not now of off on once only or other our ours out over own same
she should so some such than that the their theirs them then there these they this those
through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself hi hello hey please thanks thank pls im ive dont its
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
"""Words too common to say what a post is about (English); left out of every feature."""


def features(tokens: list[str]) -> tuple[Counter[str], Counter[str]]:
    """(word features, character features) of a text's `words`, with their counts: words and
    pairs of neighbouring words, and 3- and 4-grams of characters inside words, all without
    the stop words."""
    tokens = [t for t in tokens if t not in STOP_WORDS]
    word: Counter[str] = Counter(tokens)
    word.update(f"{a} {b}" for a, b in pairwise(tokens))
    chars: Counter[str] = Counter()
    for token in tokens:
        padded = f" {token} "
        for n in CHAR_SIZES:
            chars.update(padded[i:i + n] for i in range(len(padded) - n + 1))
    return word, chars


class _Block:
    """One document's features of one kind: interned ids, counts, and weights (once built)."""

    __slots__ = ("counts", "ids", "weights")

    def __init__(self, counts: dict[int, int]) -> None:
        self.ids = array("i", counts.keys())
        self.counts = array("H", (min(n, 65535) for n in counts.values()))
        self.weights = array("f")


class _Doc:
    __slots__ = ("chars", "unigrams", "word")

    def __init__(self, word: _Block, chars: _Block, unigrams: tuple[int, ...]) -> None:
        self.word = word
        self.chars = chars
        self.unigrams = unigrams


def _dot(query: dict[int, float], block: _Block) -> float:
    get = query.get
    return sum(w * get(f, 0.0) for f, w in zip(block.ids, block.weights, strict=True))


class TfidfIndex(Generic[K]):
    """A TF-IDF cosine index (sublinear term frequency, smoothed IDF, L2-normalised blocks).

    IDF is worked out when the index is first searched and again once the documents have
    changed by a fifth since (adds and removes in between use the IDF of the last build;
    a feature no document had gets the highest IDF).
    """

    def __init__(self, *, word_weight: float = WORD_WEIGHT, candidates: int = 32,
                 max_df: float = 0.4) -> None:
        self.word_weight = word_weight
        self.candidates = candidates
        self.max_df = max_df
        self._vocab: dict[str, int] = {}
        self._docs: dict[K, _Doc] = {}
        self._postings: dict[int, array[int]] = {}
        self._slots: list[K | None] = []
        self._slot_of: dict[K, int] = {}
        self._idf: dict[int, float] = {}
        self._idf_unknown = 1.0
        self._built_size = -1
        self._changes = 0

    def __len__(self) -> int:
        return len(self._docs)

    def _intern(self, counts: Counter[str]) -> dict[int, int]:
        vocab = self._vocab
        out: dict[int, int] = {}
        for feature, n in counts.items():
            fid = vocab.get(feature)
            if fid is None:
                fid = vocab[feature] = len(vocab)
            out[fid] = n
        return out

    def _lookup(self, counts: Counter[str]) -> dict[int, int]:
        """A query's features: known ones by id, unseen ones by ids no document has."""
        vocab = self._vocab
        out: dict[int, int] = {}
        unseen = -1
        for feature, n in counts.items():
            fid = vocab.get(feature)
            if fid is None:
                fid, unseen = unseen, unseen - 1
            out[fid] = n
        return out

    def add(self, key: K, text: str) -> None:
        """Index `text` under `key` (replacing what `key` held)."""
        if key in self._docs:
            self.remove(key)
        tokens = words(text)
        word, chars = features(tokens)
        word_ids = self._intern(word)
        unigrams = tuple(self._vocab[t] for t in set(tokens) if t not in STOP_WORDS)
        doc = _Doc(_Block(word_ids), _Block(self._intern(chars)), unigrams)
        self._docs[key] = doc
        slot = len(self._slots)
        self._slots.append(key)
        self._slot_of[key] = slot
        for fid in unigrams:
            self._postings.setdefault(fid, array("I")).append(slot)
        self._changes += 1
        if self._built_size >= 0:
            self._vectorise(doc)

    def remove(self, key: K) -> None:
        if self._docs.pop(key, None) is None:
            return
        self._slots[self._slot_of.pop(key)] = None
        self._changes += 1

    # --- weighting ---------------------------------------------------------------------------

    def _weights(self, counts: dict[int, int]) -> dict[int, float]:
        idf, unknown = self._idf, self._idf_unknown
        vec = {f: (1.0 + math.log(n)) * idf.get(f, unknown) for f, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        if norm == 0.0:
            return {}
        return {f: v / norm for f, v in vec.items()}

    def _weigh(self, block: _Block) -> None:
        idf, unknown = self._idf, self._idf_unknown
        raw = [(1.0 + math.log(n)) * idf.get(f, unknown)
               for f, n in zip(block.ids, block.counts, strict=True)]
        norm = math.sqrt(sum(v * v for v in raw)) or 1.0
        block.weights = array("f", (v / norm for v in raw))

    def _vectorise(self, doc: _Doc) -> None:
        self._weigh(doc.word)
        self._weigh(doc.chars)

    def _build(self) -> None:
        df: Counter[int] = Counter()
        for doc in self._docs.values():
            df.update(doc.word.ids)
            df.update(doc.chars.ids)
        n = len(self._docs)
        self._idf = {f: math.log((1 + n) / (1 + d)) + 1.0 for f, d in df.items()}
        self._idf_unknown = math.log(1 + n) + 1.0
        # Compact the postings: removed documents' slots go for good.
        live = [k for k in self._slots if k is not None]
        self._slots = list(live)
        self._slot_of = {k: i for i, k in enumerate(live)}
        self._postings = {}
        for i, key in enumerate(live):
            doc = self._docs[key]
            for fid in doc.unigrams:
                self._postings.setdefault(fid, array("I")).append(i)
            self._vectorise(doc)
        self._built_size = n
        self._changes = 0

    def _fresh(self) -> None:
        if self._built_size < 0 or self._changes > max(8, self._built_size // 5):
            self._build()

    # --- searching ---------------------------------------------------------------------------

    def search(self, text: str, limit: int = 5) -> list[Match[K]]:
        """The `limit` most similar documents, best first, with their scores (> 0)."""
        if not self._docs or limit < 1:
            return []
        self._fresh()
        tokens = words(text)
        word, chars = features(tokens)
        q_word = self._weights(self._lookup(word))
        q_char = self._weights(self._lookup(chars))
        if not q_word and not q_char:
            return []
        # Stage 1: documents sharing a (not too common) word, by summed IDF squared.
        size = len(self._docs)
        too_common = self.max_df * size if size >= 20 else math.inf
        acc: dict[int, float] = {}
        for token in set(tokens):
            fid = self._vocab.get(token, -1)
            posting = self._postings.get(fid)
            if posting is None or len(posting) > too_common:
                continue
            weight = self._idf.get(fid, self._idf_unknown) ** 2
            for slot in posting:
                acc[slot] = acc.get(slot, 0.0) + weight
        best = heapq.nlargest(self.candidates, acc.items(), key=lambda kv: kv[1])
        # Stage 2: the full cosine for those.
        out: list[Match[K]] = []
        for slot, _ in best:
            key = self._slots[slot]
            if key is None:
                continue
            doc = self._docs[key]
            score = (self.word_weight * _dot(q_word, doc.word)
                     + (1.0 - self.word_weight) * _dot(q_char, doc.chars))
            if score > 0.0:
                out.append(Match(key, min(1.0, score)))
        out.sort(key=lambda m: -m.score)
        return out[:limit]


def build_index(items: Iterable[tuple[K, str]]) -> TfidfIndex[K]:
    """An index holding `items` (key, text)."""
    index: TfidfIndex[K] = TfidfIndex()
    for key, text in items:
        index.add(key, text)
    return index
