"""Text similarity for saved answers and reply memory: a small TF-IDF cosine index over word
and character n-grams, with no dependencies beyond the standard library.

`TextIndex` is the interface the rest of the drafting code uses (add, remove, search); an
embedding model can replace `TfidfIndex` later by implementing it. Scores are cosines in
[0, 1]: half from word unigrams and bigrams, half from character 4-grams inside words (which
forgive inflections and typos; 3-grams as well found the same best match for every post the
bench drafted from memory, at twice the memory). Stop words, links, @handles and digits are
ignored, so two posts that differ only in an order number or a handle score as equal.

Search is two-stage: documents sharing a word with the query are gathered from an inverted
index (very common words skipped), and only the best few are scored in full. Features are
hashed (stable CRC-32, no vocabulary) and stored as compact arrays: 35,000 remembered
replies take about 60 MB. Pure computation: no I/O, no global state.
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
from zlib import crc32

K = TypeVar("K", bound=Hashable)

_LINK = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_HANDLE = re.compile(r"(?<![\w@])[@＠][\w.-]+(?:@[\w.-]+)?")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W_]+")
WORD_WEIGHT = 0.5
"""The share of the score that comes from whole words (the rest from character n-grams)."""
CHAR_SIZES = (4,)
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
    pairs of neighbouring words, and 4-grams of characters inside words, all without
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


MAX_BUCKETS = 1 << 20
"""Document frequencies are counted in at most this many buckets of the features' 32-bit
hashes (no vocabulary is kept: ten thousand posts have hundreds of thousands of distinct
n-grams); a collision only blurs two rare features' IDF. Small indexes use fewer."""
_LOG_TF = [0.0] + [1.0 + math.log(n) for n in range(1, 256)]
"""Sublinear term frequency, 1 + ln(count), for the counts a document stores (at most 255)."""


class _Doc:
    """One document: its hashed features (word ones first, `split` of them, the first
    `unigrams` of those single words) with their counts, and each part's norm."""

    __slots__ = ("char_norm", "counts", "ids", "split", "unigrams", "word_norm")

    def __init__(self, word: dict[int, int], unigrams: int, chars: dict[int, int]) -> None:
        self.ids = array("I", [*word, *chars])
        self.counts = array("B", (min(n, 255) for n in (*word.values(), *chars.values())))
        self.split = len(word)
        self.unigrams = unigrams
        self.word_norm = 1.0
        self.char_norm = 1.0


class TfidfIndex(Generic[K]):
    """A TF-IDF cosine index (sublinear term frequency, smoothed IDF, L2-normalised word and
    character parts), over hashed features.

    IDF is worked out when the index is first searched and again once the documents have
    changed by a fifth since (adds and removes in between use the IDF of the last build; a
    feature no document had gets the highest IDF).
    """

    def __init__(self, *, word_weight: float = WORD_WEIGHT, candidates: int = 32,
                 max_df: float = 0.4) -> None:
        self.word_weight = word_weight
        self.candidates = candidates
        self.max_df = max_df
        self._mask = 0
        self._docs: dict[K, _Doc] = {}
        self._postings: dict[int, array[int]] = {}
        self._slots: list[K | None] = []
        self._slot_of: dict[K, int] = {}
        self._idf = array("f")
        self._built_size = -1
        self._changes = 0

    def __len__(self) -> int:
        return len(self._docs)

    # --- features ----------------------------------------------------------------------------

    def _hashed(self, tokens: list[str]) -> tuple[dict[int, int], int, dict[int, int]]:
        """(word feature -> count, how many of them are single words, char feature -> count)."""
        word, chars = features(tokens)
        ids: dict[int, int] = {}
        singles = {t for t in tokens if t not in STOP_WORDS}
        for feature, n in sorted(word.items(), key=lambda kv: kv[0] not in singles):
            fid = crc32(feature.encode("utf-8", "surrogatepass"))
            ids[fid] = ids.get(fid, 0) + n
        unigrams = len({crc32(t.encode("utf-8", "surrogatepass")) for t in singles})
        char_ids: dict[int, int] = {}
        for feature, n in chars.items():
            fid = crc32(feature.encode("utf-8", "surrogatepass"), 1)
            char_ids[fid] = char_ids.get(fid, 0) + n
        return ids, unigrams, char_ids

    def add(self, key: K, text: str) -> None:
        """Index `text` under `key` (replacing what `key` held)."""
        if key in self._docs:
            self.remove(key)
        word, unigrams, chars = self._hashed(words(text))
        doc = _Doc(word, unigrams, chars)
        self._docs[key] = doc
        slot = len(self._slots)
        self._slots.append(key)
        self._slot_of[key] = slot
        for fid in doc.ids[:doc.unigrams]:
            self._postings.setdefault(fid, array("I")).append(slot)
        self._changes += 1
        if self._built_size >= 0:
            self._norms(doc)

    def remove(self, key: K) -> None:
        if self._docs.pop(key, None) is None:
            return
        self._slots[self._slot_of.pop(key)] = None
        self._changes += 1

    # --- weighting ---------------------------------------------------------------------------

    def _norms(self, doc: _Doc) -> None:
        idf, log_tf, mask = self._idf, _LOG_TF, self._mask
        squares = [(log_tf[c] * idf[f & mask]) ** 2
                   for f, c in zip(doc.ids, doc.counts, strict=True)]
        doc.word_norm = math.sqrt(sum(squares[:doc.split])) or 1.0
        doc.char_norm = math.sqrt(sum(squares[doc.split:])) or 1.0

    def _weights(self, counts: dict[int, int]) -> dict[int, float]:
        idf, mask = self._idf, self._mask
        vec = {f: (1.0 + math.log(n)) * idf[f & mask] for f, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        if norm == 0.0:
            return {}
        return {f: v / norm for f, v in vec.items()}

    def _build(self) -> None:
        features_held = sum(len(doc.ids) for doc in self._docs.values())
        size = 1 << min(MAX_BUCKETS.bit_length() - 1, max(12, features_held.bit_length()))
        self._mask = mask = size - 1
        df = array("I", bytes(4 * size))
        for doc in self._docs.values():
            for fid in doc.ids:
                df[fid & mask] += 1
        n = len(self._docs)
        table = [math.log((1 + n) / (1 + d)) + 1.0 for d in range(n + 1)]
        self._idf = array("f", (table[min(d, n)] for d in df))
        # Compact the postings: removed documents' slots go for good.
        live = [k for k in self._slots if k is not None]
        self._slots = list(live)
        self._slot_of = {k: i for i, k in enumerate(live)}
        self._postings = {}
        for i, key in enumerate(live):
            doc = self._docs[key]
            for fid in doc.ids[:doc.unigrams]:
                self._postings.setdefault(fid, array("I")).append(i)
            self._norms(doc)
        self._built_size = n
        self._changes = 0

    def _fresh(self) -> None:
        if self._built_size < 0 or self._changes > max(8, self._built_size // 5):
            self._build()

    def _score(self, q_word: dict[int, float], q_char: dict[int, float], doc: _Doc) -> float:
        idf, log_tf, split, mask = self._idf, _LOG_TF, doc.split, self._mask
        word = char = 0.0
        for i, (f, c) in enumerate(zip(doc.ids, doc.counts, strict=True)):
            if i < split:
                q = q_word.get(f)
                if q is not None:
                    word += q * log_tf[c] * idf[f & mask]
            else:
                q = q_char.get(f)
                if q is not None:
                    char += q * log_tf[c] * idf[f & mask]
        return (self.word_weight * word / doc.word_norm
                + (1.0 - self.word_weight) * char / doc.char_norm)

    # --- searching ---------------------------------------------------------------------------

    def search(self, text: str, limit: int = 5) -> list[Match[K]]:
        """The `limit` most similar documents, best first, with their scores (> 0)."""
        if not self._docs or limit < 1:
            return []
        self._fresh()
        tokens = words(text)
        word, unigrams, chars = self._hashed(tokens)
        q_word = self._weights(word)
        q_char = self._weights(chars)
        if not q_word and not q_char:
            return []
        # Stage 1: documents sharing a (not too common) word, by summed IDF squared.
        size = len(self._docs)
        too_common = self.max_df * size if size >= 20 else math.inf
        acc: dict[int, float] = {}
        for fid in list(word)[:unigrams]:
            posting = self._postings.get(fid)
            if posting is None or len(posting) > too_common:
                continue
            weight = self._idf[fid & self._mask] ** 2
            for slot in posting:
                acc[slot] = acc.get(slot, 0.0) + weight
        best = heapq.nlargest(self.candidates, acc.items(), key=lambda kv: kv[1])
        # Stage 2: the full cosine for those.
        out: list[Match[K]] = []
        for slot, _ in best:
            key = self._slots[slot]
            if key is None:
                continue
            score = self._score(q_word, q_char, self._docs[key])
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
