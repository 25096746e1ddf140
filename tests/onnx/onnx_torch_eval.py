"""An ONNX graph evaluated in float64 with torch, for the operators
tools/tlm2onnx.py writes, each as the ONNX specification (opset 13)
defines it at batch 1. Debian's python3-onnx (1.12) has no reference
evaluator (onnx.reference came in 1.13), and onnxruntime is not a Debian
package, so the tests check tlm2onnx's graphs with this; make bench
checks them again under onnxruntime.

    outputs = evaluate(model_proto, x)     # {name: numpy float64 array}
"""
import numpy as np
import torch
import torch.nn.functional as F
from onnx import helper, numpy_helper


def attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def torch_pads(pads):
    """ONNX pads (all begins, then all ends) as torch's F.pad wants them:
    (last begin, last end, ..., first begin, first end)."""
    n = len(pads) // 2
    return [v for i in reversed(range(n)) for v in (pads[i], pads[i + n])]


def conv(v, a):
    x, w = v[0], v[1]
    x = F.pad(x, torch_pads([0, 0] + list(a.get("pads", [0] * 4))[:2] +
                            [0, 0] + list(a.get("pads", [0] * 4))[2:]))
    return F.conv2d(x, w, v[2] if len(v) > 2 else None,
                    stride=a.get("strides", [1, 1]), groups=a.get("group", 1))


def maxpool(v, a):
    p = list(a.get("pads", [0] * 4))
    x = F.pad(v[0], torch_pads([0, 0, p[0], p[1], 0, 0, p[2], p[3]]),
              value=-np.inf)
    return F.max_pool2d(x, a["kernel_shape"], a.get("strides", [1, 1]))


def slice_(v, a):
    starts, ends, axes = (v[i].long().tolist() for i in (1, 2, 3))
    steps = v[4].long().tolist() if len(v) > 4 else [1] * len(axes)
    index = [slice(None)] * v[0].dim()
    for s, e, ax, st in zip(starts, ends, axes, steps):
        index[ax] = slice(s, e, st)
    return v[0][tuple(index)]


def resize(v, a):
    """Nearest, asymmetric coordinates, floor, integer scales: output
    pixel i reads input pixel i // scale. Any other kind is not
    evaluated here."""
    kind = tuple(a.get(k, b"") for k in (
        "mode", "coordinate_transformation_mode", "nearest_mode"))
    if kind != (b"nearest", b"asymmetric", b"floor") or any(
            s != int(s) for s in v[2].tolist()):
        raise NotImplementedError("Resize %s, scales %s" % (
            kind, v[2].tolist()))
    scales = [int(s) for s in v[2].tolist()]
    x = v[0]
    for axis, s in enumerate(scales):
        x = x.repeat_interleave(s, dim=axis) if s > 1 else x
    return x


OPS = {
    "Conv": conv, "MaxPool": maxpool, "Slice": slice_, "Resize": resize,
    "Pad": lambda v, a: F.pad(v[0], torch_pads(v[1].long().tolist()),
                              value=float(v[2]) if len(v) > 2 else 0.0),
    "GlobalAveragePool": lambda v, a: v[0].mean(dim=(2, 3), keepdim=True),
    "Flatten": lambda v, a: v[0].reshape(v[0].shape[0], -1),
    "Gemm": lambda v, a: v[0] @ (v[1].T if a.get("transB") else v[1]) + v[2],
    "Reshape": lambda v, a: v[0].reshape(v[1].long().tolist()),
    "Softmax": lambda v, a: torch.softmax(v[0], a.get("axis", -1)),
    "Add": lambda v, a: v[0] + v[1], "Mul": lambda v, a: v[0] * v[1],
    "Concat": lambda v, a: torch.cat(v, a["axis"]),
    "Identity": lambda v, a: v[0],
    "Where": lambda v, a: torch.where(v[0].bool(), v[1], v[2]),
    "Sigmoid": lambda v, a: torch.sigmoid(v[0]),
    "Relu": lambda v, a: torch.relu(v[0]),
    "LeakyRelu": lambda v, a: F.leaky_relu(v[0], a.get("alpha", 0.01)),
    "Clip": lambda v, a: v[0].clamp(float(v[1]), float(v[2])),
    "Tanh": lambda v, a: torch.tanh(v[0]),
    "HardSigmoid": lambda v, a: (a.get("alpha", 0.2) * v[0] +
                                 a.get("beta", 0.5)).clamp(0, 1),
    "Erf": lambda v, a: torch.erf(v[0]),
}


def evaluate(model, x):
    """Every graph output of model for input x (the graph's one input)."""
    values = {}
    for i in model.graph.initializer:
        a = numpy_helper.to_array(i)
        values[i.name] = torch.from_numpy(
            a.astype(np.float64) if a.dtype.kind == "f" else a.copy())
    values[model.graph.input[0].name] = torch.from_numpy(
        np.asarray(x, np.float64))
    for node in model.graph.node:
        ins = [values[n] if n else None for n in node.input]
        values[node.output[0]] = OPS[node.op_type](ins, attrs(node))
    return {o.name: values[o.name].numpy() for o in model.graph.output}
