"""The sentence encoder of the default classifier: all-MiniLM-L6-v2, fine-tuned by
scripts/train_model.py and stored int8-quantised as ONNX, run by ONNX Runtime on the CPU.

`Encoder.embed(texts)` gives one unit-length 384-dimensional vector per text (mean pooling
over the attention mask, done inside the ONNX graph). Texts are prepared as in training
(handles removed, links -> URL, so no brand is learned), cut to `max_length` word pieces, and
run in batches of similar length (less padding). Each ONNX Runtime call uses one thread
(intra-op threads wait for each other at every operator: on a 2-core machine two of them
measured slower than one, 180 against 228 texts a second); instead, up to `workers` batches run
at once on one shared session (ONNX Runtime releases the GIL while it computes), so a page of
mentions uses both cores while each batch stays single-threaded. Batches are small (`BATCH`
texts): on a 2-core AMD EPYC, 4 texts a call embedded about 310 a second against 180 for 64,
with the same vectors. The encoder is quantised statically (fixed activation scales), so a
text's vector does not depend on its batch. On a CPU with VNNI its weights run as int8
(`int8.py`: the same numbers, about 480 texts a second there).

The packaged files live in `monitor/classify/models/`; nothing is ever downloaded. This module
must not import other components.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from monitor.classify import int8

MODELS = Path(__file__).resolve().parent / "models"
ENCODER_FILE = "encoder.onnx"
TOKENIZER_FILE = "tokenizer.json"
HEAD_FILE = "head.npz"
GATE_FILE = "gate.npz"  # "about a brand at all?", read with the same vectors (tuned.py)
MAX_LENGTH = 64
BATCH = 4  # texts per ONNX Runtime call (see above)
DIM = 384
_HANDLE = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+")


def prepare(text: str, max_chars: int = 4000) -> str:
    """The text the encoder sees: handles removed and links -> URL, cut to `max_chars`,
    lone surrogates replaced (the tokenizer refuses them). Handles go entirely: whether a
    post tags someone says nothing about what it needs, and a model that saw them learned
    "no @handle, so chatter" (a search hit for a complaint often tags nobody)."""
    text = _URL.sub("URL", _HANDLE.sub(" ", str(text)[:max_chars]))
    return text.encode("utf-8", "replace").decode("utf-8")


class Encoder:
    def __init__(self, folder: Path = MODELS, *, max_length: int = MAX_LENGTH,
                 threads: int = 1, workers: int | None = None) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        model, vocab = folder / ENCODER_FILE, folder / TOKENIZER_FILE
        for path in (model, vocab):
            if not path.is_file():
                raise FileNotFoundError(f"{path}: the classifier's model file is missing; "
                                        "reinstall complaint-monitor or run "
                                        "scripts/train_model.py")
        self._tok: Any = Tokenizer.from_file(str(vocab))
        self._tok.enable_truncation(max_length)
        self._tok.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        # On a CPU with VNNI, the same weights as int8 run about half as fast again (int8.py).
        source: str | bytes = str(model)
        self.signed = False
        if int8.want_signed():
            data, converted = int8.signed_weights(model.read_bytes())
            source, self.signed = data, converted > 0
        self._session: Any = onnxruntime.InferenceSession(
            source, options, providers=["CPUExecutionProvider"])
        self._workers = max(1, workers if workers is not None else min(2, os.cpu_count() or 1))

    def _run(self, batch: Sequence[str]) -> npt.NDArray[np.float32]:
        enc = self._tok.encode_batch(list(batch))
        ids = np.array([e.ids for e in enc], np.int64)
        mask = np.array([e.attention_mask for e in enc], np.int64)
        out: npt.NDArray[np.float32] = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask})[0]
        return out

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), DIM), np.float32)
        prepared = [prepare(t) for t in texts]
        order = sorted(range(len(prepared)), key=lambda i: len(prepared[i]))
        # Smaller batches when there are few texts, so both workers get some.
        size = max(1, min(BATCH, -(-len(order) // self._workers)))
        chunks = [order[i:i + size] for i in range(0, len(order), size)]
        if len(chunks) > 1 and self._workers > 1:
            with ThreadPoolExecutor(self._workers) as pool:
                results = list(pool.map(self._run, [[prepared[i] for i in c] for c in chunks]))
        else:
            results = [self._run([prepared[i] for i in c]) for c in chunks]
        for idx, vectors in zip(chunks, results, strict=True):
            out[idx] = vectors
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        result: npt.NDArray[np.float32] = out / np.maximum(norms, 1e-9)
        return result
