"""`templates check`: render every wording of every template file against the built-in sample
mentions on every network, and report each safety violation as one line.

Two settings are tried: the brand's as configured and a bare one (no links, no response window,
no signature), so a template that only works when an optional setting is present is caught.
Length is judged on the draft the drafter would really send (it falls back to a `.short` file
when a wording is too long), everything else on each file and wording directly.
This module reports; it never fixes or skips a template.
"""

from __future__ import annotations

import dataclasses

from monitor.config import IncidentSettings
from monitor.draft.checks import CheckContext, check_length
from monitor.draft.details import Details, find_details
from monitor.draft.drafter import Drafter
from monitor.draft.loader import TemplateFile
from monitor.draft.samples import NETWORKS, Sample, build_samples
from monitor.model import TOPICS, Classification, Label, Sentiment

FOLDERS = (*(label.value for label in Label), "incident")
SAMPLE_INCIDENT_SUMMARY = "a fault that stops some customers signing in to the app"
_NEUTRAL_SENTIMENT = Sentiment(neg=0.0, neu=1.0, pos=0.0, compound=0.0)


def _classification(label: str, topic: str) -> Classification:
    return Classification(label=Label(label), sentiment=_NEUTRAL_SENTIMENT, topic=topic,
                          priority=0.5, reasons=("sample",), classifier="samples")


def _bare(drafter: Drafter) -> Drafter:
    replies = dataclasses.replace(drafter.replies, support_url=None, status_url=None,
                                  response_window=None, signature="")
    return Drafter(brand=drafter.brand, replies=replies, incident=drafter.incident,
                   library=drafter.library)


def _target(template: TemplateFile) -> tuple[str, str, bool] | None:
    """The (label, topic, incident) a file serves, or None if its folder is not a known one."""
    folder, _, _ = template.base.partition("/")
    stem = template.base.rpartition("/")[2]
    if folder not in FOLDERS or "/" not in template.base:
        return None
    if folder == "incident":
        return "fix_request", stem if stem in TOPICS else "outage", True
    return folder, stem if stem in TOPICS else "other", False


def _incident(drafter: Drafter) -> IncidentSettings:
    summary = drafter.incident.summary.strip() or SAMPLE_INCIDENT_SUMMARY
    return IncidentSettings(active=True, summary=summary, topics=(), keywords=())


def _matches(sample: Sample, label: str, topic: str) -> bool:
    # "plain" samples belong to their own topic; the others (details, hostile) to every topic.
    return sample.label == label and (sample.topic == topic or sample.name != "plain")


def check_templates(drafter: Drafter) -> list[str]:
    """Every violation, as `file wording N on NETWORK (sample): violation`; [] when all pass."""
    problems: list[str] = []
    targets: list[tuple[TemplateFile, str, str, bool]] = []
    for template in drafter.library.files():
        target = _target(template)
        if target is None:
            problems.append(f"{template.path}: not used; reply templates live in the folders "
                            f"{', '.join(FOLDERS)}")
        else:
            targets.append((template, *target))
    for variant_name, variant in (("as configured", drafter), ("bare settings", _bare(drafter))):
        for network in NETWORKS:
            for sample in build_samples(network, variant.brand.products):
                # One check context per sample: the mention's words are indexed once.
                details = find_details(sample.mention.text, variant.brand.products)
                checks = variant.check_context(sample.mention, details)
                for template, label, topic, is_incident in targets:
                    if template.form not in (None, "short", network):
                        continue
                    if not _matches(sample, label, topic):
                        continue
                    incident = _incident(variant) if is_incident else IncidentSettings()
                    problems.extend(_check_file(variant, template, sample, incident, checks,
                                                details,
                                                f"{network}, {sample.name} sample, {variant_name}",
                                                _classification(label, topic)))
    return problems


def _check_file(drafter: Drafter, template: TemplateFile, sample: Sample,
                incident: IncidentSettings, checks: CheckContext, details: Details,
                where: str, cls: Classification) -> list[str]:
    context = drafter.context(sample.mention, cls, incident=incident, details=details)
    out: list[str] = []
    for index in range(len(template.wordings)):
        rendered = drafter.render(template, index, sample.mention, context)
        if rendered.error is not None:
            violations: tuple[str, ...] = (rendered.error,)
        else:
            violations = tuple(v for v in drafter.check_with(rendered.text, checks)
                               if not v.startswith("Too long"))
            # Length is judged on what would be sent: the drafter falls back to .short.
            sent = drafter.fitting(sample.mention, cls, incident=incident, variant=index,
                                   context=context)
            violations += tuple(v for v in check_length(sent, checks))
        for violation in violations:
            out.append(f"{template.name}.j2 wording {index + 1} ({where}): {violation}")
    return out
