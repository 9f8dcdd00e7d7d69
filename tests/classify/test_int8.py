"""The encoder's int8 weights in the CPU's fastest exact form (monitor/classify/int8.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from monitor.classify import int8
from monitor.classify.encoder import ENCODER_FILE, MODELS, Encoder

TEXTS = ["my parcel never arrived, order #4521, where is it?", "lol",
         "love the new kettle, boils in a minute", "why is the app down again?? " * 20]


def _tensors(model: bytes) -> dict[str, tuple[int, bytes]]:
    parsed = int8._model_class().FromString(model)
    return {t.name: (t.data_type, t.raw_data) for t in parsed.graph.initializer}


def test_signed_weights_are_the_same_numbers() -> None:
    packaged = (MODELS / ENCODER_FILE).read_bytes()
    signed, converted = int8.signed_weights(packaged)
    assert converted == 36  # six layers, six weight matrices each
    before, after = _tensors(packaged), _tensors(signed)
    assert before.keys() == after.keys()
    changed = [n for n in before if before[n] != after[n]]
    assert len(changed) == 2 * converted  # each weight and its zero point, nothing else
    for name in changed:
        (t0, raw0), (t1, raw1) = before[name], after[name]
        assert (t0, t1) == (2, 3)  # uint8 -> int8
        assert np.array_equal(np.frombuffer(raw0, np.uint8).astype(np.int16) - 128,
                              np.frombuffer(raw1, np.int8).astype(np.int16))
    # Idempotent: a model already signed is left alone.
    assert int8.signed_weights(signed) == (signed, 0)


@pytest.mark.skipif(not int8.cpu_has_vnni(), reason="uint8 x int8 is exact only with VNNI")
def test_on_a_vnni_cpu_both_forms_give_the_same_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(int8.ENV, "unsigned")
    plain = Encoder()
    monkeypatch.setenv(int8.ENV, "signed")
    fast = Encoder()
    assert (plain.signed, fast.signed) == (False, True)
    assert np.array_equal(plain.embed(TEXTS), fast.embed(TEXTS))


def test_the_form_follows_the_cpu_unless_forced(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    with_vnni, without = tmp_path / "a", tmp_path / "b"
    with_vnni.write_text("processor: 0\nflags\t\t: fpu sse avx2 avx512f avx512_vnni\n")
    without.write_text("processor: 0\nflags\t\t: fpu sse avx2\n")
    assert int8.cpu_has_vnni(with_vnni) and not int8.cpu_has_vnni(without)
    assert not int8.cpu_has_vnni(tmp_path / "missing")
    monkeypatch.setenv(int8.ENV, "unsigned")
    assert not int8.want_signed() and not Encoder().signed
    monkeypatch.setenv(int8.ENV, "fast")
    with pytest.raises(ValueError, match=int8.ENV):
        int8.want_signed()
