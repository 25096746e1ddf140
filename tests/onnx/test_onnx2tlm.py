#!/usr/bin/python3
"""tools/onnx2tlm.py: the committed .tlm files are what it makes of the
committed .onnx files; the mappings PyTorch's exports do not reach,
against numpy; every refusal names the file, the node, its operator and
why, and writes nothing. Runs with Debian's python3-onnx and numpy, after
the host build (tlmrun):

    /usr/bin/python3 tests/onnx/test_onnx2tlm.py
"""
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmocka_result  # noqa: E402
from onnx_cases import (ROOT, Converted, avgpool, batchnorm,  # noqa: E402
                        conv, graph, maxpool, node, onnx2tlm, random,
                        relative_error, tlm)

BOUND = 1e-5     # float32 S-Tinylib against float64 numpy, relative

COMMITTED = ["models/digits/digits", "tests/onnx/models/mobilenet_v1-mini",
             "tests/onnx/models/resnet18-mini", "tests/onnx/models/ops"]


class Committed(unittest.TestCase):
    def test_tlm_files_are_the_converters_output(self):
        for base in COMMITTED:
            blob, _ = onnx2tlm.convert(os.path.join(ROOT, base + ".onnx"))
            with open(os.path.join(ROOT, base + ".tlm"), "rb") as f:
                self.assertEqual(blob, f.read(), base + ".tlm is stale: run "
                                 "the script that writes it")

    def test_command_writes_the_whole_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            dst = os.path.join(tmp, "digits.tlm")
            r = subprocess.run(
                [sys.executable, os.path.join(ROOT, "tools", "onnx2tlm.py"),
                 os.path.join(ROOT, COMMITTED[0] + ".onnx"), "-o", dst],
                capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("digits.tlm: 7 layers", r.stdout)
            self.assertEqual(os.listdir(tmp), ["digits.tlm"])
            with open(dst, "rb") as f, \
                    open(os.path.join(ROOT, COMMITTED[0] + ".tlm"), "rb") as g:
                self.assertEqual(f.read(), g.read())


def squeeze(x, y, axes_input, axes, opset):
    """Squeeze x to y: axes an attribute before opset 13, from 13 the
    constant input axes_input."""
    if opset < 13:
        return node("Squeeze", [x], [y], axes=axes)
    return node("Squeeze", [x, axes_input], [y])


class Mappings(unittest.TestCase):
    def close(self, case, x, want):
        self.assertLessEqual(relative_error(case.run(x), want), BOUND)

    def test_conv_batchnorm_relu_fold_into_one_layer(self):
        w, b = random(4, 2, 3, 3), random(4)
        bn = [random(4, low=0.5, high=2), random(4), random(4),
              random(4, low=0.1, high=2)]
        case = Converted(graph([
            node("Conv", ["x", "w", "b"], ["c"], pads=[1] * 4),
            node("BatchNormalization", ["c", "s", "bb", "m", "v"], ["n"],
                 epsilon=1e-3),
            node("Relu", ["n"], ["y"])], [1, 2, 5, 5],
            dict(w=w, b=b, s=bn[0], bb=bn[1], m=bn[2], v=bn[3])))
        self.assertEqual(case.types(), [(tlm.CONV, tlm.RELU)])
        x = random(1, 2, 5, 5)
        want = np.maximum(batchnorm(conv(x, w, b, pad=1), *bn, 1e-3), 0)
        self.close(case, x, want)

    def test_batchnorm_alone_is_a_depthwise_1x1_conv(self):
        bn = [random(3), random(3), random(3), random(3, low=0.1, high=2)]
        case = Converted(graph([
            node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"])],
            [1, 3, 4, 4], dict(s=bn[0], b=bn[1], m=bn[2], v=bn[3])))
        self.assertEqual(case.model.layers[0].params[:4], [1, 1, 0, 3])
        x = random(1, 3, 4, 4)
        self.close(case, x, batchnorm(x.astype(np.float64), *bn, 1e-5))

    def test_gemm_transposes_b_and_broadcasts_c(self):
        b, c = random(6, 4), random(1, 4)
        case = Converted(graph([node("Gemm", ["x", "b", "c"], ["y"])],
                               [1, 6], dict(b=b, c=c)))
        self.assertEqual(case.types(), [(tlm.CONNECTED, tlm.LINEAR)])
        x = random(1, 6)
        self.close(case, x, x.astype(np.float64) @ b + c)

    def test_matmul_add_is_one_connected_layer(self):
        b, c = random(6, 3), random(3)
        case = Converted(graph([
            node("MatMul", ["x", "b"], ["m"]), node("Add", ["c", "m"], ["a"]),
            node("Sigmoid", ["a"], ["y"])], [1, 6], dict(b=b, c=c)))
        self.assertEqual(case.types(), [(tlm.CONNECTED, tlm.LOGISTIC)])
        x = random(1, 6)
        self.close(case, x, 1 / (1 + np.exp(-(x.astype(np.float64) @ b + c))))

    def test_maxpool_asymmetric_pads_become_darknet_padding(self):
        # ONNX pads begin 0, end 1: Darknet's P = 1 (start at -P/2 = 0).
        pool = node("MaxPool", ["x"], ["y"], kernel_shape=[3, 3],
                    pads=[0, 0, 1, 1])
        case = Converted(graph([pool], [1, 2, 6, 6]))
        self.assertEqual(case.model.layers[0].params[:3], [3, 1, 1])
        x = random(1, 2, 6, 6)
        self.close(case, x, maxpool(x, 3, 1, 0, 1))

    def test_maxpool_2x2_takes_darknets_default_padding(self):
        case = Converted(graph([node("MaxPool", ["x"], ["y"], strides=[2, 2],
                                     kernel_shape=[2, 2])], [1, 1, 4, 4]))
        self.assertEqual(case.model.layers[0].params[:3], [2, 2, 1])

    def test_rectangular_conv_with_asymmetric_pads_is_format_1_1(self):
        # ONNX pads [top, left, bottom, right]; S-Tinylib's 1.1 slots.
        w, b = random(4, 2, 3, 5), random(4)
        dw = random(4, 1, 1, 3)
        case = Converted(graph([
            node("Conv", ["x", "w", "b"], ["c"], strides=[2, 1],
                 pads=[1, 2, 0, 1]),
            node("Conv", ["c", "dw"], ["y"], group=4, strides=[1, 2])],
            [1, 2, 7, 9], dict(w=w, b=b, dw=dw)))
        self.assertEqual(case.model.version_minor, 1)
        self.assertEqual(tlm.geometry(case.model.layers[0]),
                         (3, 5, 2, 1, (1, 0, 2, 1)))
        self.assertEqual(case.model.layers[0].params,
                         [3, 2, 1, 1, 5, 1, 1, 3 | 2 << 16])
        self.assertEqual(tlm.geometry(case.model.layers[1]),
                         (1, 3, 1, 2, (0, 0, 0, 0)))
        x = random(1, 2, 7, 9)
        want = conv(conv(x, w, b, (2, 1), (1, 0, 2, 1)), dw, np.zeros(4),
                    (1, 2), 0, 4)
        self.close(case, x, want)

    def test_conv_auto_pad_same_and_valid(self):
        # 7x9, kernel 3x4, stride 2: totals 2 and 3; the odd one goes to
        # the end (SAME_UPPER) or the start (SAME_LOWER).
        w = random(3, 2, 3, 4)
        x = random(1, 2, 7, 9)
        for auto, pads in (("SAME_UPPER", (1, 1, 1, 2)),
                           ("SAME_LOWER", (1, 1, 2, 1)),
                           ("VALID", (0, 0, 0, 0))):
            with self.subTest(auto):
                case = Converted(graph([node(
                    "Conv", ["x", "w"], ["y"], strides=[2, 2],
                    auto_pad=auto)], [1, 2, 7, 9], dict(w=w)))
                self.assertEqual(tlm.geometry(case.model.layers[0])[4], pads)
                self.close(case, x, conv(x, w, np.zeros(3), 2, pads))

    def test_uneven_pad_node_folds_into_the_conv(self):
        # Keras' 'same' before a stride-2 conv: the end padded by one.
        w = random(3, 2, 3, 3)
        case = Converted(graph([
            node("Pad", ["x", "p"], ["q"]),
            node("Conv", ["q", "w"], ["c"], strides=[2, 2]),
            node("Pad", ["c", "p2"], ["r"]),
            node("AveragePool", ["r"], ["y"], kernel_shape=[2, 3])],
            [1, 2, 8, 8], dict(w=w, p=np.array([0, 0, 0, 0, 0, 0, 1, 1]),
                               p2=np.array([0, 0, 1, 0, 0, 0, 0, 2]))))
        self.assertEqual([l.type for l in case.model.layers],
                         [tlm.CONV, tlm.CONV])
        self.assertEqual(tlm.geometry(case.model.layers[0]),
                         (3, 3, 2, 2, (0, 1, 0, 1)))
        self.assertEqual(tlm.geometry(case.model.layers[1]),
                         (2, 3, 1, 1, (1, 0, 0, 2)))
        x = random(1, 2, 8, 8)
        c = conv(x, w, np.zeros(3), 2, (0, 1, 0, 1))
        self.close(case, x, avgpool(c, (2, 3), 1, (1, 0, 0, 2)))

    def test_rectangular_maxpool_takes_darknet_padding_per_axis(self):
        # H: kernel 2, stride 2, pads (0, 1): P = 1; W: kernel 3, stride
        # 1, pads (1, 1): P = 2; each window starts at -P/2.
        case = Converted(graph([node(
            "MaxPool", ["x"], ["y"], kernel_shape=[2, 3], strides=[2, 1],
            pads=[0, 1, 1, 1])], [1, 2, 6, 7]))
        self.assertEqual(case.model.layers[0].params[:6], [2, 2, 1, 3, 1, 3])
        self.assertEqual(case.model.version_minor, 1)
        x = random(1, 2, 6, 7)
        self.close(case, x, maxpool(x, (2, 3), (2, 1), (0, 1), (1, 1)))
        # SAME_UPPER: H 7, kernel 2, stride 2 pads (0, 1); W 9, kernel 3,
        # stride 2 pads (1, 1).
        case = Converted(graph([node(
            "MaxPool", ["x"], ["y"], kernel_shape=[2, 3], strides=[2, 2],
            auto_pad="SAME_UPPER")], [1, 2, 7, 9]))
        x = random(1, 2, 7, 9)
        self.close(case, x, maxpool(x, (2, 3), 2, (0, 1), (1, 1)))

    def test_1d_conv_batchnorm_pools_are_height_1(self):
        # (1, C, L) held as (C, 1, L): Conv1d + BatchNorm1d + ReLU,
        # MaxPool1d, a lone BatchNorm1d, AvgPool1d with padding, a Pad
        # before a Conv1d, global average pooling.
        w, b, w2 = random(4, 3, 5), random(4), random(4, 4, 3)
        bn = [random(4, low=0.5, high=2), random(4), random(4),
              random(4, low=0.1, high=2)]
        consts = dict(w=w, b=b, w2=w2, s=bn[0], bb=bn[1], m=bn[2], v=bn[3],
                      p=np.array([0, 0, 2, 0, 0, 1]))
        case = Converted(graph([
            node("Conv", ["x", "w", "b"], ["c"], pads=[2, 2]),
            node("BatchNormalization", ["c", "s", "bb", "m", "v"], ["n"]),
            node("Relu", ["n"], ["r"]),
            node("MaxPool", ["r"], ["mp"], kernel_shape=[2], strides=[2]),
            node("BatchNormalization", ["mp", "s", "bb", "m", "v"], ["n2"]),
            node("AveragePool", ["n2"], ["ap"], kernel_shape=[3], pads=[1, 1],
                 count_include_pad=1),
            node("Pad", ["ap", "p"], ["pp"]),
            node("Conv", ["pp", "w2"], ["c2"], strides=[2]),
            node("GlobalAveragePool", ["c2"], ["y"])], [1, 3, 16], consts))
        self.assertEqual([l.type for l in case.model.layers],
                         [tlm.CONV, tlm.MAXPOOL, tlm.CONV, tlm.CONV,
                          tlm.CONV, tlm.AVGPOOL])
        self.assertEqual([case.model.shape(l.output)
                          for l in case.model.layers],
                         [(4, 1, 16), (4, 1, 8), (4, 1, 8), (4, 1, 8),
                          (4, 1, 5), (4, 1, 1)])
        self.assertEqual(tlm.geometry(case.model.layers[0]),
                         (1, 5, 1, 1, (0, 0, 2, 2)))
        self.assertEqual(tlm.geometry(case.model.layers[1]),
                         (1, 2, 1, 2, (0, 1)))
        x = random(1, 3, 16)
        r = np.maximum(batchnorm(conv(x, w, b, 1, 2), *bn, 1e-5), 0)
        n2 = batchnorm(maxpool(r, 2, 2, 0, 0), *bn, 1e-5)
        c2 = conv(avgpool(n2, 3, 1, (0, 0, 1, 1)), w2, np.zeros(4), 2,
                  (0, 0, 2, 1))
        self.close(case, x, c2.mean(2))

    def test_layout_only_nodes_write_no_layer(self):
        case = Converted(graph([
            node("Dropout", ["x"], ["d"]), node("Identity", ["d"], ["i"]),
            node("Flatten", ["i"], ["f"]), node("Reshape", ["f", "s"], ["r"]),
            node("Softmax", ["r"], ["y"])], [1, 2, 3, 3],
            dict(s=np.array([1, -1], np.int64))))
        self.assertEqual(case.types(), [(tlm.SOFTMAX, tlm.LINEAR)])

    def test_concat_of_five_is_two_routes(self):
        case = Converted(graph([node("Concat", ["x"] * 5, ["y"], axis=1)],
                               [1, 2, 3, 3]))
        self.assertEqual([l.type for l in case.model.layers], [tlm.ROUTE] * 2)
        x = random(1, 2, 3, 3)
        self.close(case, x, np.concatenate([x] * 5, 1))

    def test_upsample_and_resize_repeat_pixels(self):
        repeat = lambda x: x.repeat(2, 2).repeat(2, 3)  # noqa: E731
        x = random(1, 2, 3, 3)
        for case in (
                Converted(graph([node("Upsample", ["x", "s"], ["y"])],
                                [1, 2, 3, 3], dict(s=[1, 1, 2, 2]), opset=9)),
                Converted(graph([node(
                    "Resize", ["x", "", "s"], ["y"],
                    coordinate_transformation_mode="half_pixel",
                    nearest_mode="round_prefer_floor")],
                                [1, 2, 3, 3], dict(s=[1, 1, 2, 2])))):
            self.assertEqual(case.model.layers[0].params[0], 2)
            self.close(case, x, repeat(x))

    def test_identity_projection_add_is_darknets_strided_shortcut(self):
        eye = np.eye(4, 2, dtype=np.float32).reshape(4, 2, 1, 1)
        w = random(4, 2, 3, 3)
        case = Converted(graph([
            node("Conv", ["x", "w"], ["main"], pads=[1] * 4, strides=[2, 2]),
            node("Conv", ["x", "eye"], ["skip"], strides=[2, 2]),
            node("Add", ["main", "skip"], ["y"])], [1, 2, 4, 4],
            dict(w=w, eye=eye)))
        self.assertEqual([l.type for l in case.model.layers],
                         [tlm.CONV, tlm.SHORTCUT])
        x = random(1, 2, 4, 4)
        skip = np.zeros((1, 4, 2, 2))
        skip[:, :2] = x[:, :, ::2, ::2]
        self.close(case, x, conv(x, w, np.zeros(4), 2, 1) + skip)

    def test_reducemean_over_h_and_w_is_a_global_avgpool(self):
        x = random(1, 3, 4, 5)
        for axes, keep in (([2, 3], 1), ([-2, -1], 1), ([2, 3], 0)):
            nodes = [node("ReduceMean", ["x"], ["m"], axes=axes,
                          keepdims=keep)]
            nodes += [node("Flatten", ["m"], ["y"])] if keep else []
            nodes[-1].output[0] = "y"
            case = Converted(graph(nodes, [1, 3, 4, 5]))
            self.assertEqual(case.types(), [(tlm.AVGPOOL, tlm.LINEAR)])
            self.close(case, x, x.astype(np.float64).mean((2, 3)))

    def test_hardsigmoid_times_its_input_is_hardswish(self):
        # PyTorch 1.13's hardswish at opset 13.
        w = random(3, 2, 1, 1) * 4
        case = Converted(graph([
            node("Conv", ["x", "w"], ["c"]),
            node("HardSigmoid", ["c"], ["h"], alpha=1 / 6, beta=0.5),
            node("Mul", ["c", "h"], ["y"])], [1, 2, 3, 3], dict(w=w)))
        self.assertEqual(case.types(), [(tlm.CONV, tlm.HARDSWISH)])
        x = random(1, 2, 3, 3)
        c = conv(x, w, np.zeros(3))
        self.close(case, x, c * np.clip(c / 6 + 0.5, 0, 1))

    def test_constant_scale_and_shift_fold_into_the_conv(self):
        w, b = random(3, 2, 3, 3), random(3)
        k, d = random(1, 3, 1, 1, low=0.5, high=2), random(3, 1, 1)
        case = Converted(graph([
            node("Conv", ["x", "w", "b"], ["c"]),
            node("Mul", ["k", "c"], ["m"]), node("Div", ["m", "two"], ["v"]),
            node("Sub", ["d", "v"], ["s"]), node("Sub", ["s", "half"], ["y"])],
            [1, 2, 5, 5], dict(w=w, b=b, k=k, d=d, two=np.float32(2),
                               half=np.float32(0.5))))
        self.assertEqual(case.types(), [(tlm.CONV, tlm.LINEAR)])
        x = random(1, 2, 5, 5)
        self.close(case, x, d - conv(x, w, b) * k / 2 - 0.5)

    def test_constant_nodes_are_constants_everywhere(self):
        # relu6 as PyTorch writes it: Clip with Constant min and max; the
        # shape of a Reshape computed from Constant nodes (as F.pad's is).
        const = lambda n, v: node("Constant", [], [n], name=n, value=  # noqa
                                  __import__("onnx").numpy_helper.from_array(
                                      np.asarray(v)))
        case = Converted(graph([
            const("lo", np.float32(0)), const("hi", np.float32(6)),
            const("one", np.array([1], np.int64)),
            node("ConstantOfShape", ["one"], ["m1"],
                 value=__import__("onnx").numpy_helper.from_array(
                     np.array([-1], np.int64))),
            node("Concat", ["one", "m1"], ["shape"], axis=0),
            node("Clip", ["x", "lo", "hi"], ["r"]),
            node("Reshape", ["r", "shape"], ["y"])], [1, 2, 3, 3]))
        self.assertEqual(case.types(), [(tlm.ACTIVATION_LAYER, tlm.RELU6)])
        x = random(1, 2, 3, 3) * 10
        self.close(case, x, np.clip(x, 0, 6))

    def test_gate_through_reshape_unsqueeze_and_squeeze(self):
        # The SENet gate written with Linear: the mean as (1, C), Gemm,
        # Sigmoid, then back to (1, C, 1, 1) by Reshape or Unsqueeze
        # (axes an attribute before opset 13, an input from 13): the same
        # bytes, relabelled; Squeeze the other way, to (1, C) and (N).
        b, c = random(3, 3), random(3)
        x = random(1, 3, 4, 5)
        m = x.astype(np.float64).mean((2, 3))
        gate = 1 / (1 + np.exp(-(m @ b.T + c)))
        back = {"Reshape": (["s", "shape"], {}),
                "Unsqueeze": (["s", "axes"], {})}
        for op, opset in (("Reshape", 14), ("Unsqueeze", 13),
                          ("Unsqueeze", 11)):
            with self.subTest(op=op, opset=opset):
                inputs, attrs = back[op]
                if op == "Unsqueeze" and opset < 13:
                    inputs, attrs = ["s"], dict(axes=[2, 3])
                case = Converted(graph([
                    node("ReduceMean", ["x"], ["m"], axes=[2, 3], keepdims=0),
                    node("Gemm", ["m", "b", "c"], ["f"], transB=1),
                    node("Sigmoid", ["f"], ["s"]),
                    node(op, inputs, ["g"], **attrs),
                    node("Mul", ["x", "g"], ["y"])], [1, 3, 4, 5],
                    dict(b=b, c=c, shape=np.array([1, 3, 1, 1], np.int64),
                         axes=np.array([-2, -1], np.int64)), opset))
                self.assertEqual(case.types(), [
                    (tlm.AVGPOOL, tlm.LINEAR), (tlm.CONNECTED, tlm.LOGISTIC),
                    (tlm.ELTWISE, tlm.LINEAR)])
                self.close(case, x, x * gate[:, :, None, None])
        for opset in (11, 13):
            with self.subTest(op="Squeeze", opset=opset):
                case = Converted(graph([
                    node("GlobalAveragePool", ["x"], ["p"]),
                    squeeze("p", "q", "a3", [3], opset),
                    squeeze("q", "r", "a2", [-1], opset),
                    node("Gemm", ["r", "b", "c"], ["f"], transB=1),
                    node("Squeeze", ["f"], ["y"])], [1, 3, 4, 5],
                    dict(b=b, c=c, a3=np.array([3], np.int64),
                         a2=np.array([-1], np.int64)), opset))
                self.assertEqual([l.type for l in case.model.layers],
                                 [tlm.AVGPOOL, tlm.CONNECTED])
                self.close(case, x, (m @ b.T + c).reshape(-1))

    def test_expand_as_read_by_mul_is_the_gate_itself(self):
        # x * sigmoid(conv(pool(x))).expand_as(x): Expand to Shape(x) read
        # by the Mul, which broadcasts the gate itself; a constant
        # expanded is computed (here the full plane of a per-channel one).
        w, k = random(3, 3, 1, 1), random(3, 1, 1)
        case = Converted(graph([
            node("GlobalAveragePool", ["x"], ["p"]),
            node("Conv", ["p", "w"], ["c"]), node("Sigmoid", ["c"], ["s"]),
            node("Shape", ["x"], ["shape"]),
            node("Expand", ["s", "shape"], ["e"]),
            node("Mul", ["x", "e"], ["m"]),
            node("Expand", ["k", "shape"], ["ke"]),
            node("Sub", ["m", "ke"], ["y"])], [1, 3, 4, 5], dict(w=w, k=k)))
        elt = [l for l in case.model.layers if l.type == tlm.ELTWISE]
        self.assertEqual([(l.params[0], len([i for i in l.inputs
                                             if i != tlm.NONE])) for l in elt],
                         [(tlm.ELT_MUL, 2), (tlm.ELT_SUB, 1)])
        self.assertEqual(case.model.shape(elt[0].inputs[1]), (3, 1, 1))
        self.assertEqual(case.model.shape(elt[1].weights), (3, 4, 5))
        x = random(1, 3, 4, 5)
        p = x.astype(np.float64).mean((2, 3))
        gate = 1 / (1 + np.exp(-(p @ w.reshape(3, 3).T)))
        self.close(case, x, x * gate[:, :, None, None] - k)

    def test_neg_and_reciprocal(self):
        # -conv folds into the convolution (weights and bias negated,
        # exact); -x of anything else is eltwise times -1; 1 / x is
        # eltwise's reversed Div by 1.
        w, b = random(3, 2, 3, 3), random(3)
        case = Converted(graph([
            node("Conv", ["x", "w", "b"], ["c"], pads=[1] * 4),
            node("Neg", ["c"], ["n"]), node("Relu", ["n"], ["r"]),
            node("Neg", ["r"], ["n2"]), node("Sub", ["n2", "three"], ["d"]),
            node("Reciprocal", ["d"], ["y"])], [1, 2, 5, 5],
            dict(w=w, b=b, three=np.float32(3))))
        self.assertEqual(case.types(), [(tlm.CONV, tlm.RELU)] +
                         [(tlm.ELTWISE, tlm.LINEAR)] * 3)
        self.assertEqual([l.params[:2] for l in case.model.layers[1:]],
                         [[tlm.ELT_MUL, 0], [tlm.ELT_SUB, 0],
                          [tlm.ELT_DIV, 1]])
        x = random(1, 2, 5, 5)
        r = np.maximum(-conv(x, w, b, pad=1), 0)
        self.close(case, x, 1 / (-r - 3))

    def test_reducemax_and_globalmaxpool_are_a_maxpool_over_the_plane(self):
        x = random(1, 3, 4, 6)
        for nodes, keep in (
                ([node("ReduceMax", ["x"], ["y"], axes=[2, 3], keepdims=0)],
                 0),
                ([node("ReduceMax", ["x"], ["m"], axes=[-1, -2]),
                  node("Flatten", ["m"], ["y"])], 1),
                ([node("GlobalMaxPool", ["x"], ["m"]),
                  node("Flatten", ["m"], ["y"])], 1)):
            with self.subTest(nodes[0].op_type, keepdims=keep):
                case = Converted(graph(nodes, [1, 3, 4, 6]))
                self.assertEqual(case.types(), [(tlm.MAXPOOL, tlm.LINEAR)])
                self.assertEqual(tlm.geometry(case.model.layers[0]),
                                 (4, 6, 1, 1, (0, 0)))
                self.close(case, x, x.max((2, 3)))

    def test_input_normalised_in_the_model_is_eltwise_per_channel(self):
        # (x - mean) / std on the input, constants of shape (C, 1, 1):
        # nothing before to fold into, so eltwise Sub and Div with one
        # value per channel; then a convolution.
        mean, std = random(3, 1, 1, low=0.3, high=0.6), \
            random(3, 1, 1, low=0.2, high=0.3)
        w = random(4, 3, 3, 3)
        case = Converted(graph([
            node("Sub", ["x", "mean"], ["s"]),
            node("Div", ["s", "std"], ["n"]),
            node("Conv", ["n", "w"], ["y"], pads=[1] * 4)], [1, 3, 6, 6],
            dict(mean=mean, std=std, w=w)))
        self.assertEqual([(l.type, l.params[:2]) for l in
                          case.model.layers[:2]],
                         [(tlm.ELTWISE, [tlm.ELT_SUB, 0]),
                          (tlm.ELTWISE, [tlm.ELT_DIV, 0])])
        self.assertEqual([case.model.shape(l.weights)
                          for l in case.model.layers[:2]], [(3, 1, 1)] * 2)
        x = random(1, 3, 6, 6, low=0, high=1)
        self.close(case, x, conv((x - mean) / std, w, np.zeros(4), pad=1))


try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import torch_archs
    import torch_mobile
except ImportError:
    torch = None

if torch is not None:
    class Arithmetic(nn.Module):
        """Add, Sub, Mul, Div of activations, broadcast per channel (the
        squeeze-and-excitation gate) and with constants that do not fold."""

        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Conv2d(3, 4, 3, padding=1), nn.Conv2d(3, 4, 1)
            self.fc = nn.Conv2d(4, 4, 1)
            self.k = nn.Parameter(torch.rand(1, 4, 6, 6) + 0.5)

        def forward(self, x):
            a, b = self.a(x), self.b(x)
            y = a - b
            y = y * torch.sigmoid(self.fc(F.adaptive_avg_pool2d(y, 1)))
            y = 2.0 - y
            y = y / (b * b + 1)
            y = F.adaptive_avg_pool2d(a, 1) / (torch.relu(y) + 0.1) + self.k
            return torch.relu(y * 0.5 + y.mean((2, 3), keepdim=True))

    class Gates(nn.Module):
        """SiLU, a lone hardsigmoid, hardswish, the SE gate's order."""

        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Conv2d(3, 4, 3, padding=1), nn.Conv2d(4, 4, 1)

        def forward(self, x):
            y = F.silu(self.a(x))
            g = F.hardsigmoid(self.b(F.adaptive_avg_pool2d(y, 1)))
            return F.hardswish(g * y) + F.silu(y)

    class Shuffle(nn.Module):
        """ShuffleNet v2's unit: chunk, Split, Slice, channel shuffle."""

        def __init__(self):
            super().__init__()
            self.a = nn.Conv2d(4, 4, 3, padding=1, groups=4)
            self.b = nn.Conv2d(5, 5, 1)

        def forward(self, x):
            x1, x2 = x.chunk(2, dim=1)
            y = torch.cat((x1, torch.relu(self.a(x2))), 1)
            b, c, h, w = y.size()
            y = y.view(b, 2, c // 2, h, w).transpose(1, 2).contiguous()
            y = y.view(b, -1, h, w)
            p, q = torch.split(y, [3, 5], 1)
            return torch.cat((self.b(q), p[:, 1:], y[:, -2:]), 1)

    class Norms(nn.Module):
        """LayerNorm over channels, channels first (ConvNeXt's own) and
        channels last between permutes; GELU."""

        def __init__(self):
            super().__init__()
            self.a = nn.Conv2d(3, 8, 3, padding=1)
            self.w = nn.Parameter(torch.rand(8) + 0.5)
            self.b = nn.Parameter(torch.rand(8) - 0.5)
            self.ln = nn.LayerNorm(8, eps=1e-5)
            nn.init.uniform_(self.ln.weight, 0.5, 1.5)
            nn.init.uniform_(self.ln.bias, -0.5, 0.5)
            self.c = nn.Conv2d(8, 8, 1)

        def forward(self, x):
            x = self.a(x)
            u = x.mean(1, keepdim=True)
            v = (x - u).pow(2).mean(1, keepdim=True)
            y = (x - u) / torch.sqrt(v + 1e-6)
            y = self.w[:, None, None] * y + self.b[:, None, None]
            y = F.gelu(self.c(y))
            z = self.ln(y.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
            return F.gelu(z) + x


    class UserIdioms(nn.Module):
        """What PyTorch users write around the mobile blocks: the input
        normalised in the model, the SENet gate (Linear, view (b, c, 1,
        1), expand_as) and one through [:, :, None, None] from amax, relu6
        as F.relu6, clamp and hardtanh, -x, 1 / x, squeeze and unsqueeze
        of the result."""

        def __init__(self):
            super().__init__()
            self.normalise = torch_mobile.Normalise()
            self.conv = nn.Conv2d(3, 8, 3, padding=1)
            self.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8)
            self.fc1, self.fc2 = nn.Linear(8, 4), nn.Linear(4, 8)
            self.head = nn.Linear(8, 5)

        def forward(self, x):
            x = self.conv(self.normalise(x))
            b, c, _, _ = x.size()
            y = self.fc2(F.relu(self.fc1(x.mean((2, 3)))))
            x = x * torch.sigmoid(y).view(b, c, 1, 1).expand_as(x)
            x = F.relu6(self.dw(x)) + torch.clamp(x, 0, 6) + \
                F.hardtanh(x, 0.0, 6.0)
            z = torch.sigmoid(self.fc2(F.relu(self.fc1(x.amax((2, 3))))))
            x = 1 / (-x * z[:, :, None, None] - 1)
            x = F.adaptive_avg_pool2d(x, 1).squeeze(-1).squeeze(-1)
            return self.head(x).unsqueeze(-1).squeeze()


@unittest.skipIf(torch is None, "needs python3-torch")
class TorchModules(unittest.TestCase):
    """Small PyTorch modules exported at opsets 13 and 14 (or those
    given), converted and run on S-Tinylib (strict and fast) against
    PyTorch's output."""

    def check(self, module, in_shape, layers, opsets=(13, 14),
              folding=(True,)):
        torch.manual_seed(3)
        model = torch_archs.seed_weights(module(), 3).eval()
        x = RNG_INPUT.uniform(-2, 2, in_shape).astype(np.float32)
        with torch.no_grad():
            want = model(torch.from_numpy(x)).numpy()
        for opset, fold in [(o, f) for o in opsets for f in folding]:
            with self.subTest(opset=opset, do_constant_folding=fold), \
                    tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "m.onnx")
                torch.onnx.export(model, torch.from_numpy(x), path,
                                  opset_version=opset,
                                  do_constant_folding=fold)
                case = Converted(__import__("onnx").load(path))
                self.assertEqual(case.model.version_minor, 1)
                got = sorted({t for t, _ in case.types()})
                self.assertEqual([t for t in layers if t not in got], [],
                                 [case.model.describe(i) for i in
                                  range(len(case.model.layers))])
                for fast in (False, True):
                    self.assertLessEqual(relative_error(
                        case.run(x, fast), want), BOUND)
        return case

    def test_eltwise_arithmetic_and_squeeze_excite(self):
        case = self.check(Arithmetic, (1, 3, 6, 6), [tlm.ELTWISE])
        ops = [(l.params[0], l.params[1], l.weights != tlm.NONE)
               for l in case.model.layers if l.type == tlm.ELTWISE]
        self.assertIn((tlm.ELT_SUB, 1, True), ops)     # 2 - y
        self.assertIn((tlm.ELT_MUL, 0, False), ops)    # the gate
        self.assertIn((tlm.ELT_DIV, 1, False), ops)    # pool / y
        self.assertEqual(case.types()[-1], (tlm.ELTWISE, tlm.RELU))

    def test_silu_hardsigmoid_hardswish(self):
        # hardswish as HardSigmoid + Mul up to opset 13, HardSwish at 14
        case = self.check(Gates, (1, 3, 5, 5), [tlm.CONV, tlm.ELTWISE],
                          opsets=(11, 12, 13, 14))
        acts = {a for _, a in case.types()}
        self.assertTrue({tlm.SILU, tlm.HARDSIGMOID, tlm.HARDSWISH} <= acts)
        self.assertEqual(case.types()[0], (tlm.CONV, tlm.SILU))

    def test_channel_shuffle_split_and_slice(self):
        case = self.check(Shuffle, (1, 8, 4, 4), [tlm.SHUFFLE, tlm.SLICE])
        shuffle = [l for l in case.model.layers if l.type == tlm.SHUFFLE]
        self.assertEqual([l.params[0] for l in shuffle], [2])

    def test_what_users_write_around_the_blocks(self):
        # Opsets 11 and 12 too (Squeeze's and Unsqueeze's axes are
        # attributes there), with and without the exporter's folding
        # (Constant nodes and their arithmetic left in the graph).
        case = self.check(UserIdioms, (1, 3, 6, 6), [tlm.ELTWISE],
                          opsets=(11, 12, 13, 14), folding=(True, False))
        elt = [(l.params[0], l.params[1], case.model.shape(l.weights)
                if l.weights != tlm.NONE else None)
               for l in case.model.layers if l.type == tlm.ELTWISE]
        self.assertEqual(elt[:2], [(tlm.ELT_SUB, 0, (3, 1, 1)),
                                   (tlm.ELT_DIV, 0, (3, 1, 1))])
        self.assertIn((tlm.ELT_MUL, 0, None), elt)          # the gates
        self.assertIn((tlm.ELT_MUL, 0, (1, 1, 1)), elt)     # -x
        self.assertIn((tlm.ELT_DIV, 1, (1, 1, 1)), elt)     # 1 / x
        self.assertIn((tlm.MAXPOOL, tlm.LINEAR), case.types())  # amax
        self.assertEqual(case.types().count((tlm.CONNECTED, tlm.LOGISTIC)),
                         2)

    def test_layernorm_both_layouts_and_gelu(self):
        case = self.check(Norms, (1, 3, 5, 5), [tlm.LAYERNORM])
        self.assertEqual([t for t in case.types() if t[0] == tlm.LAYERNORM],
                         [(tlm.LAYERNORM, tlm.LINEAR)] * 2)
        self.assertIn((tlm.CONV, tlm.GELU), case.types())
        self.assertIn((tlm.ACTIVATION_LAYER, tlm.GELU), case.types())


RNG_INPUT = np.random.default_rng(11)


def refuse(nodes, in_shape=(1, 2, 4, 4), constants=None, opset=14, **kw):
    return Converted(graph(nodes, list(in_shape), constants, opset, **kw),
                     refusal=True).error


class Refusals(unittest.TestCase):
    CASES = [
        ("Elu", refuse([node("Elu", ["x"], ["y"], name="act7")]),
         "node 'act7' (Elu): operator not supported"),
        ("leaky slope", refuse([node("LeakyRelu", ["x"], ["y"])]),
         "(LeakyRelu): alpha=0.01: S-Tinylib's leaky slope is 0.1"),
        ("clip", refuse([node("Clip", ["x", "lo", "hi"], ["y"])],
                        constants=dict(lo=np.float32(0), hi=np.float32(1))),
         "(Clip): Clip(0, 1): only Clip(0, 6)"),
        ("kernel rank", refuse([node("Conv", ["x", "w"], ["y"])],
                               constants=dict(w=random(1, 2, 3))),
         "(Conv): weights of shape (1, 2, 3) for an input of shape "
         "(1, 2, 4, 4)"),
        ("dilation", refuse([node("Conv", ["x", "w"], ["y"],
                                  dilations=[2, 2])],
                            constants=dict(w=random(1, 2, 3, 3))),
         "dilations 2x2: S-Tinylib's convolutions have dilation 1"),
        ("maxpool dilation", refuse([node("MaxPool", ["x"], ["y"],
                                          kernel_shape=[2], dilations=[2])],
                                    (1, 2, 8)),
         "dilations 2: S-Tinylib's maxpools have dilation 1"),
        ("maxpool start", refuse([node("MaxPool", ["x"], ["y"],
                                       kernel_shape=[1, 3],
                                       pads=[0, 2, 0, 0])]),
         "(MaxPool): pads (2, 0) with ceil_mode=0 give 4 outputs from 4, "
         "which Darknet's maxpool can not"),
        ("negative conv pads", refuse(
            [node("Conv", ["x", "w"], ["y"], pads=[0, 0, -1, 0])],
            constants=dict(w=random(1, 2, 3, 3))),
         "negative padding (a crop) does not map"),
        ("pad of channels", refuse(
            [node("Pad", ["x", "p"], ["q"]), node("Conv", ["q", "w"], ["y"])],
            constants=dict(p=np.array([0, 1, 0, 0, 0, 0, 0, 0]),
                           w=random(1, 3, 1, 1))),
         "only zeros around H and W map (none on N and C"),
        ("1-D pool input rank", refuse(
            [node("Reshape", ["x", "s"], ["r"]),
             node("GlobalAveragePool", ["r"], ["y"])],
            constants=dict(s=np.array([1, 32], np.int64))),
         "(GlobalAveragePool): input of shape (1, 32): expected (1, C, H, W)"
         " or (1, C, L)"),
        ("gemm alpha", refuse([node("Gemm", ["x", "b"], ["y"], alpha=2.0)],
                              (1, 3), dict(b=random(3, 2))),
         "alpha=2: only alpha=1 maps exactly"),
        ("gemm transA", refuse([node("Gemm", ["x", "b"], ["y"], transA=1)],
                               (1, 3), dict(b=random(3, 2))), "transA=1"),
        ("reshape", refuse([node("Reshape", ["x", "s"], ["r"]),
                            node("Relu", ["r"], ["y"])],
                           constants=dict(s=np.array([1, 2, 16], np.int64))),
         "(Reshape): gives shape (1, 2, 16): only (1, N), (N) or the shape "
         "S-Tinylib holds the tensor in, (1, 2, 4, 4), maps"),
        ("softmax axis", refuse([node("Softmax", ["x"], ["y"], axis=1)]),
         "is not the whole tensor"),
        ("concat axis", refuse([node("Concat", ["x", "x"], ["y"], axis=2)]),
         "concatenates channels"),
        ("resize linear", refuse([node("Resize", ["x", "", "s"], ["y"],
                                       mode="linear")],
                                 constants=dict(s=[1, 1, 2, 2])),
         "mode linear: only nearest"),
        ("resize not a repeat", refuse(
            [node("Resize", ["x", "", "s"], ["y"], nearest_mode="ceil",
                  coordinate_transformation_mode="asymmetric")],
            constants=dict(s=[1, 1, 2, 2])), "does not repeat each pixel"),
        ("broadcast both ways", refuse(
            [node("Slice", ["x", "s", "e", "a"], ["one"]),
             node("Add", ["x", "one"], ["y"])],
            constants=dict(s=np.array([0], np.int64), a=np.array([1],
                           np.int64), e=np.array([1], np.int64))),
         "(Add): shapes (1, 2, 4, 4) and (1, 1, 4, 4): S-Tinylib's eltwise "
         "takes a second operand of the first's shape"),
        ("slice step", refuse([node("Slice", ["x", "s", "e", "a", "st"],
                                    ["y"])],
                              constants=dict(s=[0], e=[2], a=[1], st=[2])),
         "(Slice): steps [2]: Slice maps with step 1 only"),
        ("slice of H", refuse([node("Slice", ["x", "s", "e", "a"], ["y"])],
                              constants=dict(s=[1], e=[3], a=[2])),
         "S-Tinylib slices channels (axis 1)"),
        ("rank-5 reshape", refuse(
            [node("Reshape", ["x", "s"], ["y"])],
            constants=dict(s=np.array([1, 2, 1, 4, 4], np.int64))),
         "(Reshape): gives shape (1, 2, 1, 4, 4): a rank-5 Reshape maps only "
         "in the channel shuffle pattern"),
        ("shuffle to other shape", refuse(
            [node("Reshape", ["x", "s"], ["r"]),
             node("Transpose", ["r"], ["t"], perm=[0, 2, 1, 3, 4]),
             node("Reshape", ["t", "s2"], ["y"])], (1, 4, 2, 2),
            constants=dict(s=np.array([1, 2, 2, 2, 2], np.int64),
                           s2=np.array([1, 2, 4, 2], np.int64))),
         "(channel shuffle pattern): Reshape [1, 2, 2, 2, 2], Transpose, "
         "Reshape [1, 2, 4, 2]"),
        ("lone transpose", refuse([node("Transpose", ["x"], ["y"],
                                        perm=[0, 2, 3, 1])]),
         "a Transpose of an activation maps only in the channel shuffle"),
        ("lone erf", refuse([node("Erf", ["x"], ["y"])]),
         "(Erf): Erf maps only in PyTorch's exact GELU"),
        ("hardsigmoid alpha", refuse([node("HardSigmoid", ["x"], ["y"])]),
         "alpha=0.2 beta=0.5: only PyTorch's hardsigmoid (alpha 1/6, beta "
         "1/2) maps"),
        ("avgpool excluding pads", refuse(
            [node("AveragePool", ["x"], ["y"], kernel_shape=[3, 3],
                  pads=[1] * 4)]), "count_include_pad=0 with pads"),
        ("pad not before conv", refuse(
            [node("Pad", ["x", "p"], ["q"], name="pad1"),
             node("Relu", ["q"], ["y"])],
            constants=dict(p=np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64))),
         "reads the output of Pad 'pad1'"),
        ("reducemean axes", refuse([node("ReduceMean", ["x"], ["y"],
                                         axes=[1])]),
         "axes [1]: only the mean over H and W"),
        ("squeeze of a dimension not 1", refuse(
            [node("Squeeze", ["x", "a"], ["y"])],
            constants=dict(a=np.array([1], np.int64))),
         "(Squeeze): axes [1] of shape (1, 2, 4, 4): only dimensions of 1 "
         "squeeze"),
        ("unsqueeze to rank 5", refuse(
            [node("Unsqueeze", ["x", "a"], ["y"])],
            constants=dict(a=np.array([2], np.int64))),
         "(Unsqueeze): gives shape (1, 2, 1, 4, 4): only (1, N), (N) or the "
         "shape S-Tinylib holds the tensor in, (1, 2, 4, 4), maps"),
        ("expand read by an activation", refuse(
            [node("GlobalAveragePool", ["x"], ["p"]),
             node("Shape", ["x"], ["s"]), node("Expand", ["p", "s"], ["e"]),
             node("Relu", ["e"], ["y"])]),
         "(Expand): expands (1, 2, 1, 1) to (1, 2, 4, 4) for Relu: no "
         "S-Tinylib layer repeats values; an Expand maps only as an operand "
         "of Add, Sub, Mul or Div"),
        ("expand that enlarges the result", refuse(
            [node("GlobalAveragePool", ["x"], ["p"]),
             node("ReduceMax", ["x"], ["q"], axes=[2, 3]),
             node("Expand", ["p", "s"], ["e"]),
             node("Add", ["e", "q"], ["y"])],
            constants=dict(s=np.array([1, 2, 4, 4], np.int64))),
         "(Add): operands (1, 2, 1, 1) and (1, 2, 1, 1) expanded to "
         "(1, 2, 4, 4) and (1, 2, 1, 1): the Expand makes the result larger"),
        ("reducemax axes", refuse([node("ReduceMax", ["x"], ["y"],
                                        axes=[1])]),
         "(ReduceMax): axes [1]: only the maximum over H and W"),
        ("spatial gate", refuse(
            [node("Conv", ["x", "w"], ["a"]), node("Sigmoid", ["a"], ["s"]),
             node("Mul", ["x", "s"], ["y"])],
            constants=dict(w=random(1, 2, 1, 1))),
         "(Mul): shapes (1, 2, 4, 4) and (1, 1, 4, 4): S-Tinylib's eltwise "
         "takes a second operand of the first's shape, of one value per "
         "channel (1, C, 1, 1) or of one value"),
        ("two inputs", refuse([node("Add", ["x", "x2"], ["y"])],
                              extra_inputs=("x2",)),
         "2 inputs and 1 outputs"),
    ]

    def test_each_refusal_names_node_operator_and_reason(self):
        for what, error, expected in self.CASES:
            with self.subTest(what):
                self.assertIsNotNone(error, what + " was converted")
                self.assertIn("case.onnx: ", error)
                self.assertIn(expected, error)

    def test_refused_conversion_writes_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = os.path.join(tmp, "m.onnx"), os.path.join(tmp, "m.tlm")
            with open(src, "wb") as f:
                f.write(graph([node("Elu", ["x"], ["y"])],
                              [1, 1, 2, 2]).SerializeToString())
            with open(dst, "wb") as f:
                f.write(b"old")
            cmd = [sys.executable, os.path.join(ROOT, "tools", "onnx2tlm.py"),
                   src, "-o", dst]
            r = subprocess.run(cmd, capture_output=True, text=True)
            self.assertEqual(r.returncode, 1)
            self.assertTrue(r.stderr.startswith(
                "onnx2tlm: %s: node 'Elu' (Elu): operator not supported"
                % src))
            with open(dst, "rb") as f:
                self.assertEqual(f.read(), b"old")
            self.assertEqual(sorted(os.listdir(tmp)), ["m.onnx", "m.tlm"])

    def test_every_refused_node_is_reported_grouped(self):
        w7 = random(2, 2, 1, 3)
        dil = dict(dilations=[1, 2])
        error = Converted(graph([
            node("Elu", ["x"], ["e1"], name="elu_a"),
            node("Conv", ["e1", "w7"], ["c1"], name="conv_a", **dil),
            node("Elu", ["c1"], ["e2"], name="elu_b"),
            node("Conv", ["e2", "w7"], ["c2"], name="conv_b", **dil),
            node("Relu", ["c2"], ["y"])], [1, 2, 8, 8], dict(w7=w7)),
            refusal=True)
        lines = error.error.splitlines()
        self.assertIn("case.onnx: 4 nodes do not map (2 operators); "
                      "nothing written:", lines[0])
        self.assertRegex(lines[1], r"^  Conv +2  first 'conv_a': dilations "
                         r"1x2: S-Tinylib's convolutions have dilation 1$")
        self.assertRegex(lines[2], r"^  Elu +2  first 'elu_a': operator "
                         "not supported$")
        self.assertTrue(lines[3].startswith("  onnx2tlm maps: "))

    def test_shape_arithmetic_after_a_refusal_is_not_reported(self):
        # x.view(x.size(0), -1) after a refused node whose shape ONNX's
        # inference does not know (an Expand to Shape(x)): Shape and
        # Gather read an unknown tensor; they map (computed when it is
        # known), so only the refused node is named.
        error = Converted(graph([
            node("GlobalAveragePool", ["x"], ["p"]),
            node("Shape", ["x"], ["s"], name="shape_x"),
            node("Expand", ["p", "s"], ["e"]), node("Relu", ["e"], ["r"]),
            node("Shape", ["r"], ["s2"]),
            node("Gather", ["s2", "zero"], ["n"], axis=0),
            node("Unsqueeze", ["n", "axes"], ["n1"]),
            node("Concat", ["n1", "m1"], ["shape"], axis=0),
            node("Reshape", ["r", "shape"], ["f"]),
            node("Softmax", ["f"], ["y"])], [1, 2, 3, 3],
            dict(zero=np.array(0, np.int64), axes=np.array([0], np.int64),
                 m1=np.array([-1], np.int64))), refusal=True).error
        self.assertEqual(error.splitlines(), [error.splitlines()[0]])
        self.assertIn("case.onnx: node 'Expand' (Expand): expands", error)

    def test_not_an_onnx_file(self):
        with tempfile.NamedTemporaryFile(suffix=".onnx") as f:
            f.write(b"TLMF not a protobuf")
            f.flush()
            with self.assertRaises(onnx2tlm.ConvertError) as e:
                onnx2tlm.convert(f.name)
            self.assertIn("not a valid ONNX model", str(e.exception))


class Version(unittest.TestCase):
    """tools/tlm.py writes minor 1 only for format 1.1's geometry."""

    def build(self, conv_params, pool_params):
        b = tlm.Builder()
        x = b.activation(2, 1, 12)
        w = b.parameter(np.zeros(3 * 2 * 5), 3, 1, 10)
        bias = b.parameter(np.zeros(3), 3, 1, 1)
        y = b.activation(3, 1, 12)
        b.layer(tlm.Layer(tlm.CONV, y, [x], weights=w, bias=bias,
                          params=conv_params))
        z = b.activation(3, 1, 6)
        b.layer(tlm.Layer(tlm.MAXPOOL, z, [y], params=pool_params))
        return tlm.Model(b.finish(x, z))

    def test_square_stays_1_0_and_1d_is_1_1(self):
        square = self.build([1, 1, 0, 1], [1, 1, 0])
        self.assertEqual(square.version_minor, 0)
        one_d = self.build([1, 1, 0, 1, 5, 0, 0, 3 | 3 << 16],
                           [1, 1, 0, 2, 2, 0])
        self.assertEqual(one_d.version_minor, 1)
        self.assertEqual(tlm.geometry(one_d.layers[0]),
                         (1, 5, 1, 1, (0, 0, 2, 2)))
        self.assertEqual(tlm.geometry(one_d.layers[1]), (1, 2, 1, 2, (0, 0)))
        self.assertIn("kernel 1x5 stride 1x1 pads (0, 0, 2, 2)",
                      one_d.describe(0))


if __name__ == "__main__":
    cmocka_result.run("__main__")
