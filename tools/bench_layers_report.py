"""bench_layers_report: make bench's "where the time goes" tables, from
the per-layer figures bench_engines writes in each model's "layers"
(tests/bench/bench_layers.h): S-Tinylib's fast mode, layer by layer,
beside onnxruntime's own profile of its nodes, put to the same layers.
"""

# The kinds of layer summed apart; a model's other layers (route,
# shortcut, softmax, ...) go together.
OWN_ROWS = ("depthwise", "grouped conv", "connected", "maxpool", "avgpool")
OTHER = "other layers"


def _bucket(kind):
    return kind if kind.startswith("conv ") or kind in OWN_ROWS else OTHER


def _table(head, rows):
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def _ms(v):
    return "%.3g" % v if v < 100 else "%.0f" % v


def kinds(model):
    """[(kind, layers, fast ms, onnxruntime ms)], the most fast ms first,
    then onnxruntime's layout changes when it has any."""
    sums = {}
    for layer in model["layers"]["list"]:
        s = sums.setdefault(_bucket(layer["kind"]), [0, 0.0, 0.0])
        s[0] += 1
        s[1] += layer["fast_ms"]
        s[2] += layer["onnxruntime_ms"]
    rows = sorted(((k, n, f, o) for k, (n, f, o) in sums.items()),
                  key=lambda r: -r[2])
    layout = model["layers"]["onnxruntime_layout_ms"]
    if layout > 0:
        rows.append(("onnxruntime's layout changes", 0, 0.0, layout))
    return rows


def largest_gaps(model, count=3):
    """The count layers where fast mode takes the most time over
    onnxruntime's, largest first (only those over it)."""
    over = [l for l in model["layers"]["list"]
            if l["fast_ms"] > l["onnxruntime_ms"]]
    over.sort(key=lambda l: l["onnxruntime_ms"] - l["fast_ms"])
    return over[:count]


def kinds_table(eng):
    rows = []
    for m in eng["models"]:
        for kind, n, fast, ort in kinds(m):
            rows.append([m["name"], kind, str(n) if n else "-",
                         _ms(fast) if n else "-", _ms(ort),
                         "%+.3g" % (fast - ort) if n else "-"])
    return _table(["model", "kind", "layers", "fast ms", "onnxruntime ms",
                   "fast - onnxruntime ms"], rows)


def gaps_table(eng):
    rows = []
    for m in eng["models"]:
        for l in largest_gaps(m):
            rows.append([m["name"], str(l["index"]), l["kind"], l["shape"],
                         _ms(l["fast_ms"]), _ms(l["onnxruntime_ms"]),
                         "%.2f" % (l["fast_ms"] / l["onnxruntime_ms"])
                         if l["onnxruntime_ms"] > 0 else "-"])
    return _table(["model", "layer", "kind", "shape", "fast ms",
                   "onnxruntime ms", "fast / onnxruntime"], rows)


def section(eng):
    """The report's part, or [] when no model has per-layer figures."""
    if not all("layers" in m for m in eng["models"]):
        return []
    return [
        "## Where the time goes: fast mode and onnxruntime, layer by layer",
        "Fast mode timed around each layer (`tl_run_layer`, the median of "
        "%d rounds); onnxruntime's own profile of as many runs (each "
        "node's median kernel time), each node put to the layer it was "
        "made from. Per-layer medians need not add up to the whole "
        "model's." % eng["rounds"],
        "### By kind of layer", kinds_table(eng),
        "### The layers furthest over onnxruntime's time", gaps_table(eng)]
