#!/usr/bin/python3
"""The committed MLPerf Tiny networks and the activity network
(models/mlperf/): each exported from PyTorch (torch_mlperf.py, seeded and
calibrated weights: export_torch_models.export_suite) at opset 14,
converted by onnx2tlm, and written with its seeded input and PyTorch's
output, so that the C tests and make bench need no PyTorch.

    /usr/bin/python3 tools/mlperf_models.py [--out DIR]   (make mlperf-models)

writes DIR/NAME.tlm, NAME.input.f32 and NAME.torch.f32 (raw little-endian
float32) for each network, DIR defaulting to models/mlperf/. Run twice on
one machine it writes the same bytes (tests/onnx/test_mlperf_models.py
holds the committed .tlm to that). Needs python3-torch and python3-onnx.
"""
import argparse
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
OUT_DIR = os.path.join(ROOT, "models", "mlperf")
OPSET = 14          # export_suite's newer one; 13 converts the same
NAMES = ["kws_dscnn", "vww_mobilenet_v1", "ic_resnet8", "ad_autoencoder",
         "har_conv1d"]


def write(out_dir, names=NAMES):
    """Writes the three files of each network into out_dir."""
    import torch
    import export_torch_models as export
    import onnx2tlm
    torch.set_num_threads(1)        # one summation order on any machine
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, (base, paths) in export.export_suite(
                names, tmp, (OPSET,)).items():
            blob, _ = onnx2tlm.convert(paths[0])
            onnx2tlm.write_atomic(os.path.join(out_dir, name + ".tlm"), blob)
            for ours, theirs in ((".in.f32", ".input.f32"),
                                 (".out.f32", ".torch.f32")):
                shutil.copyfile(base + ours,
                                os.path.join(out_dir, name + theirs))
            print("%s: %d bytes" % (name, len(blob)))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=OUT_DIR, help="default models/mlperf")
    write(p.parse_args(argv).out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
