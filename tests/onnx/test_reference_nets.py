#!/usr/bin/python3
"""The import's reference suite (tools/export_torch_models.py's
export_suite): each network exported from PyTorch at opsets 13 and 14,
converted, and either run through S-Tinylib against PyTorch's output or
refused with exactly the grouped list of what it still lacks (GAPS: update
it as layers land). Each network that converts is then planned on both
boards and run in the TA through the simulated TEE, strict and fast, every
check held and the TA's output within the bound of PyTorch's.

The MLPerf Tiny networks, this project's (torch_mlperf.py's and the
small mobile networks of torch_mobile.py) and torchvision's smaller ones
always run (make check); torchvision's larger ones only with SZ_LONG=1
(make reference-nets), which also prints the figures table of
docs/onnx.md. Needs python3-torch and python3-torchvision (skipped
without; ci/deps.sh check installs them), tlmrun and smartzone:

    /usr/bin/python3 tests/onnx/test_reference_nets.py
    SZ_LONG=1 /usr/bin/python3 tests/onnx/test_reference_nets.py
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmocka_result  # noqa: E402
from onnx_cases import ROOT, Converted, onnx2tlm, relative_error  # noqa: E402

try:
    import torch  # noqa: F401
    import torchvision  # noqa: F401
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import export_torch_models as export
except ImportError:
    export = None
import tlm  # noqa: E402  (onnx_cases put tools/ on the path)

BOUND = 1e-4        # the issue's, as tools/export_torch_models.py
# Per network, what the grouped refusal lists at both opsets: (operator,
# count, words of the reason), in the report's order. None: converted.
GAPS = {
    "ad_autoencoder": None, "kws_dscnn": None, "vww_mobilenet_v1": None,
    "ic_resnet8": None, "har_conv1d": None,      # format 1.1's geometry
    "mobilenet_v2": None, "mnasnet0_5": None, "squeezenet1_0": None,
    # format 1.1's eltwise (squeeze-excite), hardsigmoid, silu, shuffle
    # and slice
    "mobilenet_v3_small": None, "mobilenet_v3_large": None,
    "efficientnet_b0": None, "regnet_y_400mf": None,
    "shufflenet_v2_x0_5": None,
    # this project's: 1x7 and 7x1 kernels (format 1.1's geometry);
    # ConvNeXt-style blocks (LayerNorm, GELU)
    "ic_factorised7": None, "ic_convnext": None,
    # this project's small mobile networks (tools/torch_mobile.py)
    "mini_mobilenet_v2": None, "mini_mobilenet_v3": None,
    "mini_shufflenet_v2": None, "mini_efficientnet_lite": None,
    "mini_se_normalised": None,
}
# Per network, layers that show how its idioms mapped: {kind: count} (the
# kinds of layer_kinds; only those named are counted), at both opsets.
LAYERS = {
    "mini_mobilenet_v2": {"convolution 3x3 depthwise relu6": 11,
                          "convolution 1x1 relu6": 11, "shortcut linear": 5},
    # the squeeze-excite gate: 1x1 conv with hardsigmoid, eltwise Mul per
    # channel; hardswish fused at both opsets (HardSigmoid + Mul at 13)
    "mini_mobilenet_v3": {"convolution 1x1 hardsigmoid": 5,
                          "eltwise mul linear": 5,
                          "convolution 5x5 depthwise hardswish": 4,
                          "convolution 1x1 hardswish": 5,
                          "connected hardswish": 1, "avgpool linear": 6},
    "mini_shufflenet_v2": {"shuffle linear": 7, "slice linear": 8,
                           "route linear": 7},
    "mini_efficientnet_lite": {"convolution 5x5 depthwise relu6": 9,
                               "convolution 3x3 depthwise relu6": 7,
                               "shortcut linear": 9},
    # (x - mean) / std: eltwise Sub and Div by one value per channel; the
    # SENet gate: Linear + Sigmoid, view (b, c, 1, 1), expand_as, Mul
    "mini_se_normalised": {"eltwise sub by (3, 1, 1) linear": 1,
                           "eltwise div by (3, 1, 1) linear": 1,
                           "connected logistic": 3,
                           "eltwise mul linear": 3, "shortcut relu": 3},
}
# torchvision's networks by the time one takes here (export at both
# opsets, conversion, tlmrun, both plans, two runs in the TEE; measured
# on 2 cores): the smaller ones 2-4 s each, always; the larger 6-10 s
# each, only in the longer target.
SMALLER = ["squeezenet1_0", "shufflenet_v2_x0_5", "mnasnet0_5",
           "mobilenet_v3_small"]
LARGER = ["mobilenet_v2", "regnet_y_400mf", "efficientnet_b0",
          "mobilenet_v3_large"]
LONG = os.environ.get("SZ_LONG") == "1"
SMARTZONE = os.environ.get("SMARTZONE", os.path.join(
    ROOT, "build", "host", "bin", "smartzone"))
PLATFORMS = ("rpi3bplus", "qemu_armv8a")   # planned on both
RUN_ON = "rpi3bplus"                         # the board the TEE run costs
# smartzone run reports the last input's inference: the input given this
# many times more first warms the session (arena pages, caches), so that
# the latency is not the first run's. Each costs one inference here: the
# run's time is its plan, provisioning and the leak checks.
WARM_UP = 2
# Per network, what its run in the TEE measured: the figures table's rows.
FIGURES = {}


class Converted1(Converted):
    """Converted, reading the .onnx file where it is."""

    def __init__(self, path):
        self.path = path
        try:
            self.blob, self.layers = onnx2tlm.convert(path)
            self.error, self.refused = None, None
            self.model = tlm.Model(self.blob)
        except onnx2tlm.ConvertError as e:
            self.error, self.refused = str(e), e.refused


def parameters(model):
    """The .tlm's float32 values (batch normalisation folded)."""
    return sum(data.size for kind, _, _, _, data in model.tensors
               if kind == tlm.PARAMETER)


def always_names():
    return list(export.OWN_NETWORKS) + SMALLER


def layer_kinds(model):
    """How many layers of each kind: type, for a convolution its kernel
    (and depthwise), for eltwise its operation (and the constant's
    tensor shape), then the activation."""
    kinds = {}
    for layer in model.layers:
        kind = tlm.LAYER_NAMES[layer.type]
        if layer.type == tlm.CONV:
            kh, kw = tlm.geometry(layer)[:2]
            c = model.shape(layer.inputs[0])[0]
            kind += " %dx%d%s" % (kh, kw, " depthwise" if c > 1 and
                                  layer.params[3] == c else "")
        if layer.type == tlm.ELTWISE:
            kind += " " + ["add", "sub", "mul", "div"][layer.params[0] - 1]
            if layer.weights != tlm.NONE:
                kind += " by %s" % (model.shape(layer.weights),)
        kind += " " + tlm.ACTIVATION_NAMES[layer.activation]
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


@unittest.skipIf(export is None, "needs python3-torch and "
                 "python3-torchvision: ci/deps.sh check")
class ReferenceNets(unittest.TestCase):
    def check(self, names):
        with tempfile.TemporaryDirectory() as tmp:
            for name, (base, paths) in export.export_suite(
                    names, tmp).items():
                x = np.fromfile(base + ".in.f32", "<f4")
                y = np.fromfile(base + ".out.f32", "<f4")
                blobs = []
                for path in paths:
                    with self.subTest(os.path.basename(path)):
                        case = Converted1(path)
                        self.one(name, case, x, y)
                        if case.error is None and case.blob not in blobs:
                            blobs.append(case.blob)
                # Both opsets give the same .tlm today: the TEE runs each
                # distinct one once, which halves the time.
                for i, blob in enumerate(blobs):
                    with self.subTest(name + " in the TEE"):
                        self.in_tee(name, blob, os.path.join(
                            tmp, "%s-%d.tlm" % (name, i)), base, y)

    def one(self, name, case, x, y):
        gaps = GAPS[name]
        if gaps is None:
            self.assertIsNone(case.error)
            strict = relative_error(case.run(x), y)
            fast = relative_error(case.run(x, fast=True), y)
            print("  %s: %d layers, format 1.%d, relative error %.1e "
                  "strict, %.1e fast"
                  % (os.path.basename(case.path), len(case.model.layers),
                     case.model.version_minor, strict, fast))
            self.assertLessEqual(strict, BOUND)
            self.assertLessEqual(fast, BOUND)
            kinds = layer_kinds(case.model)
            want = LAYERS.get(name, {})
            self.assertEqual({k: kinds.get(k, 0) for k in want}, want,
                             sorted(kinds.items()))
            return
        self.assertIsNotNone(case.error, name + " converted: update GAPS")
        got = [(op, n, reason) for op, reason, n, _ in case.refused]
        got.sort(key=lambda g: [i for i, (op, _, _) in enumerate(gaps)
                                if op == g[0]] or [99])
        self.assertEqual([(op, n) for op, n, _ in got],
                         [(op, n) for op, n, _ in gaps], case.error)
        for (_, _, reason), (_, _, words) in zip(got, gaps):
            self.assertIn(words, reason)

    def smartzone(self, *args):
        """smartzone's JSON; exit status 0 required (a plan that does not
        fit, a check that broke: 1)."""
        p = subprocess.run([SMARTZONE] + list(args) + ["--json"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        self.assertEqual(p.returncode, 0, "smartzone %s: %s%s" % (
            " ".join(args), p.stderr, p.stdout[-2000:]))
        return json.loads(p.stdout)

    def in_tee(self, name, blob, path, base, y):
        """The .tlm blob written to path, planned on both boards, then run
        in the TA through the simulated TEE, strict and fast: every check
        held, the TA's saved output within BOUND of PyTorch's (y)."""
        with open(path, "wb") as f:
            f.write(blob)
        figures = {"parameters": parameters(tlm.Model(blob))}
        for platform in PLATFORMS:
            plan = self.smartzone("plan", "--platform", platform, path)
            self.assertTrue(plan["invariants"]["hold"],
                            plan["invariants"]["message"])
            figures[platform] = plan["ta"]["TA_DATA_SIZE"]
        for mode in ("strict", "fast"):
            out_dir = path[:-4] + "-" + mode
            os.makedirs(out_dir)
            run = self.smartzone("run", "--platform", RUN_ON, path,
                                 *[base + ".in.f32"] * (1 + WARM_UP),
                                 "--save-outputs", out_dir,
                                 *(["--fast"] if mode == "fast" else []))
            self.assertTrue(run["checks"]["held"], run["checks"]["messages"])
            got = np.fromfile(os.path.join(out_dir, os.path.basename(base) +
                                           ".in.f32.out"), "<f4")
            self.assertEqual(got.shape, y.shape)
            figures[mode] = relative_error(got, y)
            self.assertLessEqual(figures[mode], BOUND, mode)
            # The last RUN's host time inside the TA and the client
            # library (the simulator's clock on this host).
            figures[mode + "_s"] = \
                run["inference"]["measured_on_this_host"]["total_s"]
            figures["macs"] = run["report"]["macs"]
        print("  %s in the TEE: TA_DATA_SIZE %d (%s) / %d (%s), relative "
              "error %.1e strict, %.1e fast" % (
                  name, figures[PLATFORMS[0]], PLATFORMS[0],
                  figures[PLATFORMS[1]], PLATFORMS[1], figures["strict"],
                  figures["fast"]))
        FIGURES[name] = figures

    def test_split(self):
        """Every network of the suite in exactly one of the two sets."""
        suite = export.TORCHVISION_SUITE + list(export.OWN_NETWORKS)
        self.assertEqual(sorted(always_names() + LARGER), sorted(suite))
        self.assertEqual(sorted(GAPS), sorted(suite))

    def test_always(self):
        self.check(always_names())

    @unittest.skipUnless(LONG, "torchvision's larger networks: SZ_LONG=1")
    def test_torchvision_larger(self):
        self.check(LARGER)

    @classmethod
    def tearDownClass(cls):
        if LONG:
            print_figures()


def si(n):
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if n >= div:
            return "%.2f %s" % (n / div, unit)
    return "%d" % n


def kib(n):
    return "%d KiB" % (n // 1024) if n < 1 << 20 else \
        "%.1f MiB" % (n / (1 << 20))


def print_figures():
    """The figures table of docs/onnx.md's reference suite, one row per
    network that ran in the TEE, in the suite's order."""
    print("\n| network | parameters | MACs | TA_DATA_SIZE %s / %s | "
          "max relative error strict / fast | host latency strict / fast |"
          % PLATFORMS)
    print("|---|---|---|---|---|---|")
    for name in export.TORCHVISION_SUITE + list(export.OWN_NETWORKS):
        if name not in FIGURES:
            continue
        f = FIGURES[name]
        print("| %s | %s | %s | %s / %s | %.1e / %.1e | %.2f / %.2f ms |" % (
            name, si(f["parameters"]), si(f["macs"]), kib(f[PLATFORMS[0]]),
            kib(f[PLATFORMS[1]]), f["strict"], f["fast"],
            f["strict_s"] * 1e3, f["fast_s"] * 1e3))


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    cmocka_result.run("__main__")
