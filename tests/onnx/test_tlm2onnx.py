#!/usr/bin/python3
"""tools/tlm2onnx.py: the ONNX graph it writes computes what S-Tinylib
computes. Small .tlm models built here reach every mapping (convolution
geometry and groups, Darknet's maxpool padding, shortcut's sampling, route,
upsample, yolo's channels, softmax over all values, every activation);
each graph is evaluated in float64 (onnx_torch_eval.py) against tlmrun's
output. digits too; the sample models tiny and mobilenet_v1 go back
through tools/onnx2tlm.py to the very same .tlm. A layer it does not map
is refused, naming the file, the layer and its type. make bench checks
the sample models again under onnxruntime. Runs after the host build
(tlmrun, smartzone):

    /usr/bin/python3 tests/onnx/test_tlm2onnx.py
"""
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmocka_result  # noqa: E402
from onnx_cases import ROOT, TLMRUN, onnx2tlm, random, relative_error, \
    tlm  # noqa: E402
from onnx_torch_eval import evaluate  # noqa: E402

import tlm2onnx  # noqa: E402  (tools/, on the path through onnx_cases)

BOUND = 1e-5     # float32 S-Tinylib against float64 torch, relative
SMARTZONE = os.environ.get("SMARTZONE", os.path.join(
    ROOT, "build", "host", "bin", "smartzone"))
F = tlm.float_param


class Net:
    """A .tlm made layer by layer: add() gives the output tensor's id."""

    def __init__(self, c, h, w):
        self.b = tlm.Builder()
        self.x = self.b.activation(c, h, w)
        self.shapes = {self.x: (c, h, w)}

    def add(self, type_, inputs, shape, act=tlm.LINEAR, params=(),
            weights=None, bias=None):
        out = self.b.activation(*shape)
        self.shapes[out] = shape
        w = self.b.parameter(weights, weights.size, 1, 1) \
            if weights is not None else tlm.NONE
        bb = self.b.parameter(bias, bias.size, 1, 1) \
            if bias is not None else tlm.NONE
        self.b.layer(tlm.Layer(type_, out, inputs, act, w, bb, params))
        return out

    def conv(self, x, filters, k, s=(1, 1), pads=(0, 0, 0, 0), groups=1,
             act=tlm.LINEAR):
        """k, s: (h, w); pads: top, bottom, left, right (format 1.1's
        fields when they differ, else 1.0's square geometry)."""
        c, h, w = self.shapes[x]
        (kh, kw), (sh, sw), (t, bo, le, r) = k, s, pads
        params = [kh, sh, t, groups, kw, sw, bo + 1,
                  (le + 1) | (r + 1) << 16]
        if kh == kw and sh == sw and len(set(pads)) == 1:
            params = params[:4]
        shape = (filters, (h + t + bo - kh) // sh + 1,
                 (w + le + r - kw) // sw + 1)
        return self.add(tlm.CONV, [x], shape, act, params,
                        random(filters * c // groups * kh * kw),
                        random(filters))

    def maxpool(self, x, k, s, pad):
        """k, s, pad: (h, w), pad Darknet's total padding per axis."""
        c, h, w = self.shapes[x]
        params = [k[0], s[0], pad[0], k[1], s[1], pad[1] + 1] \
            if k[0] != k[1] or s[0] != s[1] or pad[0] != pad[1] else \
            [k[0], s[0], pad[0]]
        shape = (c, (h + pad[0] - k[0]) // s[0] + 1,
                 (w + pad[1] - k[1]) // s[1] + 1)
        return self.add(tlm.MAXPOOL, [x], shape, params=params)

    def finish(self, out):
        return self.b.finish(self.x, out), self.shapes[self.x]


def tlmrun(blob, x, fast=False):
    with tempfile.TemporaryDirectory() as tmp:
        paths = [os.path.join(tmp, n) for n in ("m.tlm", "x.f32", "y.f32")]
        with open(paths[0], "wb") as f:
            f.write(blob)
        np.asarray(x, "<f4").tofile(paths[1])
        subprocess.run([TLMRUN, paths[0], paths[1], "-o", paths[2]] +
                       (["--fast"] if fast else []), check=True)
        return np.fromfile(paths[2], "<f4")


def exported(blob):
    """tlm2onnx's graph of blob (through a file, as the command reads)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "m.tlm")
        with open(path, "wb") as f:
            f.write(blob)
        return tlm2onnx.convert(path)


class Layers(unittest.TestCase):
    def agree(self, net_and_out):
        blob, shape = net_and_out
        x = random(1, *shape)
        outputs = evaluate(exported(blob), x)
        self.assertLessEqual(relative_error(tlmrun(blob, x), outputs["y"]),
                             BOUND)
        return outputs

    def test_convolutions_rectangular_asymmetric_grouped_depthwise(self):
        n = Net(4, 9, 11)
        a = n.conv(n.x, 6, (3, 2), (2, 1), (1, 0, 0, 1), groups=2,
                   act=tlm.LEAKY)
        b = n.conv(a, 6, (3, 3), (1, 1), (1, 1, 1, 1), groups=6,
                   act=tlm.RELU6)
        c = n.conv(b, 5, (1, 1), act=tlm.TANH)
        self.agree(n.finish(n.conv(c, 3, (5, 1), (1, 2), (2, 2, 0, 0),
                                   act=tlm.RELU)))

    def test_maxpool_darknet_padding_even_past_the_kernel(self):
        n = Net(3, 7, 8)
        a = n.maxpool(n.x, (2, 2), (1, 1), (1, 1))   # Darknet's size 2 stride 1
        b = n.maxpool(a, (3, 3), (2, 2), (2, 2))
        c = n.maxpool(b, (2, 3), (2, 1), (1, 2))     # format 1.1
        # padding 4 around a kernel of 2: onnxruntime's MaxPool takes no
        # pad that large, so the input is padded with -FLT_MAX first; the
        # windows wholly outside give -FLT_MAX in both
        out = n.maxpool(c, (2, 2), (1, 1), (4, 4))
        blob, shape = n.finish(out)
        x = random(1, *shape)
        y = tlmrun(blob, x)
        self.assertEqual(float(y.min()), -np.finfo(np.float32).max)
        want = evaluate(exported(blob), x)["y"].reshape(-1)
        inside = y > -np.finfo(np.float32).max
        self.assertTrue((want[~inside] == y[~inside]).all())
        self.assertLessEqual(relative_error(y[inside], want[inside]), BOUND)

    def test_avgpool_softmax_over_all_values_connected(self):
        n = Net(3, 4, 5)
        s = n.add(tlm.SOFTMAX, [n.x], (3, 4, 5))
        fc = n.add(tlm.CONNECTED, [s], (7, 1, 1), tlm.HARDSWISH,
                   weights=random(7 * 60), bias=random(7))
        g = n.add(tlm.AVGPOOL, [n.conv(n.x, 4, (3, 3), pads=(1,) * 4)],
                  (4, 1, 1))
        r = n.add(tlm.ROUTE, [fc, g], (11, 1, 1))
        self.agree(n.finish(n.add(tlm.SOFTMAX, [r], (11, 1, 1))))

    def test_shortcut_sampling_channels_alpha_beta(self):
        n = Net(4, 8, 8)
        big = n.conv(n.x, 2, (3, 3), pads=(1,) * 4)            # (2, 8, 8)
        small = n.conv(n.x, 4, (3, 3), (2, 2), (1,) * 4)       # (4, 4, 4)
        # from larger and with fewer channels: every 2nd pixel read
        down = n.add(tlm.SHORTCUT, [small, big], (4, 4, 4), tlm.LEAKY,
                     [F(0.5), F(2.0)])
        # from smaller and with more channels: every 2nd pixel written
        up = n.add(tlm.SHORTCUT, [big, down], (2, 8, 8), tlm.LINEAR,
                   [F(1.5), F(-1.0)])
        same = n.add(tlm.SHORTCUT, [up, big], (2, 8, 8), tlm.LINEAR,
                     [F(1.0), F(1.0)])
        self.agree(n.finish(same))

    def test_route_upsample_yolo_and_unread_outputs(self):
        n = Net(3, 4, 4)
        a = n.conv(n.x, 14, (1, 1))
        head = n.add(tlm.YOLO, [a], (14, 4, 4), params=[2])   # unread
        up = n.add(tlm.UPSAMPLE, [n.conv(n.x, 2, (1, 1))], (2, 8, 8),
                   params=[2, F(0.5)])
        b = n.conv(up, 3, (3, 3), pads=(1,) * 4)
        r = n.add(tlm.ROUTE, [b, up, b], (8, 8, 8))
        one = n.add(tlm.ROUTE, [r], (8, 8, 8))
        d = n.add(tlm.DROPOUT, [one], (8, 8, 8))
        blob, shape = n.finish(n.add(tlm.YOLO, [d], (8, 8, 8), params=[1]))
        x = random(1, *shape)
        model = exported(blob)
        self.assertEqual([o.name for o in model.graph.output],
                         ["y", "t%d" % head])
        got = evaluate(model, x)
        self.assertLessEqual(relative_error(tlmrun(blob, x), got["y"]), BOUND)
        # the unread head: logistic on x, y, objectness and classes only
        raw = got["t%d" % head].reshape(2, 7, 4, 4)
        self.assertTrue(((raw[:, [0, 1, 4, 5, 6]] > 0) &
                         (raw[:, [0, 1, 4, 5, 6]] < 1)).all())

    def test_every_activation(self):
        n = Net(2, 3, 3)
        x = n.x
        for act in range(len(tlm.ACTIVATION_NAMES)):
            x = n.add(tlm.ACTIVATION_LAYER, [x], (2, 3, 3), act)
            x = n.conv(x, 2, (1, 1))
        self.agree(n.finish(x))

    def test_a_layer_it_does_not_map_is_refused_by_name(self):
        n = Net(2, 4, 4)
        crop = n.add(tlm.CROP, [n.x], (2, 2, 2), params=[F(1.0), F(0.0)])
        blob, _ = n.finish(crop)
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = (os.path.join(tmp, f) for f in ("m.tlm", "m.onnx"))
            with open(src, "wb") as f:
                f.write(blob)
            r = subprocess.run([sys.executable, os.path.join(
                ROOT, "tools", "tlm2onnx.py"), src, "-o", dst],
                capture_output=True, text=True)
            self.assertEqual(r.returncode, 1)
            self.assertIn("%s: layer 0 (crop): not covered" % src, r.stderr)
            self.assertEqual(os.listdir(tmp), ["m.tlm"])


class Models(unittest.TestCase):
    def test_digits(self):
        path = os.path.join(ROOT, "models", "digits", "digits.tlm")
        with open(path, "rb") as f:
            blob = f.read()
        x = random(1, 1, 8, 8, low=0.0, high=1.0)     # pixels in [0, 1]
        y = evaluate(tlm2onnx.convert(path), x)["y"]
        self.assertLessEqual(relative_error(tlmrun(blob, x, fast=True), y),
                             BOUND)

    def test_sample_models_come_back_through_onnx2tlm(self):
        """The same layers, geometry and weights to the bit: what
        onnx2tlm reads in tlm2onnx's graph is the model itself."""
        for name in ("tiny", "mobilenet_v1"):
            with self.subTest(model=name), \
                    tempfile.TemporaryDirectory() as tmp:
                src, mid = (os.path.join(tmp, name + e)
                            for e in (".tlm", ".onnx"))
                subprocess.run([SMARTZONE, "convert", os.path.join(
                    ROOT, "models", "zoo", name + ".cfg"), "-o", src],
                    check=True, stdout=subprocess.DEVNULL)
                subprocess.run([sys.executable, os.path.join(
                    ROOT, "tools", "tlm2onnx.py"), src, "-o", mid],
                    check=True, stdout=subprocess.DEVNULL)
                with open(src, "rb") as f:
                    original = tlm.Model(f.read())
                back = tlm.Model(onnx2tlm.convert(mid)[0])
                self.assertEqual(tlm.differences(original, back), ([], 0.0))

    def test_weights_by_16_read_as_rows(self):
        """smartzone convert --weights-by-16: tlm.Model reads the file as
        the one in rows, and tlm2onnx's graph of it is the same model."""
        with tempfile.TemporaryDirectory() as tmp:
            rows, by_16, mid = (os.path.join(tmp, f) for f in (
                "rows.tlm", "by16.tlm", "by16.onnx"))
            cfg = os.path.join(ROOT, "models", "zoo", "tiny.cfg")
            for path, extra in ((rows, []), (by_16, ["--weights-by-16"])):
                subprocess.run([SMARTZONE, "convert", cfg, "-o", path] +
                               extra, check=True, stdout=subprocess.DEVNULL)
            with open(rows, "rb") as f:
                original = tlm.Model(f.read())
            with open(by_16, "rb") as f:
                blob = f.read()
            self.assertNotEqual(blob, open(rows, "rb").read())
            stored = tlm.Model(blob)
            self.assertEqual(stored.version_minor, 2)
            self.assertEqual(tlm.differences(original, stored), ([], 0.0))
            subprocess.run([sys.executable, os.path.join(
                ROOT, "tools", "tlm2onnx.py"), by_16, "-o", mid],
                check=True, stdout=subprocess.DEVNULL)
            back = tlm.Model(onnx2tlm.convert(mid)[0])
            self.assertEqual(tlm.differences(original, back), ([], 0.0))


if __name__ == "__main__":
    cmocka_result.run("__main__")
