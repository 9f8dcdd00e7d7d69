"""Reads `complaint-monitor labels export` files for the training scripts (`--extra-labels`).

One reader for both scripts, built on the CLI's own JSON-lines parser, so a file that
`complaint-monitor eval --input FILE --label-field label` refuses is refused here too, with the
same line-numbered message. It must not import scikit-learn or torch: each training script
brings its own.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.cli.classify_cmds import BadInput, parse_records

KNOWN = frozenset(("fix_request", "venting", "praise", "neutral"))


def read_extra_labels(path: Path) -> list[tuple[str, str]]:
    """(text, label) of each line with a non-empty text and a known label; blank lines and
    rows with an empty text or another label are skipped, a malformed line stops the run."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SystemExit(f"{path}: cannot read: {exc}") from None
    try:
        records = parse_records(lines, label_field="label")
    except BadInput as exc:
        raise SystemExit(f"{path}: {exc.message.removeprefix('--input: ')}") from None
    return [(r.text, r.gold) for r in records
            if r.text.strip() and r.gold is not None and r.gold in KNOWN]


def fix_vent_rows(paths: Iterable[Path]) -> list[tuple[str, str]]:
    """(text, label) of the fix_request / venting rows of `labels export` files, the rows
    both training scripts add to their fix / vent model."""
    return [(text, label) for path in paths for text, label in read_extra_labels(path)
            if label in ("fix_request", "venting")]
