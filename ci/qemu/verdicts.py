"""A boot's results held against the simulator's predictions
(cases.py makes both): one (name, passed, detail) a check. The detail
says what was compared and, on a failure, every difference."""

import json
import re

import checks

# Every run's predicted outputs by run name, for the runs checked
# against another's (fast and encrypted against strict).
PREDICTED = {}


def _json(console, name):
    text = console.text_of(name + ".stdout").strip()
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _outputs(console, run_name):
    prefix = run_name + "/"
    return {n[len(prefix):]: data for n, data in console.files.items()
            if n.startswith(prefix)}


def _result(name, diffs, detail_ok):
    return (name, not diffs, "\n".join(diffs) if diffs else detail_ok)


def _failed_call(j):
    for e in j["calls"]["entries"]:
        if e["result"] != "0x00000000":
            return "%s%s -> %s (%s) from origin %s" % (
                e["call"], " " + e["command"] if e["command"] else "",
                e["result"], e["result_name"], e["origin"])
    return "no call failed"


def _refusal(r, real, status):
    name = r.name + "/refused-as-predicted"
    if real is None or status == 0 or "error" not in real:
        return (name, False, "OP-TEE ran it (status %s): the simulator "
                "predicted a refusal: %s" % (status, r.predicted.get("error")))
    diffs = checks.calls_equal(real, r.predicted, r.name)
    return _result(name, diffs, "%s, on OP-TEE and in the simulator"
                   % _failed_call(real))


def _switches(r, real, trace):
    calls, rpcs, others = checks.smc_counts(trace, "smartzone")
    predicted = (r.predicted.get("tee_total") or {}).get("smc")
    extra = ", ".join("%d %s" % (n, k) for k, n in sorted(rpcs.items()))
    meanwhile = ", ".join("%d by %s" % (n, k) for k, n in sorted(others.items()))
    detail = ("%d world switches made for smartzone (the kernel's count), "
              "%s in the simulator; returns from RPCs: %s%s"
              % (calls, predicted, extra or "none",
                 "; other tasks' calls meanwhile: " + meanwhile if meanwhile
                 else ""))
    diffs = [] if calls == predicted else [r.name + ": " + detail]
    return _result(r.name + "/world-switches", diffs, detail)


def _reference(run_name):
    """The strict run's predicted outputs for a fast or encrypted run:
    NAME-strict for NAME-fast or NAME-encrypted."""
    return PREDICTED.get(run_name.rsplit("-", 1)[0] + "-strict", {})


def judge_run(boot, r, console):
    real = _json(console, r.name)
    status = console.status.get(r.name)
    if r.expect_failure:
        return [_refusal(r, real, status)]
    if real is None or status != 0:
        return [(r.name + "/ran", False, "status %s: %s" % (
            status, console.text_of(r.name + ".stderr").strip()[-600:]))]
    got = _outputs(console, r.name)
    results = []
    if "--fast" in r.args:
        ref = _reference(r.name)
        results.append(_result(r.name + "/outputs", checks.outputs_close(
            got, ref, r.name), "within %g of the strict outputs (worst %.2g), "
            "%d inputs" % (checks.FAST_TOLERANCE, checks.max_relative(got, ref),
                           len(got))))
    else:
        diffs = checks.outputs_identical(got, r.predicted_outputs, r.name)
        if r.name.endswith("-encrypted"):
            diffs += checks.outputs_identical(got, _reference(r.name),
                                              r.name + " (against the plaintext)")
        results.append(_result(r.name + "/outputs", diffs,
                               "%d inputs, every float bit-identical to the "
                               "host's" % len(got)))
    results.append(_result(r.name + "/calls", checks.calls_equal(
        real, r.predicted, r.name), "%d TEEC calls, the same kinds, results "
        "and origins" % real["calls"]["total"]))
    results.append(_result(r.name + "/report", checks.report_equal(
        real, r.predicted, r.name), "heap used %d, peak %d of %d bytes, as "
        "predicted" % (real["report"]["heap_used"], real["report"]["heap_peak"],
                       real["report"]["heap_size"])))
    results.append(_switches(r, real, console.text_of(r.name + ".trace")))
    return results


def _iomem_overlaps(iomem, start, size):
    """Top-level "System RAM" ranges of /proc/iomem that meet
    [start, start + size)."""
    hits = []
    for line in iomem.splitlines():
        m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) : System RAM$", line)
        if m:
            a, b = int(m.group(1), 16), int(m.group(2), 16)
            if a < start + size and start <= b:
                hits.append(line)
    return hits


def _reserved_covering(listing, start, size):
    """The reserved-memory node (two address and two size cells, as
    QEMU's virt tree has them) with no-map that covers the range."""
    for line in listing.splitlines():
        m = re.match(r"^(\S+) reg=([0-9a-f]{32}) no-map=(yes|no)$", line)
        if not m:
            continue
        base, length = int(m.group(2)[:16], 16), int(m.group(2)[16:], 16)
        if base <= start and start + size <= base + length and m.group(3) == "yes":
            return m.group(1)
    return None


def judge_linux_view(boot, console):
    start, size = boot.model.tzdram
    span = "[0x%08x, +0x%x)" % (start, size)
    diffs = ["System RAM in /proc/iomem meets TZDRAM %s: %s" % (span, l)
             for l in _iomem_overlaps(console.text_of("iomem.stdout"), start, size)]
    node = _reserved_covering(console.text_of("reserved.stdout"), start, size)
    if not node:
        diffs.append("no reserved-memory node with no-map covers TZDRAM %s:\n%s"
                     % (span, console.text_of("reserved.stdout")))
    scan = console.text_of("memscan.stdout")
    m = re.search(r"memscan: .*: (\d+) pages read, (\d+) refused \(([^)]*)\), "
                  r"(\d+) of (\d+) needles found", scan)
    held = "while the TA holds the model" in scan
    if not m or not held:
        diffs.append("memscan did not read TZDRAM while the model was held:\n"
                     + scan)
    elif int(m.group(4)):
        diffs.append("the normal world read %s of %s pieces of the model out "
                     "of TZDRAM %s through /dev/mem (%s pages read)"
                     % (m.group(4), m.group(5), span, m.group(1)))
    if "memscan: the run ended with status 0" not in scan:
        diffs.append("the run the scan was made under failed:\n" + scan)
    mapped = re.search(r"memscan: mmap \S+: (.*), (\d+) of \d+ needles found", scan)
    if not mapped:
        diffs.append("memscan did not try mmap:\n" + scan)
    elif int(mapped.group(2)):
        diffs.append("the normal world read %s pieces of the model out of "
                     "TZDRAM %s through an mmap of /dev/mem (%s)"
                     % (mapped.group(2), span, mapped.group(1)))
    detail = ("TZDRAM %s: no System RAM; reserved by %s; /dev/mem while the TA "
              "held the model: read(2) %s pages read, %s refused (%s); mmap(2) "
              "%s; no piece of the model either way"
              % (span, node, m.group(1), m.group(2), m.group(3),
                 mapped.group(1)) if not diffs else "")
    return [_result(boot.name + "/linux-view", diffs, detail)]


def judge_storage(boot, console):
    listing = console.text_of("storage.stdout")
    files = [l for l in listing.splitlines() if l.startswith("-")]
    ok = any(l.endswith("dirf.db") for l in files) and len(files) >= 2
    return [(boot.name + "/secure-storage", ok,
             "REE FS through tee-supplicant holds %d files (dirf.db and the "
             "key's object)" % len(files) if ok else
             "no key object in the REE FS:\n" + listing)]


def judge(boot, console, seconds):
    results = []
    for r in boot.runs:
        results += judge_run(boot, r, console)
    if boot.linux_view:
        results += judge_linux_view(boot, console)
    if boot.storage:
        results += judge_storage(boot, console)
    return results
