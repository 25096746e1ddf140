"""The .tlm model format (docs/model-format.md) from Python: a writer that
lays files out exactly as N-Tinylib's C builder does (tl_tlm_builder.h), so
the same model gives the same bytes from either, and a reader for tools and
tests that compare models. tl_model_open (S-Tinylib) stays the checker.

    b = Builder()
    x = b.activation(3, 32, 32)
    ... b.parameter(array, c, h, w); b.layer(Layer(...)) ...
    blob = b.finish(x, out)
"""
import struct
import zlib

import numpy as np

MAGIC = b"TLMF"
VERSION_MAJOR, VERSION_MINOR = 1, 1
HEADER_SIZE, TENSOR_ENTRY, LAYER_ENTRY, ALIGN = 64, 32, 64, 16
NONE = 0xFFFFFFFF
MAX_INPUTS, MAX_PARAMS = 4, 8
ACTIVATION, PARAMETER = 1, 2
F32 = 1
BY_16 = 1        # a tensor's layout word (1.2): a convolution's weights by 16

# Layer types and activations, as tl_model.h and tl_kernels.h number them.
CONV, CONNECTED, MAXPOOL, AVGPOOL, SOFTMAX, SHORTCUT, ROUTE, UPSAMPLE, \
    DROPOUT, CROP, YOLO, ACTIVATION_LAYER, ELTWISE, SHUFFLE, SLICE, \
    LAYERNORM = range(1, 17)
LINEAR, RELU, RELU6, LEAKY, LOGISTIC, TANH, HARDSWISH, HARDSIGMOID, SILU, \
    GELU = range(10)
ELT_ADD, ELT_SUB, ELT_MUL, ELT_DIV = range(1, 5)   # eltwise params[0]

LAYER_NAMES = {CONV: "convolution", CONNECTED: "connected", MAXPOOL: "maxpool",
               AVGPOOL: "avgpool", SOFTMAX: "softmax", SHORTCUT: "shortcut",
               ROUTE: "route", UPSAMPLE: "upsample", DROPOUT: "dropout",
               CROP: "crop", YOLO: "yolo", ACTIVATION_LAYER: "activation",
               ELTWISE: "eltwise", SHUFFLE: "shuffle", SLICE: "slice",
               LAYERNORM: "layernorm"}
ACTIVATION_NAMES = ["linear", "relu", "relu6", "leaky", "logistic", "tanh",
                    "hardswish", "hardsigmoid", "silu", "gelu"]


# Parameter slots of format 1.0 for the types 1.1 extended (geometry, the
# yolo head's softmax): a layer using a later slot needs minor version 1.
SLOTS_1_0 = {CONV: 4, MAXPOOL: 3, YOLO: 1}


def needs_1_1(layer):
    """Whether a layer uses what format 1.1 adds: a rectangular or
    asymmetric geometry or a yolo softmax (a 1.1 field set), types 13-16,
    activations 7-9;
    tl_tlm_builder's layer_needs_1_1."""
    return (any(layer.params[SLOTS_1_0.get(layer.type, MAX_PARAMS):])
            or layer.type >= ELTWISE or layer.activation > HARDSWISH)


def geometry(layer):
    """(kh, kw, sh, sw, pads) of a convolution, pads per side (top, bottom,
    left, right), or of a maxpool, pads its total paddings (h, w); the 1.1
    fields' defaults applied (docs/model-format.md)."""
    p = layer.params
    if layer.type == MAXPOOL:
        return (p[0], p[3] or p[0], p[1], p[4] or p[1],
                (p[2], p[5] - 1 if p[5] else p[2]))
    left, right = ((p[7] & 0xFFFF) - 1, (p[7] >> 16) - 1) if p[7] \
        else (p[2], p[2])
    return (p[0], p[4] or p[0], p[1], p[5] or p[1],
            (p[2], p[6] - 1 if p[6] else p[2], left, right))


def align_up(n):
    return (n + ALIGN - 1) // ALIGN * ALIGN


def float_param(value):
    """A float in an int32 parameter slot (tl_tlm_float_param)."""
    return struct.unpack("<i", struct.pack("<f", value))[0]


class Layer:
    """One layer entry; tensor references are ids, unused ones NONE."""

    def __init__(self, type_, output, inputs, activation=LINEAR,
                 weights=NONE, bias=NONE, params=()):
        self.type, self.activation, self.output = type_, activation, output
        self.inputs = list(inputs) + [NONE] * (MAX_INPUTS - len(inputs))
        self.weights, self.bias = weights, bias
        self.params = list(params) + [0] * (MAX_PARAMS - len(params))


class Builder:
    def __init__(self):
        self.tensors = []     # (kind, c, h, w, offset)
        self.layers = []
        self.weights = bytearray()

    def activation(self, c, h, w):
        self.tensors.append((ACTIVATION, c, h, w, 0))
        return len(self.tensors) - 1

    def parameter(self, data, c, h, w):
        """data: c*h*w values, stored as little-endian float32."""
        raw = np.ascontiguousarray(data, dtype="<f4").tobytes()
        if len(raw) != c * h * w * 4:
            raise ValueError("parameter of %d bytes for shape %dx%dx%d"
                             % (len(raw), c, h, w))
        offset = align_up(len(self.weights))
        self.weights += bytes(offset - len(self.weights)) + raw
        self.tensors.append((PARAMETER, c, h, w, offset))
        return len(self.tensors) - 1

    def layer(self, layer):
        self.layers.append(layer)

    def finish(self, input_id, output_id):
        tensors = HEADER_SIZE
        layers = align_up(tensors + len(self.tensors) * TENSOR_ENTRY)
        weights = align_up(layers + len(self.layers) * LAYER_ENTRY)
        crc_at = weights + len(self.weights)
        out = bytearray(crc_at + 4)
        # minor 1 only when used, so that 1.0 models keep their bytes
        minor = VERSION_MINOR if any(map(needs_1_1, self.layers)) else 0
        struct.pack_into("<4s12I", out, 0, MAGIC,
                         VERSION_MAJOR | minor << 16, 0, HEADER_SIZE,
                         len(out), len(self.tensors), tensors,
                         len(self.layers), layers, weights, len(self.weights),
                         input_id, output_id)
        for i, (kind, c, h, w, off) in enumerate(self.tensors):
            struct.pack_into("<6I", out, tensors + i * TENSOR_ENTRY, kind, F32,
                             c, h, w, off)
        for i, l in enumerate(self.layers):
            struct.pack_into("<2I4I2I8i", out, layers + i * LAYER_ENTRY,
                             l.type | l.activation << 16, l.output, *l.inputs,
                             l.weights, l.bias, *l.params)
        out[weights:crc_at] = self.weights
        struct.pack_into("<I", out, crc_at, zlib.crc32(bytes(out[:crc_at])))
        return bytes(out)


def rows_of_by_16(data, filters):
    """Weights stored by 16 (format 1.2: W[f][q] at f // 16 * 16 * k +
    q * 16 + f % 16) in rows again, W[f][q] at f * k + q."""
    k = data.size // filters
    return data.reshape(filters // 16, k, 16).transpose(0, 2, 1).reshape(-1)


class Model:
    """A .tlm read back: tensors as (kind, c, h, w, data or None), layers
    as Layer; weights stored by 16 come back in rows, so that a model reads
    the same either way. Only the framing is checked here (magic, size,
    CRC)."""

    def __init__(self, blob):
        if blob[:4] != MAGIC or len(blob) < HEADER_SIZE + 4:
            raise ValueError("not a .tlm file")
        self.version_minor = struct.unpack_from("<H", blob, 6)[0]
        (size, n_tensors, tensors, n_layers, layers, weights, _, self.input,
         self.output) = struct.unpack_from("<9I", blob, 16)
        if size != len(blob) or zlib.crc32(blob[:-4]) != \
                struct.unpack_from("<I", blob, size - 4)[0]:
            raise ValueError("size or CRC mismatch")
        self.tensors, by_16 = [], set()
        for i in range(n_tensors):
            kind, _, c, h, w, off, layout = struct.unpack_from(
                "<7I", blob, tensors + i * TENSOR_ENTRY)
            data = None
            if kind == PARAMETER:
                data = np.frombuffer(blob, "<f4", c * h * w, weights + off)
            if layout == BY_16 and self.version_minor >= 2:
                by_16.add(i)
            self.tensors.append((kind, c, h, w, data))
        self.layers = []
        for i in range(n_layers):
            v = struct.unpack_from("<2I4I2I8i", blob, layers + i * LAYER_ENTRY)
            l = Layer(v[0] & 0xFFFF, v[1], v[2:6], v[0] >> 16, v[6], v[7],
                      v[8:16])
            self.layers.append(l)
            if l.weights in by_16:
                by_16.discard(l.weights)
                t = self.tensors[l.weights]
                self.tensors[l.weights] = t[:4] + (rows_of_by_16(
                    t[4], self.tensors[l.output][1]),)

    def shape(self, tensor_id):
        return self.tensors[tensor_id][1:4]

    def describe(self, index):
        """One line about layer index: type, activation, shapes, params."""
        l = self.layers[index]
        ins = [self.shape(i) for i in l.inputs if i != NONE]
        line = "%s %s %s -> %s params %s" % (
            LAYER_NAMES.get(l.type, l.type), ACTIVATION_NAMES[l.activation],
            ins, self.shape(l.output), l.params)
        if needs_1_1(l):
            kh, kw, sh, sw, pads = geometry(l)
            line += " kernel %dx%d stride %dx%d pads %s" % (kh, kw, sh, sw,
                                                            pads)
        return line


def differences(a, b):
    """How two models differ in structure (layer entries, tensor kinds and
    shapes, input and output), as sentences, and the largest difference
    of their parameters relative to each array's largest value."""
    found = []
    if (a.input, a.output) != (b.input, b.output):
        found.append("input/output %s vs %s" % ((a.input, a.output),
                                                  (b.input, b.output)))
    if len(a.layers) != len(b.layers) or len(a.tensors) != len(b.tensors):
        return found + ["%d/%d layers/tensors vs %d/%d" % (
            len(a.layers), len(a.tensors), len(b.layers), len(b.tensors))], 0.0
    for i, (x, y) in enumerate(zip(a.layers, b.layers)):
        if vars(x) != vars(y):
            found.append("layer %d: %s vs %s" % (i, a.describe(i),
                                                 b.describe(i)))
    worst = 0.0
    for i, (x, y) in enumerate(zip(a.tensors, b.tensors)):
        if x[:4] != y[:4]:
            found.append("tensor %d: %s vs %s" % (i, x[:4], y[:4]))
        elif x[4] is not None:
            scale = max(float(np.abs(y[4]).max()), 1e-30)
            worst = max(worst, float(np.abs(x[4] - y[4]).max()) / scale)
    return found, worst
