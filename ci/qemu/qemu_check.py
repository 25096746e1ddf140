#!/usr/bin/python3
"""make qemu-check: the final validation on QEMU-armv8 under a real
OP-TEE (docs/qemu.md).

For each model it validates, the layout `smartzone plan --platform
qemu_armv8a` gives (or the stock one) is built for real: OP-TEE OS with
the plan's conf.mk settings, TF-A to match, the Smart-Zone TA against
that build's dev kit with the plan's sizes, and the normal world's
`smartzone` for aarch64 against Debian's libteec. QEMU boots it; the
guest runs the same commands a board user runs; the host holds every
result against the simulator's prediction of the same run:

  outputs      strict mode bit-identical to the host's, fast mode within
               the tests' tolerance
  refusal      on the stock layout, a model too large for it refused by
               the same call with the same code and origin
  calls        every TEEC call, its result and origin, and how many
  switches     the world switches the normal world's kernel made (the
               optee driver's tracepoints) against the simulator's count
  report       the TA's REPORT (heap used and peak, ...) equal
  linux-view   the planned TZDRAM is no usable memory of Linux
               (/proc/iomem), a reserved-memory node withholds it, and
               reading it through /dev/mem gets nothing of the model
  encrypted    the key in real secure storage (REE FS via tee-supplicant),
               the .tlme's outputs equal the plaintext's, a flipped byte
               refused with the MAC error

Each check is a result line (phase "qemu") for ci/summary.sh. Times
under QEMU are the emulator's, never a board's.

  ci/qemu/qemu_check.py [--full] [--results FILE] [--only NAME...]
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

import cases  # noqa: E402
from common import ROOT, WORK, Failed, Skip, log  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--full", action="store_true",
                    help="every sample model, not only CI's set")
    ap.add_argument("--results", default=os.path.join(ROOT, "build",
                                                       "qemu-results.txt"),
                    help="where the result lines go (appended)")
    ap.add_argument("--only", nargs="*", help="boots with these names")
    args = ap.parse_args()
    os.chdir(ROOT)
    os.makedirs(WORK, exist_ok=True)
    t0 = time.monotonic()
    results = []
    try:
        suite = cases.Suite(full=args.full, only=args.only)
        suite.prepare()
        results = suite.run()
    except Skip as why:
        if os.environ.get("CI", "") == "true":
            log("FAILED: %s (CI must run the QEMU validation)" % why)
            results = [("sources", False, str(why))]
        else:
            log("skipped: %s" % why)
            with open(args.results, "a") as f:
                f.write("qemu skipped-no-sources 0 0 1\n")
            return 0
    except Failed as why:
        log("FAILED: %s" % why)
        results.append(("setup", False, str(why)))
    print_table(results)
    with open(args.results, "a") as f:
        for name, ok, _ in results:
            f.write("qemu %s %d %d 0\n" % (name, 1 if ok else 0, 0 if ok else 1))
    log("%d checks, %d failed, in %.0f s (QEMU times are the emulator's)"
        % (len(results), sum(not ok for _, ok, _ in results),
           time.monotonic() - t0))
    return 0 if all(ok for _, ok, _ in results) else 1


def print_table(results):
    print("== qemu: the checks against OP-TEE 4.10 under QEMU")
    for name, ok, detail in results:
        print("  %-44s %s%s" % (name, "passed" if ok else "FAILED",
                                 "" if ok or not detail else ""))
        if detail:
            for line in detail.splitlines():
                print("      " + line)


if __name__ == "__main__":
    sys.exit(main())
