#!/usr/bin/python3
"""bench_report: make bench's report from the figures its programs wrote
(docs/bench.md): report.json for machines, report.md for people (its
tables are what make bench prints), and the plots (bench_plots.py).

    /usr/bin/python3 tools/bench_report.py --engines ENGINES.json
        [--window WINDOW.json] [--compare COMPARE.json] --out DIR

ENGINES.json is bench_engines', WINDOW.json bench_window's, COMPARE.json
smartzone compare --json's. Writes DIR/report.json, DIR/report.md and
DIR/plots/*.svg (with the .gp and .dat each was drawn from).
"""
import argparse
import json
import os
import sys

import bench_layers_report
import bench_plots

MIB = 1048576.0
# Issue 15's bound on strict mode: at most 1.25x fast mode's time (the
# median of each), on every model.
STRICT_OVER_FAST_BOUND = 1.25
TITLES = {"strict": "strict", "fast": "fast", "darknet": "Darknet's alg.",
          "onnxruntime": "onnxruntime"}


def load(path, what):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise SystemExit("bench_report: %s (%s): %s" % (path, what, e))


def table(head, rows):
    lines = ["| " + " | ".join(head) + " |",
             "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def ms(t):
    """Milliseconds to three significant digits."""
    v = t * 1e3
    return "%.3g" % v if v < 100 else "%.0f" % v


def spread(e):
    if "median_s" not in e:
        return "-"
    return "%s (%s-%s)" % (ms(e["median_s"]), ms(e["q1_s"]), ms(e["q3_s"]))


def models_table(eng):
    rows = []
    for m in eng["models"]:
        mem = m["memory"]
        rows.append([
            m["name"], "%.2fM" % (m["parameters"] / 1e6),
            "%.1fM" % (m["macs"] / 1e6), "%.2f" % (m["weights_bytes"] / MIB),
            "%.2f" % (mem["lower_bound"] / MIB), "%.2f" % (mem["arena"] / MIB),
            "%.1f%%" % (100.0 * (mem["arena"] / mem["lower_bound"] - 1)),
            "%.2f" % (mem["darknet_style"] / MIB),
            "%.1fx" % (mem["darknet_style"] / mem["arena"])])
    return table(["model", "parameters", "MACs", "weights MiB",
                  "live lower bound MiB", "arena MiB", "arena over bound",
                  "Darknet-style MiB", "Darknet-style / arena"], rows)


def strict_over_fast(m):
    e = m["engines"]
    return e["strict"]["median_s"] / e["fast"]["median_s"]


def strict_over_fast_cell(ratio):
    """Two decimals, bold over the bound; a third where two would print
    the bound itself (1.252 is over 1.25)."""
    if ratio <= STRICT_OVER_FAST_BOUND:
        return "%.2f" % ratio
    text = "%.2f" % ratio
    if float(text) <= STRICT_OVER_FAST_BOUND:
        text = "%.3f" % ratio
    return "**%s**" % text


def latency_table(eng):
    names = eng["engines"]
    rows = []
    for m in eng["models"]:
        e = m["engines"]
        fast, ort = e["fast"]["median_s"], e["onnxruntime"]["median_s"]
        rows.append([m["name"]] + [spread(e[n]) for n in names] + [
            "%.2f" % (fast / ort),
            "yes" if m["fast_at_or_under_onnxruntime"] else "**no**",
            strict_over_fast_cell(strict_over_fast(m))])
    return table(["model"] + ["%s ms" % TITLES[n] for n in names] +
                 ["fast / onnxruntime", "fast <= onnxruntime",
                  "strict / fast (bound %.2f)" % STRICT_OVER_FAST_BOUND],
                 rows)


def throughput_table(eng):
    names = eng["engines"]
    rows = []
    for m in eng["models"]:
        e = m["engines"]
        rows.append([m["name"]] + [
            "%.1f (%.0f%%)" % (e[n]["gflops"], 100 * e[n]["peak_share"])
            if "gflops" in e[n] else "-" for n in names])
    return table(["model"] + ["%s GFLOP/s (of peak)" % TITLES[n]
                              for n in names], rows)


def agreement_table(eng):
    rows = [[m["name"]] + ["%.2g" % m["agreement"][k] for k in (
        "fast_vs_onnxruntime", "strict_vs_onnxruntime", "darknet_vs_strict")]
        for m in eng["models"]]
    return table(["model", "fast vs onnxruntime", "strict vs onnxruntime",
                  "Darknet's alg. vs strict"], rows)


def provisioning_table(win):
    rows = []
    for m in win["models"]:
        pts = dict((w, t) for w, t in m["points"])
        fit = m["fit"]
        rows.append([
            m["name"], "%.2f" % (m["bytes"] / MIB),
            "%s" % ms(pts[min(pts)]), "%d KiB" % (m["window"] // 1024),
            ms(pts.get(m["window"], float("nan"))), ms(pts[max(pts)]),
            ("a %s ms, b %s ms, c %.0f B, r² %.3f" % (
                ms(fit["a"]), ms(fit["b"]), fit["c"], fit["r2"])) if fit
            else "not applied: " + m.get("fit_not_applied", "")])
    return table(["model", "MiB", "ms at 4 KiB", "plan's window",
                  "ms at it", "ms at %d KiB" % (max(
                      w for m in win["models"] for w, _ in m["points"])
                      // 1024), "fit T(w) = a + b exp(-w/c)"], rows)


def compare_table(cmp):
    rows = []
    for m in cmp["models"]:
        s = m["smartzone"]["per_inference"]["modelled_for_board"]
        b = m["baseline"]["per_inference"]["modelled_for_board"]
        v = m["modelled_for_board"]
        rows.append([
            m["name"], ms(s["time_s"]["total"]), ms(b["time_s"]["total"]),
            "%.2fx" % v["speedup"], "%.1f%%" % (100 * v["energy_saving"]),
            "%d" % m["baseline"]["steps"],
            "%.2fx" % m["measured_on_this_host"]["wall_ratio"],
            "yes" if m["outputs_identical"] else "**no**"])
    return table(["model", "Smart-Zone ms", "baseline ms", "speedup",
                  "energy saving", "baseline steps",
                  "host-measured ratio", "same output"], rows)


def verdict(eng):
    models = eng["models"]
    under = [m["name"] for m in models if m["fast_at_or_under_onnxruntime"]]
    over = [m["name"] for m in models if not m["fast_at_or_under_onnxruntime"]]
    within = [m["name"] for m in models
              if strict_over_fast(m) <= STRICT_OVER_FAST_BOUND]
    return {"models": len(models), "fast_at_or_under_onnxruntime": under,
            "fast_over_onnxruntime": over,
            "strict_over_fast_bound": STRICT_OVER_FAST_BOUND,
            "strict_within_bound": within,
            "strict_over_bound": [m["name"] for m in models
                                  if m["name"] not in within]}


def markdown(report, plots, out):
    eng, win, cmp = (report["engines"], report.get("provisioning"),
                     report.get("compare"))
    h = eng["host"]
    v = report["verdict"]
    rel = lambda p: os.path.relpath(p, out)
    parts = [
        "# make bench: the report",
        "Measured on this host (%s), pinned to core %d, one thread per "
        "engine, the engines in turn in each of %d rounds (order rotated); "
        "onnxruntime-node %s. FMA peak of the core, measured: %.1f GFLOP/s "
        "(%d-float vectors). Load average at the start %s, at the end %s: "
        "other work on the machine moves single figures."
        % (h["cpu"], h["core"], eng["rounds"], eng["onnxruntime_node"],
           h["fma_peak_gflops"], h["vector_floats"],
           h["loadavg_at_start"].rsplit(" ", 2)[0],
           eng.get("loadavg_at_end", "?").rsplit(" ", 2)[0]),
        "**Fast mode at or under onnxruntime: %d of %d models**%s."
        % (len(v["fast_at_or_under_onnxruntime"]), v["models"],
           (" (over on: %s)" % ", ".join(v["fast_over_onnxruntime"]))
           if v["fast_over_onnxruntime"] else ""),
        "**Strict mode within %.2fx of fast mode's time: %d of %d "
        "models**%s." % (
            v["strict_over_fast_bound"], len(v["strict_within_bound"]),
            v["models"], (" (over on: %s)" % ", ".join(v["strict_over_bound"]))
            if v["strict_over_bound"] else ""),
        "## Models and secure memory", models_table(eng),
        "## Latency, ms: median (interquartile range)", latency_table(eng)]
    if "latency" in plots:
        parts.append("Plot: [%s](%s)" % (rel(plots["latency"]),
                                         rel(plots["latency"])))
    parts += ["## Throughput: GFLOP/s (2 per MAC) and share of the FMA "
              "peak", throughput_table(eng),
              "## Agreement: largest difference relative to the largest "
              "output (bound %g)" % eng["models"][0]["agreement"]["bound"],
              agreement_table(eng)]
    parts += bench_layers_report.section(eng)
    if "loading" in eng:
        lo = eng["loading"]
        parts += ["## Loading", "`tl_model_open` (every check, CRC-32 "
                  "included) on %s (%.1f MiB): %.2f GB/s; memcpy of the same "
                  "bytes: %.2f GB/s; opening takes %.1fx a copy."
                  % (os.path.basename(lo["model"]), lo["bytes"] / MIB,
                     lo["open_gbps"], lo["memcpy_gbps"],
                     lo["open_s"] / lo["memcpy_s"])]
    if win:
        parts += ["## Provisioning time against window size (modelled for "
                  "%s)" % win["platform"], provisioning_table(win)]
        if "provisioning" in plots:
            parts.append("Plot: [%s](%s)" % (rel(plots["provisioning"]),
                                             rel(plots["provisioning"])))
    if cmp:
        parts += ["## Smart-Zone against the baseline (modelled for %s; "
                  "paper: %.2fx faster, %.1f%% less power)" % (
                      cmp["platform"], cmp["paper"]["speedup"],
                      100 * cmp["paper"]["power_saving"]),
                  compare_table(cmp)]
        if "compare" in plots:
            parts.append("Plot: [%s](%s)" % (rel(plots["compare"]),
                                             rel(plots["compare"])))
    return "\n\n".join(parts) + "\n"


def main(argv):
    p = argparse.ArgumentParser(prog="bench_report", description=__doc__
                                .split("\n\n")[0])
    p.add_argument("--engines", required=True)
    p.add_argument("--window")
    p.add_argument("--compare")
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)
    report = {"engines": load(a.engines, "bench_engines' figures")}
    if not report["engines"].get("models"):
        raise SystemExit("bench_report: %s: no model was measured (see "
                         "bench_engines' messages)" % a.engines)
    report["provisioning"] = load(a.window, "bench_window's points") \
        if a.window else None
    report["compare"] = load(a.compare, "smartzone compare --json") \
        if a.compare else None
    report["verdict"] = verdict(report["engines"])
    try:
        plots = bench_plots.draw(report, os.path.join(a.out, "plots"))
    except bench_plots.PlotError as e:
        raise SystemExit("bench_report: %s" % e)
    report["plots"] = plots
    text = markdown(report, plots, a.out)
    with open(os.path.join(a.out, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    with open(os.path.join(a.out, "report.md"), "w") as f:
        f.write(text)
    sys.stdout.write(text)
    print("\nbench_report: %s, %s; plots: %s" % (
        os.path.join(a.out, "report.json"), os.path.join(a.out, "report.md"),
        ", ".join(plots[k] for k in sorted(plots))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
