"""How a run under a real OP-TEE is held against the simulator's
prediction of it (the host's `smartzone run` on the same model, inputs,
platform, layout and window). Each function returns a list of the
differences found, as sentences; an empty list is a pass."""

import re
import struct

# Fast mode against strict: the tests' bound (tests/tinylib/test_models.c
# TOLERANCE), relative to the largest output.
FAST_TOLERANCE = 1e-4

# OP-TEE's SMC ABI (optee_os core/arch/arm/include/sm/optee_smc.h, the
# values Linux's drivers/tee/optee/optee_smc.h mirrors): the normal world
# returning from an RPC, and the RPC reasons a call comes back with.
SMC_RETURN_FROM_RPC = 0x32000003
RPC_REASONS = {0xFFFF0000: "alloc", 0xFFFF0002: "free",
               0xFFFF0004: "foreign interrupt", 0xFFFF0005: "command"}


def floats(blob):
    return struct.unpack("<%df" % (len(blob) // 4), blob)


def outputs_identical(real, predicted, what):
    """Strict mode: every output file the same bytes."""
    diffs = []
    if sorted(real) != sorted(predicted):
        return ["%s: outputs %s on OP-TEE, %s in the simulator"
                % (what, sorted(real), sorted(predicted))]
    for name in sorted(real):
        a, b = real[name], predicted[name]
        if a == b:
            continue
        fa, fb = floats(a), floats(b)
        first = next((i for i in range(min(len(fa), len(fb))) if
                      struct.pack("<f", fa[i]) != struct.pack("<f", fb[i])), None)
        diffs.append("%s %s: %d floats on OP-TEE, %d in the simulator; "
                     "first difference at %s" % (what, name, len(fa), len(fb),
                                                  first))
    return diffs


def outputs_close(real, reference, what, tolerance=FAST_TOLERANCE):
    """Fast mode: within tolerance of the strict reference."""
    diffs = []
    for name in sorted(reference):
        if name not in real:
            diffs.append("%s %s: no output on OP-TEE" % (what, name))
            continue
        a, b = floats(real[name]), floats(reference[name])
        if len(a) != len(b):
            diffs.append("%s %s: %d floats, the reference %d" % (what, name,
                                                                len(a), len(b)))
            continue
        scale = max(max(abs(x) for x in b), 1e-30)
        worst = max(abs(x - y) for x, y in zip(a, b)) / scale
        if not worst <= tolerance:
            diffs.append("%s %s: %.3g relative to the largest output, "
                         "bound %g" % (what, name, worst, tolerance))
    return diffs


def max_relative(real, reference):
    worst = 0.0
    for name in reference:
        a, b = floats(real.get(name, b"")), floats(reference[name])
        if len(a) == len(b) and b:
            scale = max(max(abs(x) for x in b), 1e-30)
            worst = max(worst, max(abs(x - y) for x, y in zip(a, b)) / scale)
    return worst


def calls_equal(real, predicted, what):
    """Every TEEC call, its command, result, origin and count."""
    key = lambda e: (e["call"], e["command"], e["result"], e["origin"])
    a = {key(e): e["count"] for e in real["calls"]["entries"]}
    b = {key(e): e["count"] for e in predicted["calls"]["entries"]}
    diffs = []
    for k in sorted(set(a) | set(b), key=str):
        if a.get(k) != b.get(k):
            diffs.append("%s: %s%s -> %s (origin %s): %s on OP-TEE, %s in the "
                         "simulator" % (what, k[0], " " + k[1] if k[1] else "",
                                        k[2], k[3], a.get(k, 0), b.get(k, 0)))
    return diffs


REPORT_FIELDS = ("heap_size", "heap_used", "heap_peak", "model_bytes",
                 "arena_bytes", "plan_bytes", "layers", "tensors", "runs",
                 "bytes_loaded", "macs", "state", "encrypted")


def report_equal(real, predicted, what):
    a, b = real.get("report", {}), predicted.get("report", {})
    return ["%s: REPORT %s = %s on OP-TEE, %s in the simulator"
            % (what, f, a.get(f), b.get(f)) for f in REPORT_FIELDS
            if a.get(f) != b.get(f)]


TRACE_LINE = re.compile(r"^\s*(\S+)-(\d+)\s+\[\d+\].*optee_invoke_fn_(begin|end): "
                        r"param=\S+ (?:ret )?\(([0-9a-f]+)")


def smc_counts(trace, task):
    """The world switches in an optee tracepoint log (each line names the
    task the kernel made the SMC for): the calls task started; the
    returns from RPCs, by the reason OP-TEE gave for the RPC; and the
    calls other tasks started meanwhile (the driver's notification
    thread, say), by task."""
    calls, rpcs, others, last_ret = 0, {}, {}, {}
    for line in trace.splitlines():
        m = TRACE_LINE.match(line)
        if not m:
            continue
        who, pid, a0 = m.group(1), m.group(2), int(m.group(4), 16)
        if m.group(3) == "end":
            last_ret[pid] = a0
        elif a0 == SMC_RETURN_FROM_RPC:
            ret = last_ret.get(pid, 0)
            reason = RPC_REASONS.get(ret, "0x%08x" % ret)
            rpcs[reason] = rpcs.get(reason, 0) + 1
        elif who == task:
            calls += 1
        else:
            others[who] = others.get(who, 0) + 1
    return calls, rpcs, others
