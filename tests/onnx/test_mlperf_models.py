#!/usr/bin/python3
"""The committed networks of models/mlperf/ are what tools/mlperf_models.py
makes now: each .tlm and seeded input the same bytes as a fresh export and
conversion, PyTorch's output the same values (to 1e-6 of the largest: its
kernels may round differently on another CPU, and the C tests compare
with it at 1e-4). Skipped without python3-torch (the C tests use the
committed files and need no PyTorch).

    /usr/bin/python3 tests/onnx/test_mlperf_models.py
"""
import os
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmocka_result  # noqa: E402
from onnx_cases import ROOT, relative_error  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tools"))
import mlperf_models  # noqa: E402

try:
    import torch  # noqa: F401
except ImportError:
    torch = None


@unittest.skipIf(torch is None, "needs python3-torch")
class Committed(unittest.TestCase):
    def test_regenerated(self):
        with tempfile.TemporaryDirectory() as tmp:
            mlperf_models.write(tmp)
            for name in mlperf_models.NAMES:
                with self.subTest(name):
                    self.same(name, tmp)

    def same(self, name, fresh_dir):
        def read(d, ext):
            with open(os.path.join(d, name + ext), "rb") as f:
                return f.read()
        for ext in (".tlm", ".input.f32"):
            self.assertTrue(read(mlperf_models.OUT_DIR, ext) ==
                            read(fresh_dir, ext), "%s%s differs from a "
                            "fresh conversion: make mlperf-models" %
                            (name, ext))
        y = [np.frombuffer(read(d, ".torch.f32"), "<f4")
             for d in (mlperf_models.OUT_DIR, fresh_dir)]
        self.assertEqual(y[0].shape, y[1].shape)
        self.assertLessEqual(relative_error(y[0], y[1]), 1e-6)


if __name__ == "__main__":
    cmocka_result.run("__main__")
