#!/usr/bin/python3
"""onnx2tlm: an ONNX model (for instance exported from PyTorch) to a .tlm
that S-Tinylib runs (docs/onnx.md).

    /usr/bin/python3 tools/onnx2tlm.py MODEL.onnx -o MODEL.tlm [-v]

Runs with Debian's python3-onnx and python3-numpy. One input of shape
(1, C, H, W) or (1, N), one output; every node the output depends on is
mapped exactly or the whole conversion is refused with the node's name,
its operator and why. The file is written to a temporary name beside the
target and renamed only when complete.
"""
import argparse
import os
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

import onnx_layout_ops as layout
import onnx_ops as ops
import tlm
from onnx_graph import Act, Graph, Refusal, Value, constant_value, node_label

OPERATORS = {
    "Conv": ops.conv, "Gemm": ops.gemm, "MatMul": ops.matmul, "Add": ops.add,
    "BatchNormalization": ops.batchnorm,
    "Relu": ops.activation_op(tlm.RELU), "LeakyRelu": ops.leaky,
    "Sigmoid": ops.activation_op(tlm.LOGISTIC),
    "Tanh": ops.activation_op(tlm.TANH),
    "HardSwish": ops.activation_op(tlm.HARDSWISH), "Clip": ops.clip,
    "MaxPool": layout.maxpool, "AveragePool": layout.averagepool,
    "GlobalAveragePool": layout.globalaveragepool,
    "Flatten": layout.flatten, "Reshape": layout.reshape,
    "Concat": layout.concat, "Softmax": layout.softmax,
    "Dropout": layout.passthrough, "Identity": layout.passthrough,
    "Resize": layout.resize, "Upsample": layout.resize, "Pad": layout.pad,
}


class ConvertError(Exception):
    pass


def load(path):
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model)
    except Exception as e:      # protobuf, I/O and checker errors alike
        raise ConvertError("%s: not a valid ONNX model: %s"
                           % (path, str(e).strip().splitlines()[0]))
    return model


def opset_of(model):
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            return o.version
    return 1


def input_value(graph, constants):
    """The one graph input that is not an initializer, as an activation."""
    inputs = [i for i in graph.input if i.name not in constants]
    if len(inputs) != 1 or len(graph.output) != 1:
        raise Refusal("%d inputs and %d outputs: onnx2tlm takes one of each"
                      % (len(inputs), len(graph.output)))
    t = inputs[0].type.tensor_type
    if t.elem_type != onnx.TensorProto.FLOAT:
        raise Refusal("input '%s' is not float32" % inputs[0].name)
    dims = [d.dim_value if d.HasField("dim_value") else None
            for d in t.shape.dim]
    if dims and dims[0] is None:
        dims[0] = 1                 # a symbolic batch: S-Tinylib runs one
    if len(dims) not in (2, 4) or dims[0] != 1 or \
            not all(isinstance(d, int) and d > 0 for d in dims):
        raise Refusal("input '%s' has shape %s: expected (1, C, H, W) or "
                      "(1, N)" % (inputs[0].name, dims))
    act = Act(*(dims[1:] if len(dims) == 4 else (dims[1], 1, 1)))
    return inputs[0].name, Value(dims, act=act)


def needed_nodes(graph):
    """The nodes the graph output depends on (others are left out)."""
    producer = {o: n for n in graph.node for o in n.output}
    needed, todo = set(), [graph.output[0].name]
    while todo:
        node = producer.get(todo.pop())
        if node is not None and id(node) not in needed:
            needed.add(id(node))
            todo.extend(i for i in node.input if i)
    return [n for n in graph.node if id(n) in needed]


def lower(path, model):
    graph = model.graph
    constants = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    name, x = input_value(graph, constants)
    nodes = needed_nodes(graph)
    consumers = {}
    for n in nodes:
        for i in n.input:
            consumers[i] = consumers.get(i, 0) + 1
    g = Graph(opset_of(model), consumers, [graph.output[0].name])
    g.values = {k: Value(v.shape, const=v) for k, v in constants.items()}
    g.values[name] = x
    for index, node in enumerate(nodes):
        try:
            if node.domain not in ("", "ai.onnx"):
                raise Refusal("domain '%s' is not ONNX's own" % node.domain)
            if node.op_type == "Constant":
                c = constant_value(node)
                g.set(node, Value(c.shape, const=c))
            elif node.op_type in OPERATORS:
                OPERATORS[node.op_type](g, node)
            else:
                raise Refusal("operator not supported (onnx2tlm maps: %s)"
                              % ", ".join(sorted(OPERATORS)))
        except Refusal as e:
            raise ConvertError("%s: node %s (%s): %s" % (
                path, node_label(node, index), node.op_type, e))
        except (ValueError, TypeError, IndexError, KeyError) as e:
            # A node the checker passed but whose arrays do not fit.
            raise ConvertError("%s: node %s (%s): malformed: %s" % (
                path, node_label(node, index), node.op_type, e))
    return g, x.act, g.values[graph.output[0].name]


def serialise(g, input_act, output_act):
    """Tensors in the Darknet importer's order: the input, then per layer
    its output, weights and bias (so equal models give equal files)."""
    b = tlm.Builder()
    ids = {id(input_act): b.activation(*input_act.dims())}
    for layer in g.layers:
        ids[id(layer.out)] = b.activation(*layer.out.dims())
        w = bias = tlm.NONE
        if layer.weights is not None:
            n, per = layer.weights.shape
            w = b.parameter(layer.weights.astype(np.float32), n, 1, per)
            bias = b.parameter(layer.bias.astype(np.float32), n, 1, 1)
        b.layer(tlm.Layer(layer.type, ids[id(layer.out)],
                          [ids[id(a)] for a in layer.inputs],
                          layer.activation, w, bias, layer.params))
    return b.finish(ids[id(input_act)], ids[id(output_act)])


def convert(path):
    """The .tlm bytes of the ONNX model at path; ConvertError says why not."""
    try:
        g, input_act, out = lower(path, load(path))
    except Refusal as e:
        raise ConvertError("%s: %s" % (path, e))
    if out.act is None or out.pad or \
            not any(layer.out is out.act for layer in g.layers):
        raise ConvertError("%s: the output is not computed by any layer"
                           % path)
    if len(g.layers) > 512:
        raise ConvertError("%s: %d layers; S-Tinylib runs at most 512"
                           % (path, len(g.layers)))
    return serialise(g, input_act, out.act), g.layers


def write_atomic(path, blob):
    """Writes beside path and renames: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)),
                               prefix=".%s." % os.path.basename(path))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv):
    p = argparse.ArgumentParser(prog="onnx2tlm", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", help="the .onnx file")
    p.add_argument("-o", dest="out", required=True, help="the .tlm to write")
    p.add_argument("-v", action="store_true", help="list the layers written")
    args = p.parse_args(argv)
    try:
        blob, layers = convert(args.model)
        write_atomic(args.out, blob)
    except (ConvertError, OSError) as e:
        print("onnx2tlm: %s" % e, file=sys.stderr)
        return 1
    if args.v:
        m = tlm.Model(blob)
        for i, layer in enumerate(layers):
            print("%3d %-48s %s" % (i, layer.node, m.describe(i)))
    print("%s: %d layers, %d bytes (from %s)"
          % (args.out, len(layers), len(blob), args.model))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
