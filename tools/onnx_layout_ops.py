"""ONNX operators that pool, move or relabel values: pooling (average,
and the maximum over the plane), Softmax, Concat, nearest Resize, and
the ones that move no byte (Flatten, Reshape, Squeeze and Unsqueeze to
flat or to the tensor's own shape, Dropout, Identity, Pad folded into
the next Conv or AveragePool). The arithmetic ones are in onnx_ops.py.
"""
import numpy as np

import tlm
from onnx_graph import Act, Layer, Refusal, Value, attr
from onnx_ops import MAX_WINDOW, Window, conv_layer, out_shape, out_size, \
    rank4, spatial_rank, window


def maxpool_padding(node, n, k, s, begin, end, ceil):
    """Darknet's total padding P for one axis: its window starts at -P/2
    and skips what lies outside, as ONNX's does at -begin; the output
    sizes must agree too. Darknet's default P = k - 1 first, so a
    Darknet-born model comes back with the same layer."""
    want = out_size(n, k, s, begin + end, ceil)
    if ceil and (want - 1) * s >= n + begin:
        want -= 1            # ONNX: the last window starts inside
    for p in (k - 1, 2 * begin, 2 * begin + 1):
        if p // 2 == begin and n + p >= k and (n + p - k) // s + 1 == want:
            return p
    raise Refusal("pads (%d, %d) with ceil_mode=%d give %d outputs from %d, "
                  "which Darknet's maxpool can not"
                  % (begin, end, ceil, want, n))


def maxpool_params(win, ph, pw):
    """Slots of a maxpool: 1.0's three, 1.1's where H and W differ."""
    more = [win.kw if win.kw != win.kh else 0,
            win.sw if win.sw != win.sh else 0, pw + 1 if pw != ph else 0]
    return [win.kh, win.sh, ph] + (more if any(more) else [])


def maxpool(g, node):
    """Darknet's maxpool, its total padding chosen per axis."""
    x = g.activation(node, 0)
    g.unused(node, 1)
    win = window(node, x, attr(node, "kernel_shape", []), "maxpools")
    top, bottom, left, right = win.pads
    ceil = attr(node, "ceil_mode", 0)
    ph = maxpool_padding(node, x.act.h, win.kh, win.sh, top, bottom, ceil)
    pw = maxpool_padding(node, x.act.w, win.kw, win.sw, left, right, ceil)
    if max(ph, pw) > MAX_WINDOW:
        raise Refusal("padding %d: S-Tinylib's maxpool pads at most %d"
                      % (max(ph, pw), MAX_WINDOW))
    oh = (x.act.h + ph - win.kh) // win.sh + 1
    ow = (x.act.w + pw - win.kw) // win.sw + 1
    layer = Layer(tlm.MAXPOOL, Act(x.act.c, oh, ow), [x.act],
                  maxpool_params(win, ph, pw))
    g.emit(node, layer, out_shape(len(x.shape), x.act.c, oh, ow))


def global_avgpool(g, node, x):
    layer = Layer(tlm.AVGPOOL, Act(x.act.c, 1, 1), [x.act])
    g.emit(node, layer, out_shape(len(x.shape), x.act.c, 1, 1))


def globalaveragepool(g, node):
    x = g.activation(node, 0)
    spatial_rank(node, x)
    global_avgpool(g, node, x)


def averagepool(g, node):
    """The whole plane: S-Tinylib's global avgpool. A window: a depthwise
    convolution with every weight 1/(kh kw) and zero padding, which is the
    average with the padding counted (count_include_pad=1, PyTorch's
    default); it rounds the kh kw products where ONNX divides the sum
    once."""
    x = g.activation(node, 0, pad_ok=True)
    rank = spatial_rank(node, x)
    kernel = [int(k) for k in attr(node, "kernel_shape", [])]
    win = window(node, x, kernel, "average pools")
    own = [a - b for a, b in zip(win.pads, x.pad)]     # the node's pads
    if kernel == [x.act.h, x.act.w][4 - rank:] and not any(win.pads):
        return global_avgpool(g, node, x)
    if any(own) and not attr(node, "count_include_pad", 0):
        raise Refusal("count_include_pad=0 with pads: border windows would "
                      "divide by fewer taps, which no S-Tinylib kernel does")
    if attr(node, "ceil_mode", 0) and win.out(x.act, True) != win.out(x.act):
        raise Refusal("ceil_mode=1 adds partial windows")
    c, taps = x.act.c, win.kh * win.kw
    conv_layer(g, node, x, np.full((c, taps), 1.0 / taps), np.zeros(c), win,
               c)


def softmax(g, node):
    """S-Tinylib's softmax covers the whole tensor: the ONNX axis must too."""
    x = g.activation(node, 0)
    shape, r = x.shape, len(x.shape)
    if g.opset >= 13:
        axis = attr(node, "axis", -1) % r
        covers = all(d == 1 for i, d in enumerate(shape) if i != axis)
    else:
        axis = attr(node, "axis", 1) % r
        covers = int(np.prod(shape[:axis])) == 1
    if not covers:
        raise Refusal("axis %d of shape %s is not the whole tensor, and "
                      "S-Tinylib's softmax is over all values" % (axis, shape))
    g.emit(node, Layer(tlm.SOFTMAX, Act(*x.act.dims()), [x.act]), shape)


def held_as(shape):
    """The (c, h, w) tensor an ONNX shape of batch 1 is held as: (1, C, H,
    W) as (C, H, W), (1, C, L) as (C, 1, L); None for other ranks."""
    shape = tuple(int(d) for d in shape)
    if len(shape) == 4 and shape[0] == 1:
        return shape[1:]
    if len(shape) == 3 and shape[0] == 1:
        return (shape[1], 1, shape[2])
    return None


def flat(g, node, x, shape):
    """x under another ONNX shape, the same bytes: (1, N) or (N) (flat,
    the batch dropped by a squeeze), or a shape held as x's tensor is
    (x.view(b, c, 1, 1) after a Linear, x.unsqueeze(-1), back to (1, C, H,
    W) after a flatten). Any other shape would need the bytes moved."""
    shape = tuple(int(d) for d in shape)
    if (len(shape) == 2 and shape[0] == 1) or len(shape) == 1 or \
            held_as(shape) == x.act.dims():
        return g.alias(node, x, shape)
    raise Refusal("gives shape %s: only (1, N), (N) or the shape "
                  "S-Tinylib holds the tensor in, (1, %d, %d, %d), maps (the "
                  "same bytes; no layer moves them)" % ((shape,) +
                                                        x.act.dims()))


def flatten(g, node):
    x = g.activation(node, 0)
    axis = attr(node, "axis", 1)
    axis += len(x.shape) if axis < 0 else 0
    flat(g, node, x, (int(np.prod(x.shape[:axis])),
                      int(np.prod(x.shape[axis:]))))


def reshape(g, node):
    x = g.activation(node, 0)
    shape = [int(d) for d in g.constant(node, 1)]
    if not attr(node, "allowzero", 0):
        shape = [x.shape[i] if d == 0 else d for i, d in enumerate(shape)]
    if shape.count(-1) == 1:
        known = int(np.prod([d for d in shape if d != -1]))
        shape[shape.index(-1)] = int(np.prod(x.shape)) // max(known, 1)
    if np.prod(shape) != np.prod(x.shape):
        raise Refusal("shape %s does not hold %s" % (shape, x.shape))
    flat(g, node, x, shape)


def axes_of(g, node, rank):
    """Squeeze's and Unsqueeze's axes (an input from opset 13, before an
    attribute) on a result of rank `rank`, each in [0, rank), sorted; None
    when not given."""
    axes = g.optional(node, 1) if g.opset >= 13 else attr(node, "axes")
    if axes is None:
        return None
    axes = [int(a) for a in np.asarray(axes).reshape(-1)]
    if any(a < -rank or a >= rank for a in axes) or \
            len({a % rank for a in axes}) != len(axes):
        raise Refusal("axes %s for rank %d" % (axes, rank))
    return sorted(a % rank for a in axes)


def squeeze(g, node):
    """Dimensions of 1 dropped: the same bytes under a shape flat() takes
    (x.squeeze(-1), x.squeeze() to (N))."""
    x = g.activation(node, 0)
    axes = axes_of(g, node, len(x.shape))
    if axes is None:
        axes = [i for i, d in enumerate(x.shape) if d == 1]
    if any(x.shape[a] != 1 for a in axes):
        raise Refusal("axes %s of shape %s: only dimensions of 1 squeeze"
                      % (axes, x.shape))
    flat(g, node, x, [d for i, d in enumerate(x.shape) if i not in axes])


def unsqueeze(g, node):
    """Dimensions of 1 inserted: the same bytes under a shape flat() takes
    (x[:, :, None, None] or x.unsqueeze(-1) after a Linear)."""
    x = g.activation(node, 0)
    given = g.optional(node, 1) if g.opset >= 13 else attr(node, "axes")
    if given is None:
        raise Refusal("no axes")
    shape = list(x.shape)
    for a in axes_of(g, node, len(shape) + np.asarray(given).size):
        shape.insert(a, 1)
    flat(g, node, x, shape)


def passthrough(g, node):
    """Dropout (the identity at inference) and Identity: the same tensor."""
    v = g.value(node, 0)
    if node.op_type == "Dropout":
        g.unused(node, 1)
        train = g.optional(node, 2)
        if train is not None and bool(train):
            raise Refusal("training_mode is true: dropout at inference only")
    if any(v.pad):
        g.activation(node, 0)        # refuses, naming the Pad
    g.set(node, Value(v.shape, act=v.act, const=v.const, layer=None))


def concat(g, node):
    xs = [g.activation(node, i) for i in range(len(node.input))]
    r = len(xs[0].shape)
    axis = attr(node, "axis") % r
    if axis != 1 or any(len(x.shape) != r for x in xs):
        raise Refusal("axis %d of rank %d: S-Tinylib concatenates channels "
                      "(axis 1)" % (axis, r))
    hw = {(x.act.h, x.act.w) for x in xs}
    if len(hw) != 1 or (r == 2 and hw != {(1, 1)}):
        raise Refusal("inputs of different H, W %s" % sorted(hw))
    h, w = hw.pop()
    acts = [x.act for x in xs]
    while True:          # more than four inputs: routes of routes
        part, acts = acts[:tlm.MAX_INPUTS], acts[tlm.MAX_INPUTS:]
        out = Act(sum(a.c for a in part), h, w)
        shape = (1, out.c, h, w) if r == 4 else (1, out.c)
        g.emit(node, Layer(tlm.ROUTE, out, part), shape)
        if not acts:
            return
        acts = [out] + acts


def pad(g, node):
    """Zeros around H and W (or L), kept pending for the Conv or
    AveragePool that reads it (both pad with zeros); no other reader may
    take it. Each side its own amount (Keras' 'same' pads the end more)."""
    x = g.activation(node, 0, pad_ok=True)
    if g.opset < 11:
        pads, value = attr(node, "pads"), attr(node, "value", 0.0)
    else:
        pads, value = g.constant(node, 1), g.optional(node, 2)
        if len(node.input) > 3 and node.input[3]:
            raise Refusal("the axes input is not supported")
    pads = [int(p) for p in pads]
    if attr(node, "mode", "constant") != "constant" or \
            (value is not None and float(value) != 0):
        raise Refusal("only constant zero padding maps")
    r = spatial_rank(node, x)
    if len(pads) != 2 * r:
        raise Refusal("pads %s for rank %d" % (pads, r))
    begin, end = pads[:r], pads[r:]
    if begin[:2] != [0, 0] or end[:2] != [0, 0] or min(pads) < 0:
        raise Refusal("pads %s: only zeros around H and W map (none on N "
                      "and C, no negative pads)" % pads)
    if r == 3:
        begin, end = [0] + begin, [0] + end
    p = (begin[2], end[2], begin[3], end[3])
    total = tuple(a + b for a, b in zip(x.pad, p))
    shape = out_shape(r, x.act.c, x.act.h + total[0] + total[1],
                      x.act.w + total[2] + total[3])
    g.set(node, Value(shape, act=x.act, pad=total,
                      pad_node=node.name if any(p) else x.pad_node))


def nearest_source(mode, rounding, i, scale, n_in, n_out):
    """ONNX Resize's source index for output i along one axis (nearest)."""
    if mode == "asymmetric":
        x = i / scale
    elif mode in ("half_pixel", "pytorch_half_pixel"):
        x = 0.0 if mode == "pytorch_half_pixel" and n_out == 1 \
            else (i + 0.5) / scale - 0.5
    elif mode == "align_corners":
        x = 0.0 if n_out == 1 else i * (n_in - 1) / (n_out - 1)
    elif mode == "tf_half_pixel_for_nn":
        x = (i + 0.5) / scale
    else:
        raise Refusal("coordinate_transformation_mode %s" % mode)
    rounded = {"floor": np.floor(x), "ceil": np.ceil(x),
               "round_prefer_floor": np.ceil(x - 0.5),
               "round_prefer_ceil": np.floor(x + 0.5)}
    if rounding not in rounded:
        raise Refusal("nearest_mode %s" % rounding)
    return min(max(int(rounded[rounding]), 0), n_in - 1)


def resize(g, node):
    """Nearest Resize or Upsample by one integer factor in H and W, when
    its index map is exactly S-Tinylib's repeat (source = i // s)."""
    x = g.activation(node, 0)
    rank4(node, x)
    if attr(node, "mode", "nearest") != "nearest":
        raise Refusal("mode %s: only nearest maps" % attr(node, "mode"))
    scales = resize_scales(g, node, x)
    if scales[:2] != [1, 1] or scales[2] != scales[3] or scales[2] < 1 or \
            scales[2] != int(scales[2]):
        raise Refusal("scales %s: one integer factor for H and W only"
                      % scales)
    s = int(scales[2])
    if node.op_type == "Resize" and g.opset >= 11:
        mode = attr(node, "coordinate_transformation_mode", "half_pixel")
        rounding = attr(node, "nearest_mode", "round_prefer_floor")
    else:                # Upsample and Resize-10: asymmetric, floor
        mode, rounding = "asymmetric", "floor"
    for n in (x.act.h, x.act.w):
        if any(nearest_source(mode, rounding, i, s, n, n * s) != i // s
               for i in range(n * s)):
            raise Refusal("%s with %s does not repeat each pixel"
                          % (mode, rounding))
    if s == 1:
        return g.alias(node, x, x.shape)
    out = Act(x.act.c, x.act.h * s, x.act.w * s)
    g.emit(node, Layer(tlm.UPSAMPLE, out, [x.act], [s, tlm.float_param(1.0)]),
           (1, out.c, out.h, out.w))


def resize_scales(g, node, x):
    if node.op_type == "Upsample" and g.opset < 9:
        return [float(v) for v in attr(node, "scales")]
    if node.op_type == "Upsample" or g.opset < 11:
        return [float(v) for v in g.constant(node, 1)]
    scales, sizes = g.optional(node, 2), g.optional(node, 3)
    if scales is not None and scales.size:
        return [float(v) for v in scales]
    if sizes is None:
        raise Refusal("neither scales nor sizes")
    return [float(o) / n for o, n in zip(sizes, x.shape)]


def reduce_axes(g, node, x):
    """ReduceMean's or ReduceMax's axes, which must be H and W of (1, C,
    H, W) or L of (1, C, L): returns the rank."""
    r = spatial_rank(node, x)
    if g.opset >= 18 and len(node.input) > 1 and node.input[1]:
        axes = [int(a) for a in g.constant(node, 1)]
    else:
        axes = list(attr(node, "axes", []))
    if sorted(a % r for a in axes) != list(range(2, r)):
        what = "mean" if node.op_type == "ReduceMean" else "maximum"
        raise Refusal("axes %s: only the %s over H and W (axes [2, 3]; "
                      "[2] of (1, C, L)) maps, as a global %s" % (
                          axes, what, "avgpool" if what == "mean"
                          else "maxpool"))
    return r


def reduced(g, node, x, r, layer):
    """The global pool layer of a Reduce node: keepdims 1 gives (1, C, 1,
    1) or (1, C, 1), 0 gives (1, C) (the same bytes)."""
    keep = attr(node, "keepdims", 1)
    g.emit(node, layer, out_shape(r, x.act.c, 1, 1) if keep
           else (1, x.act.c))


def reducemean(g, node):
    """The mean over H and W of (1, C, H, W), or over L of (1, C, L):
    S-Tinylib's global avgpool (PyTorch's x.mean((2, 3)) and adaptive
    pooling to 1)."""
    x = g.activation(node, 0)
    r = reduce_axes(g, node, x)
    reduced(g, node, x, r, Layer(tlm.AVGPOOL, Act(x.act.c, 1, 1), [x.act]))


def global_maxpool_layer(x):
    """The maximum over the whole plane: S-Tinylib's maxpool with the
    plane as its window, stride 1, no padding (one output per channel)."""
    if max(x.act.h, x.act.w) > MAX_WINDOW:
        raise Refusal("a plane of %dx%d: S-Tinylib's maxpool windows are at "
                      "most %d" % (x.act.h, x.act.w, MAX_WINDOW))
    win = Window(x.act.h, x.act.w, 1, 1, (0, 0, 0, 0))
    return Layer(tlm.MAXPOOL, Act(x.act.c, 1, 1), [x.act],
                 maxpool_params(win, 0, 0))


def reducemax(g, node):
    """The maximum over H and W (x.amax((2, 3))): a maxpool over the plane."""
    x = g.activation(node, 0)
    r = reduce_axes(g, node, x)
    reduced(g, node, x, r, global_maxpool_layer(x))


def globalmaxpool(g, node):
    x = g.activation(node, 0)
    r = spatial_rank(node, x)
    g.emit(node, global_maxpool_layer(x), out_shape(r, x.act.c, 1, 1))
