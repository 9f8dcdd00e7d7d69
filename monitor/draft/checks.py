"""The house-style safety checks (docs reply-tone.md), run on every draft and every edit.

Each check is a pure function (text, context) -> list of violations; a violation is one short
sentence a reviewer can act on. The checks never change the text and never raise on any input:
a failing draft is queued with its violations shown, not dropped and not silently sent. Words
from the mention are never echoed in full into a violation (they may be profane).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from monitor.config import link_parts
from monitor.draft import grounding, length
from monitor.text import straight_quotes

RUN_WORDS = 6
"""A draft may not repeat this many consecutive words of the mention."""

MAX_EXCLAMATIONS = 1
ECHO_SCAN_CHARS = 2000
"""Up to this length, the echo check searches the mention's text rather than tokenising it."""

# Profanity and insults, as word stems (matched at a word start); obfuscated spellings included.
_PROFANE_STEMS = (
    r"f+[\*u@#]+c?k+\w*", r"fck\w*", r"fuk\w*", r"sh[i\*!1]t\w*", r"bullsh\w*",
    r"crap(?:py|s)?", r"damn\w*", r"bastard\w*", r"bitch\w*", r"a+ss+hole\w*",
    r"arse(?:hole)?s?", r"dick(?:s|head\w*)?", r"piss\w*", r"wtf", r"stfu", r"omfg",
    r"cunt\w*", r"wank\w*", r"twat\w*", r"bollock\w*",
    # es / fr / de / pt
    r"mierda\w*", r"joder", r"put[ao]s?", r"putain\w*", r"gilipollas", r"pendej\w*",
    r"cabr[oó]n\w*", r"merde\w*", r"connard\w*", r"salaud\w*", r"encul\w*",
    r"schei(?:ss|ß)\w*", r"arschl\w*", r"verdammt\w*", r"merda\w*", r"porra",
    r"caralho\w*", r"idiot[ae]s?", r"imb[ée]ciles?", r"estafa\w*", r"arnaque\w*",
    r"betr[üu]ger\w*", r"ladr(?:ão|ões|ones?)",
    r"idiot\w*", r"moron\w*", r"stupid\w*", r"dumb\w*", r"useless", r"pathetic",
    r"incompetent\w*", r"clowns?", r"liars?", r"scam(?:s|mers?|med|ming)?", r"thie(?:f|ves)",
    r"crooks?", r"garbage", r"trash\w*", r"rubbish", r"suck(?:s|ed|ing)?", r"hell",
)
_PROFANE_BODY = r"(?<![\w])(?:" + "|".join(_PROFANE_STEMS) + r")(?![\w])"
_DEFENSIVE_BODY = (
    r"\b(?:any inconvenience|unfortunately(?:,)? you|as per (?:our )?policy|per our policy|"
    r"calm down|you should have|as (?:we|i) (?:already )?said|not our fault|"
    r"read (?:our|the) faq|contact (?:the|our) \w+ department|fill (?:in|out) (?:the|our|a) form)"
)
_DEADLINE_BODY = (
    r"\b(?:right away|straight away|immediately|asap|in no time|"
    r"in (?:a|one|two|\d+) (?:minute|min|hour|hr)s?|"
    r"within (?:a|an|one|two|three|\d+|the next) (?:minute|min|hour|hr|day|business day|"
    r"working day|week)s?|"
    r"(?:by|later|before the end of) (?:today|tonight|tomorrow))\b"
)
_PROFANE = re.compile("(?i)" + _PROFANE_BODY)
_DEFENSIVE = re.compile("(?i)" + _DEFENSIVE_BODY)
_DEADLINE = re.compile("(?i)" + _DEADLINE_BODY)
# The same patterns without (?i), for lower-cased ASCII text (every letter in them is lower
# case). A case-blind pattern is two to three times slower in Python's re, and on ASCII text
# both give the same spans; on other text Unicode case folding differs, so the (?i) one runs.
_PROFANE_LOWER = re.compile(_PROFANE_BODY)
_DEFENSIVE_LOWER = re.compile(_DEFENSIVE_BODY)
_DEADLINE_LOWER = re.compile(_DEADLINE_BODY)
# Gates for two twins: every match of a pattern contains one of its strings, so lower-cased
# text holding none of them needs no scan (ten substring tests cost a third of a scan that
# tries the pattern at every position; for the forty-odd profanity stems they would not pay).
# Keep them in step with the patterns above: a test generates matches of each alternative
# and checks that a gate string is in every one.
_DEFENSIVE_NEEDS = ("inconvenience", "unfortunately", "policy", "calm down", "should have",
                    "said", "our fault", "faq", "department", "form")
_DEADLINE_NEEDS = ("away", "immediately", "asap", "no time", "min", "hour", "hr", "within",
                   "today", "tonight", "tomorrow")


def _may_match(lowered: str, needs: tuple[str, ...]) -> bool:
    # A plain loop: for ten short tests, a generator in any() costs more than the tests.
    for need in needs:  # noqa: SIM110
        if need in lowered:
            return True
    return False


# Other languages' forms of the defensive phrases and the deadlines (case-blind; the English
# patterns above keep their fast paths, these run as one more search).
_DEFENSIVE_INTL = re.compile(
    r"(?i)(?<!\w)(?:(?:disculpe|perdone|lamentamos) las molestias|molestias ocasionadas|"
    r"seg[úu]n nuestra pol[íi]tica|desafortunadamente usted|c[áa]lmese|no es culpa nuestra|"
    r"rellene (?:el|un) formulario|contacte con el departamento|"
    r"(?:d[ée]sagr[ée]ments?|g[êe]ne) occasionn[ée]e?s?|selon notre politique|"
    r"conform[ée]ment [àa] notre politique|malheureusement vous|calmez-vous|"
    r"pas de notre faute|remplissez (?:le|un) formulaire|"
    r"unannehmlichkeiten|gem[äa](?:ß|ss) unseren? (?:richtlinien|bedingungen)|"
    r"beruhigen sie sich|nicht unsere schuld|f[üu]llen sie das formular|"
    r"(?:transtornos?|inconvenientes?|inc[ôó]modos?) causados?|"
    r"(?:conforme|de acordo com) (?:a )?nossa pol[íi]tica|infelizmente voc[êe]|"
    r"n[ãa]o [ée] culpa nossa|preencha o formul[áa]rio)(?!\w)")
_DEADLINE_INTL = re.compile(
    r"(?i)(?<!\w)(?:de inmediato|inmediatamente|enseguida|ahora mismo|hoy mismo|"
    r"en (?:un|una|unos|unas|pocos|pocas|\d+) (?:minutos?|horas?)|"
    r"imm[ée]diatement|tout de suite|sur-le-champ|aujourd'hui m[êe]me|d'ici demain|"
    r"dans (?:une|quelques|\d+) (?:minutes?|heures?)|"
    r"sofort|umgehend|unverz[üu]glich|noch heute|bis morgen|"
    r"in (?:wenigen|einer|zwei|\d+) (?:minuten?|stunden?)|"
    r"imediatamente|de imediato|agora mesmo|ainda hoje|at[ée] amanh[ãa]|"
    r"em (?:poucos|poucas|um|uma|\d+) (?:minutos?|horas?))(?!\w)")

_DEFENSIVE_INTL_NEEDS = (
    "molestias", "pol", "calm", "culpa", "formul", "departamento", "sagr", "gêne", "gene",
    "malheureusement", "faute", "unannehmlich", "beruhig", "schuld", "transtorno",
    "inconvenient", "incômod", "incómod", "infelizmente")
_DEADLINE_INTL_NEEDS = (
    "inmediat", "enseguida", "ahora mismo", "hoy mismo", "minut", "hora", "hour", "imm",
    "tout de suite", "sur-le-champ", "aujourd", "demain", "heure", "sofort", "umgehend",
    "unverz", "noch heute", "morgen", "stunde", "imediat", "agora mesmo", "ainda hoje",
    "amanh")
"""Gates for the other languages' patterns: each of their matches holds one of these."""

_THANKS = re.compile(r"(?i)\b(?:thank|thanks|thx|cheers|grateful|appreciate|gracias|merci|"
                     r"danke|dank|obrigad|agradec|remerci)")
_SENTENCE = re.compile(r"(?<=[.;?!])\s+")
_ASK_ORDER = re.compile(r"(?i)\border\s*(?:number|no\b|nr\b|#|id\b|ref)|"
                        r"n[úu]mero de (?:pedido|orden)|num[ée]ro de commande|bestellnummer|"
                        r"n[úu]mero (?:do pedido|da encomenda)")
_ASK_BOOKING = re.compile(r"(?i)\b(?:booking|reservation|confirmation)\s*(?:ref|reference|number|"
                          r"code|no\b|#)|\breference\b|"
                          r"(?:referencia|c[óo]digo|n[úu]mero) de (?:la |tu |su )?reserva|"
                          r"localizador|(?:r[ée]f[ée]rence|num[ée]ro) de (?:votre |la )?"
                          r"r[ée]servation|buchungs(?:nummer|code|referenz)|reservierungsnummer|"
                          r"(?:c[óo]digo|n[úu]mero|refer[êe]ncia) da reserva")
_ASK_DEVICE = re.compile(r"(?i)\b(?:which|what) (?:device|phone|model)|device you|"
                         r"qu[ée] (?:dispositivo|m[óo]vil|modelo)|quel (?:appareil|mod[èe]le)|"
                         r"welches (?:ger[äa]t|modell)|qual (?:aparelho|dispositivo|modelo)")
_ASK_VERSION = re.compile(r"(?i)\bapp version|version of the app|which version|"
                          r"versi[óo]n de la app|version de l'application|app-version|"
                          r"vers[ãa]o do app")
# A reply that says a DM was sent, or that one will be: true only where the brand sends them.
# Each pattern runs only when the lower-cased text holds one of its gate strings.
_CLAIMS_DM: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("sent", "dropped", "messaged"), re.compile(
        r"(?i)\b(?:we|i)(?:'ve| have)?\s+(?:just |already )?(?:sent|dropped|messaged)\s+"
        r"(?:you\s+)?(?:a\s+|an\s+)?(?:dm|direct message|private message|message)\b")),
    (("dm you", "message you", "send you a"), re.compile(
        r"(?i)\b(?:we|i)(?:'ll| will)\s+(?:send you an? (?:dm|direct message|private message)|"
        r"dm you|message you)\b")),
    (("check your",), re.compile(r"(?i)\bcheck your (?:dms|direct messages|inbox)\b")),
    (("on its way", "on the way"), re.compile(
        r"(?i)\ban? (?:dm|direct message) is on (?:its|the) way\b")),
    (("d you",), re.compile(r"(?i)\b(?:we|i)(?:'ve| have) dm'?e?d you\b")),
    (("enviado", "mandado", "escrito", "revisa tus"), re.compile(
        r"(?i)(?:te|le|os) (?:hemos|he) (?:enviado|mandado|escrito) (?:un )?(?:mensaje|md|dm)|"
        r"revisa tus (?:mensajes|md|dm)")),
    (("envoy", "crit"), re.compile(
        r"(?i)(?:nous vous avons|je vous ai) (?:envoy[ée]|[ée]crit) (?:un )?(?:message|mp|dm)")),
    (("haben ihnen", "habe ihnen", "haben dir", "habe dir", "haben euch"), re.compile(
        r"(?i)(?:wir haben|ich habe) (?:ihnen|dir|euch) (?:eine )?"
        r"(?:direktnachricht|nachricht|dm|pn)")),
    (("enviamos", "mandamos", "enviámos"), re.compile(
        r"(?i)(?:te |lhe )?(?:enviamos|mandamos|envi[áa]mos) (?:uma )?(?:mensagem|dm|direct)")),
)
_ASKS_CONTACT = re.compile(
    r"(?i)(?<!\w)(?:e-?mail|correo(?: electr[óo]nico)?|courriel|adresse (?:e-)?mail|"
    r"phone number|n[úu]mero de (?:tel[ée]fono|telefone|celular|m[óo]vil)|"
    r"num[ée]ro de t[ée]l[ée]phone|telefonnummer|handynummer)(?!\w)")
_CONTACT_NEEDS = ("mail", "correo", "courriel", "phone", "tel", "handy")
"""Every match of `_ASKS_CONTACT` holds one of these (lower-cased)."""
_ASKING = re.compile(
    r"(?i)(?<!\w)(?:reply|send|share|tell|give|provide|post|confirm|let us know|what is|"
    r"what's|could you|can you|env[ií]a\w*|p[aá]sa\w*|dinos|ind[ií]ca\w*|responde\w*|"
    r"envoyez|indiquez|donnez|r[ée]pondez|communiquez|schicken|senden|nennen|antworten|"
    r"geben|mande|envie|manda|informe|responda|diga)(?!\w)")
_PRIVATE_CHANNEL = re.compile(
    r"(?i)(?<!\w)(?:dms?|direct(?:ly)? message|private(?:ly)?|in private|mensaje (?:directo|"
    r"privado)|por privado|md|mp|message priv[ée]|en priv[ée]|direktnachricht|private "
    r"nachricht|pn|mensagem (?:direta|privada)|inbox)(?!\w)")
_NEGATED = re.compile(r"(?i)(?<!\w)(?:do not|don't|never|nunca|jam[aá]is|pas|nicht|niemals|"
                      r"keine?|n[ãa]o)(?!\w)")
# The "not after a word, @, / or ." test sits after the "@" (looking back two characters), so
# that the pattern starts with a literal and the search jumps from one "@" to the next.
_TAG = re.compile(
    r"@(?<![\w@/.]@)[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"
    r"(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?"
)
_REDDIT_TAG = re.compile(r"(?<![\w/])/?u/[A-Za-z0-9_-]+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_LETTERS = re.compile(r"[^\W\d_]+")
ACRONYMS = frozenset({"DM", "DMs", "FAQ", "PIN", "SMS", "ID", "UK", "EU", "USA", "URL", "OK",
                      "TV", "PC", "GPS", "NFC", "USB", "LED", "CEO", "HQ", "UPS", "DHL",
                      "MD", "MP", "PN", "iOS", "PS4", "PS5", "SAC", "CTT"})
_ACRONYMS_UPPER = frozenset(a.upper() for a in ACRONYMS)
_NOT_ASCII_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_ASCII_DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class CheckContext:
    """What the checks need to know about the mention and the brand."""

    platform: str
    author_tag: str | None = None
    mention_text: str = ""
    allowed_links: tuple[str, ...] = ()
    allowed_caps: frozenset[str] = field(default_factory=frozenset)
    response_window: str | None = None
    order_number: str | None = None
    booking_ref: str | None = None
    device: str | None = None
    app_version: str | None = None
    # The topic the classifier found the post's own words for (its evidence), if any.
    evidence_topic: str | None = None
    # Whether the brand really sends DMs (else a reply may not say one was sent).
    brand_sends_dm: bool = False
    # Text the brand configured that a reply may quote (the incident summary).
    exempt: tuple[str, ...] = ()

    @cached_property
    def _mention_word_list(self) -> tuple[str, ...]:
        return _mention_words(self.mention_text)

    @cached_property
    def mention_lower(self) -> str:
        """The mention as `_words` reads it (lower case, straight apostrophes): each of its
        words is a substring of this, which makes a cheap first test before tokenising."""
        return _fold(self.mention_text)

    @cached_property
    def mention_vocabulary(self) -> frozenset[str]:
        """Every distinct word of the mention (computed once: a mention may be a megabyte)."""
        return _mention_vocabulary(self.mention_text)

    @cached_property
    def mention_words(self) -> str:
        """The mention's words, lower-cased and space-separated, with a space at each end."""
        return " " + " ".join(self._mention_word_list) + " "

    @cached_property
    def mention_runs(self) -> frozenset[tuple[str, ...]]:
        """Every run of RUN_WORDS consecutive words of the mention: a set, so that testing a
        run of the draft costs the same however long the mention is. (Equivalent to finding
        the run, space-joined, in `mention_words`: words hold no spaces.)"""
        words = self._mention_word_list
        return frozenset(tuple(words[i:i + RUN_WORDS])
                         for i in range(len(words) - RUN_WORDS + 1))

    @cached_property
    def stated_topics(self) -> frozenset[str]:
        """The topics the post states: in its own words, or by the classifier's evidence."""
        topics = grounding.post_topics(self.mention_text)
        if self.evidence_topic:
            topics = topics | {self.evidence_topic}
        return topics

    @cached_property
    def loud_allowed(self) -> frozenset[str]:
        """Upper-cased words this context lets stand in capitals (brand words, the details);
        the acronyms every context allows are in `_ACRONYMS_UPPER`, not copied here."""
        details = [d.upper() for d in (self.order_number, self.booking_ref) if d]
        return frozenset([a.upper() for a in self.allowed_caps] + details)


Check = Callable[[str, CheckContext], list[str]]


def check_empty(text: str, ctx: CheckContext) -> list[str]:
    body = text.replace(ctx.author_tag, "") if ctx.author_tag else text
    return [] if _WORD.search(body) else ["The reply says nothing; write a reply."]


def check_length(text: str, ctx: CheckContext) -> list[str]:
    out: list[str] = []
    used, most = length.count(text, ctx.platform), length.limit(ctx.platform)
    if used > most:
        out.append(f"Too long for {ctx.platform}: {used} of {most} characters as it counts them; "
                   "shorten it.")
    bytes_most = length.byte_limit(ctx.platform)
    if bytes_most is not None and len(text.encode("utf-8", "surrogatepass")) > bytes_most:
        out.append(f"Too long for {ctx.platform}: more than {bytes_most} bytes; shorten it.")
    return out


def _norm_handle(tag: str) -> str:
    tag = tag.strip().lower()
    for prefix in ("/u/", "u/", "@"):
        if tag.startswith(prefix):
            return tag[len(prefix):]
    return tag


def check_tags(text: str, ctx: CheckContext) -> list[str]:
    author = _norm_handle(ctx.author_tag) if ctx.author_tag else None
    others: list[str] = []
    # A Reddit tag needs "u/": without one, that (slow, unanchored) search is skipped.
    for pattern in (_TAG, _REDDIT_TAG) if "u/" in text else (_TAG,):
        for match in pattern.finditer(text):
            tag = match.group(0)
            if _norm_handle(tag) != author and tag not in others:
                others.append(tag)
    if not others:
        return []
    return [f"Tags {', '.join(others[:3])}, not the author; tag only the author."]


def _allowed(url: str, allowed: Sequence[str]) -> bool:
    host, path = link_parts(url)
    for ok in allowed:
        ok_host, ok_path = link_parts(ok)
        if host and host == ok_host and (path == ok_path or path.startswith(ok_path + "/")):
            return True
    return False


def check_links(text: str, ctx: CheckContext) -> list[str]:
    links = [text[s:e] for s, e in length.url_spans(text)]
    bad = [link for link in links if not _allowed(link, ctx.allowed_links)]
    if not bad:
        return []
    shown = ", ".join(b if len(b) <= 40 else b[:39] + "…" for b in bad[:3])
    return [f"Links to {shown}, which is not a configured link (support or status page); "
            "remove it."]


def _mask(word: str) -> str:
    return word[0] + "*" * max(1, len(word) - 2) + (word[-1] if len(word) > 2 else "")


def check_profanity(text: str, ctx: CheckContext) -> list[str]:
    # The customer's own handle is theirs to choose ("@SUCK"): only our words are checked.
    if ctx.author_tag:
        text = text.replace(ctx.author_tag, " ")
    if text.isascii():
        found = sorted({m.group(0) for m in _PROFANE_LOWER.finditer(text.lower())})
    else:
        found = sorted({m.group(0).lower() for m in _PROFANE.finditer(text)})
    if not found:
        return []
    return [f"Contains profanity or an insult ({', '.join(_mask(w) for w in found[:3])}); "
            "a reply never repeats one."]


def _fold(text: str) -> str:
    return straight_quotes(text.lower())


_ASCII_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
# Bytes that can be part of an ASCII word (lower-case letters, digits, the apostrophe) stay;
# every other byte becomes a space.
_WORD_BYTES = bytes(b if chr(b) in "abcdefghijklmnopqrstuvwxyz0123456789'" else 0x20
                    for b in range(256))


def _words(text: str) -> list[str]:
    """The words of `text`, lower-cased: `_WORD` matches of the folded text."""
    if not text.isascii():
        return _WORD.findall(_fold(text))
    # ASCII: `_WORD` is [a-z0-9]+ joined by single apostrophes. A bytes translation and a
    # split find the same words several times faster; only a chunk holding an apostrophe
    # needs the pattern (to drop stray apostrophes), and no match crosses chunks.
    chunks = text.lower().encode("ascii").translate(_WORD_BYTES).decode("ascii").split()
    if "'" not in text:
        return chunks
    out: list[str] = []
    for chunk in chunks:
        if "'" in chunk:
            out.extend(_ASCII_WORD.findall(chunk))
        else:
            out.append(chunk)
    return out


# A context is built per case and wording, so one mention is tokenised again and again
# (`templates check` builds 180 for its megabyte sample, one after another); its words are
# kept for the last two mentions only, since a megabyte mention's words take about 12 MB.
@lru_cache(maxsize=2)
def _mention_words(text: str) -> tuple[str, ...]:
    return tuple(_words(text))


@lru_cache(maxsize=2)
def _mention_vocabulary(text: str) -> frozenset[str]:
    return frozenset(_mention_words(text))


def check_echo(text: str, ctx: CheckContext) -> list[str]:
    if not ctx.mention_text:
        return []
    draft_words = _words(text)
    if len(draft_words) < RUN_WORDS:
        return []
    # One pass: count how many words in a row (so far) the mention also has; only a window of
    # RUN_WORDS such words can be a repeat, and only then is the set of runs consulted.
    # Windows are tried left to right, so the first repeat found is the one reported.
    # For a short mention "has" is tested on its text (a necessary condition for being one of
    # its words, with no tokenising); a long one is tokenised once, so that each test stays
    # O(1) however many drafts are checked against it.
    has: Container[str] = (ctx.mention_lower if len(ctx.mention_text) <= ECHO_SCAN_CHARS
                           else ctx.mention_vocabulary)
    in_row = 0
    for end, word in enumerate(draft_words, start=1):
        in_row = in_row + 1 if word in has else 0
        if in_row < RUN_WORDS:
            continue
        start = end - RUN_WORDS
        if tuple(draft_words[start:end]) in ctx.mention_runs:
            shown = " ".join(draft_words[start:start + 3])
            return [f"Repeats {RUN_WORDS}+ words of the mention in a row (\"{shown} …\"); "
                    "say it in our own words."]
    return []


def _loud_ok(word: str, ctx: CheckContext) -> bool:
    return word in _ACRONYMS_UPPER or word in ctx.loud_allowed


_JOINED = re.compile(r"[a-z][.!?][A-Z][a-z]")


def check_spacing(text: str, ctx: CheckContext) -> list[str]:
    """Two sentences run together ("Good question.Send us a DM"): a template whose block tag
    ate the line break, or a slip in an edit. Handles and links are left alone."""
    for word in text.split():
        if word.startswith(("@", "u/", "/u/")) or "://" in word or word.lower().startswith("www."):
            continue
        if (found := _JOINED.search(word)) is not None:
            return [f"No space between two sentences: \"{word}\"; add one after the "
                    f"\"{found.group(0)[1]}\"."]
    return []


def check_shouting(text: str, ctx: CheckContext) -> list[str]:
    loud: list[str] = []
    run = 0
    for word in text.split():
        ascii_word = word.isascii()
        if ascii_word and not word.isupper():
            # An ASCII word with a lower-case letter, or with no letter at all, is not in
            # capitals: the same outcome as the full test below, without its regex.
            run = 0
            continue
        if word.startswith(("@", "u/", "/u/")) or "://" in word or word.lower().startswith("www."):
            run = 0  # handles and links are names, whatever their case
            continue
        if ascii_word:
            # Same values as below for ASCII: the letters are A-Z (all capitals, as the word
            # passed isupper), and the digits are 0-9.
            letters = word.encode("ascii").translate(None, _NOT_ASCII_LETTERS).decode("ascii")
            is_caps = len(letters) >= 2 and _ASCII_DIGITS.isdisjoint(word)
        else:
            letters = "".join(_LETTERS.findall(word))
            is_caps = (len(letters) >= 2 and letters.isupper()
                       and not any(c.isdigit() for c in word))
        core = word.strip(".,;:!?()\"'")
        if not is_caps or _loud_ok(core.upper(), ctx) or _loud_ok(letters.upper(), ctx):
            run = 0
            continue
        run += 1
        if len(letters) >= 4 or run >= 2:
            loud.append(core)
    if not loud:
        return []
    return [f"Shouts in capitals ({' '.join(loud[:3])}); write in sentence case."]


def check_exclamations(text: str, ctx: CheckContext) -> list[str]:
    n = text.count("!") + text.count("！")
    if n > MAX_EXCLAMATIONS:
        return [f"Has {n} exclamation marks; use at most one, and only in a thank-you."]
    if n == 1 and not _THANKS.search(text):
        return ["Has an exclamation mark outside a thank-you; end with a full stop."]
    return []


def check_asks_again(text: str, ctx: CheckContext) -> list[str]:
    """Never ask for something they already told us: a sentence about the order number,
    booking reference, device or app version must name the one they gave."""
    out: list[str] = []
    for given, pattern, what in ((ctx.order_number, _ASK_ORDER, "order number"),
                                 (ctx.booking_ref, _ASK_BOOKING, "booking reference"),
                                 (ctx.device, _ASK_DEVICE, "device"),
                                 (ctx.app_version, _ASK_VERSION, "app version")):
        if not given:
            continue
        for sentence in _SENTENCE.split(text):
            if pattern.search(sentence) and given.lower() not in sentence.lower():
                out.append(f"Asks about the {what} they already gave ({given}); "
                           "name it instead of asking for it.")
                break
    return out


def check_defensive(text: str, ctx: CheckContext) -> list[str]:
    match: re.Match[str] | None
    if text.isascii():
        lowered = text.lower()
        match = (_DEFENSIVE_LOWER.search(lowered) if _may_match(lowered, _DEFENSIVE_NEEDS)
                 else None)
    else:
        match = _DEFENSIVE.search(text)
    if not match and _may_match(text.lower(), _DEFENSIVE_INTL_NEEDS):
        match = _DEFENSIVE_INTL.search(text)
    if not match:
        return []
    # The phrase as written (the span is the same in the lower-cased ASCII copy).
    phrase = text[match.start():match.end()]
    return [f"Sounds defensive or sends them elsewhere (\"{phrase}\"); "
            "own it plainly and offer one easy next step."]


def check_deadline(text: str, ctx: CheckContext) -> list[str]:
    window = (ctx.response_window or "").strip().lower()
    lowered = text.lower()
    matches: list[re.Match[str]] = []
    if text.isascii():
        if _may_match(lowered, _DEADLINE_NEEDS):
            matches = list(_DEADLINE_LOWER.finditer(lowered))
    else:
        matches = list(_DEADLINE.finditer(text))
    if _may_match(lowered, _DEADLINE_INTL_NEEDS):
        matches += _DEADLINE_INTL.finditer(text)
    for match in matches:
        if window and window in lowered:
            start = lowered.find(window)
            while start != -1:
                if start <= match.start() and match.end() <= start + len(window):
                    break
                start = lowered.find(window, start + 1)
            if start != -1:
                continue
        promise = text[match.start():match.end()]  # as written, not lower-cased
        return [f"Promises \"{promise}\"; give no deadline unless the brand configured "
                "one, and then that one."]
    return []


def check_grounded(text: str, ctx: CheckContext) -> list[str]:
    """Never invent: a word that names a topic (a charge, a parcel, signing in, a booking, an
    outage...) needs that topic stated in the post, in its words or the classifier's evidence."""
    if not grounding.reply_topic_words(text):
        return []  # most replies name no topic at all: nothing more to look at
    # Links and handles are names, not words about a problem.
    body = text
    for start, end in reversed(length.url_spans(text)):
        body = body[:start] + " " + body[end:]
    if "@" in body or "u/" in body:
        body = _REDDIT_TAG.sub(" ", _TAG.sub(" ", body))
    for quoted in ctx.exempt:
        if quoted.strip():
            body = re.sub(re.escape(quoted.strip()), " ", body, flags=re.IGNORECASE)
    found = grounding.reply_topic_words(body)
    if not found:
        return []
    invented: list[str] = []
    for topics, word in found:
        named = f'"{word}" ({", ".join(sorted(topics))})'
        if ctx.stated_topics.isdisjoint(topics) and named not in invented:
            invented.append(named)
    if not invented:
        return []
    return [f"Names a problem the post does not state: {', '.join(invented[:3])}; use general "
            "words, or the post's own."]


def check_claims(text: str, ctx: CheckContext) -> list[str]:
    """Never claim an action nobody took: "we have sent you a DM" only where the brand does."""
    if ctx.brand_sends_dm:
        return []
    lowered = text.lower()
    match = None
    for gates, pattern in _CLAIMS_DM:
        if _may_match(lowered, gates) and (match := pattern.search(text)) is not None:
            break
    if match is None:
        return []
    return [f"Says \"{match.group(0)}\", but nobody sends DMs for this brand; invite them to "
            "send one instead (or set [replies] brand_sends_dm)."]


def check_private(text: str, ctx: CheckContext) -> list[str]:
    """An e-mail address or phone number is asked for by DM, never in public."""
    if not _may_match(text.lower(), _CONTACT_NEEDS):
        return []
    for sentence in _SENTENCE.split(text):
        if (_ASKS_CONTACT.search(sentence) and _ASKING.search(sentence)
                and not _PRIVATE_CHANNEL.search(sentence) and not _NEGATED.search(sentence)):
            return ["Asks for an e-mail address or phone number in public; ask for it by DM."]
    return []


CHECKS: tuple[Check, ...] = (
    check_empty, check_length, check_tags, check_links, check_profanity, check_echo,
    check_shouting, check_exclamations, check_defensive, check_deadline, check_asks_again,
    check_grounded, check_private, check_spacing,
)
"""The checks on every reply text, drafted or edited. `check_claims` runs on drafts only
(TemplateDrafter.draft_violations): a reviewer may really have sent the DM their edit
mentions."""


def run_checks(text: str, ctx: CheckContext) -> tuple[str, ...]:
    """Every violation of the house rules in `text`, in a stable order; () if it is safe."""
    out: list[str] = []
    for check in CHECKS:
        out.extend(check(text, ctx))
    return tuple(out)
