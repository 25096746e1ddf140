"""The state onnx2tlm keeps while it walks an ONNX graph: every ONNX value
as a constant or as an S-Tinylib activation tensor, the layers emitted so
far, and the rules for folding one node into the layer before it. The
operators themselves are in onnx_ops.py; docs/onnx.md says how each maps.
"""
import numpy as np
from onnx import helper, numpy_helper

import tlm


class Refusal(Exception):
    """A node onnx2tlm can not map exactly; the message says why."""


class Act:
    """An activation tensor of the .tlm being built (c, h, w)."""

    def __init__(self, c, h, w):
        self.c, self.h, self.w = int(c), int(h), int(w)

    def dims(self):
        return (self.c, self.h, self.w)


class Layer:
    """A layer before serialisation: tensors are Act objects, weights a
    2-D float64 array (rows = output channels) and bias a 1-D one."""

    def __init__(self, type_, out, inputs, params=(), weights=None,
                 bias=None, node=""):
        self.type, self.out, self.inputs = type_, out, list(inputs)
        self.activation = tlm.LINEAR
        self.params = list(params)
        self.weights, self.bias, self.node = weights, bias, node


NO_PAD = (0, 0, 0, 0)


class Value:
    """An ONNX value: a constant (const) or an activation (act) with its
    ONNX shape. layer is the layer that wrote act itself (not through an
    alias), which later nodes may fold into; pad is a zero padding of H and
    W still to be applied (a Pad node), per side (top, bottom, left,
    right), pad_node names it.
    hardsigmoid_of names x when the value is HardSigmoid(x) waiting for the
    Mul by x that makes it hardswish. unknown: the output of a refused
    node whose shape is not known (the conversion fails anyway)."""

    def __init__(self, shape, act=None, const=None, layer=None, pad=NO_PAD,
                 pad_node=None, hardsigmoid_of=None, unknown=False):
        self.shape, self.act, self.const = tuple(shape), act, const
        self.layer, self.pad, self.pad_node = layer, tuple(pad), pad_node
        self.hardsigmoid_of, self.unknown = hardsigmoid_of, unknown


def node_label(node, index):
    return "'%s'" % node.name if node.name else "#%d" % index


class Graph:
    def __init__(self, opset, readers, graph_outputs):
        self.opset = opset
        self.readers = readers              # value name -> reading nodes
        self.consumers = {k: len(v) for k, v in readers.items()}
        self.graph_outputs = set(graph_outputs)
        self.values = {}
        self.layers = []

    # ---- inputs of a node ----
    def value(self, node, i):
        if i >= len(node.input) or node.input[i] == "":
            raise Refusal("input %d is missing" % i)
        return self.values[node.input[i]]

    def optional(self, node, i):
        """A constant input that may be absent: None then."""
        if i >= len(node.input) or node.input[i] == "":
            return None
        return self.constant(node, i)

    def constant(self, node, i):
        v = self.value(node, i)
        if v.const is None:
            raise Refusal("input %d ('%s') must be a constant (an "
                          "initializer or a Constant node)"
                          % (i, node.input[i]))
        return v.const

    def activation(self, node, i, pad_ok=False):
        v = self.value(node, i)
        if v.act is None:
            raise Refusal("input %d ('%s') is a constant; S-Tinylib computes "
                          "this operator only on activations"
                          % (i, node.input[i]))
        if any(v.pad) and not pad_ok:
            raise Refusal("reads the output of Pad '%s', which onnx2tlm folds "
                          "only into a following Conv or AveragePool"
                          % v.pad_node)
        return v

    # ---- outputs ----
    def set(self, node, value, i=0):
        self.values[node.output[i]] = value

    def emit(self, node, layer, shape):
        """Appends layer and binds the node's first output to its tensor."""
        layer.node = node.name
        self.layers.append(layer)
        self.set(node, Value(shape, act=layer.out, layer=layer))
        return layer

    def alias(self, node, v, shape):
        """The node's output is v's tensor under another ONNX shape."""
        self.set(node, Value(shape, act=v.act, const=v.const))

    def unused(self, node, i):
        """Refuses when output i (e.g. MaxPool's indices) is read."""
        if i < len(node.output) and self.consumers.get(node.output[i], 0):
            raise Refusal("output %d ('%s') is read by another node; only the "
                          "first output is mapped" % (i, node.output[i]))

    def foldable(self, name, types, readers=1):
        """The layer that wrote value name, if the next node may change it:
        one of types, linear, read by that node alone (or by the readers
        nodes of one pattern), not a graph output."""
        v = self.values[name]
        if (v.layer is None or v.layer.type not in types or
                v.layer.activation != tlm.LINEAR or
                self.consumers.get(name, 0) != readers or
                name in self.graph_outputs):
            return None
        return v.layer

    def position(self, v):
        """Where v's tensor was written in layer order (-1: the input)."""
        for i in range(len(self.layers) - 1, -1, -1):
            if self.layers[i].out is v.act:
                return i
        return -1


def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            value = helper.get_attribute_value(a)
            return value.decode() if isinstance(value, bytes) else value
    return default


def constant_value(node):
    """The value of a Constant node as a numpy array."""
    for a in node.attribute:
        if a.name == "value":
            return numpy_helper.to_array(a.t)
        if a.name in ("value_float", "value_int"):
            return np.array(helper.get_attribute_value(a))
        if a.name in ("value_floats", "value_ints"):
            return np.array(list(helper.get_attribute_value(a)))
    raise Refusal("a Constant without a numeric value")
