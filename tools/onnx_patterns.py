"""Runs of ONNX nodes that map together to one S-Tinylib layer or
activation, as PyTorch 1.13 writes them at opsets 13 and 14: the exact
GELU, LayerNorm over channels (channels first, or channels last between
two Transposes), and the channel shuffle. find() matches them on the
graph before the walk, on structure and constants only; the walk maps
a match at its last node (apply, which checks the shapes and refuses
with the reason) and skips the others. A run that does not match exactly
is walked node by node, and its Erf, Pow, Sqrt or Transpose is refused
naming the pattern it lacks. docs/onnx.md lists the patterns.
"""
import numpy as np
import onnx_constants
import onnx_ops as ops
import tlm
from onnx_graph import Act, Layer, Refusal, attr, constant_value

SQRT2 = np.float32(np.sqrt(2))


class Match:
    """name: how a refusal names it; nodes: the run, last its last node;
    x: the activation it reads."""

    def __init__(self, name, nodes, x, apply, **info):
        self.name, self.nodes, self.x, self.apply = name, nodes, x, apply
        self.last, self.info = nodes[-1], info


class Finder:
    def __init__(self, nodes, readers, initializers, graph_outputs, opset):
        self.readers, self.outputs = readers, set(graph_outputs)
        self.producer = {o: n for n in nodes for o in n.output}
        self.consts = dict(initializers)
        for n in nodes:     # as the walk computes them (not Shape's)
            try:
                if n.op_type == "Constant":
                    c = constant_value(n)
                elif n.op_type == "Identity" and n.input[0] in self.consts:
                    c = self.consts[n.input[0]]
                elif n.input and len(n.output) == 1 and \
                        all(i in self.consts for i in n.input if i):
                    c = onnx_constants.compute(n, [
                        self.consts[i] if i else None for i in n.input],
                        opset)
                else:
                    continue
            except Exception:       # the walk refuses it
                continue
            if c is not None:
                self.consts[n.output[0]] = c

    def const(self, name):
        return self.consts.get(name) if name else None

    def scalar(self, name):
        c = self.const(name)
        return None if c is None or np.size(c) != 1 else \
            float(np.asarray(c).reshape(-1)[0])

    def only_reader(self, name, op):
        """The one node reading name, if of operator op and name is not a
        graph output."""
        r = self.readers.get(name, [])
        if len(r) == 1 and r[0].op_type == op and name not in self.outputs:
            return r[0]
        return None

    def other(self, node, name):
        """The input of a two-input node that is not name."""
        if len(node.input) != 2 or name not in node.input or \
                node.input[0] == node.input[1]:
            return None
        return node.input[1 - list(node.input).index(name)]


def find(nodes, readers, initializers, graph_outputs, opset):
    """{id(node): Match} for every node of every match."""
    f = Finder(nodes, readers, initializers, graph_outputs, opset)
    matches = {}
    for n in nodes:
        m = None
        if n.op_type == "Erf":
            m = gelu(f, n)
        elif n.op_type == "ReduceMean":
            m = layernorm(f, n)
        elif n.op_type == "Transpose":
            m = shuffle(f, n)
        if m is not None and not any(id(k) in matches for k in m.nodes):
            matches.update((id(k), m) for k in m.nodes)
    return matches


# ---- GELU: Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5) ----

def gelu(f, erf):
    div = f.producer.get(erf.input[0])
    if div is None or div.op_type != "Div" or len(div.input) != 2 or \
            f.only_reader(div.output[0], "Erf") is not erf:
        return None
    x = div.input[0]
    if f.const(x) is not None or f.scalar(div.input[1]) is None or \
            np.float32(f.scalar(div.input[1])) != SQRT2:
        return None
    add = f.only_reader(erf.output[0], "Add")
    if add is None or f.scalar(f.other(add, erf.output[0])) != 1.0:
        return None
    mul = f.only_reader(add.output[0], "Mul")
    if mul is None or f.other(mul, add.output[0]) != x:
        return None
    half = f.only_reader(mul.output[0], "Mul")
    if half is None or f.scalar(f.other(half, mul.output[0])) != 0.5:
        return None
    return Match("GELU pattern", [div, erf, add, mul, half], x, apply_gelu)


def apply_gelu(g, m):
    x = activation(g, m)
    layer = g.foldable(m.x, ops.LINEAR_TYPES + (tlm.SHORTCUT, tlm.ELTWISE),
                       readers=2)       # x is read by the pattern twice
    ops.apply_activation(g, m.last, x, layer, tlm.GELU)


def activation(g, m):
    v = g.values[m.x]
    if v.act is None:
        raise Refusal("reads a constant: S-Tinylib computes it on "
                      "activations only")
    if np.any(v.pad):
        raise Refusal("reads the output of Pad '%s', which onnx2tlm folds "
                      "only into a following Conv or AveragePool"
                      % v.pad_node)
    return v


# ---- LayerNorm ----

def mean_axes(f, node):
    if len(node.input) > 1 and node.input[1]:
        axes = f.const(node.input[1])
        axes = None if axes is None else [int(a) for a in axes]
    else:
        axes = attr(node, "axes")
        axes = None if axes is None else list(axes)
    return axes if attr(node, "keepdims", 1) == 1 else None


def layernorm(f, rm1):
    """u = ReduceMean(x), d = Sub(x, u), Pow(d, 2), ReduceMean, Add eps,
    Sqrt, Div(d, .), then Mul gamma and Add beta if there; the mean over
    one axis, kept. Around it Transpose [0, 2, 3, 1] and [0, 3, 1, 2]: the
    channels-last LayerNorm (nn.LayerNorm on a permuted tensor)."""
    x, axes = rm1.input[0], mean_axes(f, rm1)
    sub = f.only_reader(rm1.output[0], "Sub")
    if axes is None or len(axes) != 1 or sub is None or \
            list(sub.input) != [x, rm1.output[0]]:
        return None
    d = sub.output[0]
    readers = f.readers.get(d, [])
    pw = [r for r in readers if r.op_type == "Pow"]
    dv = [r for r in readers if r.op_type == "Div"]
    if len(readers) != 2 or len(pw) != 1 or len(dv) != 1 or \
            d in f.outputs or list(pw[0].input)[0] != d or \
            f.scalar(pw[0].input[1]) != 2.0 or list(dv[0].input)[0] != d:
        return None
    rm2 = f.only_reader(pw[0].output[0], "ReduceMean")
    if rm2 is None or mean_axes(f, rm2) != axes:
        return None
    add = f.only_reader(rm2.output[0], "Add")
    eps = None if add is None else f.other(add, rm2.output[0])
    sqrt = None if add is None else f.only_reader(add.output[0], "Sqrt")
    if f.scalar(eps) is None or sqrt is None or \
            f.only_reader(sqrt.output[0], "Div") is not dv[0] or \
            list(dv[0].input) != [d, sqrt.output[0]]:
        return None
    run = [rm1, sub, pw[0], rm2, add, sqrt, dv[0]]
    gamma = beta = None
    mul = f.only_reader(dv[0].output[0], "Mul")
    if mul is not None and \
            f.const(f.other(mul, dv[0].output[0])) is not None:
        gamma = f.const(f.other(mul, dv[0].output[0]))
        run.append(mul)
    last = run[-1].output[0]
    addb = f.only_reader(last, "Add")
    if addb is not None and f.const(f.other(addb, last)) is not None:
        beta = f.const(f.other(addb, last))
        run.append(addb)
    info = dict(axes=axes, eps=f.scalar(eps), gamma=gamma, beta=beta,
                last_axis=False)
    into = f.producer.get(x)
    if into is not None and into.op_type == "Transpose" and \
            list(attr(into, "perm", [])) == [0, 2, 3, 1] and \
            sorted(id(r) for r in f.readers.get(x, [])) == \
            sorted([id(rm1), id(sub)]) and x not in f.outputs:
        back = f.only_reader(run[-1].output[0], "Transpose")
        if back is not None and list(attr(back, "perm", [])) == [0, 3, 1, 2]:
            info["last_axis"] = True
            return Match("LayerNorm pattern", [into] + run + [back],
                         into.input[0], apply_layernorm, **info)
    return Match("LayerNorm pattern", run, x, apply_layernorm, **info)


def affine(c, rank, axis, n, what, default):
    """gamma or beta as n values: c broadcast along axis of a rank-`rank`
    tensor, one value per channel or one value."""
    if c is None:
        return np.full(n, default, np.float64)
    c = np.asarray(c, np.float64)
    full = (1,) * (rank - c.ndim) + c.shape
    if len(full) != rank or any(d != 1 for i, d in enumerate(full)
                                if i != axis) or full[axis] not in (1, n):
        raise Refusal("%s of shape %s is not one value per channel"
                      % (what, c.shape))
    return np.broadcast_to(c.reshape(-1), (n,)).astype(np.float64)


def apply_layernorm(g, m):
    x, info = activation(g, m), m.info
    r = len(x.shape)
    if info["last_axis"]:
        ops_rank4(x)
        axis, want = 3, 3           # channels last: (1, H, W, C)
    else:
        axis, want = info["axes"][0] % r, 1
    if axis != want or r < 2 or not channels_inside(x):
        raise Refusal("the mean over axis %s of %s: S-Tinylib's layernorm "
                      "normalises over the channels (axis 1, or the last "
                      "axis between Transposes to and from channels last)"
                      % (info["axes"], x.shape))
    eps = np.float32(info["eps"])
    if not (np.isfinite(eps) and eps > 0):
        raise Refusal("eps %g: must be positive and finite" % eps)
    c = x.act.c
    gamma = affine(info["gamma"], 4 if info["last_axis"] else r, axis, c,
                   "gamma", 1.0)
    beta = affine(info["beta"], 4 if info["last_axis"] else r, axis, c,
                  "beta", 0.0)
    layer = Layer(tlm.LAYERNORM, Act(*x.act.dims()), [x.act],
                  [tlm.float_param(float(eps))], gamma.reshape(c, 1), beta)
    g.emit(m.last, layer, x.shape)


def ops_rank4(x):
    if len(x.shape) != 4:
        raise Refusal("input of shape %s: the channels-last LayerNorm "
                      "needs (1, C, H, W)" % (x.shape,))


def channels_inside(x):
    return x.act.c == x.shape[1] and \
        x.act.h * x.act.w == int(np.prod(x.shape[2:]))


# ---- channel shuffle ----

def shuffle(f, t):
    """Reshape (1, C, H, W) -> (1, g, C/g, H, W), Transpose [0, 2, 1, 3,
    4], Reshape -> (1, C, H, W): PyTorch's channel_shuffle."""
    if list(attr(t, "perm", [])) != [0, 2, 1, 3, 4]:
        return None
    r1 = f.producer.get(t.input[0])
    r2 = f.only_reader(t.output[0], "Reshape")
    if r1 is None or r1.op_type != "Reshape" or r2 is None or \
            f.only_reader(r1.output[0], "Transpose") is not t or \
            r2.input[0] != t.output[0]:
        return None
    s1, s2 = f.const(r1.input[1]), f.const(r2.input[1])
    if s1 is None or s2 is None or attr(r1, "allowzero", 0) or \
            attr(r2, "allowzero", 0):
        return None
    return Match("channel shuffle pattern", [r1, t, r2], r1.input[0],
                 apply_shuffle, s1=[int(d) for d in s1],
                 s2=[int(d) for d in s2])


def resolve(shape, like, n):
    """Reshape's 0 (copy from like) and -1 (the rest of n)."""
    shape = [like[i] if d == 0 and i < len(like) else d
             for i, d in enumerate(shape)]
    if shape.count(-1) == 1:
        known = int(np.prod([d for d in shape if d != -1]))
        shape[shape.index(-1)] = n // max(known, 1)
    return shape


def apply_shuffle(g, m):
    x = activation(g, m)
    if len(x.shape) != 4 or not channels_inside(x):
        raise Refusal("input of shape %s: the channel shuffle needs "
                      "(1, C, H, W)" % (x.shape,))
    _, c, h, w = x.shape
    n = c * h * w
    s1 = resolve(m.info["s1"], x.shape, n)
    groups = s1[1] if len(s1) == 5 else 0
    mid = [s1[i] for i in (0, 2, 1, 3, 4)] if len(s1) == 5 else []
    s2 = resolve(m.info["s2"], mid, n)
    if len(s1) != 5 or groups < 2 or c % groups or \
            s1 != [1, groups, c // groups, h, w] or s2 != [1, c, h, w]:
        raise Refusal("Reshape %s, Transpose, Reshape %s of %s: only the "
                      "channel shuffle (1, g, C/g, H, W) with g >= 2, back "
                      "to (1, C, H, W), maps" % (s1, s2, x.shape))
    layer = Layer(tlm.SHUFFLE, Act(c, h, w), [x.act], [groups])
    g.emit(m.last, layer, x.shape)

