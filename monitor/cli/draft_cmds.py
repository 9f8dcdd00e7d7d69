"""`draft TEXT` (preview the reply that would be drafted) and `templates check` (render every
reply template against the built-in samples on every network and apply the house checks).

Nothing is stored. Errors are raised as MonitorError and mapped to exit codes in
monitor.cli; the only exit code set here is `templates check`'s 1 for violations.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

import click

from monitor.adapters.registry import Registry
from monitor.classify import build_classifier
from monitor.cli.base import CliState, emit_json, pass_state
from monitor.config import Settings, read_answers
from monitor.draft import build_drafter
from monitor.draft.answers import AnswerShelf
from monitor.draft.compose import Composer
from monitor.draft.drafter import network_of
from monitor.draft.length import count, limit
from monitor.draft.samples import NETWORKS
from monitor.draft.selfcheck import check_templates
from monitor.draft.writer import build_writer, writer_client
from monitor.errors import UnsafeDraft
from monitor.model import TOPICS, Classification, ClassifyContext, Label, Mention

FORMATS = ("text", "json")


def _classify(state: CliState, text: str, platform: str) -> Classification:
    classifier = build_classifier(state.settings)
    return classifier.classify(text, ClassifyContext(platform=platform))


@click.command("draft")
@click.argument("text")
@click.option("--platform", default="x", show_default=True,
              help="Network the reply would go to (x, bluesky, mastodon, reddit, ...).")
@click.option("--author", default="@customer", show_default=True,
              help="Handle of the mention's author.")
@click.option("--label", type=click.Choice([label.value for label in Label]), default=None,
              help="Use this label instead of the classifier's.")
@click.option("--topic", type=click.Choice(TOPICS), default=None,
              help="Use this topic instead of the classifier's.")
@click.option("--variant", type=click.IntRange(min=0), default=None,
              help="Pick wording N (0-based) instead of the mention's own.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@pass_state
def draft_command(state: CliState, text: str, platform: str, author: str, label: str | None,
                  topic: str | None, variant: int | None, fmt: str) -> None:
    """Preview the reply that would be drafted for TEXT (nothing is stored): the templates,
    the saved answers in [replies] answers_file and the writer model if one is configured;
    not reply memory or answers saved in review, which live in the database."""
    settings = state.settings
    if not text.strip():
        raise click.BadParameter("give the text of a post to draft a reply to",
                                 param_hint="TEXT")
    platform = _known_platform(platform, settings)
    replies = settings.replies
    templates = build_drafter(settings)
    client = writer_client(replies.writer) if replies.writer.url else None
    writer = None if client is None else build_writer(
        replies.writer, brand=settings.brand.name, environ=state.environ, client=client,
        links=[u for u in (replies.support_url, replies.status_url) if u],
        sends_dm=replies.brand_sends_dm)
    drafter = Composer(templates, answers=AnswerShelf(read_answers(settings)), writer=writer,
                       answer_threshold=replies.answer_threshold,
                       check_below=templates.check_below)
    classification = _classify(state, text, platform)
    if label is not None:
        classification = replace(classification, label=Label(label))
    if topic is not None:
        classification = replace(classification, topic=topic)
    mention = Mention(
        feed="cli", platform=platform, author=author, text=text,
        # The same text always previews the same wording, as a stored mention would.
        external_id=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16],
        created_at=datetime.now(UTC),
    )
    try:
        result = drafter.draft(mention, classification, variant=variant)
    finally:
        if client is not None:
            client.close()
    network = network_of(mention)
    if fmt == "json":
        emit_json({
            "label": classification.label.value,
            "topic": classification.topic,
            "template": result.template,
            "note": result.note,
            "text": result.text,
            "checks": list(result.violations),
            "length": count(result.text, network),
            "limit": limit(network),
            "variants": drafter.variants(mention, classification),
        })
        return
    click.echo(result.text)
    click.echo(f"-- {classification.label.value}/{classification.topic}, template "
               f"{result.template}, {count(result.text, network)}/{limit(network)} on {network}",
               err=True)
    if result.note:
        click.echo(f"-- {result.note}", err=True)
    for violation in result.violations:
        click.echo(f"violation: {violation}", err=True)


def _known_platform(platform: str, settings: Settings) -> str:
    """`platform` lower-cased if a reply could go there: an installed adapter's kind (plugins
    too), X's old name, or a platform a configured feed sets; a usage error otherwise, so a
    typo does not preview a reply measured against the wrong limit."""
    name = platform.strip().lower()
    known = set(Registry().kinds()) | {"twitter"}
    known |= {f.platform.lower() for f in settings.feeds if f.platform}
    if name not in known:
        raise click.BadParameter(f"unknown network {platform!r} (known: "
                                 f"{', '.join(sorted(known))})", param_hint="'--platform'")
    return name


@click.group("templates")
def templates_group() -> None:
    """Reply templates: check them against the house style."""


@templates_group.command("check")
@pass_state
def templates_check(state: CliState) -> None:
    """Render every reply template against sample mentions on every network; exit 1 on any
    violation (each is printed)."""
    drafter = build_drafter(state.settings)
    problems = check_templates(drafter)
    for problem in problems:
        click.echo(problem)
    files = list(drafter.library.files())
    wordings = sum(len(f.wordings) for f in files)
    if problems:
        # Raised, not ctx.exit(1): monitor.cli.main maps it to exit 1 with one line on stderr,
        # and an exit code from ctx.exit is lost when click runs with standalone_mode=False.
        raise UnsafeDraft(f"{len(problems)} violation(s) in {len(files)} template files "
                          f"({wordings} wordings) on {', '.join(NETWORKS)}", violations=problems)
    click.echo(f"ok: {len(files)} template files, {wordings} wordings, checked on "
               f"{', '.join(NETWORKS)}")


COMMANDS = (draft_command, templates_group)
