"""ONNX operators on format 1.1's eltwise and slice layers and its
activations hardsigmoid and silu: Add, Sub, Mul and Div where they do not
fold into the layer before (two activations, broadcast per channel or
whole; a constant operand as the layer's parameter), Neg and Reciprocal
as those, Expand as the operand they broadcast, Sigmoid times its
input (silu), HardSigmoid alone, Split and Slice on channels, and the
operators that map only inside a pattern (onnx_patterns.py) refused with
the pattern they need. docs/onnx.md is the table.
"""
import numpy as np
from onnx import helper

import onnx_layout_ops as layout
import onnx_ops as ops
import tlm
from onnx_graph import Act, Layer, Refusal, Value, attr

ELT_OPS = {"Add": tlm.ELT_ADD, "Sub": tlm.ELT_SUB, "Mul": tlm.ELT_MUL,
           "Div": tlm.ELT_DIV}
COMMUTES = (tlm.ELT_ADD, tlm.ELT_MUL)
FOLDS = {"Add": ops.add, "Sub": ops.sub, "Mul": ops.mul, "Div": ops.div}
# Layers an activation node fuses into (format 1.1 adds eltwise).
ACTIVATION_HOSTS = ops.LINEAR_TYPES + (tlm.SHORTCUT, tlm.ELTWISE)


class Pending(Value):
    """Sigmoid(x) or HardSigmoid(x) read only by a Mul with x: that Mul is
    silu or hardswish (code) of x, mapped there."""

    def __init__(self, shape, of, code):
        super().__init__(shape)
        self.of, self.code = of, code


def times_own_input(g, node):
    """Whether node's output is read only by a Mul with node's input."""
    readers = g.readers.get(node.output[0], [])
    return len(readers) == 1 and readers[0].op_type == "Mul" and \
        sorted(readers[0].input) == sorted([node.input[0], node.output[0]]) \
        and node.output[0] not in g.graph_outputs


def sigmoid(g, node):
    """Sigmoid; x * Sigmoid(x) (PyTorch's SiLU/Swish) is silu, at the Mul."""
    x = g.activation(node, 0)
    if times_own_input(g, node):
        return g.set(node, Pending(x.shape, node.input[0], tlm.SILU))
    ops.activation_op(tlm.LOGISTIC)(g, node)


def hardsigmoid(g, node):
    """PyTorch's hardsigmoid (alpha 1/6, beta 1/2): times its own input,
    hardswish (at the Mul, PyTorch 1.13 before opset 14); alone, format
    1.1's hardsigmoid activation."""
    x = g.activation(node, 0)
    alpha, beta = attr(node, "alpha", 0.2), attr(node, "beta", 0.5)
    if np.float32(alpha) != np.float32(1 / 6) or np.float32(beta) != 0.5:
        raise Refusal("alpha=%g beta=%g: only PyTorch's hardsigmoid (alpha "
                      "1/6, beta 1/2) maps" % (alpha, beta))
    if times_own_input(g, node):
        return g.set(node, Pending(x.shape, node.input[0], tlm.HARDSWISH))
    ops.activation_op(tlm.HARDSIGMOID)(g, node)


def mul(g, node):
    for i in (0, 1):
        v = g.value(node, i)
        if isinstance(v, Pending) and v.of == node.input[1 - i]:
            x = g.activation(node, 1 - i)
            # x is read by the two nodes of the pattern: one reader.
            layer = g.foldable(node.input[1 - i], ACTIVATION_HOSTS,
                               readers=2)
            return ops.apply_activation(g, node, x, layer, v.code)
    arithmetic(g, node)


def arithmetic(g, node):
    """Add, Sub, Mul, Div: folded as before where that maps (an Add of two
    tensors of one shape is a shortcut; a constant per channel right after
    a Conv, Gemm or MatMul folds into it), else an eltwise layer."""
    op = ELT_OPS[node.op_type]
    a, b = g.value(node, 0), g.value(node, 1)
    if isinstance(a, Expanded) or isinstance(b, Expanded):
        broadcast_anyway(a, b)
    if a.act is not None and b.act is not None:
        if op == tlm.ELT_ADD and a.shape == b.shape and \
                a.act.dims() == b.act.dims():
            return ops.add(g, node)
        return two_activations(g, node, op)
    if a.act is None and b.act is None:
        raise Refusal("computes on two constants of types %s and %s, which "
                      "onnx2tlm does not" % (a.const.dtype, b.const.dtype))
    i = 0 if a.act is not None else 1
    x, c = g.activation(node, i), g.constant(node, 1 - i)
    if folds(g, node, i, x, c, op):
        return FOLDS[node.op_type](g, node)
    param, dims = constant_operand(x, c)
    eltwise(g, node, x, op, 0 if i == 0 or op in COMMUTES else 1,
            param=param, dims=dims)


def folds(g, node, i, x, c, op):
    """Whether the constant folds into the Conv, Gemm or MatMul before x
    (onnx_ops' rules: one value per channel, a divisor finite, non-zero
    and not the activation)."""
    layer = g.foldable(node.input[i], ops.LINEAR_TYPES)
    if layer is None or (op == tlm.ELT_DIV and i == 1):
        return False
    try:
        k = ops.channel_vector(c, len(x.shape), layer.out.c)
    except Refusal:
        return False
    return op != tlm.ELT_DIV or bool(np.all(np.isfinite(k)) and
                                     np.all(k != 0))


def per_channel(v):
    """Whether v's tensor holds its ONNX dimension 1 as channels (rank 2,
    3 or 4, the rest H and W)."""
    return len(v.shape) >= 2 and v.act.c == v.shape[1] and \
        v.act.h * v.act.w == int(np.prod(v.shape[2:]))


def broadcast_onto(a, shape):
    """Whether shape broadcasts onto a's without changing it."""
    try:
        return tuple(np.broadcast_shapes(a.shape, tuple(shape))) == a.shape
    except ValueError:
        return False


def constant_operand(x, c):
    """The constant c as eltwise's parameter b against a = x: one value
    (1, 1, 1), one per channel (C, 1, 1), else c broadcast to x's whole
    tensor (C, H, W) (exact: the same values repeated)."""
    c = np.asarray(c, np.float64)
    if not broadcast_onto(x, c.shape):
        raise Refusal("constant of shape %s against %s: the result must "
                      "have the activation's shape" % (c.shape, x.shape))
    if c.size == 1:
        return c.reshape(1, 1), (1, 1, 1)
    full = c.reshape((1,) * (len(x.shape) - c.ndim) + c.shape)
    if per_channel(x) and all(d == 1 for i, d in enumerate(full.shape)
                              if i != 1):
        return np.broadcast_to(full.reshape(-1), (x.act.c,)).reshape(
            x.act.c, 1), (x.act.c, 1, 1)
    n, h, w = x.act.dims()
    return np.broadcast_to(full, x.shape).reshape(n, h * w), (n, h, w)


def fits(a, b):
    """Whether activation b broadcasts onto activation a as eltwise's
    second input: the same tensor shape, one value, or (1, C, 1, 1)
    against (1, C, H, W)."""
    if a.shape == b.shape and a.act.dims() == b.act.dims():
        return True
    if not broadcast_onto(a, b.shape):
        return False
    if b.act.dims() == (1, 1, 1):
        return True
    return len(a.shape) == len(b.shape) and per_channel(a) and \
        per_channel(b) and b.act.dims() == (a.act.c, 1, 1)


def two_activations(g, node, op):
    a, b = g.activation(node, 0), g.activation(node, 1)
    if fits(a, b):
        return eltwise(g, node, a, op, 0, b)
    if fits(b, a):
        return eltwise(g, node, b, op, 0 if op in COMMUTES else 1, a)
    raise Refusal("shapes %s and %s: S-Tinylib's eltwise takes a second "
                  "operand of the first's shape, of one value per channel "
                  "(1, C, 1, 1) or of one value" % (a.shape, b.shape))


def eltwise(g, node, a, op, reversed_, b=None, param=None, dims=None):
    """out = a OP b (reversed: b OP a); b an activation or the constant
    param of tensor shape dims."""
    layer = Layer(tlm.ELTWISE, Act(*a.act.dims()),
                  [a.act] + ([b.act] if b is not None else []),
                  [op, reversed_], param)
    layer.weights_shape = dims
    g.emit(node, layer, a.shape)


class Expanded(Value):
    """Expand(x, shape) read only by Add, Sub, Mul and Div, which broadcast
    x themselves: x's value, to the shape the Expand gives."""

    def __init__(self, x, to):
        super().__init__(x.shape, act=x.act)
        self.to = to


def expand(g, node):
    """x.expand_as(y) (Expand to Shape(y)): the same values repeated. No
    S-Tinylib layer repeats values across a plane; an eltwise operand is
    broadcast by the layer itself, so an Expand read only by Add, Sub,
    Mul or Div is its input as it is (checked at each reader)."""
    x = g.activation(node, 0)
    target = tuple(int(d) for d in g.constant(node, 1))
    try:
        to = tuple(np.broadcast_shapes(x.shape, target))
    except ValueError:
        raise Refusal("shape %s does not broadcast to %s"
                      % (x.shape, target))
    if to == x.shape:
        return g.alias(node, x, x.shape)
    readers = sorted({r.op_type for r in g.readers.get(node.output[0], [])
                      if r.op_type not in ELT_OPS})
    if readers or node.output[0] in g.graph_outputs:
        raise Refusal("expands %s to %s for %s: no S-Tinylib layer repeats "
                      "values; an Expand maps only as an operand of Add, "
                      "Sub, Mul or Div, which broadcast it themselves"
                      % (x.shape, to, ", ".join(readers) or "the output"))
    g.set(node, Expanded(x, to))


def broadcast_anyway(a, b):
    """An Expand's output read by Add, Sub, Mul or Div: the result must be
    the one the operands give unexpanded (the Expand then changes
    nothing)."""
    full = [getattr(v, "to", v.shape) for v in (a, b)]
    try:
        small = tuple(np.broadcast_shapes(a.shape, b.shape))
    except ValueError:
        small = None
    if small != tuple(np.broadcast_shapes(*full)):
        raise Refusal("operands %s and %s expanded to %s and %s: the "
                      "Expand makes the result larger than its operands "
                      "would, which no S-Tinylib layer repeats"
                      % (a.shape, b.shape, full[0], full[1]))


def with_constant(g, node, op, c, first=False):
    """The node as the arithmetic op of its input and the scalar c (c
    first: c op x): Neg is x * -1, Reciprocal 1 / x, both exact."""
    name = "%s#%s" % (node.output[0], node.op_type)
    g.values[name] = Value((), const=np.float32(c))
    inputs = [name, node.input[0]] if first else [node.input[0], name]
    arithmetic(g, helper.make_node(op, inputs, list(node.output),
                                   name=node.name))


def neg(g, node):
    """-x: times -1 (folded into the Conv or Gemm before, else eltwise)."""
    g.activation(node, 0)
    with_constant(g, node, "Mul", -1.0)


def reciprocal(g, node):
    """1 / x: eltwise's reversed Div by the constant 1."""
    g.activation(node, 0)
    with_constant(g, node, "Div", 1.0, first=True)


def channel_range(x, starts, ends, axes, steps, what):
    """(start, count) of the channels that Slice keeps; every other axis
    whole, step 1."""
    r = len(x.shape)
    axes = list(range(len(starts))) if axes is None else [int(a) % r
                                                          for a in axes]
    steps = [1] * len(starts) if steps is None else [int(s) for s in steps]
    begin, end = 0, x.shape[1]
    for s, e, a, st in zip(starts, ends, axes, steps):
        if st != 1:
            raise Refusal("steps %s: %s maps with step 1 only" % (steps, what))
        n = x.shape[a]
        s, e = (min(max(int(v) + (n if v < 0 else 0), 0), n) for v in (s, e))
        if a == 1:
            begin, end = s, e
        elif (s, e) != (0, n):
            raise Refusal("axis %d [%d, %d) of %s: S-Tinylib slices channels "
                          "(axis 1); every other axis must be whole"
                          % (a, s, e, x.shape))
    if end <= begin:
        raise Refusal("keeps no channel")
    return begin, end - begin


def slice_layer(x, start, count):
    out = Act(count, x.act.h, x.act.w)
    shape = (1, count) + tuple(x.shape[2:])
    return Layer(tlm.SLICE, out, [x.act], [start, count]), shape


def on_channels(node, x):
    if not per_channel(x):
        raise Refusal("input of shape %s held as %s: slices need channels "
                      "as dimension 1" % (x.shape, x.act.dims()))


def slice_(g, node):
    x = g.activation(node, 0)
    on_channels(node, x)
    if g.opset >= 10:
        starts, ends = g.constant(node, 1), g.constant(node, 2)
        axes, steps = g.optional(node, 3), g.optional(node, 4)
    else:
        starts, ends = attr(node, "starts"), attr(node, "ends")
        axes, steps = attr(node, "axes"), None
    start, count = channel_range(x, list(starts), list(ends), axes, steps,
                                 "Slice")
    layer, shape = slice_layer(x, start, count)
    g.emit(node, layer, shape)


def split(g, node):
    """Split on channels: a slice layer per output read."""
    x = g.activation(node, 0)
    on_channels(node, x)
    axis = attr(node, "axis", 0) % len(x.shape)
    if axis != 1:
        raise Refusal("axis %d: S-Tinylib splits channels (axis 1)" % axis)
    sizes = g.optional(node, 1) if g.opset >= 13 else attr(node, "split")
    n, c = len(node.output), x.shape[1]
    if sizes is None:
        if attr(node, "num_outputs") is not None or c % n:
            raise Refusal("%d channels in %d outputs: only equal parts or "
                          "given sizes map" % (c, n))
        sizes = [c // n] * n
    sizes = [int(s) for s in sizes]
    if len(sizes) != n or sum(sizes) != c or min(sizes) <= 0:
        raise Refusal("sizes %s do not split %d channels in %d"
                      % (sizes, c, n))
    start = 0
    for i, (name, count) in enumerate(zip(node.output, sizes)):
        if name and (g.consumers.get(name, 0) or name in g.graph_outputs):
            layer, shape = slice_layer(x, start, count)
            layer.node = node.name
            g.layers.append(layer)
            g.set(node, Value(shape, act=layer.out, layer=layer), i)
        start += count


def reshape(g, node):
    """A rank-5 Reshape maps only in the channel shuffle pattern."""
    target = g.value(node, 1).const
    if target is not None and len(target) == 5:
        raise Refusal("gives shape %s: a rank-5 Reshape maps only in the "
                      "channel shuffle pattern: Reshape (1, g, C/g, H, W), "
                      "Transpose perm [0, 2, 1, 3, 4], Reshape (1, C, H, W)"
                      % (tuple(int(d) for d in target),))
    layout.reshape(g, node)


PATTERN_ONLY = {
    "Transpose": "a Transpose of an activation maps only in the channel "
                 "shuffle pattern (Reshape to (1, g, C/g, H, W), perm "
                 "[0, 2, 1, 3, 4], Reshape back) or around a LayerNorm "
                 "(perm [0, 2, 3, 1], the LayerNorm pattern over the last "
                 "axis, perm [0, 3, 1, 2])",
    "Erf": "Erf maps only in PyTorch's exact GELU: Mul(Mul(x, Add(Erf(Div(x, "
           "sqrt(2))), 1)), 0.5)",
    "Pow": "Pow maps only in the LayerNorm pattern (the square of x - mean)",
    "Sqrt": "Sqrt maps only in the LayerNorm pattern (sqrt(var + eps))",
}


def pattern_only(g, node):
    raise Refusal(PATTERN_ONLY[node.op_type])
