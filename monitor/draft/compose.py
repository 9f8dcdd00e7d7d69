"""The drafter the app uses: the TemplateDrafter, wrapped with the brand's own words.

For a post that needs a reply, in this order:

1. a **question** whose best saved answer scores at or above `answer_threshold` gets that
   answer (template `answer/<id>`);
2. a post like one the brand answered before (same label and language, similarity at or
   above `memory_threshold`) gets that reply, re-filled for the new post (template
   `memory/<id>`, note "based on your reply to @jo, 3 Nov");
3. otherwise the template draft, which the optional writer model may rewrite (template
   `writer/<template>`).

Every candidate passes every house check (the same `check` as edits) or is not used; a
writer answer that fails leaves the template draft with the note "writer model answer
refused: <violation>". Steps 1 and 2 are skipped when the label is uncertain (confidence
under `check_below`), when a widespread-problem notice applies, and for an explicit wording
(`variant`: "another wording" and `templates check` always get the templates).
No I/O here beyond what the writer and the memory's source do; no global state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from monitor.config import IncidentSettings
from monitor.draft import length
from monitor.draft.answers import AnswerShelf, body
from monitor.draft.checks import check_claims
from monitor.draft.drafter import TemplateDrafter, incident_applies, network_of
from monitor.draft.memory import ReplyMemory, provenance
from monitor.draft.refill import Post, refill, strip_frame
from monitor.draft.writer import ChatWriter, WriterFailed, WriterRequest
from monitor.model import CHECK_LABEL_BELOW, Classification, Draft, Label, Mention

log = logging.getLogger(__name__)


@dataclass
class Composer:
    drafter: TemplateDrafter
    answers: AnswerShelf | None = None
    memory: ReplyMemory | None = None
    writer: ChatWriter | None = None
    answer_threshold: float = 0.5
    check_below: float = CHECK_LABEL_BELOW

    # --- what the rest of the app also asks the template drafter -----------------------------

    def check(self, text: str, mention: Mention, *,
              classification: Classification | None = None) -> tuple[str, ...]:
        return self.drafter.check(text, mention, classification=classification)

    def draft_checks(self, text: str, mention: Mention,
                     classification: Classification) -> tuple[str, ...]:
        """Every check a template draft gets: the edit checks (with the classification's
        evidence) and that it claims no action nobody took."""
        ctx = self.drafter.check_context(mention, classification=classification)
        return self.drafter.check_with(text, ctx) + tuple(check_claims(text, ctx))

    def variants(self, mention: Mention, classification: Classification) -> int:
        return self.drafter.variants(mention, classification)

    def __getattr__(self, name: str) -> Any:
        # Anything else (library, context, assemble, ...) is the template drafter's.
        if name.startswith("_") or name == "drafter":
            raise AttributeError(name)
        return getattr(self.drafter, name)

    # --- drafting ----------------------------------------------------------------------------

    def draft(self, mention: Mention, classification: Classification, *,
              incident: IncidentSettings | None = None, variant: int | None = None) -> Draft:
        note: str | None = None
        if variant is None and self._own_words_apply(mention, classification, incident):
            if classification.label is Label.QUESTION and self.answers is not None:
                answered, note = self._from_answers(mention, classification)
                if answered is not None:
                    return answered
            if self.memory is not None:
                recalled = self._from_memory(mention, classification)
                if recalled is not None:
                    return recalled
        base = self.drafter.draft(mention, classification, incident=incident, variant=variant)
        if variant is None and self.writer is not None and base.text:
            return self._rewrite(base, mention, classification)
        return replace(base, note=note) if note and not base.note else base

    def _own_words_apply(self, mention: Mention, classification: Classification,
                         incident: IncidentSettings | None) -> bool:
        if not classification.label.needs_reply or classification.confidence < self.check_below:
            return False
        active = incident if incident is not None else self.drafter.incident
        return not incident_applies(active, mention, classification)

    def _from_answers(self, mention: Mention, classification: Classification,
                      ) -> tuple[Draft | None, str | None]:
        assert self.answers is not None
        match = self.answers.match(mention.text, classification.language)
        if match is None or match.score < self.answer_threshold:
            return None, None
        answer = match.answer
        text = self.drafter.assemble(body(answer), mention)
        violations = self.draft_checks(text, mention, classification)
        if violations:
            return None, f"saved answer {answer.id} matched but fails a check: {violations[0]}"
        where = f" from {answer.source}" if answer.source else ""
        note = f"saved answer {answer.id}{where} ({match.why}; match {match.score:.2f})"
        return Draft(text=text, template=f"answer/{answer.id}", note=note), None

    def _from_memory(self, mention: Mention, classification: Classification) -> Draft | None:
        assert self.memory is not None
        brand, replies = self.drafter.brand, self.drafter.replies
        keep = (brand.name, *brand.products, replies.signature,
                *(h.lstrip("@") for h in brand.handles))
        new = Post(mention.text, mention.author, mention.author_name)
        for found in self.memory.recall(mention.text, classification.label,
                                        classification.language):
            entry = found.entry
            reply_body = refill(entry.reply, Post(entry.post, entry.author, entry.author_name),
                                new, products=brand.products, keep_words=keep,
                                signatures=(replies.signature,))
            if reply_body is None:
                continue
            text = self.drafter.assemble(reply_body, mention)
            if self.draft_checks(text, mention, classification):
                continue
            return Draft(text=text, template=f"memory/{entry.id}",
                         note=provenance(entry, mention.created_at))
        return None

    def _rewrite(self, base: Draft, mention: Mention, classification: Classification) -> Draft:
        assert self.writer is not None
        signature = self.drafter.replies.signature
        request = WriterRequest(
            post=mention.text, label=classification.label.value, topic=classification.topic,
            evidence=tuple(classification.evidence), language=classification.language,
            draft=strip_frame(base.text, (signature,)),
            limit=length.limit(network_of(mention)),
        )
        try:
            answer = self.writer.write(request)
        except WriterFailed as exc:
            return replace(base, note=f"writer model unavailable: {exc}")
        text = self.drafter.assemble(strip_frame(answer, (signature,)), mention)
        violations = self.draft_checks(text, mention, classification)
        if violations:
            log.info("writer model answer refused: %s", violations[0])
            return replace(base, note=f"writer model answer refused: {violations[0]}")
        return Draft(text=text, template=f"writer/{base.template}",
                     note=f"written by the writer model ({self.writer.model}) from template "
                          f"{base.template}")
