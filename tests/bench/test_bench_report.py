#!/usr/bin/python3
"""tools/bench_report.py's verdicts: fast mode at or under onnxruntime (as
bench_engines judged it) and strict mode within 1.25x of fast mode's
median time, each named per model in report.json and headlined in
report.md, a model over its bound in bold; and its per-layer part
(bench_layers_report.py): sums by kind of layer and the layers furthest
over onnxruntime. Built from a small bench_engines JSON written here, so
no engine runs:

    /usr/bin/python3 tests/bench/test_bench_report.py
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "onnx"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import cmocka_result  # noqa: E402
import bench_layers_report  # noqa: E402
import bench_report  # noqa: E402


def timing(median_s):
    return {"median_s": median_s, "q1_s": median_s, "q3_s": median_s,
            "gflops": 1.0, "peak_share": 0.01}


def model(name, strict_s, fast_s, ort_s):
    return {"name": name, "parameters": 1000, "macs": 10 ** 6,
            "weights_bytes": 4000,
            "memory": {"lower_bound": 1024, "arena": 2048,
                       "darknet_style": 4096},
            "engines": {"strict": timing(strict_s), "fast": timing(fast_s),
                        "darknet": timing(5 * fast_s),
                        "onnxruntime": timing(ort_s)},
            "agreement": {"bound": 1e-4, "fast_vs_onnxruntime": 1e-7,
                          "strict_vs_onnxruntime": 1e-7,
                          "darknet_vs_strict": 1e-7},
            "fast_at_or_under_onnxruntime": fast_s <= ort_s}


def engines(*models):
    return {"host": {"cpu": "test CPU", "core": 1, "fma_peak_gflops": 100.0,
                     "vector_floats": 16, "loadavg_at_start": "0 0 0 1/1 1"},
            "loadavg_at_end": "0 0 0 1/1 1", "rounds": 3,
            "onnxruntime_node": "1.0.0",
            "engines": ["strict", "fast", "darknet", "onnxruntime"],
            "models": list(models)}


def report_of(eng):
    report = {"engines": eng, "verdict": bench_report.verdict(eng)}
    return report, bench_report.markdown(report, {}, "/tmp")


class StrictOverFast(unittest.TestCase):
    # 1.25 exactly is within the bound; 1.30 is over it
    ENG = engines(model("within", 0.0125, 0.010, 0.020),
                  model("over", 0.013, 0.010, 0.008))

    def test_verdict_names_each_model_by_its_ratio(self):
        v = bench_report.verdict(self.ENG)
        self.assertEqual(v["strict_over_fast_bound"], 1.25)
        self.assertEqual(v["strict_within_bound"], ["within"])
        self.assertEqual(v["strict_over_bound"], ["over"])
        self.assertEqual(v["fast_at_or_under_onnxruntime"], ["within"])
        self.assertEqual(v["fast_over_onnxruntime"], ["over"])

    def test_markdown_headlines_both_verdicts(self):
        _, text = report_of(self.ENG)
        self.assertIn("**Strict mode within 1.25x of fast mode's time: 1 of "
                      "2 models** (over on: over).", text)
        self.assertIn("**Fast mode at or under onnxruntime: 1 of 2 models** "
                      "(over on: over).", text)

    def test_latency_table_bolds_a_ratio_over_the_bound(self):
        text = bench_report.latency_table(self.ENG)
        self.assertIn(text, report_of(self.ENG)[1])
        rows = {line.split(" | ")[0].lstrip("| "): line
                for line in text.splitlines() if line.startswith("| ")}
        self.assertIn("strict / fast (bound 1.25)", rows["model"])
        self.assertTrue(rows["within"].endswith("| 1.25 |"), rows["within"])
        self.assertTrue(rows["over"].endswith("| **1.30** |"), rows["over"])

    def test_a_ratio_just_over_the_bound_does_not_print_as_it(self):
        self.assertEqual(bench_report.strict_over_fast_cell(1.2523),
                         "**1.252**")
        self.assertEqual(bench_report.strict_over_fast_cell(1.2499), "1.25")

    def test_every_model_within_leaves_no_over_list(self):
        _, text = report_of(engines(model("a", 0.011, 0.010, 0.020)))
        self.assertIn("**Strict mode within 1.25x of fast mode's time: 1 of "
                      "1 models**.", text)


def layer(index, kind, fast_ms, ort_ms):
    return {"index": index, "kind": kind, "shape": "1x2x2 -> 1x2x2",
            "macs": 100, "fast_ms": fast_ms, "onnxruntime_ms": ort_ms}


def with_layers(m, layers, layout_ms=0.0):
    m["layers"] = {"onnxruntime_layout_ms": layout_ms, "list": layers}
    return m


class PerLayer(unittest.TestCase):
    M = with_layers(model("net", 0.011, 0.010, 0.009), [
        layer(0, "conv 3x3", 4.0, 3.0), layer(1, "maxpool", 0.5, 0.2),
        layer(2, "conv 3x3", 2.0, 2.5), layer(3, "conv 1x1", 1.0, 0.6),
        layer(4, "route", 0.1, 0.0), layer(5, "softmax", 0.05, 0.02),
        layer(6, "conv 3x3", 1.5, 1.4)], layout_ms=0.3)

    def test_kinds_sum_their_layers_most_time_first(self):
        rows = bench_layers_report.kinds(self.M)
        self.assertEqual([r[0] for r in rows], [
            "conv 3x3", "conv 1x1", "maxpool", "other layers",
            "onnxruntime's layout changes"])
        conv = rows[0]
        self.assertEqual(conv[1], 3)
        self.assertAlmostEqual(conv[2], 7.5)
        self.assertAlmostEqual(conv[3], 6.9)
        other = rows[3]
        self.assertEqual(other[1], 2)	# route and softmax together
        self.assertAlmostEqual(other[3], 0.02)
        self.assertEqual(rows[4][1:], (0, 0.0, 0.3))

    def test_layout_changes_get_a_row_only_when_there_are_some(self):
        m = with_layers(model("n", 1, 1, 1), [layer(0, "conv 3x3", 1, 1)])
        self.assertEqual([r[0] for r in bench_layers_report.kinds(m)],
                         ["conv 3x3"])

    def test_largest_gaps_are_over_onnxruntime_largest_first(self):
        gaps = bench_layers_report.largest_gaps(self.M)
        self.assertEqual([l["index"] for l in gaps], [0, 3, 1])
        self.assertEqual(bench_layers_report.largest_gaps(self.M, 10)[-1]
                         ["index"], 5)	# layer 2, under, is never listed
        self.assertNotIn(2, [l["index"] for l in
                             bench_layers_report.largest_gaps(self.M, 10)])

    def test_report_has_the_section_only_with_every_models_layers(self):
        _, text = report_of(engines(self.M))
        self.assertIn("## Where the time goes", text)
        self.assertIn("| net | 0 | conv 3x3 | 1x2x2 -> 1x2x2 | 4 | 3 | "
                      "1.33 |", text)
        self.assertIn("| net | conv 3x3 | 3 | 7.5 | 6.9 | +0.6 |", text)
        _, text = report_of(engines(self.M, model("bare", 1, 1, 1)))
        self.assertNotIn("## Where the time goes", text)


if __name__ == "__main__":
    cmocka_result.run("__main__")
