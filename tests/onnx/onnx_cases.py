"""What the onnx2tlm tests build on: small ONNX graphs made by hand, the
converter run on them, S-Tinylib run on the result (through tlmrun), and
a few operators written again in numpy from the ONNX specification, for
the mappings that no committed PyTorch model reaches (PyTorch folds
Conv+BatchNormalization itself when it exports, for instance).
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import onnx2tlm  # noqa: E402
import tlm  # noqa: E402

TLMRUN = os.environ.get("TLMRUN", os.path.join(ROOT, "build", "host", "bin",
                                               "tlmrun"))
RNG = np.random.default_rng(5)


def node(op, inputs, outputs, name=None, **attrs):
    return helper.make_node(op, inputs, outputs, name=name or op, **attrs)


def graph(nodes, in_shape, constants=None, opset=14, extra_inputs=()):
    """A model reading x (float32, in_shape) and giving y."""
    inputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, in_shape)
              for n in ("x",) + tuple(extra_inputs)]
    # The checker wants an output shape; onnx2tlm does not read it.
    output = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["any"])
    g = helper.make_graph(
        nodes, "case", inputs, [output],
        [numpy_helper.from_array(np.asarray(v, np.float32)
                                 if np.asarray(v).dtype.kind == "f"
                                 else np.asarray(v), k)
         for k, v in (constants or {}).items()])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])


def random(*shape, low=-1.0, high=1.0):
    return RNG.uniform(low, high, shape).astype(np.float32)


class Converted:
    """A model written to a temporary .onnx and converted: .blob, .model
    (tlm.Model) and .layers. A refusal raises AssertionError with its
    message, unless refusal=True: then .error holds it."""

    def __init__(self, model, refusal=False):
        with tempfile.TemporaryDirectory() as tmp:
            self.path = os.path.join(tmp, "case.onnx")
            with open(self.path, "wb") as f:
                f.write(model.SerializeToString())
            try:
                self.blob, self.layers = onnx2tlm.convert(self.path)
                self.model, self.error = tlm.Model(self.blob), None
            except onnx2tlm.ConvertError as e:
                self.error = str(e)
        if self.error and not refusal:
            raise AssertionError(self.error)

    def types(self):
        return [(l.type, l.activation) for l in self.model.layers]

    def run(self, x, fast=False):
        """S-Tinylib's output for x (strict mode, or fast); tl_model_open
        checks the file first."""
        with tempfile.TemporaryDirectory() as tmp:
            paths = [os.path.join(tmp, n) for n in ("m.tlm", "x.f32", "y.f32")]
            with open(paths[0], "wb") as f:
                f.write(self.blob)
            np.asarray(x, "<f4").tofile(paths[1])
            subprocess.run([TLMRUN, paths[0], paths[1], "-o", paths[2]] +
                           (["--fast"] if fast else []), check=True)
            return np.fromfile(paths[2], "<f4")


# ---- numpy from the ONNX specification (batch 1, float64) ----

def conv(x, w, b, stride=1, pad=0, groups=1):
    x = np.pad(x[0].astype(np.float64), ((0, 0), (pad, pad), (pad, pad)))
    m, cg, k, _ = w.shape
    oh, ow = (x.shape[1] - k) // stride + 1, (x.shape[2] - k) // stride + 1
    y = np.zeros((m, oh, ow))
    for f in range(m):
        g = f // (m // groups)
        for dy in range(k):
            for dx in range(k):
                patch = x[g * cg:(g + 1) * cg, dy:dy + stride * oh:stride,
                          dx:dx + stride * ow:stride]
                y[f] += np.tensordot(w[f, :, dy, dx], patch, 1)
        y[f] += b[f]
    return y[None]


def batchnorm(x, scale, bias, mean, var, eps):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    k = scale / np.sqrt(var.astype(np.float64) + eps)
    return (x - mean.reshape(shape)) * k.reshape(shape) + bias.reshape(shape)


def maxpool(x, k, stride, begin, end):
    x = np.pad(x[0].astype(np.float64), ((0, 0), (begin, end), (begin, end)),
               constant_values=-np.inf)
    oh = (x.shape[1] - k) // stride + 1
    ow = (x.shape[2] - k) // stride + 1
    windows = [x[:, dy:dy + stride * oh:stride, dx:dx + stride * ow:stride]
               for dy in range(k) for dx in range(k)]
    return np.max(windows, axis=0)[None]


def relative_error(a, b):
    a, b = np.asarray(a, np.float64).reshape(-1), np.asarray(b).reshape(-1)
    return np.abs(a - b).max() / max(np.abs(b).max(), 1e-30)
