#!/usr/bin/python3
"""tlm2onnx: a .tlm model written as an ONNX model with the same weights,
so that another engine (onnxruntime, in make bench) runs exactly what
S-Tinylib runs (docs/bench.md).

    /usr/bin/python3 tools/tlm2onnx.py MODEL.tlm -o MODEL.onnx

Runs with Debian's python3-onnx and python3-numpy. Batch 1, NCHW,
float32, opset 13; the input is "x", the model's output "y". A layer
output that no layer reads (yolov3-tiny's first head) is an output of the
graph too, so that the other engine does all the work S-Tinylib does.
Every layer follows S-Tinylib's kernels (tinylib/secure/src/kernels/),
which follow Darknet: a layer the mapping does not cover (crop and the
format 1.1 layers) is refused, naming the file, the layer and its type.
"""
import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import tlm

OPSET = 13
FLT_MAX = float(np.finfo(np.float32).max)


class ExportError(Exception):
    pass


class Exporter:
    """Builds the graph layer by layer: activation tensor id i is "x" (the
    model input), "y" (the model output) or "t<i>"; a layer's helper
    values are "l<index>_<what>", its constants "l<index>_k_<what>"."""

    def __init__(self, model, path):
        self.m, self.path = model, path
        self.nodes, self.constants = [], []
        self.index = 0

    def name(self, tensor_id):
        if tensor_id == self.m.input:
            return "x"
        return "y" if tensor_id == self.m.output else "t%d" % tensor_id

    def temp(self, what):
        return "l%d_%s" % (self.index, what)

    def const(self, what, array):
        name = self.temp("k_" + what)     # apart from the nodes' outputs
        self.constants.append(numpy_helper.from_array(np.asarray(array),
                                                      name))
        return name

    def ints(self, what, values):
        return self.const(what, np.asarray(values, np.int64))

    def op(self, op_type, inputs, output, **attrs):
        self.nodes.append(helper.make_node(op_type, inputs, [output],
                                           name=self.temp(op_type), **attrs))
        return output

    def fail(self, why):
        layer = self.m.layers[self.index]
        raise ExportError("%s: layer %d (%s): %s" % (
            self.path, self.index,
            tlm.LAYER_NAMES.get(layer.type, "type %d" % layer.type), why))

    def parameter(self, tensor_id, shape):
        data = self.m.tensors[tensor_id][4]
        if data is None or data.size != int(np.prod(shape)):
            self.fail("weights tensor %d holds %s values, %s expected" % (
                tensor_id, None if data is None else data.size, shape))
        return data.astype(np.float32).reshape(shape)

    # ---- activations: S-Tinylib's (kernels/activation.c) ----

    def pre(self, l, out, what):
        """Where a layer writes before its activation: out when linear."""
        return out if l.activation == tlm.LINEAR else self.temp(what)

    def activate(self, x, act, out):
        """out = act(x); the graph value out, x itself when linear."""
        if act == tlm.LINEAR:
            return self.op("Identity", [x], out) if x != out else x
        if act == tlm.RELU:
            return self.op("Relu", [x], out)
        if act == tlm.RELU6:
            return self.op("Clip", [x, self.const("lo", np.float32(0)),
                                    self.const("hi", np.float32(6))], out)
        if act == tlm.LEAKY:      # Darknet's leaky: 0.1 x below 0
            return self.op("LeakyRelu", [x], out, alpha=0.1)
        if act == tlm.LOGISTIC:
            return self.op("Sigmoid", [x], out)
        if act == tlm.TANH:
            return self.op("Tanh", [x], out)
        if act in (tlm.HARDSWISH, tlm.HARDSIGMOID):
            hs = self.temp("hardsigmoid") if act == tlm.HARDSWISH else out
            self.op("HardSigmoid", [x], hs, alpha=1.0 / 6, beta=0.5)
            return self.op("Mul", [x, hs], out) if hs != out else out
        if act == tlm.SILU:
            return self.op("Mul", [x, self.op("Sigmoid", [x],
                                              self.temp("sigmoid"))], out)
        if act == tlm.GELU:       # 0.5 x (1 + erf(x / sqrt(2)))
            e = self.op("Erf", [self.op("Mul", [x, self.const(
                "rsqrt2", np.float32(0.70710678118654752))],
                self.temp("scaled"))], self.temp("erf"))
            one = self.op("Add", [e, self.const("one", np.float32(1))],
                          self.temp("erf1"))
            half = self.op("Mul", [x, self.const("half", np.float32(0.5))],
                           self.temp("half"))
            return self.op("Mul", [half, one], out)
        self.fail("activation %d" % act)

    # ---- layers ----

    def conv(self, l, x, out):
        c = self.m.shape(l.inputs[0])[0]
        filters = self.m.shape(l.output)[0]
        kh, kw, sh, sw, (top, bottom, left, right) = tlm.geometry(l)
        groups = l.params[3]
        w = self.const("w", self.parameter(l.weights,
                                           (filters, c // groups, kh, kw)))
        b = self.const("b", self.parameter(l.bias, (filters,)))
        y = self.op("Conv", [x, w, b], self.pre(l, out, "conv"),
                    kernel_shape=[kh, kw], strides=[sh, sw], group=groups,
                    pads=[top, left, bottom, right])
        return self.activate(y, l.activation, out)

    def connected(self, l, x, out):
        n_in = int(np.prod(self.m.shape(l.inputs[0])))
        n_out = self.m.shape(l.output)[0]
        flat = self.op("Flatten", [x], self.temp("flat"), axis=1)
        y = self.op("Gemm", [flat, self.const("w", self.parameter(
            l.weights, (n_out, n_in))), self.const("b", self.parameter(
                l.bias, (n_out,)))], self.temp("gemm"), transB=1)
        y = self.activate(y, l.activation, self.temp("act"))
        return self.op("Reshape", [y, self.ints("shape", [1, n_out, 1, 1])],
                       out)

    def maxpool(self, l, x, out):
        """Darknet's window starts padding/2 before the input and skips
        what lies outside (kernels/pool.c): ONNX's MaxPool with that many
        pads before, the rest after. onnxruntime takes pads smaller than
        the kernel only; otherwise the input is padded with -FLT_MAX,
        Darknet's start value, which no value inside beats."""
        kh, kw, sh, sw, (ph, pw) = tlm.geometry(l)
        pads = [ph // 2, pw // 2, ph - ph // 2, pw - pw // 2]
        if max(pads[0], pads[2]) < kh and max(pads[1], pads[3]) < kw:
            return self.op("MaxPool", [x], out, kernel_shape=[kh, kw],
                           strides=[sh, sw], pads=pads)
        padded = self.op("Pad", [x, self.ints("pads", [0, 0, pads[0],
                                                      pads[1], 0, 0, pads[2],
                                                      pads[3]]),
                                 self.const("low", np.float32(-FLT_MAX))],
                         self.temp("padded"), mode="constant")
        return self.op("MaxPool", [padded], out, kernel_shape=[kh, kw],
                       strides=[sh, sw])

    def avgpool(self, l, x, out):
        return self.op("GlobalAveragePool", [x], out)

    def softmax(self, l, x, out):
        """Over all values (kernels/softmax.c)."""
        c, h, w = self.m.shape(l.output)
        if h == w == 1:
            return self.op("Softmax", [x], out, axis=1)
        flat = self.op("Reshape", [x, self.ints("flat", [1, -1])],
                       self.temp("flat"))
        s = self.op("Softmax", [flat], self.temp("softmax"), axis=1)
        return self.op("Reshape", [s, self.ints("shape", [1, c, h, w])], out)

    def shortcut(self, l, x, out):
        """out = alpha*prev + beta*from where both have channels and
        pixels, prev elsewhere; from read every from_w/w-th pixel when it
        is larger, written to every w/from_w-th when smaller
        (kernels/shortcut.c). Built as prev * M + place(beta * from), M
        the constant alpha-or-1 mask, place the zero-padded layout."""
        c, h, w = self.m.shape(l.inputs[0])
        fc, fh, fw = self.m.shape(l.inputs[1])
        alpha, beta = (np.float32(np.array(p, np.int32).view(np.float32))
                       for p in l.params[:2])
        stride, sample = max(1, fw // w), max(1, w // fw)
        ch, hh, ww = min(c, fc), min(h, fh), min(w, fw)
        f = self.name(l.inputs[1])
        if (fc, fh, fw) != (ch, hh * stride, ww * stride) or stride > 1:
            f = self.op("Slice", [f, self.ints("starts", [0, 0, 0]),
                                  self.ints("ends", [ch, hh * stride,
                                                     ww * stride]),
                                  self.ints("axes", [1, 2, 3]),
                                  self.ints("steps", [1, stride, stride])],
                        self.temp("from"))
        if beta != 1:
            f = self.op("Mul", [f, self.const("beta", beta)],
                        self.temp("beta_from"))
        if sample > 1:            # every sample-th pixel, zeros between
            f = self.op("Reshape", [f, self.ints("cells",
                                                 [1, ch, hh, 1, ww, 1])],
                        self.temp("cells"))
            f = self.op("Pad", [f, self.ints("spread", [0, 0, 0, 0, 0, 0,
                                                        0, 0, 0, sample - 1,
                                                        0, sample - 1])],
                        self.temp("spread"), mode="constant")
            f = self.op("Reshape", [f, self.ints("sampled", [
                1, ch, hh * sample, ww * sample])], self.temp("sampled"))
        fh2, fw2 = hh * sample, ww * sample
        if (ch, fh2, fw2) != (c, h, w):
            if fh2 > h or fw2 > w:
                f = self.op("Slice", [f, self.ints("s0", [0, 0]),
                                      self.ints("s1", [h, w]),
                                      self.ints("s2", [2, 3])],
                            self.temp("cropped"))
                fh2, fw2 = min(fh2, h), min(fw2, w)
            f = self.op("Pad", [f, self.ints("fill", [
                0, 0, 0, 0, 0, c - ch, h - fh2, w - fw2])],
                self.temp("placed"), mode="constant")
        if alpha != 1:
            mask = np.ones((1, c, h, w), np.float32)
            mask[:, :ch, 0:hh * sample:sample, 0:ww * sample:sample] = alpha
            x = self.op("Mul", [x, self.const("alpha", mask)],
                        self.temp("alpha_prev"))
        y = self.op("Add", [x, f], self.pre(l, out, "sum"))
        return self.activate(y, l.activation, out)

    def route(self, l, x, out):
        ins = [self.name(i) for i in l.inputs if i != tlm.NONE]
        if len(ins) == 1:
            return self.op("Identity", ins, out)
        return self.op("Concat", ins, out, axis=1)

    def upsample(self, l, x, out):
        """Each pixel repeated stride times across and down, times scale
        (kernels/upsample.c): nearest Resize, floor of the asymmetric
        source coordinate, which picks pixel i // stride."""
        s = float(l.params[0])
        scale = np.float32(np.array(l.params[1], np.int32).view(np.float32))
        y = self.op("Resize", [x, "", self.const("scales", np.array(
            [1, 1, s, s], np.float32))],
            out if scale == 1 else self.temp("resized"), mode="nearest",
            coordinate_transformation_mode="asymmetric", nearest_mode="floor")
        return y if scale == 1 else self.op(
            "Mul", [y, self.const("scale", scale)], out)

    def dropout(self, l, x, out):
        return self.op("Identity", [x], out)

    def yolo(self, l, x, out):
        """The logistic on each anchor's x, y, objectness and classes, w
        and h raw (kernels/yolo.c): Where over a constant channel mask."""
        c = self.m.shape(l.output)[0]
        per = c // l.params[0]
        mask = np.ones((1, c, 1, 1), bool)
        for a in range(l.params[0]):
            mask[0, a * per + 2:a * per + 4] = False
        s = self.op("Sigmoid", [x], self.temp("logistic"))
        return self.op("Where", [self.const("mask", mask), s, x], out)

    def activation_layer(self, l, x, out):
        return self.activate(x, l.activation, out) if l.activation else \
            self.op("Identity", [x], out)

    LAYERS = {tlm.CONV: conv, tlm.CONNECTED: connected,
              tlm.MAXPOOL: maxpool, tlm.AVGPOOL: avgpool,
              tlm.SOFTMAX: softmax, tlm.SHORTCUT: shortcut,
              tlm.ROUTE: route, tlm.UPSAMPLE: upsample,
              tlm.DROPOUT: dropout, tlm.YOLO: yolo,
              tlm.ACTIVATION_LAYER: activation_layer}

    def build(self):
        read = set()
        for self.index, l in enumerate(self.m.layers):
            write = self.LAYERS.get(l.type)
            if write is None:
                self.fail("not covered by tlm2onnx (it maps the layers of "
                          "Darknet's models: conv, connected, maxpool, "
                          "avgpool, softmax, shortcut, route, upsample, "
                          "dropout, yolo, activation)")
            write(self, l, self.name(l.inputs[0]), self.name(l.output))
            read.update(i for i in l.inputs if i != tlm.NONE)
        outputs = [self.m.output] + [
            l.output for l in self.m.layers
            if l.output not in read and l.output != self.m.output]
        info = [helper.make_tensor_value_info(
            self.name(t), TensorProto.FLOAT, (1,) + self.m.shape(t))
            for t in outputs]
        graph = helper.make_graph(
            self.nodes, "tlm", [helper.make_tensor_value_info(
                "x", TensorProto.FLOAT, (1,) + self.m.shape(self.m.input))],
            info, self.constants)
        model = helper.make_model(graph, producer_name="tlm2onnx",
                                  opset_imports=[helper.make_opsetid(
                                      "", OPSET)])
        model.ir_version = 7      # read by every onnxruntime since 1.6
        return model


def convert(path):
    """The ONNX model (onnx.ModelProto) of the .tlm at path; ExportError
    says why not."""
    try:
        with open(path, "rb") as f:
            m = tlm.Model(f.read())
    except ValueError as e:
        raise ExportError("%s: %s" % (path, e))
    model = Exporter(m, path).build()
    onnx.checker.check_model(model)
    return model


def main(argv):
    p = argparse.ArgumentParser(prog="tlm2onnx", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", help="the .tlm file")
    p.add_argument("-o", dest="out", required=True, help="the .onnx to write")
    args = p.parse_args(argv)
    try:
        model = convert(args.model)
        tmp = args.out + ".part"
        onnx.save(model, tmp)
        os.replace(tmp, args.out)
    except (ExportError, OSError, onnx.checker.ValidationError) as e:
        print("tlm2onnx: %s" % e, file=sys.stderr)
        return 1
    print("%s: %d nodes, %d outputs (from %s)" % (
        args.out, len(model.graph.node), len(model.graph.output), args.model))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
