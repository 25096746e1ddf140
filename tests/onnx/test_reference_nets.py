#!/usr/bin/python3
"""The import's reference suite (tools/export_torch_models.py's
export_suite): each network exported from PyTorch at opsets 13 and 14,
converted, and either run through S-Tinylib against PyTorch's output or
refused with exactly the grouped list of what it still lacks (GAPS: update
it as layers land). The MLPerf Tiny networks always run; torchvision's at
96x96 only with SZ_LONG=1 (about 20 s more). Needs python3-torch and
python3-torchvision (skipped without) and tlmrun:

    /usr/bin/python3 tests/onnx/test_reference_nets.py
    SZ_LONG=1 /usr/bin/python3 tests/onnx/test_reference_nets.py
"""
import os
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
}
LONG = os.environ.get("SZ_LONG") == "1"


class Converted1(Converted):
    """Converted, reading the .onnx file where it is."""

    def __init__(self, path):
        self.path = path
        try:
            self.blob, self.layers = onnx2tlm.convert(path)
            self.error, self.refused = None, None
            import tlm
            self.model = tlm.Model(self.blob)
        except onnx2tlm.ConvertError as e:
            self.error, self.refused = str(e), e.refused


@unittest.skipIf(export is None, "needs python3-torch and torchvision")
class ReferenceNets(unittest.TestCase):
    def check(self, names):
        with tempfile.TemporaryDirectory() as tmp:
            for name, (base, paths) in export.export_suite(
                    names, tmp).items():
                x = np.fromfile(base + ".in.f32", "<f4")
                y = np.fromfile(base + ".out.f32", "<f4")
                for path in paths:
                    with self.subTest(os.path.basename(path)):
                        self.one(name, Converted1(path), x, y)

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
            return
        self.assertIsNotNone(case.error, name + " converted: update GAPS")
        got = [(op, n, reason) for op, reason, n, _ in case.refused]
        got.sort(key=lambda g: [i for i, (op, _, _) in enumerate(gaps)
                                if op == g[0]] or [99])
        self.assertEqual([(op, n) for op, n, _ in got],
                         [(op, n) for op, n, _ in gaps], case.error)
        for (_, _, reason), (_, _, words) in zip(got, gaps):
            self.assertIn(words, reason)

    def test_mlperf_tiny(self):
        self.check([n for n in GAPS if n in export.torch_mlperf.NETWORKS])

    @unittest.skipUnless(LONG, "torchvision's networks: SZ_LONG=1")
    def test_torchvision_mobile(self):
        self.check(export.TORCHVISION_SUITE)


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    cmocka_result.run("__main__")
