"""Finding, reading and compiling the reply templates, in Jinja's sandbox.

Layout (relative to a templates folder): `<label>/<topic>.j2` (`fix_request/delivery.j2`),
`<label>/default.j2`, `incident/<topic>.j2` and `incident/default.j2`. A file holds one or more
wordings separated by a line that is exactly `---`. `<name>.short.j2` is a shorter version for
networks with tight limits (X, Bluesky) and a fallback when a wording is too long;
`<name>.<network>.j2` (`fix_request/delivery.mastodon.j2`) serves one network only.

A user's `templates_dir` overrides the shipped templates file by file: the same relative path
there replaces the shipped file (all its wordings); anything not overridden is shipped.

Only files are ever template source. Mention text reaches templates as data in the render
context, never through this module. The environment is an ImmutableSandboxedEnvironment with
StrictUndefined, so a template cannot call unsafe attributes or mutate what it is given.
"""

from __future__ import annotations

import importlib.resources
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

import monitor
from monitor.errors import DraftError

SUFFIX = ".j2"
SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)
MAX_TEMPLATE_BYTES = 256 * 1024
RESOURCE_PACKAGE = "monitor.reply_templates"


def shipped_templates_dir() -> Path:
    """The shipped templates: the `monitor.reply_templates` resource package in an installed
    wheel, else the top-level `templates/` folder of a source checkout."""
    try:
        resource = importlib.resources.files(RESOURCE_PACKAGE)
    except ModuleNotFoundError:
        resource = None
    if resource is not None:
        if isinstance(resource, os.PathLike):
            path = Path(resource)
            if path.is_dir():
                return path
        # A namespace package (no __init__.py) gives a MultiplexedPath, which is not a path;
        # a child of it is, and its parent is the folder we want.
        child = resource.joinpath("praise")
        if isinstance(child, os.PathLike) and Path(child).is_dir():
            return Path(child).parent
    return Path(monitor.__file__).resolve().parent.parent / "templates"


# Jinja's sandbox caps range() (at 100,000) but not repetition or powers: a template could
# still ask for "x" * 10**9 or 9**9**9 and take the memory or the CPU of the process.
MAX_REPEAT = 10_000
MAX_EXPONENT = 64


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with `*` on text or lists and `**` bounded: past the bounds the
    template fails with a SecurityError, which the drafter reports as a violation."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > MAX_EXPONENT and (
                    not isinstance(left, int | float) or abs(left) > 1):
                raise SecurityError(f"the sandbox refuses powers over {MAX_EXPONENT}")
        elif operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and (
                        times * max(1, len(seq)) > MAX_REPEAT * 10):
                    raise SecurityError(f"the sandbox refuses repeating text or a list more "
                                        f"than {MAX_REPEAT * 10:,} characters or items long")
        return super().call_binop(context, operator, left, right)


def make_environment() -> ImmutableSandboxedEnvironment:
    def finalize(value: Any) -> Any:
        # An unset optional setting prints as nothing, never as the word "None".
        return "" if value is None else value

    env = BoundedSandbox(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        finalize=finalize,
    )
    env.filters["lowerfirst"] = lowerfirst
    return env


def lowerfirst(value: Any) -> str:
    """A phrase continued mid-sentence: "Send us a DM" -> "send us a DM"; a phrase opening
    with an acronym ("DM us") keeps its capitals."""
    text = "" if value is None else str(value)
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class TemplateFile:
    """One template file: its name (`fix_request/delivery.short`), origin and wordings."""

    name: str
    path: Path
    wordings: tuple[jinja2.Template, ...]
    user: bool

    @property
    def base(self) -> str:
        """The name without a `.short` / `.<network>` form: `fix_request/delivery`."""
        folder, _, stem = self.name.rpartition("/")
        head = stem.split(".", 1)[0]
        return f"{folder}/{head}" if folder else head

    @property
    def form(self) -> str | None:
        """'short', a network name, or None for the general file."""
        stem = self.name.rpartition("/")[2]
        return stem.split(".", 1)[1] if "." in stem else None


def _compile(env: ImmutableSandboxedEnvironment, path: Path, name: str,
             user: bool) -> TemplateFile:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DraftError(f"cannot read reply template {path}: {exc}") from exc
    if len(data) > MAX_TEMPLATE_BYTES:
        raise DraftError(f"reply template {path} is larger than {MAX_TEMPLATE_BYTES} bytes")
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DraftError(f"reply template {path} is not UTF-8: {exc}") from exc
    wordings: list[jinja2.Template] = []
    line = 1
    pos = 0
    chunks: list[tuple[int, str]] = []
    for match in SEPARATOR.finditer(source):
        chunks.append((line, source[pos:match.start()]))
        line += source[pos:match.end()].count("\n")
        pos = match.end()
    chunks.append((line, source[pos:]))
    for first_line, chunk in chunks:
        if not chunk.strip() or not _has_text(chunk):
            continue  # a header of comments only, or an empty trailing section
        try:
            wordings.append(env.from_string(chunk))
        except jinja2.TemplateSyntaxError as exc:
            at = first_line + (exc.lineno or 1) - 1
            raise DraftError(f"reply template {path}, line {at}: {exc.message}") from exc
    if not wordings:
        raise DraftError(f"reply template {path} has no wording; separate wordings with '---'")
    return TemplateFile(name=name, path=path, wordings=tuple(wordings), user=user)


_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


def _has_text(chunk: str) -> bool:
    return bool(_COMMENT.sub("", chunk).strip())


def _scan(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*" + SUFFIX)):
        if path.is_file():
            rel = path.relative_to(folder).as_posix()
            found[rel[: -len(SUFFIX)]] = path
    return found


class TemplateLibrary:
    """Every template file, user overrides first; compiled once, when the drafter is built."""

    def __init__(self, folders: Sequence[tuple[Path, bool]],
                 env: ImmutableSandboxedEnvironment | None = None) -> None:
        self.env = env or make_environment()
        self.folders = tuple(folder for folder, _ in folders)
        files: dict[str, TemplateFile] = {}
        for folder, user in folders:
            for name, path in _scan(folder).items():
                if name not in files:  # an earlier (user) folder wins, file by file
                    files[name] = _compile(self.env, path, name, user)
        self._files: Mapping[str, TemplateFile] = files

    @classmethod
    def from_dirs(cls, user_dir: Path | None, shipped: Path | None = None) -> TemplateLibrary:
        shipped = shipped or shipped_templates_dir()
        if not shipped.is_dir():
            raise DraftError(f"the shipped reply templates are missing (looked in {shipped})")
        folders: list[tuple[Path, bool]] = []
        if user_dir is not None:
            folders.append((user_dir, True))
        folders.append((shipped, False))
        return cls(folders)

    def get(self, name: str) -> TemplateFile | None:
        return self._files.get(name)

    def names(self) -> list[str]:
        return sorted(self._files)

    def files(self) -> Iterable[TemplateFile]:
        return (self._files[n] for n in self.names())

    def has_base(self, base: str) -> bool:
        return any(f.base == base for f in self._files.values())
