"""Nodes whose inputs are all constants, computed here in numpy: what an
exporter leaves of shape arithmetic (PyTorch 1.13 writes F.pad's pads as
ConstantOfShape, Concat, Reshape, Slice, Transpose and Cast of
constants). Each result is a constant like an initializer; integer
arithmetic and reordering, so exact (Squeeze and Expand of constants
too). Other operators of constants are refused as before.
"""
import numpy as np
from onnx import helper, numpy_helper

from onnx_graph import attr

DTYPES = {1: np.float32, 6: np.int32, 7: np.int64, 9: np.bool_,
          11: np.float64}


def slice_(x, starts, ends, axes=None, steps=None):
    axes = range(len(starts)) if axes is None else axes
    steps = [1] * len(starts) if steps is None else steps
    index = [slice(None)] * x.ndim
    for s, e, a, st in zip(starts, ends, axes, steps):
        index[int(a)] = slice(int(s), int(e), int(st))
    return x[tuple(index)]


def constant_of_shape(node, shape):
    for a in node.attribute:
        if a.name == "value":
            value = helper.get_attribute_value(a)
            return np.full([int(d) for d in shape],
                           numpy_helper.to_array(value).reshape(-1)[0])
    return np.zeros([int(d) for d in shape], np.float32)


def unsqueeze(node, x, axes, opset):
    axes = axes if opset >= 13 else attr(node, "axes")
    for a in sorted(int(a) % (x.ndim + len(axes)) for a in axes):
        x = np.expand_dims(x, a)
    return x


# The operators compute() knows (Shape, of any tensor, in onnx2tlm).
COMPUTED = ("Cast", "ConstantOfShape", "Concat", "Reshape", "Slice",
            "Transpose", "Unsqueeze", "Squeeze", "Expand", "Shape", "Gather",
            "Add", "Sub", "Mul", "Div")


def compute(node, inputs, opset):
    """The node's one output from constant inputs, or None when the
    operator is not one computed here."""
    op, a = node.op_type, inputs
    if op == "Cast":
        return a[0].astype(DTYPES[attr(node, "to")])
    if op == "ConstantOfShape":
        return constant_of_shape(node, a[0])
    if op == "Concat":
        return np.concatenate(a, attr(node, "axis"))
    if op == "Reshape":
        shape = [a[0].shape[i] if d == 0 else int(d)
                 for i, d in enumerate(a[1])]
        return a[0].reshape(shape)
    if op == "Slice" and opset >= 10:
        return slice_(*a)
    if op == "Transpose":
        return np.transpose(a[0], attr(node, "perm"))
    if op == "Unsqueeze":
        return unsqueeze(node, a[0], a[1] if len(a) > 1 else None, opset)
    if op == "Squeeze":
        axes = a[1] if opset >= 13 and len(a) > 1 else attr(node, "axes")
        return np.squeeze(a[0], None if axes is None else
                          tuple(int(x) for x in axes))
    if op == "Expand":
        return np.broadcast_to(a[0], np.broadcast_shapes(
            a[0].shape, tuple(int(d) for d in a[1]))).copy()
    if op == "Shape":
        return np.array(a[0].shape, np.int64)
    if op == "Gather":
        return np.take(a[0], a[1], axis=attr(node, "axis", 0))
    if op in ("Add", "Sub", "Mul", "Div"):
        return arithmetic(op, a[0], a[1])
    return None


def arithmetic(op, x, y):
    """Add, Sub, Mul, Div of two constants of one type: what PyTorch
    writes for x.chunk's bounds (Shape, Gather, Add, Div, Mul). Integers
    exactly (Div truncates, as ONNX's does); float32 as ONNX computes it
    (one rounding each). None for other types, mixed ones or an integer
    division by zero (refused then)."""
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype != y.dtype or x.dtype.kind not in "if":
        return None
    if op == "Div" and x.dtype.kind == "i":
        if np.any(y == 0):
            return None
        q = np.abs(x) // np.abs(y)
        return (np.where((x < 0) != (y < 0), -q, q)).astype(x.dtype)
    return {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply,
            "Div": np.divide}[op](x, y).astype(x.dtype)
