"""`templates check`: render every wording of every template file against the built-in sample
mentions on every network, and report each safety violation as one line.

Each sample is drafted the way the drafter would draft it: with the classifier's evidence for
its topic, with the topic only guessed (no evidence), with a label the classifier was unsure
of, and (fix-requests) under an incident; hostile samples in every drafted language. Every
wording of the template so chosen is checked, each of its forms (`.short`, per network).
A file that no sample reaches is checked directly on the samples of its label and language.
Two settings are tried: the brand's as configured and a bare one (no links, no response window,
no signature), so a template that only works when an optional setting is present is caught.
Length is judged on the draft the drafter would really send (it falls back to a `.short` file
when a wording is too long), everything else on each file and wording directly.
This module reports; it never fixes or skips a template.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Any

from monitor.config import IncidentSettings
from monitor.draft import grounding
from monitor.draft.checks import CheckContext, check_length
from monitor.draft.details import Details, find_details
from monitor.draft.drafter import TemplateDrafter
from monitor.draft.loader import TemplateFile
from monitor.draft.samples import NETWORKS, Sample, build_samples
from monitor.model import TOPICS, Classification, Label, Sentiment

FOLDERS = (*(label.value for label in Label), "incident", "uncertain")
SAMPLE_INCIDENT_SUMMARY = "a fault that stops some customers signing in to the app"
UNSURE = 0.3
"""The confidence of the "unsure" case: under any sensible `check_below`."""
_NEUTRAL_SENTIMENT = Sentiment(neg=0.0, neu=1.0, pos=0.0, compound=0.0)


def _classification(label: str, topic: str, *, evidence: tuple[str, ...] = (),
                    language: str = "en", confidence: float = 1.0) -> Classification:
    return Classification(label=Label(label), sentiment=_NEUTRAL_SENTIMENT, topic=topic,
                          priority=0.5, reasons=("sample",), classifier="samples",
                          confidence=confidence, language=language, evidence=evidence)


def _bare(drafter: TemplateDrafter) -> TemplateDrafter:
    replies = dataclasses.replace(drafter.replies, support_url=None, status_url=None,
                                  response_window=None, signature="")
    return TemplateDrafter(brand=drafter.brand, replies=replies, incident=drafter.incident,
                           library=drafter.library, check_below=drafter.check_below)


def _incident(drafter: TemplateDrafter) -> IncidentSettings:
    summary = drafter.incident.summary.strip() or SAMPLE_INCIDENT_SUMMARY
    return IncidentSettings(active=True, summary=summary, topics=(), keywords=())


def _parts(template: TemplateFile) -> tuple[str, str, str] | None:
    """(language, folder, stem) of a file's base, or None outside the known folders."""
    parts = template.base.split("/")
    language = "en"
    if len(parts) == 4 and parts[0] == "lang" and parts[1] in grounding.DRAFTED_LANGUAGES:
        language, parts = parts[1], parts[2:]
    if len(parts) != 2 or parts[0] not in FOLDERS:
        return None
    return language, parts[0], parts[1]


Case = tuple[Classification, IncidentSettings, str]


def _cases(sample: Sample, drafter: TemplateDrafter) -> Iterator[Case]:
    """Each way a sample may be drafted: (classification, incident, case name)."""
    languages = grounding.DRAFTED_LANGUAGES if sample.any_language else (sample.language,)
    for language in languages:
        def cls(evidence: tuple[str, ...], confidence: float = 1.0,
                lang: str = language) -> Classification:
            return _classification(sample.label, sample.topic, evidence=evidence,
                                   language=lang, confidence=confidence)
        yield cls(sample.evidence), IncidentSettings(), language
        if sample.evidence:
            yield cls(()), IncidentSettings(), f"{language}, topic guessed"
        yield cls(sample.evidence, UNSURE), IncidentSettings(), f"{language}, unsure"
        if sample.label == Label.FIX_REQUEST.value:
            yield cls(sample.evidence), _incident(drafter), f"{language}, incident"


def check_templates(drafter: TemplateDrafter) -> list[str]:
    """Every violation, as `file wording N (NETWORK, sample, case, settings): violation`;
    [] when all pass."""
    problems: list[str] = []
    known: list[TemplateFile] = []
    for template in drafter.library.files():
        if _parts(template) is None:
            problems.append(f"{template.path}: not used; reply templates live in the folders "
                            f"{', '.join(FOLDERS)} (other languages under lang/<code>/)")
        else:
            known.append(template)
    reached: set[str] = set()
    seen: set[tuple[str, ...]] = set()
    for variant_name, variant in (("as configured", drafter), ("bare settings", _bare(drafter))):
        for network in NETWORKS:
            for sample in build_samples(network, variant.brand.products):
                # One details scan per sample; one check context per case.
                details = find_details(sample.mention.text, variant.brand.products)
                for cls, incident, case in _cases(sample, variant):
                    choice = variant.choose(sample.mention, cls, incident)
                    where = f"{network}, {sample.name} {sample.label}/{sample.topic} sample, " \
                            f"{case}, {variant_name}"
                    if choice.by_hand is not None:
                        problems.append(f"{choice.base}: {where}: {choice.by_hand}")
                        continue
                    # The same choice for the same text renders the same: check it once.
                    key = (variant_name, network, sample.mention.text, choice.base,
                           cls.language, str(bool(cls.evidence)), str(incident.active))
                    if key in seen:
                        continue
                    seen.add(key)
                    reached.update(t.name for t in choice.forms)
                    problems += _check_forms(variant, choice.forms, sample, cls, incident,
                                             details, where)
    for template in known:
        if template.name not in reached:
            problems += _check_unreached(drafter, template)
    return problems


def _check_forms(drafter: TemplateDrafter, forms: Sequence[TemplateFile], sample: Sample,
                 cls: Classification, incident: IncidentSettings, details: Details,
                 where: str) -> list[str]:
    context = drafter.context(sample.mention, cls, incident=incident, details=details)
    checks = drafter.check_context(sample.mention, details, classification=cls,
                                   incident=incident)
    out: list[str] = []
    for template in forms:
        out += _check_file(drafter, template, forms, sample, context, checks, where)
    return out


def _check_file(drafter: TemplateDrafter, template: TemplateFile, forms: Sequence[TemplateFile],
                sample: Sample, context: dict[str, Any], checks: CheckContext,
                where: str) -> list[str]:
    out: list[str] = []
    for index in range(len(template.wordings)):
        rendered = drafter.render(template, index, sample.mention, context)
        violations = tuple(v for v in drafter.draft_violations(rendered, checks)
                           if not v.startswith("Too long"))
        if rendered.error is None:
            # Length is judged on what would be sent: the drafter falls back to .short.
            sent = drafter.fitting(sample.mention, forms, variant=index, context=context)
            violations += tuple(check_length(sent, checks))
        for violation in violations:
            out.append(f"{template.name}.j2 wording {index + 1} ({where}): {violation}")
    return out


def _check_unreached(drafter: TemplateDrafter, template: TemplateFile) -> list[str]:
    """A file no sample reached (a user's `question/billing.j2`, say): checked on its own
    against every sample of its label and language, as if the drafter had chosen it."""
    parts = _parts(template)
    assert parts is not None
    language, folder, stem = parts
    out: list[str] = []
    for network in NETWORKS:
        if template.form not in (None, "short", network):
            continue
        for sample in build_samples(network, drafter.brand.products):
            if sample.language != language and not sample.any_language:
                continue
            label = "fix_request" if folder == "incident" else sample.label
            if folder not in ("incident", "uncertain") and sample.label != folder:
                continue
            topic = stem if stem in TOPICS else sample.topic
            evidence = sample.evidence if sample.topic == topic else ()
            cls = _classification(label, topic, evidence=evidence, language=language,
                                  confidence=UNSURE if folder == "uncertain" else 1.0)
            incident = _incident(drafter) if folder == "incident" else IncidentSettings()
            details = find_details(sample.mention.text, drafter.brand.products)
            where = f"{network}, {sample.name} {sample.label}/{sample.topic} sample, checked " \
                    "directly"
            out += _check_forms(drafter, [template], sample, cls, incident, details, where)
    return out

