"""The default classifier: VADER scores plus cue rules, explained by reasons.

Decision, in order (weights in `RuleWeights`, tuned on the airline tune split only):

1. A brand exclude term in the text -> neutral ("not about the brand: <term>").
2. complaint score = problem + venting + sarcasm + strong requests + negativity*(-compound)
   - praise - resolved. Above `complaint_threshold` -> a complaint.
   Sarcasm cues ("great job") count as a complaint only beside a problem, venting or a
   negative tone; alone they are praise.
3. Otherwise praise score = praise + positivity*compound; above `praise_threshold` -> praise;
   else a question when a question cue is present (asks, states no problem), else neutral.
4. A complaint is a fix_request when fix score (requests, questions, concrete problems,
   urgency) reaches `fix_ratio` times the venting score (insults, "never again", sarcasm,
   #fail) plus `fix_margin`; otherwise venting (frustration with nothing asked or left to fix).

It must stay pure and deterministic and must never raise on any str: text is cut to
`MAX_CHARS` before scoring (a 1 MB post is still classified, from its beginning).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from monitor.classify import cues as C
from monitor.classify.lexicon import CONCRETE_WEIGHT
from monitor.classify.priority import priority
from monitor.classify.topic import TopicMatcher
from monitor.classify.vader import VaderScorer
from monitor.model import Classification, ClassifyContext, Label, Sentiment

MAX_CHARS = 4000
"""Longer texts are scored on their first MAX_CHARS characters (VADER is super-linear on
very long inputs, and a complaint states its point early)."""
MAX_REASONS = 5
# Which cue kinds explain which label: a fix-request's reasons never include "thanks".
_COMPLAINT_KINDS = frozenset((C.REQUEST, C.PROBLEM, C.VENT, C.SARCASM, C.QUESTION, C.URGENT))
_SHOWN: dict[Label, frozenset[int]] = {
    Label.FIX_REQUEST: _COMPLAINT_KINDS,
    Label.VENTING: _COMPLAINT_KINDS,
    Label.PRAISE: frozenset((C.PRAISE, C.RESOLVED)),
    Label.QUESTION: frozenset((C.QUESTION, C.INFO)),
    Label.NEUTRAL: frozenset((C.QUESTION, C.INFO, C.PRAISE, C.RESOLVED)),
}


@dataclass(frozen=True, slots=True)
class RuleWeights:
    negativity: float = 3.0
    positivity: float = 1.0
    praise_damp: float = 0.8
    resolved_damp: float = 1.0
    request_to_complaint: float = 0.3
    complaint_threshold: float = 0.5
    praise_threshold: float = 0.9
    fix_ratio: float = 0.5
    fix_margin: float = 1.5
    question_to_fix: float = 0.5
    problem_to_fix: float = 0.4
    sarcasm_ratio: float = 1.0
    open_to_fix: float = 1.0
    request_decides: float = 1.5
    closed_to_vent: float = 0.6


@dataclass(frozen=True, slots=True)
class Analysis:
    sentiment: Sentiment
    cues: C.Cues
    topic: str
    excluded: str | None  # the exclude term found, if any
    evidence: tuple[str, ...] = ()  # the post's words that name the topic


def _word_alternation(terms: Iterable[str]) -> re.Pattern[str] | None:
    cleaned = sorted({t.strip().lower() for t in terms if t.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile("|".join(f"(?<!\\w){re.escape(t)}(?!\\w)" for t in cleaned),
                      re.IGNORECASE)


class RulesClassifier:
    """VADER plus cue rules. Build once (VADER's lexicon load is the expensive part)."""

    name = "rules"

    def __init__(self, scorer: VaderScorer, topics: TopicMatcher, *,
                 brand_terms: Iterable[str] = (), exclude_terms: Iterable[str] = (),
                 weights: RuleWeights | None = None, product_terms: Iterable[str] = ()) -> None:
        self._scorer = scorer
        self._topics = topics
        # Brand names are removed before cue matching and VADER: "Best Buy" is not praise.
        self._brand_terms = tuple({C.normalise(t.strip()) for t in brand_terms if t.strip()})
        self._brand_re = _word_alternation(self._brand_terms)
        self._exclude_re = _word_alternation(exclude_terms)
        # Products only say whether the post names the brand; they stay in the text, since a
        # product's name rarely carries sentiment ("Aria").
        self._products_re = _word_alternation(product_terms)
        self._w = weights or RuleWeights()

    def with_weights(self, weights: RuleWeights) -> RulesClassifier:
        """A copy with other weights, sharing the (immutable) scorer and matchers."""
        clone = RulesClassifier.__new__(RulesClassifier)
        clone._scorer, clone._topics = self._scorer, self._topics
        clone._brand_re, clone._exclude_re = self._brand_re, self._exclude_re
        clone._brand_terms = self._brand_terms
        clone._products_re = self._products_re
        clone._w = weights
        return clone

    def analyse(self, text: str) -> Analysis:
        """Everything but the label: VADER scores, cues, topic and any exclude term."""
        if not isinstance(text, str):  # defensive: callers with untyped data (JSON) slip
            text = str(text)
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
        excluded = None
        if self._exclude_re is not None:
            hit = self._exclude_re.search(text)
            excluded = hit.group(0).lower() if hit is not None else None
        lowered = C.normalise(text)
        # The substring test is ~50x cheaper than the regex and almost always false.
        if self._brand_re is not None and any(t in lowered for t in self._brand_terms):
            text = self._brand_re.sub(" ", text)
            lowered = C.normalise(text)
        words = C.tokenize(lowered)
        topic, evidence = self._topics.topic_and_evidence(words, lowered)
        return Analysis(self._scorer.score(text), C.find_cues(words, lowered), topic, excluded,
                        evidence)

    def names_brand(self, text: str) -> bool:
        """Whether the post names the brand: its name, a keyword, a handle or a product
        (whole words; read from the part `analyse` reads). Asked only by the default
        classifier's everyday gate, for the few posts that reach it."""
        text = text[:MAX_CHARS]
        return any(pattern is not None and pattern.search(text) is not None
                   for pattern in (self._brand_re, self._products_re))

    def classify(self, text: str, context: ClassifyContext | None = None) -> Classification:
        return self.classify_analysed(self.analyse(text), context)

    def classify_analysed(self, a: Analysis, context: ClassifyContext | None = None
                          ) -> Classification:
        """`classify` from an analysis already made (the model-backed classifiers need both,
        and the analysis is the costly half)."""
        if a.excluded is not None:
            return self.finish(Label.NEUTRAL, a, (f"not about the brand: {a.excluded}",), context)
        label, lead = self.decide(a.cues, a.sentiment.compound)
        shown = a.cues.reasons(_SHOWN[label])
        return self.finish(label, a, (lead, *shown) if lead else shown, context)

    def finish(self, label: Label, a: Analysis, reasons: tuple[str, ...],
               context: ClassifyContext | None, name: str | None = None,
               confidence: float = 1.0, language: str = "en") -> Classification:
        return Classification(
            label=label, sentiment=a.sentiment, topic=a.topic,
            priority=priority(label, a.sentiment.compound, a.cues[C.URGENT], context),
            reasons=reasons[:MAX_REASONS], classifier=name or self.name,
            confidence=confidence, language=language, evidence=a.evidence,
        )

    def complaint_kind(self, f: C.Cues) -> Label:
        """Fix-request or venting, for a text already judged a complaint: asks and open
        problems against judgements and signs that it is over (see the rubric in
        tests/data/fix_vs_vent_rubric.md)."""
        w, v = self._w, f.weights  # plain tuple indexing: this runs for every mention
        sarcasm = v[C.SARCASM] + (0.5 * v[C.PRAISE] if v[C.PRAISE] and not v[C.RESOLVED] else 0)
        fix = (v[C.REQUEST] + w.question_to_fix * v[C.QUESTION]
               + w.problem_to_fix * v[C.PROBLEM] + w.open_to_fix * v[C.OPEN])
        vent = v[C.VENT] + sarcasm + w.closed_to_vent * v[C.CLOSED]
        # An explicit request makes it a fix-request however angry the rest (the rubric's
        # tie-breaker: "if any part is a fix-request, the tweet is one").
        if v[C.REQUEST] >= w.request_decides:
            return Label.FIX_REQUEST
        if fix > 0 and fix >= w.fix_ratio * vent + w.fix_margin:
            return Label.FIX_REQUEST
        return Label.VENTING

    def decide(self, f: C.Cues, compound: float) -> tuple[Label, str]:
        """Label from cue weights and the compound score; the second item is a leading reason
        for decisions no single cue explains (e.g. "negative tone"), or ''."""
        w, v = self._w, f.weights
        problem, vent, request = v[C.PROBLEM], v[C.VENT], v[C.REQUEST]
        praise, resolved, sarcasm = v[C.PRAISE], v[C.RESOLVED], v[C.SARCASM]
        question = v[C.QUESTION]
        negativity = -compound if compound < 0 else 0.0
        positivity = compound if compound > 0 else 0.0
        lead = plain_praise = ""
        # Praise words beside a problem at least as strong read as sarcasm ("thanks for
        # losing my bag"), unless the problem is resolved; weaker problem words beside
        # praise ("thanks, the delay was handled well") leave it praise.
        if praise and not resolved and problem + vent >= w.sarcasm_ratio * praise:
            sarcasm += 0.5 * praise
            praise = 0.0
            lead = "praise beside a problem"
        # And the reverse: a "great job" with no problem, venting or negative tone anywhere
        # is praise, not sarcasm ("the agent on the phone did a great job").
        elif sarcasm and not (problem or vent) and compound >= 0:
            praise += sarcasm
            sarcasm = 0.0
            plain_praise = "praise, no problem stated"
        complaint = (problem + vent + sarcasm + w.request_to_complaint * request
                     + w.negativity * negativity
                     - w.praise_damp * praise
                     # "finally fixed" only ends a complaint when it comes with thanks.
                     - (w.resolved_damp * resolved if praise else 0.0))
        if complaint >= w.complaint_threshold:
            label = self.complaint_kind(f)
            if not (lead or problem or vent or sarcasm or request):
                lead = "negative tone"
            return label, lead
        # A positive compound alone counts less when problem words are present.
        if praise + w.positivity * positivity / (1.0 + problem + vent) >= w.praise_threshold:
            # A concrete problem ("never arrived", "the lid is broken") is never praise,
            # however warm the rest: it is a complaint of the kind its cues say.
            if problem >= CONCRETE_WEIGHT and not resolved:
                return self.complaint_kind(f), "praise beside a problem"
            return Label.PRAISE, plain_praise or ("" if praise else "positive tone")
        if question:
            return Label.QUESTION, "question, no problem stated"
        return Label.NEUTRAL, ""
