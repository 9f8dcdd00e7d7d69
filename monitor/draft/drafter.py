"""The reply drafter: picks a template and a wording for a mention, renders it in the sandbox,
adds the author's handle and the signature, and runs the safety checks.

Which template: the post's language (English at the top of the templates folder, es / fr / de /
pt under `lang/<code>/`; any other language gets no draft, only the mark "Reply by hand"), then
`uncertain/default` when the label's confidence is under the threshold, an incident notice when
one covers the post, the label's file for the topic when the classifier's evidence (the post's
own words) backs the topic, and otherwise the label's topic-neutral file.

Choosing is deterministic per mention (a hash of platform and external id picks the wording)
and varies across mentions. An unsafe result is returned with its violations, never raised and
never hidden; a template that fails to render gives an empty draft whose violation says why.
This module does no I/O after it is built and keeps no mutable state.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from monitor import senses
from monitor.config import BrandSettings, IncidentSettings, RepliesSettings
from monitor.draft import diagnose, grounding, length, reading
from monitor.draft.checks import CheckContext, check_claims, run_checks
from monitor.draft.details import SCAN_CHARS, Details, author_tag, find_details
from monitor.draft.loader import TemplateFile, TemplateLibrary
from monitor.errors import TemplateNotFound
from monitor.model import (
    CHECK_LABEL_BELOW,
    CLEARLY_POSITIVE,
    TOPICS,
    Classification,
    Draft,
    Label,
    Mention,
)
from monitor.text import straight_quotes

SHORT_LIMIT = 300
"""Networks whose limit is at or below this prefer a `.short` file when one exists."""
# A refund the post asks for is its wish, not its problem.
_ASKED_FOR = frozenset({"your refund"})
_ASKS_FOR_IT = re.compile(r"(?i)\b(?:want|like|need|get|request(?:ing)?|give me|demand)\b"
                          r"(?: \w+){0,2} (?:a |my |the )?refund|"
                          # "we would prefer a version not corrupted, or a refund"
                          r"\bprefer(?: \w+){0,5} (?:a |the )?refund|"
                          r"\b(?:ask(?:ed|ing)?|apply|applied|applying|eligible) for a refund")
# A parcel with no order behind it in the post (perhaps a courier's customer): its reference may
# be a tracking number; a reading marked "your order number" to a courier's customer as the
# wrong identifier.
_PARCEL = re.compile(r"(?i)\b(?:package|parcel|shipment|tracking|courier|signed for)s?\b")
_ORDER = re.compile(r"(?i)\b(?:order(?:s|ed)?|bought|purchased?)\b")
# The customer says they have already written to us in private: asking them to "send us a DM"
# asks again for what they did (a reading marked that wrong), so the invitation becomes a
# reply in their DM.
_DM_SENT = re.compile(
    r"(?i)\b(?:i(?:'ve|’ve| have)?|we(?:'ve|’ve| have)?) (?:already |just )?(?:"
    r"sent\b[^.!?\n]{0,25}?\b(?:dms?|pms?|direct messages?|private messages?|inbox)\b|"
    r"(?:dm'?e?d|pm'?e?d|messaged|inboxed) (?:you|y'?all|u)\b)|"
    r"\b(?:check|see|read|answer|reply to|respond to) (?:my|your) (?:dms?|inbox|pms?)\b|"
    # With no "I" before it: "need help! Sent a DM and no one has replied yet" (a reading
    # marked "send us a DM" there as asking for a DM they had already sent).
    r"(?:^|[.!?]\s*|\bhelp\W+)sent (?:you |y'?all |u )?(?:a |an |my |the )?"
    r"(?:dms?|pms?|direct messages?|private messages?)\b")
DM_SENT_WORDING = "Reply in your DM to us"
BY_HAND = "by_hand"
"""The template name of a draft that was not written: `by_hand/<language code>`."""
BY_HAND_MARK = "Reply by hand"
"""How the violation of such a draft starts: "Reply by hand: Japanese. ..."."""
CONCERN = "fix_request/concern"
"""The template for a fix-request about what the brand allows rather than the customer's case."""
UNCERTAIN = "uncertain/default"
"""The template for a label the classifier was not sure of (under `check_below`)."""
_PUNCT = ".,;:!?"
"""Punctuation that `assemble` never lets a space stand before."""


def _strip_cap(word: str) -> str:
    """A word as the shouting check compares it: without a signature caret or punctuation."""
    return word.strip("^-–—.,()")


# What an admin's template code can raise while it renders (Jinja's own errors, and Python's
# from expressions such as range(10**7), 1/0 or "a" + 1): all become a failed draft.
TEMPLATE_FAILURES = (jinja2.TemplateError, ArithmeticError, TypeError, ValueError,
                     LookupError, AttributeError, MemoryError, RecursionError)


def network_of(mention: Mention) -> str:
    """The network a reply goes to: the platform, or for demo mentions the one they imitate."""
    platform = mention.platform.strip().lower()
    if platform == "demo":
        network = mention.raw.get("network") if mention.raw else None
        if isinstance(network, str) and network.strip():
            return network.strip().lower()
    return platform


FOLLOW_UP = "incident/resolved"


def stable_index(mention: Mention) -> int:
    """A number fixed for this mention (not Python's salted hash: stable across processes)."""
    key = f"{mention.platform}\x1f{mention.external_id}".encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big")


NEGATIVE_BELOW = -0.05
"""A neutral post with a VADER compound at or under this (VADER's own line for negative), or
any problem evidence, keeps the "if anything needs sorting out" wording rather than a
thank-you: a neutral label on a complaint is the classifier's likeliest miss."""
WARM_FROM = 0.4
"""VADER compound from which a post whose uncertain label's best guess is praise or chatter
reads upbeat: no apology; and, when it names no problem, a plain thank-you (19 of 25 such
tune-half posts were praise or chatter; with a named problem, 3 of 6, so those get the
neutral offer of help). A praise reading needs only a tone that is not negative."""

_BARE_NOISE = re.compile(r"(?i)@\w+|#\w+|https?://\S+|[^\w\s]")
_OPENERS = frozenset({"hi", "hey", "hello", "yo", "hiya", "help", "please", "i", "have", "a",
                      "question", "quick", "need", "some", "you", "there", "guys", "team",
                      "dm", "me", "can", "someone", "anyone", "urgent", "pls", "plz",
                      "just", "assist", "assistance", "could", "with", "something", "u",
                      "answer", "ask", "got", "one"})


def says_nothing_yet(text: str) -> bool:
    """Whether a post says nothing yet but "hello" or "I have a question" (handles, tags and
    links aside): it gets an open "how can we help?", not a thank-you for sharing."""
    words = _BARE_NOISE.sub(" ", text[:SCAN_CHARS]).lower().split()
    return not words or all(w in _OPENERS for w in words)


def evidence_of(mention: Mention, classification: Classification) -> tuple[str, ...]:
    """The classifier's evidence for its topic that the post really holds and that the
    never-invent check reads the same way (so that a draft built on it passes that check on
    the post alone, as every edit and publish re-check runs it), minus words the post rules
    out ("it's not my internet"); () when the topic is "other", unknown or only guessed."""
    topic = classification.topic
    if topic not in TOPICS or topic == "other" or not classification.evidence:
        return ()
    head = mention.text[:SCAN_CHARS]
    # The classifier's topic already leaves such words out; items classified before it did,
    # and other classifiers, may still carry them.
    return tuple(w for w in grounding.evidence_in(mention.text, classification.evidence)
                 if topic in grounding.post_topics(w) and not senses.ruled_out(w, head))


def incident_applies(incident: IncidentSettings, mention: Mention,
                     classification: Classification) -> bool:
    """Whether a widespread-problem notice covers this fix-request (a keyword in the post, or
    its topic when the post's words back the topic, never a guessed one; an incident with
    neither topics nor keywords covers every fix-request)."""
    if not incident.active or classification.label.value not in incident.labels:
        return False
    keywords = [k.strip().lower() for k in incident.keywords if k.strip()]
    if not incident.topics and not keywords:
        return True
    if classification.topic in incident.topics and evidence_of(mention, classification):
        return True
    text = mention.text[:SCAN_CHARS].lower()
    return any(k in text for k in keywords)


@dataclass(frozen=True)
class Rendered:
    text: str
    template: TemplateFile
    wording: int
    error: str | None = None


@dataclass(frozen=True)
class Choice:
    """The template chosen for a mention: its base name and the files to try in order, or,
    when nothing can be drafted, `by_hand` (the reason, for the draft's violation)."""

    base: str
    forms: tuple[TemplateFile, ...]
    language: str
    evidence: tuple[str, ...] = ()
    by_hand: str | None = None
    said: reading.Reading | None = None  # the post's signs, when choosing needed them


class TemplateDrafter:
    """Drafts replies from one template library and one brand's settings."""

    def __init__(self, *, brand: BrandSettings, replies: RepliesSettings,
                 incident: IncidentSettings, library: TemplateLibrary,
                 check_below: float = CHECK_LABEL_BELOW,
                 status_links: tuple[str, ...] = ()) -> None:
        self.brand = brand
        self.replies = replies
        self.incident = incident
        self.library = library
        self.check_below = check_below
        self._bases = {f.base for f in library.files()}
        # The brand's part of the allowed capitalised words and links is the same for every
        # mention: worked out once here, so `check_context` only adds the mention's details.
        caps = {*brand.name.split(), *replies.signature.split()}
        for product in brand.products:
            caps.update(product.split())
        for handle in brand.handles:
            caps.add(handle.lstrip("@"))
        self._brand_caps = frozenset(_strip_cap(c) for c in caps if c)
        self._links = tuple(u for u in (replies.support_url, replies.status_url,
                                        incident.status_url, *status_links) if u)
        for label in Label:
            if not self._bases_for("", label.value, None, incident=False, uncertain=False):
                raise TemplateNotFound(f"no reply template for {label.value}: add "
                                       f"{label.value}/default.j2 to the templates folder")

    # --- choosing ----------------------------------------------------------------------------

    def _bases_for(self, prefix: str, label: str, topic: str | None, *, incident: bool,
                   uncertain: bool) -> list[str]:
        """Candidate bases, best first; `topic` is None unless the post's words back it."""
        candidates: list[str] = []
        if uncertain:
            candidates.append(UNCERTAIN)
        elif incident:
            if topic:
                candidates.append(f"incident/{topic}")
            candidates.append("incident/default")
        if topic:
            candidates.append(f"{label}/{topic}")
        candidates += [f"{label}/default", f"{label}/other"]
        return [prefix + b for b in candidates if prefix + b in self._bases]

    def language(self, classification: Classification) -> str:
        """The language a draft is written in: the classifier's, with "und" (undetermined)
        drafted in English, the brand's own."""
        code = grounding.language_code(classification.language)
        return "en" if code == "und" else code

    def _forms(self, base: str, network: str) -> list[TemplateFile]:
        names = [f"{base}.{network}"]
        if length.limit(network) <= SHORT_LIMIT:
            names.append(f"{base}.short")
        names += [base, f"{base}.short"]
        out: list[TemplateFile] = []
        for name in names:
            found = self.library.get(name)
            if found is not None and all(f is not found for f in out):
                out.append(found)
        return out

    def choose(self, mention: Mention, classification: Classification,
               incident: IncidentSettings | None = None, details: Details | None = None
               ) -> Choice:
        """The template for this mention, or why it gets none (another language). `details`:
        the mention's, when the caller has scanned them already."""
        language = self.language(classification)
        if language not in grounding.DRAFTED_LANGUAGES:
            name = grounding.language_name(language)
            drafted = ", ".join(grounding.language_name(c) for c in grounding.DRAFTED_LANGUAGES)
            return Choice(base=f"{BY_HAND}/{language}", forms=(), language=language,
                          by_hand=f"{BY_HAND_MARK}: {name}. Drafts are written only in "
                                  f"{drafted}.")
        prefix = "" if language == "en" else f"lang/{language}/"
        evidence = evidence_of(mention, classification)
        topic = classification.topic if evidence else None
        active = incident if incident is not None else self.incident
        use_incident = incident_applies(active, mention, classification)
        uncertain = classification.confidence < self.check_below
        bases = self._bases_for(prefix, classification.label.value, topic,
                                incident=use_incident, uncertain=uncertain)
        said = None
        if (bases and bases[0].startswith(f"{Label.FIX_REQUEST.value}/") and language == "en"
                and CONCERN in self._bases):
            said = reading.read(mention.text[:SCAN_CHARS])
            if said.concern and not (details or find_details(mention.text,
                                                             self.brand.products)).order_number:
                # A demand about what the brand allows ("stop enabling price gouging", "shut
                # the sellers down"), not a fault of the customer's own: tune readings marked
                # "what do you see: an error?" and "the date and amount of the charge" there
                # wrong.
                bases = [CONCERN, *bases]
        if not bases:
            name = grounding.language_name(language)
            return Choice(base=f"{BY_HAND}/{language}", forms=(), language=language,
                          by_hand=f"{BY_HAND_MARK}: {name}. There is no "
                                  f"{classification.label.value} template in {name}.")
        forms = tuple(self._forms(bases[0], network_of(mention)))
        return Choice(base=bases[0], forms=forms, language=language, evidence=evidence,
                      said=said)

    # --- rendering ---------------------------------------------------------------------------

    def context(self, mention: Mention, classification: Classification, *,
                incident: IncidentSettings | None = None, details: Details | None = None,
                choice: Choice | None = None) -> dict[str, Any]:
        """Everything a template may use. Mention text is here as data only; the phrases
        (`problem`, `praised`) come from tables, picked by words the post holds."""
        network = network_of(mention)
        # The patterns read straight apostrophes; phones type "can’t" (a fifth of real posts).
        head = straight_quotes(mention.text[:SCAN_CHARS])
        active = incident if incident is not None else self.incident
        found = details or find_details(mention.text, self.brand.products)
        if choice is None:
            language = self.language(classification)
            evidence = evidence_of(mention, classification)
            said = reading.read(head)
        else:
            language, evidence = choice.language, choice.evidence
            said = choice.said or reading.read(head)
        topic = classification.topic if evidence else None
        need = grounding.need_for(topic, mention.text, order_number=found.order_number,
                                  booking_ref=found.booking_ref, device=found.device,
                                  app_version=found.app_version)
        # Lost property, a process, a report: no device, version or message moves it.
        settled = language == "en" and diagnose.nothing_to_diagnose(head)
        given = diagnose.error_given(head)
        if ((need == "booking_ref" or (classification.label is Label.QUESTION
                                       and need == "order_number"))
                and not said.own_reference):
            # Only "my booking" has a reference to give: a general question ("do you do group
            # flight bookings?") or a fix-request about fares ("different ticket availability
            # and different journeys") has none, and readings marked asking for one wrong.
            need = ""
        elif need == "app_details" and settled:
            need = ""  # a lost phone: "which app version?" was marked wrong by a tune reading
        problem = grounding.problem_phrase(language, evidence)
        if problem in _ASKED_FOR and _ASKS_FOR_IT.search(head):
            # "if I can't download it I'd like a refund": the refund is what they ask for, not
            # what went wrong (a blind reading marked "sorry about the trouble with your
            # refund" as a misreading).
            problem = ""
        ask = (None if said.hurt  # someone hurt: no diagnostic question first
               else self._ask(classification, language, need, mention, found.device))
        compound = classification.sentiment.compound
        # A praise reading in a level tone counts too: "Shout out to you for a flight that lands
        # right on time so I won't miss the game" scores below WARM_FROM, and readings marked
        # the apology an uncertain praise label then drew ("sorry your flight has been a
        # hassle") wrong. Only a glad one gets the thank-you alone (`warm`, below).
        glad = compound >= WARM_FROM and classification.label in (Label.PRAISE, Label.NEUTRAL)
        upbeat = glad or (compound > NEGATIVE_BELOW and classification.label is Label.PRAISE)
        # Chatter in a level tone (a photo, news, "reached third tier") with nothing asked
        # or wrong: the thank-you alone too. Tune readings marked "anything we can help with,
        # just reply here" under such posts as offering help nobody asked for; of the tune
        # half's posts labelled neutral in that tone with no topic named, 35 of 47 were
        # chatter or praise (of the glad ones, which already had it, 11 of 17).
        calm = (classification.label is Label.NEUTRAL and not said.shouting
                and compound > NEGATIVE_BELOW)
        if ask is not None and need == "app_details":
            if ask.beats_app_version:
                need = ""  # a console, a TV, a laptop: the question fits, an app version not
            else:
                ask = None
        elif ask is not None and need == "account_email":
            if ask.kind in ("sign_in_message", "payment_message", "account_username"):
                # Getting back in, or a payment that fails: the message they see says what to
                # do next; their e-mail in a DM lets us do nothing they cannot (a reading
                # called "send us the e-mail on your account" a promise of account checks we
                # cannot make).
                need = ""
            else:
                ask = None
        return {
            "brand": self.brand.name,
            "signature": self.replies.signature,
            "support_url": self.replies.support_url,
            "status_url": (active.status_url if active.active and active.status_url
                           else self.replies.status_url),
            "dm": (DM_SENT_WORDING if _DM_SENT.search(head)
                   else self.replies.dm_wording.strip().rstrip(".")),
            "brand_sends_dm": self.replies.brand_sends_dm,
            "response_window": self.replies.response_window,
            "order_number": found.order_number,
            "order_ref": ("order or tracking number" if _PARCEL.search(head)
                          and not _ORDER.search(head)
                          else "order number"),
            "booking_ref": found.booking_ref,
            "product": found.product,
            "device": found.device,
            "app_version": found.app_version,
            "label": classification.label.value,
            "topic": classification.topic,
            "evidence": evidence,
            "problem": problem,
            "trouble": grounding.trouble_phrase(problem),
            "negative": (compound <= NEGATIVE_BELOW
                         or (bool(evidence) and compound < CLEARLY_POSITIVE)),
            "sour": compound <= NEGATIVE_BELOW,
            "upbeat": upbeat,
            "warm": ((glad or calm) and not evidence and not said.not_a_fan
                     and not said.asks and not said.suggestion),
            "concern": said.concern,
            "password_how": said.password_how,
            "contact": said.contact,
            "praised": self._praised(classification, language, mention, found),
            "need": need,
            "ask": ask.text if ask else "",
            "bare": says_nothing_yet(mention.text),
            "suggestion": said.suggestion,
            "missed": said.missed,
            "hurt": said.hurt,
            "diagnosable": not settled,
            "own": said.own,
            "recovery": said.locked_out and not said.tried_recovery and not given,
            # Getting back in, tried already (a reset, a code, two-step): readings marked "send
            # us the e-mail on your account and we will take a look" there as promising account
            # access a social team cannot give, and approved the agents' pointer to recovery.
            "retry": said.locked_out and said.tried_recovery and not said.back_in and not given,
            "not_theirs": said.not_theirs,
            "ask_private": bool(ask and ask.private),
            "language": language,
            "uncertain": classification.confidence < self.check_below,
            "network": network,
            "short": length.limit(network) <= SHORT_LIMIT,
            "incident_summary": active.summary.strip() if active.active else "",
            "mention": {"text": mention.text, "network": network},
        }

    @staticmethod
    def _ask(classification: Classification, language: str, need: str, mention: Mention,
             device: str | None) -> diagnose.Ask | None:
        """The diagnostic question an English fix-request still needs; None when a reference
        (order number, booking) or the account's e-mail is the better next step."""
        if (classification.label is not Label.FIX_REQUEST or language != "en"
                or need not in ("", "app_details", "account_email")):
            return None
        return diagnose.ask_for(mention.text, device=device)

    @staticmethod
    def _praised(classification: Classification, language: str, mention: Mention,
                 found: Details) -> str:
        """What a praise post praises (its product, else a thing it names); "" otherwise."""
        if classification.label is not Label.PRAISE:
            return ""
        return found.product or grounding.praise_phrase(language, mention.text)

    def assemble(self, body: str, mention: Mention) -> str:
        """Handle first, then the rendered body on one line, then the signature."""
        flat = " ".join(body.split())
        # After the join every whitespace run is a single space, so dropping whitespace before
        # punctuation (once re.sub(r"\s+([.,;:!?])", r"\1", ...)) is these replacements; as
        # removing a space never makes a new " <punct>" pair, their order does not matter.
        for mark in _PUNCT:
            if " " + mark in flat:
                flat = flat.replace(" " + mark, mark)
        parts = [author_tag(mention.author, network_of(mention)) or "", flat,
                 self.replies.signature.strip()]
        return " ".join(p for p in parts if p)

    def render(self, template: TemplateFile, wording: int, mention: Mention,
               context: Mapping[str, Any]) -> Rendered:
        index = wording % len(template.wordings)
        try:
            body = template.wordings[index].render(context)  # render copies the mapping
        except TEMPLATE_FAILURES as exc:
            # Broken or unsafe template code (undefined name, sandbox refusal, a range or a
            # number too big, 1/0, "a" + 1): the draft is empty and says why, so the item is
            # still queued for a person to answer, never a traceback.
            error = (f"Template {template.path} wording {index + 1} failed: "
                     f"{type(exc).__name__}: {exc}")
            return Rendered(text="", template=template, wording=index, error=error)
        return Rendered(text=self.assemble(body, mention), template=template, wording=index)

    # --- the interface -----------------------------------------------------------------------

    def draft(self, mention: Mention, classification: Classification, *,
              incident: IncidentSettings | None = None, variant: int | None = None) -> Draft:
        """The draft for a mention. A post in a language without templates gets an empty
        draft named `by_hand/<code>` whose one violation starts "Reply by hand: <language>"."""
        # The mention is scanned for details once, for the choice, the templates and the checks.
        found = find_details(mention.text, self.brand.products)
        choice = self.choose(mention, classification, incident, details=found)
        if choice.by_hand is not None:
            return Draft(text="", template=choice.base, violations=(choice.by_hand,))
        context = self.context(mention, classification, incident=incident, details=found,
                               choice=choice)
        checks = self.check_context(mention, found, classification=classification,
                                    incident=incident, evidence=choice.evidence)
        pick = stable_index(mention) if variant is None else variant
        first: tuple[Rendered, tuple[str, ...]] | None = None
        for template in choice.forms:
            rendered = self.render(template, pick, mention, context)
            violations = self.draft_violations(rendered, checks)
            if first is None:
                first = (rendered, violations)
            if not any(v.startswith("Too long") for v in violations):
                return Draft(text=rendered.text, template=choice.base, violations=violations)
        assert first is not None  # _forms always finds the base file itself
        return Draft(text=first[0].text, template=choice.base, violations=first[1])

    def follow_up(self, mention: Mention, classification: Classification, *,
                  incident: IncidentSettings) -> Draft:
        """The "this is fixed now" follow-up for an author of a resolved incident, from
        `incident/resolved`, or `lang/<code>/incident/resolved` for a post in Spanish, French,
        German or Portuguese (any other language gets an empty draft to write by hand)."""
        language = self.language(classification)
        name = FOLLOW_UP if language == "en" else f"lang/{language}/{FOLLOW_UP}"
        template = self.library.get(name)
        if template is None:
            called = grounding.language_name(language)
            return Draft(text="", template=f"{BY_HAND}/{language}",
                         violations=(f"{BY_HAND_MARK}: {called}. There is no incident "
                                     f"follow-up template in {called}.",))
        found = find_details(mention.text, self.brand.products)
        context = self.context(mention, classification, incident=incident, details=found)
        checks = self.check_context(mention, found, classification=classification,
                                    incident=incident)
        rendered = self.render(template, stable_index(mention), mention, context)
        return Draft(text=rendered.text, template=name,
                     violations=self.draft_violations(rendered, checks))

    def fitting(self, mention: Mention, forms: Sequence[TemplateFile], *, variant: int,
                context: Mapping[str, Any]) -> str:
        """The text `draft` would pick from `forms` on length alone, given the render context
        (for `templates check`, which runs the other checks itself)."""
        network = network_of(mention)
        texts = [self.render(t, variant, mention, context).text for t in forms]
        for text in texts:
            if length.count(text, network) <= length.limit(network):
                return text
        return texts[0]

    def variants(self, mention: Mention, classification: Classification) -> int:
        """How many wordings exist for this mention's case (on its network); 1 when the
        mention gets no draft (reply by hand)."""
        choice = self.choose(mention, classification)
        return len(choice.forms[0].wordings) if choice.forms else 1

    def check(self, text: str, mention: Mention, *,
              classification: Classification | None = None) -> tuple[str, ...]:
        """The safety checks on any text meant as a reply to `mention` (drafts and edits).
        With the mention's `classification`, its evidence counts as the post stating its
        topic (without it, only the post's own words do)."""
        return run_checks(text, self.check_context(mention, classification=classification))

    def check_with(self, text: str, checks: CheckContext) -> tuple[str, ...]:
        """The safety checks with a prepared context (reused across many texts)."""
        return run_checks(text, checks)

    def check_context(self, mention: Mention, details: Details | None = None, *,
                      classification: Classification | None = None,
                      incident: IncidentSettings | None = None,
                      evidence: tuple[str, ...] | None = None) -> CheckContext:
        """What the checks need: the mention's details and, with its classification, the
        topic its evidence backs (`evidence`: that evidence, when already worked out)."""
        network = network_of(mention)
        found = details or find_details(mention.text, self.brand.products)
        tokens = found.tokens()
        allowed_caps = self._brand_caps
        if tokens:
            allowed_caps = allowed_caps | {_strip_cap(c) for c in tokens}
        evidence_topic = None
        if classification is not None:
            if evidence is None:
                evidence = evidence_of(mention, classification)
            evidence_topic = classification.topic if evidence else None
        active = incident if incident is not None else self.incident
        return CheckContext(
            platform=network,
            author_tag=author_tag(mention.author, network),
            mention_text=mention.text,
            allowed_links=self._links,
            allowed_caps=allowed_caps,
            response_window=self.replies.response_window,
            order_number=found.order_number,
            booking_ref=found.booking_ref,
            device=found.device,
            app_version=found.app_version,
            evidence_topic=evidence_topic,
            brand_sends_dm=self.replies.brand_sends_dm,
            exempt=(active.summary,) if active.active and active.summary.strip() else (),
        )

    def draft_violations(self, rendered: Rendered, checks: CheckContext) -> tuple[str, ...]:
        """Every check on a drafted text: the edit checks, and that the draft claims no
        action nobody took (a reviewer may have sent a DM; the drafter never has)."""
        if rendered.error is not None:
            return (rendered.error,)
        return run_checks(rendered.text, checks) + tuple(check_claims(rendered.text, checks))
