"""The sentence encoder of the default classifier: all-MiniLM-L6-v2, fine-tuned by
scripts/train_model.py and stored int8-quantised as ONNX, run by ONNX Runtime on the CPU.

`Encoder.embed(texts)` gives one unit-length 384-dimensional vector per text (mean pooling
over the attention mask, done inside the ONNX graph). Texts are prepared as in training
(handles -> @user, links -> URL, so no brand is learned), cut to `max_length` word pieces, and
run in batches of similar length (less padding). One ONNX Runtime thread: on a 2-core machine
two threads measured slower (228 against 180 texts a second) because the poller, the database
and the web app share the cores.

The packaged files live in `monitor/classify/models/`; nothing is ever downloaded. This module
must not import other components.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MODELS = Path(__file__).resolve().parent / "models"
ENCODER_FILE = "encoder.onnx"
TOKENIZER_FILE = "tokenizer.json"
HEAD_FILE = "head.npz"
MAX_LENGTH = 64
BATCH = 64
DIM = 384
_HANDLE = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+")


def prepare(text: str, max_chars: int = 4000) -> str:
    """The text the encoder sees: handles -> @user and links -> URL, cut to `max_chars`,
    lone surrogates replaced (the tokenizer refuses them)."""
    text = _URL.sub("URL", _HANDLE.sub("@user", str(text)[:max_chars]))
    return text.encode("utf-8", "replace").decode("utf-8")


class Encoder:
    def __init__(self, folder: Path = MODELS, *, max_length: int = MAX_LENGTH,
                 threads: int = 1) -> None:
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
        self._session: Any = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"])

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), DIM), np.float32)
        prepared = [prepare(t) for t in texts]
        order = sorted(range(len(prepared)), key=lambda i: len(prepared[i]))
        for start in range(0, len(order), BATCH):
            idx = order[start:start + BATCH]
            enc = self._tok.encode_batch([prepared[i] for i in idx])
            ids = np.array([e.ids for e in enc], np.int64)
            mask = np.array([e.attention_mask for e in enc], np.int64)
            out[idx] = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        result: npt.NDArray[np.float32] = out / np.maximum(norms, 1e-9)
        return result
