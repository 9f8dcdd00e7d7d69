"""Re-filling a remembered reply for a new post: what was particular to the old post goes.

A reply the brand once sent names things from the post it answered: the customer's @handle
and name, an order number, a booking reference, an amount, a flight number, a place. For a
new post each of those is either re-filled from the new post (its order number, its booking
reference, the product it names, the one number of the same shape it gives) or, when the new
post has no such thing, the sentence holding it is dropped: a re-filled reply may say less
than the original, never something the new post did not give. The old agent's sign-off
("^JH", "*TMT", "-Sam") is dropped too; the drafter adds the brand's own signature.

Pure text functions: no I/O. The result is a reply body without handle or signature, or
None when too little is left to send.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from monitor.draft.details import find_details
from monitor.draft.similar import STOP_WORDS
from monitor.text import straight_quotes

_LEAD_TAGS = re.compile(r"^(?:\s*(?:[@＠][\w.-]+(?:@[\w-]+(?:\.[\w-]+)+)?|/?u/[\w-]+)[,:]?)+\s*")
_TAG = re.compile(r"(?<![\w@/.])(?:[@＠][A-Za-z0-9_][\w.-]*|/?u/[\w-]+)")
# An agent's sign-off at the very end: "^JH", "*TMT", "-Sam", "~AB", "/DL" (one or more).
_SIGNOFF = re.compile(
    r"(?:\s*(?:[\^*~]\s?|\s[-–—/]\s?)[A-Z][A-Za-z]{0,11}(?:\s[A-Z]\.?)?\d?\.?\s*)+$")
# "1/2" closing a reply that went on in a second tweet: this one stops mid-thought.
_THREAD_MARK = re.compile(r"\s*\(?\d/\d\)?\s*$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# Numbers a brand gives everyone: phone numbers (seven digits or more, "1-800-I-FLY-SWA"),
# "24/7", "365".
_BRAND_NUMBER = re.compile(r"^(?:\+?[\d()\s.-]{7,}|1-800-[\w-]+|24/7|365)$")
_CURRENCY = "$£€¥₹"
_STRIP = ".,;:!?()[]{}\"'“”‘’"
MIN_WORDS = 3


@dataclass(frozen=True, slots=True)
class Post:
    """A post as re-filling sees it: its text, its author's handle and display name."""

    text: str
    author: str | None = None
    author_name: str | None = None


def _tokens(text: str) -> list[str]:
    return [t.strip(_STRIP) for t in text.split()]


def _norm_number(token: str) -> str:
    return token.lower().lstrip("#" + _CURRENCY).replace(",", "")


def _shape(token: str) -> str:
    """What kind of number a token is: an amount, a time, a code with letters, a number."""
    if token[:1] in _CURRENCY:
        return "amount"
    if ":" in token or token.lower().endswith(("am", "pm")):
        return "time"
    if any(c.isalpha() for c in token):
        return "code"
    return "number"


def _numbers(text: str) -> list[str]:
    return [t for t in _tokens(text) if any(c.isdigit() for c in t)]


def _named_numbers(text: str) -> list[tuple[str, str]]:
    """(word, number) for each number named by the word right before it ("flight 1403",
    "gate B12")."""
    tokens = _tokens(text)
    return [(before.lower(), token) for before, token in pairwise(tokens)
            if any(c.isdigit() for c in token) and before.isalpha() and len(before) >= 3]


def _first_name(name: str | None) -> str | None:
    if not name:
        return None
    first = name.strip().split()[0] if name.strip() else ""
    first = first.strip(_STRIP)
    return first if len(first) >= 2 and first.isalpha() and first[0].isupper() else None


def _names(post: Post) -> set[str]:
    """How a reply may have addressed the post's author: their display name's words and
    their handle's letters (without the @)."""
    out: set[str] = set()
    if post.author_name:
        out.update(w.strip(_STRIP) for w in post.author_name.split()
                   if len(w.strip(_STRIP)) >= 2 and w.strip(_STRIP).isalpha())
    if post.author:
        handle = post.author.strip().lstrip("@").split("@")[0]
        if len(handle) >= 3 and handle.isalpha():
            out.add(handle)
    return out


_GREETING_NAME = re.compile(
    r"\b(Hi|Hey|Hello|Dear|Howdy|Morning|Evening|Afternoon|Thanks|Thank you|Thank|Welcome)"
    r"\s+([A-Z][a-z]+)(?=\s*[,.!?]|\s*$)")
_TRAILING_NAME = re.compile(r",\s*([A-Z][a-z]+)(?=\s*[.!?,]|\s*$)")
# "sorry to hear this David, is there": a capitalised word after a lower-case one, before a
# comma, is someone addressed (a place there would have come from the old post: step 5).
_INNER_NAME = re.compile(r"(?<=[a-z] )([A-Z][a-z]+)(?=,|[?!.]$)")
_NOT_BEFORE_NAMES = frozenset((
    "the", "a", "an", "our", "your", "my", "his", "her", "their", "its", "to", "of", "for",
    "with", "in", "on", "at", "from", "by", "into", "onto", "about", "via"))
_INTERJECTIONS = frozenset(("thanks", "cheers", "congratulations", "congrats", "welcome",
                           "hi", "hello", "hey", "sorry", "yes", "no", "absolutely", "indeed"))
# Words of feeling and of service in general: a reply may use them whatever the post said.
_GENERIC = frozenset((
    "great", "good", "nice", "love", "loved", "lovely", "awesome", "amazing", "wonderful",
    "excellent", "fantastic", "brilliant", "best", "happy", "glad", "pleased", "sorry", "worst",
    "terrible", "awful", "horrible", "poor", "disappointed", "disappointing", "frustrating",
    "frustrated", "upset", "annoyed", "help", "helpful", "hear", "know", "thank", "thanks",
    "welcome", "appreciate", "enjoy", "enjoyed", "experience", "service", "team", "customer",
    "customers", "time", "today", "soon", "again", "back", "really", "much", "still", "always",
    "never", "feel", "feeling", "want", "like", "sure", "issue", "issues", "problem", "trouble",
    "please", "look", "forward", "soon", "morning", "evening", "night", "week", "day"))
# A sentence about the moment it was written ("our operation has been affected today by the
# weather", "it should be functioning correctly at this time"): another day's facts. A blind
# reading of memory drafts marked such replies wrong.
_MOMENT = re.compile(r"(?i)\b(?:today|tonight|this (?:morning|afternoon|evening)|right now|"
                     r"at (?:this|the) (?:time|moment)|currently|weather|wheels ?up|"
                     r"#wheelsup)\b")
# A sentence that leans on the one before it ("But all rules apply after that"): once that one
# went, it reads as a fragment.
_CONTINUES = re.compile(r"(?i)^(?:but|and|so(?! (?:sorry|glad|happy|pleased|sad|much|many|"
                        r"great|good|excited))|also|however|though|or|then|otherwise)\b")
# What a reply says beyond greeting and thanks: "Hi, thanks for contacting us." and "You're
# welcome." answer nothing.
_PLEASANTRIES = frozenset(("hi", "hello", "hey", "thanks", "thank", "contacting", "reaching",
                           "touch", "welcome", "tweet", "message", "note", "there", "cheers",
                           "pls", "please", "know", "you're", "youre", "us"))
MIN_CONTENT_WORDS = 1
_TITLE_ONLY = re.compile(r"^(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s*)?[A-Z][a-z]*\.?$")
_WORDISH = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _readdress(sentence: str, name: str | None, keep: set[str]) -> str:
    """The sentence with a name it addresses someone by replaced by `name` (or dropped)."""

    def greeting(m: re.Match[str]) -> str:
        if m.group(2).lower() in keep:
            return m.group(0)
        word = "Thanks" if m.group(1) == "Thank" else m.group(1)
        return f"{word} {name}" if name else word

    def trailing(m: re.Match[str]) -> str:
        if m.group(1).lower() in keep or m.group(1).lower() in STOP_WORDS:
            return m.group(0)
        return f", {name}" if name else ""

    def inner(m: re.Match[str]) -> str:
        before = sentence[:m.start()].split()
        if m.group(1).lower() in keep or (before and before[-1].lower() in _NOT_BEFORE_NAMES):
            return m.group(0)  # "thanks for the Love!", "welcome to Denver."
        return name or ""

    text = _GREETING_NAME.sub(greeting, sentence)
    return _INNER_NAME.sub(inner, _TRAILING_NAME.sub(trailing, text))


def _words(text: str) -> list[str]:
    """Content words: letters only, four or more of them, no stop words."""
    return [w for w in _WORDISH.findall(text) if len(w) >= 4 and w.lower() not in STOP_WORDS]


def _key(word: str) -> str:
    """A crude stem, so that "delayed" and "delay", "seats" and "seat" meet."""
    w = straight_quotes(word.lower())
    for suffix in ("ing", "ed", "es", "s", "'s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    return w[:6]


def strip_frame(reply: str, signatures: Iterable[str] = ()) -> str:
    """The reply without its leading @handles and its sign-off (the agent's initials or a
    configured signature)."""
    text = " ".join(reply.split())
    text = _LEAD_TAGS.sub("", text)
    for signature in signatures:
        sig = signature.strip()
        if sig and text.endswith(sig):
            text = text[: -len(sig)].rstrip()
    return _THREAD_MARK.sub("", _SIGNOFF.sub("", text)).strip()


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,.!?;:])", r"\1", " ".join(text.split()))
    text = re.sub(r"([,;:])(?=[.!?])", "", text)
    text = re.sub(r"([,;:]){2,}", r"\1", text)
    text = re.sub(r"^[\s,;:.!?-]+", "", text)
    return text[:1].upper() + text[1:] if text else text


def _replace_word(text: str, old: str, new: str | None) -> str:
    pattern = re.compile(r"(?<![\w@])" + re.escape(old) + r"(?!\w)", re.IGNORECASE)
    if new is not None:
        return pattern.sub(new, text)
    # Drop a name with the comma or greeting space that set it off: "Hi Sam, thanks" ->
    # "Hi, thanks"; "Thanks, Sam." -> "Thanks."; "Sam, we are sorry" -> "we are sorry".
    text = re.sub(r",\s*" + pattern.pattern + r"(?=[.!?,])", "", text, flags=re.IGNORECASE)
    text = re.sub(pattern.pattern + r",\s*", "", text, flags=re.IGNORECASE)
    return pattern.sub("", text)


def refill(reply: str, old: Post, new: Post, *, products: Iterable[str] = (),
           keep_words: Iterable[str] = (), signatures: Iterable[str] = ()) -> str | None:
    """The remembered `reply` (to `old`) made fit for `new`, or None when too little is left.

    `keep_words` are capitalised words that may stay although the old post had them and the
    new one has not (the brand's name, its products, its signature).
    """
    products = tuple(products)
    body = strip_frame(reply, signatures)
    if not body:
        return None
    old_details = find_details(old.text, products)
    new_details = find_details(new.text, products)
    sentences = [s for s in _SENTENCE.split(body) if s.strip()]
    drop: set[int] = set()

    # 1. Details the drafter knows how to find: order number, booking reference, product.
    handled: set[str] = set()
    for old_value, new_value in ((old_details.order_number, new_details.order_number),
                                 (old_details.booking_ref, new_details.booking_ref),
                                 (old_details.product, new_details.product)):
        if not old_value:
            continue
        handled.add(_norm_number(old_value))
        for i, sentence in enumerate(sentences):
            if old_value.lower() not in sentence.lower():
                continue
            if new_value:
                sentences[i] = _replace_word(sentence, old_value, new_value)
            else:
                drop.add(i)

    # 2. Other numbers: one from the old post is re-filled by the new post's only number of
    # the same shape, else its sentence goes; an amount the old post never gave (a refund, a
    # voucher) was about that case alone, so it goes too. Others (a phone number) stay.
    old_numbers = {_norm_number(t) for t in _numbers(old.text)}
    old_context = {_norm_number(token): word for word, token in _named_numbers(old.text)}
    new_context: dict[str, str] = {}
    for word, token in _named_numbers(new.text):
        # A word naming two different numbers names neither.
        new_context[word] = token if new_context.get(word, token) == token else ""
    new_by_shape: dict[str, list[str]] = {}
    for token in dict.fromkeys(_numbers(new.text)):
        new_by_shape.setdefault(_shape(token), []).append(token)
    for i, sentence in enumerate(sentences):
        if i in drop:
            continue
        for token in _numbers(sentence):
            key = _norm_number(token)
            if key in handled or any(key == _norm_number(v) for v in new_details.tokens()):
                continue
            if key in old_numbers:
                # The number that follows the same word in the new post ("flight 2210" for
                # "flight 1403"), else the new post's only number of the same shape.
                after = old_context.get(key)
                named = new_context.get(after or "")
                same = [named] if named else new_by_shape.get(_shape(token), [])
                if len(same) == 1:
                    sentences[i] = sentences[i].replace(token, same[0])
                    continue
                drop.add(i)
                break
            # Not from the old post: the brand's own (a phone number, "24/7") stays; any
            # other (a refund's amount, "your 10th anniversary") was about that case alone.
            if not _BRAND_NUMBER.match(token):
                drop.add(i)
                break

    # 3. The old author's names: the new author's first name in their place, or nothing.
    new_first = _first_name(new.author_name)
    for name in sorted(_names(old), key=len, reverse=True):
        for i, sentence in enumerate(sentences):
            if i not in drop and re.search(r"(?<![\w@])" + re.escape(name) + r"(?!\w)",
                                           sentence, re.IGNORECASE):
                sentences[i] = _replace_word(sentence, name, new_first)

    brand = {w.lower() for k in keep_words for w in k.split()}
    # 4. Words particular to the old post (a place, a seat, a person, a flight): a sentence
    # using a word the old post had and the new one has not was about the old case.
    old_keys = {_key(w) for w in _words(old.text)}
    new_keys = {_key(w) for w in _words(new.text)}
    for i, sentence in enumerate(sentences):
        if i in drop:
            continue
        for word in _words(sentence):
            key = _key(word)
            if (key in old_keys and key not in new_keys and word.lower() not in brand
                    and word.lower() not in _GENERIC):
                drop.add(i)
                break

    # 5. Whoever the old reply addressed by name ("Thanks, Phil!", "Hi Sarah,"), though no
    # post gave the name (it came from their profile): the new author's first name, or none.
    keep = {w.lower() for k in keep_words for w in k.split()}
    keep.update(w.lower() for w in _names(new))
    if new_first:
        keep.add(new_first.lower())
    known = keep | {w.lower() for w in _WORDISH.findall(new.text)}  # "Denver" if they said it
    for i, sentence in enumerate(sentences):
        if i not in drop:
            sentences[i] = _readdress(sentence, new_first, known)

    # 6. Any other @handle (a colleague's account, a third party) cannot be re-filled.
    for i, sentence in enumerate(sentences):
        if _TAG.search(sentence):
            drop.add(i)

    # 7. The moment the old reply was written, and what leaned on a sentence that went.
    for i, sentence in enumerate(sentences):
        if _MOMENT.search(sentence) or (_CONTINUES.match(sentence.strip()) and i - 1 in drop):
            drop.add(i)

    kept = [s for i, s in enumerate(sentences) if i not in drop]
    # A name left standing alone ("April." once "@customer" went), and a reply cut off
    # mid-sentence (a tweet split in two: "We'll pass on your comments and").
    kept = [s for s in kept if not _TITLE_ONLY.match(s.strip())
            or s.strip(" .").lower() in _GENERIC | _INTERJECTIONS]
    if kept and not re.search(r"[.!?)\]\"'”’]\W*$|[^\w\s,;:]$", kept[-1].strip()):
        last = re.findall(r"[^\W\d_]+", kept[-1].lower())
        ended = kept[-1].rstrip()[-1:] in ",;:"
        if not ended and (len(kept) > 1 or (last and last[-1] in STOP_WORDS)):
            kept.pop()  # cut off mid-sentence
        else:
            kept[-1] = kept[-1].rstrip(" ,;:-") + "."
    text = _tidy(" ".join(kept))
    if len(re.findall(r"[^\W\d_]{2,}", text)) < MIN_WORDS:
        return None
    content = [w for w in _WORDISH.findall(text.lower())
               if w not in STOP_WORDS and w not in _PLEASANTRIES and len(w) > 1]
    if len(content) < MIN_CONTENT_WORDS:
        return None
    return text
