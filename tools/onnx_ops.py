"""ONNX operators as S-Tinylib layers, one function per operator. Each maps
a node exactly or raises Refusal with the reason; docs/onnx.md is the
table of what maps to what. Shapes follow ONNX with batch 1: rank 4 is
(1, C, H, W) and an S-Tinylib tensor (C, H, W); rank 3 is a sequence
(1, C, L), held as (C, 1, L) and read by format 1.1's 1-D layers as
height 1; rank 2 is (1, N), held as whatever tensor the values were
computed in (flattening NCHW moves no byte). Windows (Conv, pools) have
a kernel, stride and padding per axis and side; tlm.py writes format 1.1
only when one is not square and symmetric.
"""
import numpy as np

import tlm
from onnx_graph import Act, Layer, Refusal, Value, attr

LINEAR_TYPES = (tlm.CONV, tlm.CONNECTED)


MAX_WINDOW = 1024         # kernels and pads per side (model-format.md)


def rank4(node, v):
    if len(v.shape) != 4:
        raise Refusal("input of shape %s: expected (1, C, H, W)" % (v.shape,))


def spatial_rank(node, v):
    """4 for (1, C, H, W); 3 for a sequence (1, C, L), held as (C, 1, L)
    and read by the layers as height 1 (format 1.1's 1-D layers)."""
    if len(v.shape) == 4 or (len(v.shape) == 3 and v.act.h == 1 and
                             v.act.c == v.shape[1]):
        return len(v.shape)
    raise Refusal("input of shape %s: expected (1, C, H, W) or (1, C, L)"
                  % (v.shape,))


def out_shape(rank, c, h, w):
    """The ONNX shape of a (c, h, w) tensor at rank 4, or (c, 1, w) at 3."""
    return (1, c, h, w) if rank == 4 else (1, c, w)


def out_size(n, k, s, pad2, ceil=False):
    span = n + pad2 - k
    if span < 0:
        raise Refusal("window %d larger than the padded input %d"
                      % (k, n + pad2))
    return (-(-span // s) if ceil else span // s) + 1


def per_axis(node, name, n, default):
    v = [int(a) for a in attr(node, name, [default] * n)]
    if len(v) != n:
        raise Refusal("%s %s: expected %d values" % (name, v, n))
    return v


class Window:
    """The window of a Conv or pool on (H, W): kernel, stride and zero
    padding per side (top, bottom, left, right); a 1-D node is kh = sh = 1
    without padding in H. pads include a pending Pad node's."""

    def __init__(self, kh, kw, sh, sw, pads):
        self.kh, self.kw, self.sh, self.sw = kh, kw, sh, sw
        self.pads = tuple(int(p) for p in pads)

    def out(self, act, ceil=False):
        top, bottom, left, right = self.pads
        return (out_size(act.h, self.kh, self.sh, top + bottom, ceil),
                out_size(act.w, self.kw, self.sw, left + right, ceil))


def window(node, x, kernel, what):
    """The Window of node on x from kernel and the attributes strides,
    dilations (1 only: what is the layer named in the refusal), pads and
    auto_pad (VALID, SAME_UPPER and SAME_LOWER computed as ONNX does, on
    the input padded by any pending Pad)."""
    n = spatial_rank(node, x) - 2
    kernel = [int(k) for k in kernel]
    if len(kernel) != n or min(kernel) < 1:
        raise Refusal("kernel %s for an input of shape %s"
                      % (kernel, x.shape))
    strides = per_axis(node, "strides", n, 1)
    dil = per_axis(node, "dilations", n, 1)
    if any(d != 1 for d in dil):
        raise Refusal("dilations %s: S-Tinylib's %s have dilation 1"
                      % ("x".join(map(str, dil)), what))
    if min(strides) < 1:
        raise Refusal("strides %s" % strides)
    top, bottom, left, right = x.pad
    sizes = [x.act.h + top + bottom, x.act.w + left + right][-n:]
    auto = attr(node, "auto_pad", "NOTSET")
    if auto == "NOTSET":
        pads = per_axis(node, "pads", 2 * n, 0)
        begin, end = pads[:n], pads[n:]
    elif auto == "VALID":
        begin, end = [0] * n, [0] * n
    elif auto in ("SAME_UPPER", "SAME_LOWER"):
        begin, end = [], []
        for size, k, s in zip(sizes, kernel, strides):
            total = max((-(-size // s) - 1) * s + k - size, 0)
            small, big = total // 2, total - total // 2
            begin.append(small if auto == "SAME_UPPER" else big)
            end.append(big if auto == "SAME_UPPER" else small)
    else:
        raise Refusal("auto_pad %s" % auto)
    if min(begin + end) < 0:
        raise Refusal("pads %s: negative padding (a crop) does not map"
                      % (begin + end))
    if n == 1:          # (C, 1, L): nothing in height
        kernel, strides, begin, end = [1] + kernel, [1] + strides, \
            [0] + begin, [0] + end
    pads = (begin[0] + top, end[0] + bottom, begin[1] + left, end[1] + right)
    if max(kernel + list(pads)) > MAX_WINDOW:
        raise Refusal("kernel %s, pads %s: S-Tinylib's windows and pads "
                      "are at most %d" % (kernel, pads, MAX_WINDOW))
    return Window(kernel[0], kernel[1], strides[0], strides[1], pads)


def conv_params(win, groups):
    """Slots of a convolution: 1.0's four, and 1.1's only where the
    geometry is rectangular or asymmetric (so square models stay 1.0)."""
    top, bottom, left, right = win.pads
    more = [win.kw if win.kw != win.kh else 0,
            win.sw if win.sw != win.sh else 0,
            bottom + 1 if bottom != top else 0,
            (left + 1) | (right + 1) << 16 if (left, right) != (top, top)
            else 0]
    return [win.kh, win.sh, top, groups] + (more if any(more) else [])


def conv_layer(g, node, x, weights, bias, win, groups):
    oh, ow = win.out(x.act)
    m = weights.shape[0]
    layer = Layer(tlm.CONV, Act(m, oh, ow), [x.act], conv_params(win, groups),
                  weights.reshape(m, -1).astype(np.float64),
                  bias.astype(np.float64))
    return g.emit(node, layer, out_shape(len(x.shape), m, oh, ow))


def conv(g, node):
    x = g.activation(node, 0, pad_ok=True)
    rank = spatial_rank(node, x)
    w = g.constant(node, 1)
    groups = int(attr(node, "group", 1))
    if w.ndim != rank or list(attr(node, "kernel_shape", w.shape[2:])) != \
            list(w.shape[2:]):
        raise Refusal("weights of shape %s for an input of shape %s"
                      % (w.shape, x.shape))
    win = window(node, x, w.shape[2:], "convolutions")
    m, c = w.shape[0], x.act.c
    if groups < 1 or w.shape[1] * groups != c or m % groups:
        raise Refusal("weights %s with group %d do not fit %d input channels"
                      % (w.shape, groups, c))
    b = g.optional(node, 2)
    b = np.zeros(m) if b is None else b.reshape(m)
    conv_layer(g, node, x, w, b, win, groups)


def flat_input(g, node, i):
    """An activation read as a (1, K) matrix: returns it and K."""
    v = g.activation(node, i)
    if len(v.shape) != 2 or v.shape[0] != 1:
        raise Refusal("input of shape %s: a connected layer reads (1, K); "
                      "Flatten first" % (v.shape,))
    return v, v.shape[1]


def connected(g, node, x, weights, bias):
    n = weights.shape[0]
    layer = Layer(tlm.CONNECTED, Act(n, 1, 1), [x.act],
                  weights=weights.astype(np.float64),
                  bias=bias.astype(np.float64))
    return g.emit(node, layer, (1, n))


def gemm(g, node):
    if attr(node, "transA", 0):
        raise Refusal("transA=1: the input must be the left operand as it is")
    x, k = flat_input(g, node, 0)
    b = g.constant(node, 1)
    w = b if attr(node, "transB", 0) else b.T    # S-Tinylib: [out][in]
    if w.ndim != 2 or w.shape[1] != k:
        raise Refusal("B of shape %s does not take %d inputs" % (b.shape, k))
    if attr(node, "alpha", 1.0) != 1.0:
        raise Refusal("alpha=%g: only alpha=1 maps exactly"
                      % attr(node, "alpha"))
    c = g.optional(node, 2)
    if c is not None and attr(node, "beta", 1.0) != 1.0:
        raise Refusal("beta=%g: only beta=1 maps exactly" % attr(node, "beta"))
    connected(g, node, x, w, channel_vector(c, 2, w.shape[0]))


def matmul(g, node):
    x, k = flat_input(g, node, 0)
    b = g.constant(node, 1)
    if b.ndim != 2 or b.shape[0] != k:
        raise Refusal("B of shape %s does not take %d inputs" % (b.shape, k))
    connected(g, node, x, b.T, np.zeros(b.shape[1]))


def channel_vector(c, rank, n):
    """A constant that adds the same value over H and W of each of n
    channels (dimension 1 of a rank-`rank` tensor) as a vector of n."""
    if c is None:
        return np.zeros(n)
    c = np.asarray(c, np.float64)
    full = (1,) * (rank - c.ndim) + c.shape
    if len(full) != rank or any(d != 1 for i, d in enumerate(full) if i != 1) \
            or full[1] not in (1, n):
        raise Refusal("constant of shape %s is not one value per channel"
                      % (c.shape,))
    return np.broadcast_to(c.reshape(-1), (n,)).copy()


def add(g, node):
    a, b = g.value(node, 0), g.value(node, 1)
    if a.act is None or b.act is None:
        return add_bias(g, node, 1 if a.act is None else 0)
    g.activation(node, 0), g.activation(node, 1)   # no pending Pad
    for i, (v, other) in enumerate(((a, b), (b, a))):
        layer = g.foldable(node.input[i], (tlm.CONV,))
        if layer is not None and identity_projection(layer, other.act):
            g.layers.remove(layer)
            src = Value(v.shape, act=layer.inputs[0])
            return shortcut(g, node, other, src, other.shape)
    if a.shape != b.shape or a.act.dims() != b.act.dims():
        raise Refusal("adds shapes %s and %s: S-Tinylib adds tensors of one "
                      "shape (no broadcasting)" % (a.shape, b.shape))
    # Darknet's order: the newer tensor is the shortcut's first input.
    later, earlier = (a, b) if g.position(a) >= g.position(b) else (b, a)
    shortcut(g, node, later, earlier, a.shape)


def shortcut(g, node, prev, frm, shape):
    """Darknet's shortcut: out = prev + from (alpha = beta = 1)."""
    one = tlm.float_param(1.0)
    layer = Layer(tlm.SHORTCUT, Act(*prev.act.dims()), [prev.act, frm.act],
                  [one, one])
    g.emit(node, layer, shape)


def identity_projection(layer, prev):
    """A 1x1 convolution, stride s, weights the identity on the channels
    both sides have and zero elsewhere, no bias: exactly Darknet's
    shortcut from a layer s times larger (ResNet's downsampling without a
    projection). True when it feeds prev's shape that way."""
    k, s, pad, groups = layer.params[:4]
    src = layer.inputs[0]
    if k != 1 or pad or groups != 1 or any(layer.params[4:]) or \
            np.any(layer.bias):
        return False
    if src.h != s * prev.h or src.w != s * prev.w or \
            layer.out.dims() != prev.dims():
        return False
    return np.array_equal(layer.weights, np.eye(*layer.weights.shape))


def add_bias(g, node, i):
    """Add of a constant to input i: the bias of the Conv, Gemm or MatMul
    before it."""
    v, c = g.value(node, i), g.value(node, 1 - i).const
    layer = g.foldable(node.input[i], LINEAR_TYPES)
    if v.act is None or layer is None:
        raise Refusal("adds a constant; onnx2tlm maps that only as the bias "
                      "of the Conv, Gemm or MatMul it follows")
    layer.bias = layer.bias + channel_vector(c, len(v.shape), layer.out.c)
    g.set(node, Value(v.shape, act=v.act, layer=layer))


def batchnorm(g, node):
    if attr(node, "training_mode", 0) or attr(node, "spatial", 1) != 1:
        raise Refusal("training mode or spatial=0: only inference "
                      "normalisation per channel maps")
    for i in range(1, len(node.output)):
        g.unused(node, i)
    x = g.activation(node, 0)
    scale, beta, mean, var = (g.constant(node, i).astype(np.float64)
                              for i in range(1, 5))
    k = scale / np.sqrt(var + attr(node, "epsilon", 1e-5))
    shift = beta - mean * k
    layer = g.foldable(node.input[0], LINEAR_TYPES)
    if layer is not None:
        layer.weights = layer.weights * k[:, None]
        layer.bias = layer.bias * k + shift
        return g.set(node, Value(x.shape, act=x.act, layer=layer))
    # Alone: a depthwise 1x1 convolution, one scale and shift per channel.
    if x.shape[1] != x.act.c or len(k) != x.act.c:
        raise Refusal("normalises %d channels of a tensor held as %s"
                      % (len(k), x.act.dims()))
    layer = Layer(tlm.CONV, Act(*x.act.dims()), [x.act],
                  [1, 1, 0, x.act.c], k.reshape(-1, 1), shift)
    g.emit(node, layer, x.shape)


def activation_op(code):
    def apply(g, node):
        x = g.activation(node, 0)
        layer = g.foldable(node.input[0], LINEAR_TYPES + (tlm.SHORTCUT,
                                                          tlm.ELTWISE))
        apply_activation(g, node, x, layer, code)
    return apply


def apply_activation(g, node, x, layer, code):
    """Fused into layer when there is one to fuse into, else a layer."""
    if layer is not None:
        layer.activation = code
        return g.set(node, Value(x.shape, act=x.act, layer=layer))
    g.emit(node, Layer(tlm.ACTIVATION_LAYER, Act(*x.act.dims()),
                       [x.act]), x.shape)
    g.layers[-1].activation = code


def leaky(g, node):
    alpha = np.float32(attr(node, "alpha", 0.01))
    if alpha != np.float32(0.1):
        raise Refusal("alpha=%g: S-Tinylib's leaky slope is 0.1" % alpha)
    activation_op(tlm.LEAKY)(g, node)


def clip(g, node):
    if g.opset < 11:
        lo, hi = attr(node, "min", -np.inf), attr(node, "max", np.inf)
    else:
        lo, hi = g.optional(node, 1), g.optional(node, 2)
        lo = -np.inf if lo is None else float(lo)
        hi = np.inf if hi is None else float(hi)
    if lo == 0 and hi == 6:
        return activation_op(tlm.RELU6)(g, node)
    if lo == 0 and hi == np.inf:
        return activation_op(tlm.RELU)(g, node)
    raise Refusal("Clip(%g, %g): only Clip(0, 6) (relu6) and Clip(0) (relu) "
                  "map" % (lo, hi))


def hardsigmoid(g, node):
    """HardSigmoid(x) read only by a Mul with x: PyTorch's hardswish as
    exported before opset 14 (x * HardSigmoid(x) with alpha 1/6, beta 1/2),
    mapped at that Mul. Alone it needs an activation S-Tinylib lacks."""
    x = g.activation(node, 0)
    alpha, beta = attr(node, "alpha", 0.2), attr(node, "beta", 0.5)
    if np.float32(alpha) != np.float32(1 / 6) or np.float32(beta) != 0.5:
        raise Refusal("alpha=%g beta=%g: only PyTorch's hardsigmoid (alpha "
                      "1/6, beta 1/2) times its input maps, as hardswish"
                      % (alpha, beta))
    readers = g.readers.get(node.output[0], [])
    if len(readers) != 1 or readers[0].op_type != "Mul" or \
            sorted(readers[0].input) != sorted([node.input[0],
                                                node.output[0]]) or \
            node.output[0] in g.graph_outputs:
        raise Refusal("HardSigmoid not multiplied by its own input (the "
                      "hardswish pattern): S-Tinylib has no hardsigmoid "
                      "activation yet")
    g.set(node, Value(x.shape, hardsigmoid_of=node.input[0]))


def hardswish_pattern(g, node):
    """Mul(x, HardSigmoid(x)): hardswish, fused as any activation. x is
    read by both nodes of the pattern, which count as its one reader."""
    for i in (0, 1):
        v = g.value(node, i)
        if v.hardsigmoid_of is not None and \
                v.hardsigmoid_of == node.input[1 - i]:
            x = g.activation(node, 1 - i)
            layer = g.foldable(node.input[1 - i], LINEAR_TYPES +
                               (tlm.SHORTCUT,), readers=2)
            apply_activation(g, node, x, layer, tlm.HARDSWISH)
            return True
    return False


def scale_input(g, node, what):
    """For Mul and Div by a constant: the index of the activation input,
    the constant, and the Conv or Gemm layer before it that takes the
    scale; refuses what waits for the eltwise layer."""
    a, b = g.value(node, 0), g.value(node, 1)
    if a.act is not None and b.act is not None:
        raise Refusal("%s two activations: waits for S-Tinylib's eltwise "
                      "layer" % what)
    i = 0 if a.act is not None else 1
    if i == 1 and node.op_type == "Div":
        raise Refusal("divides a constant by an activation: waits for "
                      "S-Tinylib's eltwise layer")
    x, c = g.activation(node, i), g.constant(node, 1 - i)
    layer = g.foldable(node.input[i], LINEAR_TYPES)
    if layer is None:
        raise Refusal("%s a constant not directly after a Conv, Gemm or "
                      "MatMul it alone reads: waits for S-Tinylib's eltwise "
                      "layer" % what)
    try:
        k = channel_vector(c, len(x.shape), layer.out.c)
    except Refusal as e:
        raise Refusal("%s (it folds only one value per channel)" % e)
    return x, k, layer


def fold_scale(g, node, x, layer, k):
    """out = (w x + b) k per output channel: w k and b k, each product
    rounded once to float32 (as a BatchNormalization fold is)."""
    layer.weights = layer.weights * k[:, None]
    layer.bias = layer.bias * k
    g.set(node, Value(x.shape, act=x.act, layer=layer))


def mul(g, node):
    if hardswish_pattern(g, node):
        return
    x, k, layer = scale_input(g, node, "multiplies")
    fold_scale(g, node, x, layer, k)


def div(g, node):
    x, k, layer = scale_input(g, node, "divides")
    if not np.all(np.isfinite(k)) or np.any(k == 0):
        raise Refusal("divides by zero or a non-finite constant")
    fold_scale(g, node, x, layer, 1.0 / k)


def sub(g, node):
    """x - c: the bias less c. c - x: the weights and bias negated (exact)
    and c added."""
    a, b = g.value(node, 0), g.value(node, 1)
    if a.act is not None and b.act is not None:
        raise Refusal("subtracts two activations: waits for S-Tinylib's "
                      "eltwise layer")
    i = 0 if a.act is not None else 1
    v, c = g.activation(node, i), g.constant(node, 1 - i)
    layer = g.foldable(node.input[i], LINEAR_TYPES)
    if layer is None:
        raise Refusal("subtracts a constant not directly after a Conv, Gemm "
                      "or MatMul it alone reads: waits for S-Tinylib's "
                      "eltwise layer")
    k = channel_vector(c, len(v.shape), layer.out.c)
    if i == 0:
        layer.bias = layer.bias - k
    else:
        layer.weights, layer.bias = -layer.weights, k - layer.bias
    g.set(node, Value(v.shape, act=v.act, layer=layer))
