"""The packaged encoder's int8 weights in the form this CPU multiplies fastest, exactly.

The encoder ships with its weights stored as uint8 (zero point 128): ONNX Runtime multiplies
uint8 activations by uint8 weights exactly on every x86 CPU, while uint8 by *int8* on a CPU
without VNNI goes through VPMADDUBSW, which saturates at 16 bits and once moved the shipped
model's labels. On a CPU with VNNI (AVX512-VNNI or AVX-VNNI: most servers since 2019) uint8
by int8 is exact too, and much faster (this 2-core AMD EPYC: about 480 posts a second against
310). `signed_weights` rewrites the model's bytes in memory: the same numbers, each weight and
its zero point moved by -128 and typed int8, so the embeddings are identical.

The rewrite reads the ONNX protobuf with a schema of the five fields it touches (ModelProto
.graph, GraphProto .node and .initializer, NodeProto .input and .op_type, TensorProto
.data_type, .name and .raw_data); protobuf keeps every other field as it was. This module does
no I/O but reading /proc/cpuinfo, and must not import other components.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

ENV = "COMPLAINT_MONITOR_INT8"
"""`signed` or `unsigned` forces the weights' form (for tests and odd CPUs); unset: by the CPU."""
_VNNI_FLAGS = frozenset({"avx512_vnni", "avx_vnni", "amx_int8"})
_UINT8, _INT8 = 2, 3  # onnx.TensorProto.DataType


def cpu_has_vnni(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether the CPU has int8 dot-product instructions (Linux; False where unknown)."""
    try:
        with cpuinfo.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return bool(_VNNI_FLAGS & set(line.split(":", 1)[-1].split()))
    except OSError:
        return False
    return False


def want_signed() -> bool:
    """Whether to run the encoder with int8 weights: `ENV` if set, else the CPU's VNNI."""
    forced = os.environ.get(ENV, "").strip().lower()
    if forced in ("signed", "unsigned"):
        return forced == "signed"
    if forced:
        raise ValueError(f"{ENV}={forced!r}: use 'signed', 'unsigned' or leave it unset")
    return cpu_has_vnni()


def _model_class() -> Any:
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    F = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(name="complaint_monitor_onnx_subset.proto",
                                               package="cm_onnx", syntax="proto2")

    def message(name: str, *fields: tuple[str, int, int, int, str]) -> None:
        m = proto.message_type.add(name=name)
        for fname, number, ftype, label, type_name in fields:
            f = m.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                f.type_name = type_name

    opt, rep = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    message("TensorProto", ("data_type", 2, F.TYPE_INT32, opt, ""),
            ("name", 8, F.TYPE_STRING, opt, ""), ("raw_data", 9, F.TYPE_BYTES, opt, ""))
    message("NodeProto", ("input", 1, F.TYPE_STRING, rep, ""),
            ("op_type", 4, F.TYPE_STRING, opt, ""))
    message("GraphProto", ("node", 1, F.TYPE_MESSAGE, rep, ".cm_onnx.NodeProto"),
            ("initializer", 5, F.TYPE_MESSAGE, rep, ".cm_onnx.TensorProto"))
    message("ModelProto", ("graph", 7, F.TYPE_MESSAGE, opt, ".cm_onnx.GraphProto"))
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("cm_onnx.ModelProto"))


def signed_weights(model: bytes) -> tuple[bytes, int]:
    """`model` with every QLinearMatMul's uint8 weight initializer (and its zero point) as the
    same numbers in int8, and how many weights it converted. A model with none (or with a
    weight held other than as raw bytes) comes back unchanged, with 0."""
    parsed = _model_class().FromString(model)
    inits = {t.name: t for t in parsed.graph.initializer}
    weights: dict[str, None] = {}
    other_uses: set[str] = set()
    converted = 0
    for node in parsed.graph.node:
        # Attention's MatMuls multiply two activations: only initializers are weights.
        is_weighted = (node.op_type == "QLinearMatMul" and len(node.input) > 5
                       and node.input[3] in inits)
        converted += is_weighted
        for i, name in enumerate(node.input):
            if is_weighted and i in (3, 5):
                weights[name] = None
            else:
                other_uses.add(name)
    tensors = [inits[n] for n in weights if n in inits]
    if (not tensors or other_uses & weights.keys()
            or any(t.data_type != _UINT8 or not t.raw_data for t in tensors)):
        return model, 0  # a zero point shared with another operator, or an unknown layout
    for t in tensors:
        # v - 128 in two's complement is v with its top bit flipped.
        t.raw_data = (np.frombuffer(t.raw_data, np.uint8) ^ np.uint8(0x80)).tobytes()
        t.data_type = _INT8
    return parsed.SerializeToString(), converted
