#!/usr/bin/python3
"""onnx2tlm: an ONNX model (for instance exported from PyTorch) to a .tlm
that S-Tinylib runs (docs/onnx.md).

    /usr/bin/python3 tools/onnx2tlm.py MODEL.onnx -o MODEL.tlm [-v]

Runs with Debian's python3-onnx and python3-numpy. One input of shape
(1, C, H, W) or (1, N), one output; every node the output depends on is
mapped exactly or the whole conversion is refused. A refusal lists every
node that does not map, grouped by operator and reason, with a count and
the first node's name, and nothing is written. The file is written to a
temporary name beside the target and renamed only when complete.
"""
import argparse
import os
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper, shape_inference

import onnx_constants
import onnx_eltwise_ops as elt
import onnx_layout_ops as layout
import onnx_ops as ops
import onnx_patterns
import tlm
from onnx_graph import Act, Graph, Refusal, Value, attr, constant_value, \
    node_label

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
    "ReduceMean": layout.reducemean, "HardSigmoid": ops.hardsigmoid,
    "Mul": ops.mul, "Div": ops.div, "Sub": ops.sub,
}
# Format 1.1: eltwise, slice and the new activations (onnx_eltwise_ops.py);
# Transpose, Erf, Pow and Sqrt map only in patterns (onnx_patterns.py).
OPERATORS.update({
    "Add": elt.arithmetic, "Sub": elt.arithmetic, "Mul": elt.mul,
    "Div": elt.arithmetic, "Sigmoid": elt.sigmoid,
    "HardSigmoid": elt.hardsigmoid, "Slice": elt.slice_, "Split": elt.split,
    "Reshape": elt.reshape, "Transpose": elt.pattern_only,
    "Erf": elt.pattern_only, "Pow": elt.pattern_only,
    "Sqrt": elt.pattern_only,
})
# What PyTorch users write besides (docs/onnx.md, "What PyTorch users
# write"): squeeze-excite gates through Linear, view, unsqueeze and
# expand_as; squeeze; -x, 1 / x; amax and adaptive max pooling.
OPERATORS.update({
    "Squeeze": layout.squeeze, "Unsqueeze": layout.unsqueeze,
    "Expand": elt.expand, "Neg": elt.neg, "Reciprocal": elt.reciprocal,
    "ReduceMax": layout.reducemax, "GlobalMaxPool": layout.globalmaxpool,
})
NOT_SUPPORTED = "operator not supported"


class ConvertError(Exception):
    """Why a model is not converted. refused: the nodes that do not map,
    as [(operator, reason, count, first node's label)] in graph order."""

    def __init__(self, message, refused=()):
        super().__init__(message)
        self.refused = list(refused)


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
    if len(dims) not in (2, 3, 4) or dims[0] != 1 or \
            not all(isinstance(d, int) and d > 0 for d in dims):
        raise Refusal("input '%s' has shape %s: expected (1, C, H, W), "
                      "(1, C, L) or (1, N)" % (inputs[0].name, dims))
    # A sequence (1, C, L) is held as (C, 1, L), as 1-D layers read it.
    act = Act(*{4: dims[1:], 3: (dims[1], 1, dims[-1]),
                2: (dims[1], 1, 1)}[len(dims)])
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


def inferred_shapes(model):
    """ONNX's shape inference: value name -> shape, where every dimension
    is known. Used only to carry on past a refused node. The declared
    output shape is left out: a wrong one would stop the inference."""
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    for o in copy.graph.output:
        o.type.tensor_type.ClearField("shape")
    try:
        graph = shape_inference.infer_shapes(copy).graph
    except Exception:           # inference is a help, never a requirement
        return {}
    shapes = {}
    for v in list(graph.value_info) + list(graph.output):
        dims = [d.dim_value if d.HasField("dim_value") else None
                for d in v.type.tensor_type.shape.dim]
        if v.type.tensor_type.HasField("shape") and None not in dims:
            shapes[v.name] = tuple(dims)
    return shapes


def stand_in(shape):
    """What a refused node's output is taken to be so that the nodes after
    it are still checked: an activation of ONNX's inferred shape, or
    unknown (then its readers are checked for their operator only)."""
    if shape is None or len(shape) not in (2, 3, 4) or shape[0] != 1 or \
            not all(d > 0 for d in shape):
        return Value((), unknown=True)
    c, h, w = (tuple(shape[1:]) + (1, 1))[:3] if len(shape) != 3 else \
        (shape[1], 1, shape[2])
    return Value(shape, act=Act(c, h, w))


def refused_node(node, index, refused, reason, op=None):
    """Records a refused node in refused, (operator, reason) -> [count,
    first node's label]; op names a pattern refused at its last node."""
    key = (op or node.op_type, reason)
    refused.setdefault(key, [0, node_label(node, index)])[0] += 1


def stand_ins(g, node, shapes, inputs=None):
    """Outputs for a node refused or not checked, so that the nodes after
    it are checked still. A node of constants makes a constant (a shape,
    say): no stand-in activation for it, which its readers would refuse
    for that alone."""
    computes = any(i and g.values[i].act is not None
                   for i in (node.input if inputs is None else inputs))
    for o in node.output:
        if o:
            g.values[o] = stand_in(shapes.get(o)) if computes \
                else Value((), unknown=True)


def map_node(g, node):
    if node.domain not in ("", "ai.onnx"):
        raise Refusal("domain '%s' is not ONNX's own" % node.domain)
    if node.op_type == "Constant":
        c = constant_value(node)
        g.set(node, Value(c.shape, const=c))
    elif of_constants(g, node):
        pass
    elif node.op_type in OPERATORS:
        OPERATORS[node.op_type](g, node)
    else:
        raise Refusal(NOT_SUPPORTED)


def of_constants(g, node):
    """A node of constants only, computed when onnx_constants knows it;
    and Shape, whose value is known for every tensor."""
    values = [g.values[i] for i in node.input if i]
    if node.op_type == "Shape" and len(values) == 1 and \
            not values[0].unknown and attr(node, "start") is None and \
            attr(node, "end") is None:
        shape = np.array(values[0].shape, np.int64)
        return g.set(node, Value(shape.shape, const=shape)) or True
    if not values or any(v.const is None for v in values) or \
            len(node.output) != 1:
        return False
    c = onnx_constants.compute(node, [g.values[i].const if i else None
                                      for i in node.input], g.opset)
    if c is None:
        return False
    g.set(node, Value(c.shape, const=c))
    return True


def lower(path, model):
    graph = model.graph
    constants = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    name, x = input_value(graph, constants)
    nodes = needed_nodes(graph)
    readers = {}
    for n in nodes:
        for i in n.input:
            readers.setdefault(i, []).append(n)
    g = Graph(opset_of(model), readers, [graph.output[0].name])
    g.values = {k: Value(v.shape, const=v) for k, v in constants.items()}
    g.values[name] = x
    refused, shapes = {}, None
    matches = onnx_patterns.find(nodes, readers, constants,
                                 [graph.output[0].name], g.opset)
    for index, node in enumerate(nodes):
        match = matches.get(id(node))
        if match is not None and node is not match.last:
            continue        # mapped with the pattern, at its last node
        inputs = [match.x] if match is not None else node.input
        unknown = [i for i in inputs if i and g.values[i].unknown]
        try:
            if unknown:     # after a refusal: the operator alone is checked
                if node.op_type not in OPERATORS and \
                        node.op_type not in onnx_constants.COMPUTED and \
                        node.op_type != "Constant" and match is None:
                    raise Refusal(NOT_SUPPORTED)
                raise Refusal(None)
            if match is not None:
                match.apply(g, match)
            else:
                map_node(g, node)
            continue
        except Refusal as e:
            reason = e.args[0]
        except (ValueError, TypeError, IndexError, KeyError) as e:
            # A node the checker passed but whose arrays do not fit.
            reason = "malformed: %s" % e
        if shapes is None:
            shapes = inferred_shapes(model)
        if reason is None:      # not checked: an input is unknown
            stand_ins(g, node, shapes, inputs)
            continue
        refused_node(node, index, refused, reason,
                     match.name if match is not None else None)
        stand_ins(g, node, shapes, inputs)
    if refused:
        raise ConvertError(report(path, refused), [
            (op, reason, n, first)
            for (op, reason), (n, first) in refused.items()])
    return g, x.act, g.values[graph.output[0].name]


def report(path, refused):
    """One refused node: one line as ever. More: a line per operator and
    reason, with the count and the first node, the most frequent first."""
    if len(refused) == 1 and list(refused.values())[0][0] == 1:
        (op, reason), (_, first) = list(refused.items())[0]
        return "%s: node %s (%s): %s%s" % (path, first, op, reason,
                                           mapped_list(reason))
    total = sum(n for n, _ in refused.values())
    per_op = {}
    for (op, _), (n, _) in refused.items():
        per_op[op] = per_op.get(op, 0) + n
    lines = ["%s: %d nodes do not map (%d operators); nothing written:"
             % (path, total, len(per_op))]
    for (op, reason), (n, first) in sorted(
            refused.items(), key=lambda kv: (-per_op[kv[0][0]], kv[0][0])):
        lines.append("  %-18s %4d  first %s: %s" % (op, n, first, reason))
    if any(reason == NOT_SUPPORTED for _, reason in refused):
        lines.append("  onnx2tlm maps: %s" % ", ".join(sorted(OPERATORS)))
    return "\n".join(lines)


def mapped_list(reason):
    if reason != NOT_SUPPORTED:
        return ""
    return " (onnx2tlm maps: %s)" % ", ".join(sorted(OPERATORS))


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
            shape = getattr(layer, "weights_shape", None) or (n, 1, per)
            w = b.parameter(layer.weights.astype(np.float32), *shape)
        if layer.bias is not None:      # eltwise's parameter has none
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
    if out.act is None or any(out.pad) or \
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
