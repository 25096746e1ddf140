"""make bench's plots (docs/bench.md): gnuplot scripts and their data
written beside the SVGs they make, so that each plot can be drawn again
by hand (gnuplot FILE.gp). Needs gnuplot (Debian's gnuplot-nox).

    svgs = draw(report, plot_dir)     # {"latency": path, ...}
"""
import os
import subprocess

TERMINAL = ("set terminal svg size 960,540 dynamic enhanced "
            "font 'sans,12' background rgb 'white'\n")
ENGINE_TITLES = {"strict": "S-Tinylib strict", "fast": "S-Tinylib fast",
                 "darknet": "Darknet's algorithm",
                 "onnxruntime": "onnxruntime (1 thread)"}


class PlotError(Exception):
    pass


def gnuplot(script, svg):
    """Runs the script at path script; the SVG it writes must not be
    empty."""
    try:
        r = subprocess.run(["gnuplot", script], capture_output=True,
                           text=True)
    except FileNotFoundError:
        raise PlotError("gnuplot is not installed (ci/deps.sh bench "
                        "installs gnuplot-nox)")
    if r.returncode != 0 or not os.path.getsize(svg):
        raise PlotError("%s: gnuplot failed: %s" % (script, r.stderr.strip()))


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def latency(engines, d):
    """Median latency per model and engine, the interquartile range as
    error bars, log scale."""
    names = engines["engines"]
    rows = []
    for m in engines["models"]:
        cells = [m["name"]]
        for e in names:
            t = m["engines"][e]
            cells += (["%.6g" % (t[k] * 1e3) for k in ("median_s", "q1_s",
                                                      "q3_s")]
                      if "median_s" in t else ["NaN"] * 3)
        rows.append(" ".join(cells))
    dat = write(os.path.join(d, "latency.dat"),
                "# model, then median q1 q3 in ms for %s\n%s\n"
                % (", ".join(names), "\n".join(rows)))
    plots = ", ".join(
        "'%s' using %d:%d:%d%s title \"%s\"" % (
            os.path.basename(dat), 2 + 3 * i, 3 + 3 * i, 4 + 3 * i,
            ":xtic(1)" if i == 0 else "", ENGINE_TITLES.get(e, e))
        for i, e in enumerate(names))
    return TERMINAL + (
        "set output 'latency.svg'\n"
        "set title \"Latency of one inference on one core (median, bars: "
        "interquartile range)\"\n"
        "set ylabel 'ms (log scale)'\nset logscale y\nset grid ytics\n"
        "set style data histogram\n"
        "set style histogram errorbars gap 1 lw 1\n"
        "set style fill solid 0.85 border -1\nset key top left\n"
        "set xtics nomirror rotate by -20\n"
        "plot %s\n" % plots)


def provisioning(window, d):
    """Each model's provisioning time against the window (the simulator's
    counted transfers costed for the board) and the exponential fit over
    them; the window the plan chose marked on its curve."""
    plots, marks = [], []
    for i, m in enumerate(window["models"]):
        dat = write(os.path.join(d, "provisioning-%s.dat" % m["name"]),
                    "# window KiB, time ms (%s)\n%s\n" % (
                        window["time_unit"],
                        "\n".join("%g %.6g" % (w / 1024, t * 1e3)
                                  for w, t in m["points"])))
        plots.append("'%s' using 1:2 with points pt 7 ps 0.8 lc %d "
                     "title \"%s\"" % (os.path.basename(dat), i + 1,
                                       m["name"]))
        fit = m["fit"]
        if fit:
            plots.append("1e3*(%.9g + %.9g*exp(-x*1024/%.9g)) with lines "
                         "lc %d dt 2 title \"%s fit, r^2 %.3f\"" % (
                             fit["a"], fit["b"], fit["c"], i + 1,
                             m["name"], fit["r2"]))
            t = fit["a"] + fit["b"] * 2.718281828459045 ** (
                -m["window"] / fit["c"])
            marks.append("set object circle at %g,%g size screen 0.006 "
                         "fc lt %d fs solid front\n"
                         % (m["window"] / 1024, t * 1e3, i + 1))
    return TERMINAL + (
        "set output 'provisioning.svg'\n"
        "set title \"Provisioning time against window size, modelled for "
        "%s\\n{/*0.8 points: the counted transfers; dashed: the fit "
        "T(w) = a + b e^{-w/c}; dot: the plan's window}\"\n"
        "set xlabel 'window (KiB, log scale)'\nset ylabel 'ms (log scale)'\n"
        "set logscale xy\nset grid\nset key outside right\n"
        "set xrange [2:8192]\nset samples 400\n%splot %s\n" % (
            window["platform"], "".join(marks), ", ".join(plots)))


def compare(cmp, d):
    """Smart-Zone against the baseline, modelled for the board: time and
    energy of one inference."""
    rows = []
    for m in cmp["models"]:
        b = m["baseline"]["per_inference"]["modelled_for_board"]
        s = m["smartzone"]["per_inference"]["modelled_for_board"]
        rows.append("%s %.6g %.6g %.6g %.6g" % (
            m["name"], s["time_s"]["total"] * 1e3,
            b["time_s"]["total"] * 1e3, s["energy_j"]["total"],
            b["energy_j"]["total"]))
    dat = write(os.path.join(d, "compare.dat"),
                "# model, Smart-Zone ms, baseline ms, Smart-Zone J, "
                "baseline J (modelled for %s)\n%s\n"
                % (cmp["platform"], "\n".join(rows)))
    f = os.path.basename(dat)
    return TERMINAL + (
        "set output 'compare.svg'\n"
        "set multiplot layout 1,2 title \"Smart-Zone against the baseline "
        "(stock memory, the model streamed in steps), modelled for %s\"\n"
        "set style data histogram\nset style histogram clustered gap 1\n"
        "set style fill solid 0.85 border -1\nset grid ytics\n"
        "set yrange [0:*]\nset key top left\n"
        "set ylabel 'ms per inference'\n"
        "plot '%s' using 2:xtic(1) title 'Smart-Zone', '' using 3 "
        "title 'baseline'\n"
        "set ylabel 'J per inference'\n"
        "plot '%s' using 4:xtic(1) title 'Smart-Zone', '' using 5 "
        "title 'baseline'\nunset multiplot\n" % (cmp["platform"], f, f))


def draw(report, d):
    """The three plots of the report (the parts it has) into d; returns
    {name: svg path}."""
    os.makedirs(d, exist_ok=True)
    made = {}
    for name, make, part in (("latency", latency, "engines"),
                             ("provisioning", provisioning, "provisioning"),
                             ("compare", compare, "compare")):
        if report.get(part) is None:
            continue
        write(os.path.join(d, name + ".gp"), make(report[part], d))
        cwd = os.getcwd()
        os.chdir(d)
        try:
            gnuplot(name + ".gp", name + ".svg")
        finally:
            os.chdir(cwd)
        made[name] = os.path.join(d, name + ".svg")
    return made
