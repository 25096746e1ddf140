"""What the QEMU validation runs (qemu_check.py): the models and their
plans, the boots, the runs and probes in each guest; verdicts.py holds
each run's results against the simulator's prediction of it."""

import json
import os
import random
import shutil
import struct
import subprocess
import sys
import time

import firmware
import guest
import sources
import verdicts
from common import ROOT, WORK, Failed, log

sys.path.insert(0, os.path.join(ROOT, "tools"))
import tlm  # noqa: E402

HOST_BIN = os.path.join(ROOT, "build", "host", "bin")
BOARD_BIN = os.path.join(ROOT, "build", "board", "bin", "smartzone")
PLATFORM = os.path.join(ROOT, "memmodel", "platforms", "qemu_armv8a.conf")
HERE = os.path.dirname(__file__)
MEMSCAN = os.path.join(WORK, "memscan")
SEED = 1
# A boot's time limit. QEMU emulates every instruction of the secure
# world's kernels, so an inference of a large model takes minutes.
BOOT_TIMEOUT_S = 1800

# Seeds for the secure world's ASLR that a relocated plan's firmware must
# boot with (its plan turns the core's ASLR off: relocated_without_aslr).
SWEEP_SEEDS = 16

# CI's models, and with --full every sample architecture.
CI_MODELS = ["digits", "tiny", "mobilenet_v1", "darknet"]
FULL_MODELS = CI_MODELS + ["cifar", "resnet18", "yolov3-tiny", "alexnet"]


def sh(cmd):
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode:
        raise Failed("%s: %s" % (" ".join(cmd), p.stderr.decode(errors="replace")))
    return p.stdout


class File:
    """A file a run names: its path here, and its name in the guest's
    /sz."""

    def __init__(self, path, name=None):
        self.path = path
        self.name = name or os.path.basename(path)


def _workdir(name):
    path = os.path.join(WORK, "models", name)
    os.makedirs(path, exist_ok=True)
    return path


def _random_input(tlm_path, out):
    """One input of the model's size, uniform in [0, 1), seeded."""
    with open(tlm_path, "rb") as f:
        m = tlm.Model(f.read())
    c, h, w = m.shape(m.input)
    rng = random.Random(SEED)
    with open(out, "wb") as f:
        f.write(struct.pack("<%df" % (c * h * w),
                            *(rng.random() for _ in range(c * h * w))))
    return out


class Model:
    """A model file (.tlm or .tlme), its inputs and its plan for
    qemu_armv8a (the TA is built with the plan's sizes)."""

    def __init__(self, name, tlm_file, inputs):
        self.name, self.tlm, self.inputs = name, tlm_file, inputs
        self.dir = _workdir(name)
        self.plan_dir = os.path.join(self.dir, "plan")
        self.plan = json.loads(sh([os.path.join(HOST_BIN, "smartzone"), "plan",
                                   "--platform", PLATFORM, self.tlm.path,
                                   "--json", "--out", self.plan_dir]))

    @classmethod
    def digits(cls):
        samples = os.path.join(ROOT, "models", "digits", "samples")
        return cls("digits", File(os.path.join(ROOT, "models", "digits",
                                               "digits.tlm")),
                   [File(os.path.join(samples, n))
                    for n in sorted(os.listdir(samples))])

    @classmethod
    def zoo(cls, name):
        """A sample architecture of models/zoo/ with seeded weights."""
        d = _workdir(name)
        path = os.path.join(d, name + ".tlm")
        sh([os.path.join(HOST_BIN, "darknet2tlm"), os.path.join(
            ROOT, "models", "zoo", name + ".cfg"), "-o", path, "--seed", str(SEED)])
        return cls(name, File(path), [File(_random_input(
            path, os.path.join(d, name + "-input.f32")))])

    @property
    def window(self):
        return self.plan["shm_window"]["bytes"]

    @property
    def relocated(self):
        return self.plan["placement"] == "relocated"

    @property
    def lockdown(self):
        return self.plan["normal_world"]["lockdown"]

    @property
    def tzdram(self):
        a = self.plan["after"]
        return a["CFG_TZDRAM_START"], a["CFG_TZDRAM_SIZE"]

    def needles(self):
        """Up to 64 pieces of 32 bytes of the model's weights, none a run
        of a few byte values, for memscan to look for."""
        with open(self.tlm.path, "rb") as f:
            blob = f.read()
        start = len(blob) // 4
        step = max((len(blob) - start) // 64, 32)
        picks = [blob[at:at + 32] for at in range(start, len(blob) - 32, step)
                 if len(set(blob[at:at + 32])) > 8]
        path = os.path.join(self.dir, "needles.bin")
        with open(path, "wb") as f:
            f.write(b"".join(picks[:64]))
        return File(path)


class Run:
    """One `smartzone run`: its arguments (options, and File objects for
    what it reads), done on the host (the simulator's prediction) and in
    the guest (OP-TEE), with the same platform and window."""

    def __init__(self, name, model, args, expect_failure=False):
        self.name, self.model, self.args = name, model, args
        self.expect_failure = expect_failure

    def files(self):
        return [a for a in self.args if isinstance(a, File)]

    def _args(self, platform, where):
        return (["run", "--platform", platform, "--window",
                 str(self.model.window), "--json"] +
                [where(a) if isinstance(a, File) else a for a in self.args])

    def guest_command(self, save_outputs=True):
        cmd = ["smartzone"] + self._args("/sz/qemu_armv8a.conf",
                                         lambda f: "/sz/" + f.name)
        return cmd + (["--save-outputs", "/out/" + self.name]
                      if save_outputs else [])

    def predict(self, layout):
        """The simulator's run, on the layout OP-TEE will have."""
        out = os.path.join(WORK, "predicted", self.name)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        # the leakage check searches normal memory after every call: not
        # what is compared here, and minutes on the larger models
        cmd = [os.path.join(HOST_BIN, "smartzone")] + self._args(
            PLATFORM, lambda f: f.path) + ["--save-outputs", out,
                                           "--no-leak-check"]
        if layout == "stock":
            cmd[2:2] = ["--layout", "stock"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if not p.stdout.strip():
            raise Failed("the simulator's %s printed nothing: %s"
                         % (self.name, p.stderr.strip()))
        self.predicted = json.loads(p.stdout)
        self.predicted_status = p.returncode
        self.predicted_outputs = {n: open(os.path.join(out, n), "rb").read()
                                  for n in os.listdir(out)}
        verdicts.PREDICTED[self.name] = self.predicted_outputs


class Boot:
    """One boot: the firmware for a layout, the TA built with one model's
    plan, the runs in it, and whether Linux's view is probed."""

    def __init__(self, name, model, layout, runs, linux_view=False,
                 storage=False):
        self.name, self.model, self.layout = name, model, layout
        self.runs, self.linux_view, self.storage = runs, linux_view, storage


def boots_for(models, sealed):
    """The boots: digits, then sealed for a key (the TA built with the
    .tlme's plan), the stock layout's refusal of a model too large for
    it, then each other model on its plan."""
    d, mb = models["digits"], models["mobilenet_v1"]
    e = sealed["model"]
    boots = [
        Boot("digits", d, "planned", [
            Run("digits-strict", d, [d.tlm] + d.inputs),
            Run("digits-fast", d, ["--fast", d.tlm] + d.inputs)],
            linux_view=True),
        Boot("digits-sealed", e, "planned", [
            Run("digits-encrypted", e, ["--encrypted", sealed["key"], e.tlm]
                + e.inputs),
            Run("digits-tampered", e, ["--encrypted", sealed["key"],
                                       sealed["tampered"], e.inputs[0]],
                expect_failure=True)], storage=True),
        Boot("mobilenet_v1-stock", mb, "stock", [
            Run("mobilenet_v1-stock", mb, [mb.tlm] + mb.inputs,
                expect_failure=True)]),
    ]
    for name, m in models.items():
        if name != "digits":
            boots.append(Boot(name, m, "planned", [
                Run(name + "-strict", m, [m.tlm] + m.inputs),
                Run(name + "-fast", m, ["--fast", m.tlm] + m.inputs)],
                linux_view=m.relocated))
    return boots


def seal(m):
    """A key, m sealed for it (a Model of its own, planned as the .tlme
    it is), and a copy with one byte of the ciphertext flipped."""
    sz = os.path.join(HOST_BIN, "smartzone")
    d = _workdir(m.name + "-sealed")
    key = os.path.join(d, "model.key")
    sealed = os.path.join(d, m.name + ".tlme")
    tampered = os.path.join(d, m.name + "-tampered.tlme")
    if os.path.exists(key):
        os.remove(key)
    sh([sz, "keygen", "-o", key])
    sh([sz, "encrypt", m.tlm.path, "--key", key, "-o", sealed])
    data = bytearray(open(sealed, "rb").read())
    data[len(data) // 2] ^= 0x01
    with open(tampered, "wb") as f:
        f.write(bytes(data))
    return {"key": File(key), "tampered": File(tampered),
            "model": Model(m.name + "-sealed", File(sealed), m.inputs)}


class Suite:
    def __init__(self, full=False, only=None):
        self.full, self.only = full, only

    def prepare(self):
        t0 = time.monotonic()
        self.optee_src = sources.optee_os()
        self.tfa_src = sources.tf_a()
        log("building the host's smartzone and the board's (aarch64, "
            "libteec)")
        for target in (["FLAVOR=host", "build/host/bin/smartzone",
                        "build/host/bin/darknet2tlm"],
                       ["FLAVOR=board", "build/board/bin/smartzone"]):
            p = subprocess.run(["make", "-s", "-j2"] + target, cwd=ROOT,
                               capture_output=True, text=True)
            if p.returncode:
                raise Failed("make %s: %s" % (" ".join(target), p.stderr[-2000:]))
        sh(["aarch64-linux-gnu-gcc", "-std=c11", "-O2", "-static", "-Wall",
            "-Wextra", "-Werror", os.path.join(ROOT, "tests", "qemu", "memscan.c"),
            "-o", MEMSCAN])
        self.guest_pkgs = guest.packages()
        self.kernel = guest.kernel_image(self.guest_pkgs)
        self.stock_optee = firmware.optee(self.optee_src, {})
        self.stock_conf = firmware.read_built_conf(self.stock_optee)
        self.models = {n: Model.digits() if n == "digits" else Model.zoo(n)
                       for n in (FULL_MODELS if self.full else CI_MODELS)}
        self.boots = boots_for(self.models, seal(self.models["digits"]))
        if self.only:
            self.boots = [b for b in self.boots if b.name in self.only]
        log("prepared in %.0f s" % (time.monotonic() - t0))

    def run(self):
        results = []
        for b in self.boots:
            results += self._boot(b)
        return results

    def _changes(self, m):
        """The plan's conf.mk settings that change the stock build: those
        whose value differs from the stock build's record (its conf.mk),
        or, for a setting OP-TEE's platform leaves to a C default and so
        does not record, that the plan itself changes (its before and
        after differ). The rest would build the same firmware again."""
        planned = firmware.parse_conf_mk(os.path.join(m.plan_dir, "conf.mk"))
        changes = {}
        for k, v in planned.items():
            if k in self.stock_conf:
                if not firmware.same_value(self.stock_conf[k], v):
                    changes[k] = v
            elif m.plan["before"].get(k) != m.plan["after"].get(k):
                changes[k] = v
        return changes

    def _firmware(self, b):
        """(flash image, .ta) for a boot's layout and model: OP-TEE with
        what the plan changes."""
        m = b.model
        settings = self._changes(m) if b.layout == "planned" else {}
        out = firmware.optee(self.optee_src, settings) if settings else self.stock_optee
        bl32 = m.tzdram if b.layout == "planned" and m.relocated else None
        flash = firmware.tfa_flash(self.tfa_src, out, bl32)
        ta = firmware.ta(out, os.path.join(m.plan_dir, "user_ta_header_defines.h"),
                         ROOT)
        return flash, ta

    def _steps(self, b):
        lines = ["step %s %s" % (r.name, " ".join(r.guest_command()))
                 for r in b.runs]
        if b.linux_view:
            start, size = b.model.tzdram
            lines += [
                "step iomem cat /proc/iomem",
                "step reserved sh /sz/guest_reserved.sh",
                # TZDRAM read while a run holds the model in it: the
                # run's last input again, through a FIFO, holds the run
                # open until the scan is done
                "step memscan sh /sz/guest_memscan.sh 0x%x 0x%x /sz/%s /sz/%s %s"
                % (start, size, b.model.needles().name,
                   b.runs[0].files()[-1].name,
                   " ".join(b.runs[0].guest_command(save_outputs=False))),
            ]
        if b.storage:
            lines.append("step storage ls -la /var/lib/optee-client/data/tee")
        return "\n".join(lines) + "\n"

    def _files(self, b, ta):
        files = {"lib/optee_armtz/%s.ta" % guest.UUID: ta,
                 "bin/smartzone": BOARD_BIN, "bin/memscan": MEMSCAN,
                 "sz/qemu_armv8a.conf": PLATFORM}
        extra = [File(os.path.join(HERE, "guest_reserved.sh")),
                 File(os.path.join(HERE, "guest_memscan.sh")), b.model.needles()]
        for f in extra + [f for r in b.runs for f in r.files()]:
            files["sz/" + f.name] = f.path
        return files

    def _boot(self, b):
        log("boot %s: the %s layout, the TA built for %s" % (b.name, b.layout,
                                                           b.model.name))
        flash, ta = self._firmware(b)
        for r in b.runs:
            r.predict(b.layout)
        folder = os.path.join(WORK, "runs", b.name)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        tree = os.path.join(folder, "rootfs")
        guest.rootfs(self.guest_pkgs, tree, self._files(b, ta))
        with open(os.path.join(tree, "steps.sh"), "w") as f:
            f.write(self._steps(b))
        initrd = os.path.join(folder, "initrd.gz")
        guest.initramfs(tree, initrd)
        lockdown = b.layout == "planned" and b.model.lockdown
        console, secure, secs = guest.boot(flash, self.kernel, initrd, folder,
                                           BOOT_TIMEOUT_S, lockdown)
        log("  %s: booted, ran and powered off in %.1f s (emulator time)"
            % (b.name, secs))
        c = guest.Console(console)
        results = []
        if b.layout == "planned" and b.model.relocated:
            results.append(self._sweep(b, flash, initrd, folder))
        if not c.done:
            tail = "\n".join(console.splitlines()[-12:] + ["-- secure log:"] +
                             secure.splitlines()[-8:])
            return results + [(b.name + "/boot", False, "the guest did not "
                               "finish (%s); its last lines:\n%s"
                               % (folder, tail))]
        return results + verdicts.judge(b, c, secs)

    def _sweep(self, b, flash, initrd, folder):
        """The relocated plan's firmware boots whatever the ASLR seed."""
        rng = random.Random(SEED)
        seeds = [(rng.getrandbits(32), rng.getrandbits(32))
                 for _ in range(SWEEP_SEEDS)] + [(0xffffffff, 0xffffffff)]
        bad = guest.aslr_sweep(flash, initrd, folder, seeds)
        return (b.name + "/boots-for-any-aslr-seed", not bad,
                "OP-TEE reached the normal world with %d of %d ASLR seeds%s"
                % (len(seeds) - len(bad), len(seeds), "; panicked with " +
                   ", ".join("0x%08x:0x%08x" % s for s in bad) if bad else ""))
