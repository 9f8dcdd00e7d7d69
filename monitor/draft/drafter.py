"""The reply drafter: picks a template and a wording for a mention, renders it in the sandbox,
adds the author's handle and the signature, and runs the safety checks.

Choosing is deterministic per mention (a hash of platform and external id picks the wording)
and varies across mentions. An unsafe result is returned with its violations, never raised and
never hidden; a template that fails to render gives an empty draft whose violation says why.
This module does no I/O after it is built and keeps no mutable state.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2

from monitor.config import BrandSettings, IncidentSettings, RepliesSettings
from monitor.draft import length
from monitor.draft.checks import CheckContext, run_checks
from monitor.draft.details import SCAN_CHARS, Details, author_tag, find_details
from monitor.draft.loader import TemplateFile, TemplateLibrary
from monitor.errors import TemplateNotFound
from monitor.model import Classification, Draft, Label, Mention

SHORT_LIMIT = 300
"""Networks whose limit is at or below this prefer a `.short` file when one exists."""

# A plain phrase for each topic, for templates that name the problem in the customer's terms
# without quoting them ("sorry about {{ problem }}").
PROBLEMS: Mapping[str, str] = {
    "delivery": "the delivery",
    "billing": "the charge",
    "account": "the trouble signing in",
    "product": "the fault",
    "outage": "the outage",
    "booking": "the booking",
    "service": "the service you had",
    "other": "this",
}
_PUNCT = ".,;:!?"
"""Punctuation that `assemble` never lets a space stand before."""


def _strip_cap(word: str) -> str:
    """A word as the shouting check compares it: without a signature caret or punctuation."""
    return word.strip("^-–—.,()")


def network_of(mention: Mention) -> str:
    """The network a reply goes to: the platform, or for demo mentions the one they imitate."""
    platform = mention.platform.strip().lower()
    if platform == "demo":
        network = mention.raw.get("network") if mention.raw else None
        if isinstance(network, str) and network.strip():
            return network.strip().lower()
    return platform


def stable_index(mention: Mention) -> int:
    """A number fixed for this mention (not Python's salted hash: stable across processes)."""
    key = f"{mention.platform}\x1f{mention.external_id}".encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big")


def incident_applies(incident: IncidentSettings, mention: Mention,
                     classification: Classification) -> bool:
    """Whether a widespread-problem notice covers this fix-request (topic or keyword match;
    an incident with neither topics nor keywords covers every fix-request)."""
    if not incident.active or classification.label != Label.FIX_REQUEST:
        return False
    keywords = [k.strip().lower() for k in incident.keywords if k.strip()]
    if not incident.topics and not keywords:
        return True
    if classification.topic in incident.topics:
        return True
    text = mention.text[:SCAN_CHARS].lower()
    return any(k in text for k in keywords)


@dataclass(frozen=True)
class Rendered:
    text: str
    template: TemplateFile
    wording: int
    error: str | None = None


class Drafter:
    """Drafts replies from one template library and one brand's settings."""

    def __init__(self, *, brand: BrandSettings, replies: RepliesSettings,
                 incident: IncidentSettings, library: TemplateLibrary) -> None:
        self.brand = brand
        self.replies = replies
        self.incident = incident
        self.library = library
        self._bases = {f.base for f in library.files()}
        # The brand's part of the allowed capitalised words and links is the same for every
        # mention: worked out once here, so `check_context` only adds the mention's details.
        caps = {*brand.name.split(), *replies.signature.split()}
        for product in brand.products:
            caps.update(product.split())
        for handle in brand.handles:
            caps.add(handle.lstrip("@"))
        self._brand_caps = frozenset(_strip_cap(c) for c in caps if c)
        self._links = tuple(u for u in (replies.support_url, replies.status_url) if u)
        for label in Label:
            if not self._bases_for(label.value, "other", incident=False):
                raise TemplateNotFound(f"no reply template for {label.value}: add "
                                       f"{label.value}/default.j2 to the templates folder")

    # --- choosing ----------------------------------------------------------------------------

    def _bases_for(self, label: str, topic: str, *, incident: bool) -> list[str]:
        candidates = [f"{label}/{topic}", f"{label}/default", f"{label}/other"]
        if incident:
            candidates = ["incident/" + topic, "incident/default", *candidates]
        return [b for b in candidates if b in self._bases]

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

    def _choose(self, mention: Mention, classification: Classification,
                incident: IncidentSettings | None) -> tuple[str, list[TemplateFile]]:
        network = network_of(mention)
        active = incident if incident is not None else self.incident
        use_incident = incident_applies(active, mention, classification)
        bases = self._bases_for(classification.label.value, classification.topic,
                                incident=use_incident)
        if not bases:  # cannot happen after __init__'s check; kept for a clear message
            raise TemplateNotFound(f"no reply template for {classification.label.value}")
        return bases[0], self._forms(bases[0], network)

    # --- rendering ---------------------------------------------------------------------------

    def context(self, mention: Mention, classification: Classification, *,
                incident: IncidentSettings | None = None,
                details: Details | None = None) -> dict[str, Any]:
        """Everything a template may use. Mention text is here as data only."""
        network = network_of(mention)
        active = incident if incident is not None else self.incident
        found = details or find_details(mention.text, self.brand.products)
        return {
            "brand": self.brand.name,
            "signature": self.replies.signature,
            "support_url": self.replies.support_url,
            "status_url": self.replies.status_url,
            "dm": self.replies.dm_wording.strip().rstrip("."),
            "response_window": self.replies.response_window,
            "order_number": found.order_number,
            "booking_ref": found.booking_ref,
            "product": found.product,
            "label": classification.label.value,
            "topic": classification.topic,
            "problem": PROBLEMS.get(classification.topic, "this"),
            "network": network,
            "short": length.limit(network) <= SHORT_LIMIT,
            "incident_summary": active.summary.strip() if active.active else "",
            "mention": {"text": mention.text, "network": network},
        }

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
        except jinja2.TemplateError as exc:
            # Broken or unsafe template code (undefined name, sandbox refusal): the draft is
            # empty and says why, so the item is still queued for a person to answer.
            error = f"Template {template.path} wording {index + 1} failed: {exc}"
            return Rendered(text="", template=template, wording=index, error=error)
        return Rendered(text=self.assemble(body, mention), template=template, wording=index)

    # --- the interface -----------------------------------------------------------------------

    def draft(self, mention: Mention, classification: Classification, *,
              incident: IncidentSettings | None = None, variant: int | None = None) -> Draft:
        base, forms = self._choose(mention, classification, incident)
        # The mention is scanned for details once, for both the templates and the checks.
        found = find_details(mention.text, self.brand.products)
        context = self.context(mention, classification, incident=incident, details=found)
        checks = self.check_context(mention, found)
        pick = stable_index(mention) if variant is None else variant
        first: tuple[Rendered, tuple[str, ...]] | None = None
        for template in forms:
            rendered = self.render(template, pick, mention, context)
            violations = self._violations(rendered, checks)
            if first is None:
                first = (rendered, violations)
            if not any(v.startswith("Too long") for v in violations):
                return Draft(text=rendered.text, template=base, violations=violations)
        assert first is not None  # _forms always finds the base file itself
        return Draft(text=first[0].text, template=base, violations=first[1])

    def fitting(self, mention: Mention, classification: Classification, *,
                incident: IncidentSettings | None, variant: int,
                context: Mapping[str, Any]) -> str:
        """The text `draft` would pick on length alone, given the render context (for
        `templates check`, which runs the other checks itself)."""
        _, forms = self._choose(mention, classification, incident)
        network = network_of(mention)
        texts = [self.render(t, variant, mention, context).text for t in forms]
        for text in texts:
            if length.count(text, network) <= length.limit(network):
                return text
        return texts[0]

    def variants(self, mention: Mention, classification: Classification) -> int:
        """How many wordings exist for this mention's case (on its network)."""
        _, forms = self._choose(mention, classification, None)
        return len(forms[0].wordings)

    def check(self, text: str, mention: Mention) -> tuple[str, ...]:
        """The safety checks on any text meant as a reply to `mention` (drafts and edits)."""
        return run_checks(text, self.check_context(mention))

    def check_with(self, text: str, checks: CheckContext) -> tuple[str, ...]:
        """The safety checks with a prepared context (reused across many texts)."""
        return run_checks(text, checks)

    def check_context(self, mention: Mention, details: Details | None = None) -> CheckContext:
        network = network_of(mention)
        found = details or find_details(mention.text, self.brand.products)
        tokens = found.tokens()
        allowed_caps = self._brand_caps
        if tokens:
            allowed_caps = allowed_caps | {_strip_cap(c) for c in tokens}
        return CheckContext(
            platform=network,
            author_tag=author_tag(mention.author, network),
            mention_text=mention.text,
            allowed_links=self._links,
            allowed_caps=allowed_caps,
            response_window=self.replies.response_window,
            order_number=found.order_number,
            booking_ref=found.booking_ref,
        )

    def _violations(self, rendered: Rendered, checks: CheckContext) -> tuple[str, ...]:
        if rendered.error is not None:
            return (rendered.error,)
        return run_checks(rendered.text, checks)
