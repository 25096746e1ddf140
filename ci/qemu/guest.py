"""The normal world under QEMU: Debian's arm64 kernel, a busybox
initramfs with OP-TEE's driver modules, tee-supplicant and libteec, and
the machine that boots them behind the secure world (firmware.py).

The machine is QEMU's virt board with the security extensions, a
Cortex-A53 (the board's core), one core, 1 GiB, no network; TF-A boots from the
secure flash, OP-TEE's log goes to the second serial port. QEMU makes the
device tree; this adds the kernel's command line and the initramfs'
place to it (QEMU only does so itself for a -kernel it boots).

Memory map of the boot (memmodel/platforms/qemu_armv8a.conf holds it):
  0x40000000  the device tree (QEMU; OP-TEE may grow it to 1 MiB)
  0x42000000  OP-TEE's static shared memory (CFG_SHMEM, 2 MiB)
  0x60000000  the Linux Image (TF-A's BL33), then the initramfs
"""

import base64
import gzip
import os
import re
import shutil
import stat
import subprocess
import time

from common import WORK, Failed, log, run_logged
from firmware import KERNEL_ADDR

INITRD_ADDR = KERNEL_ADDR + (64 << 20)
PACKAGES = ["busybox-static", "tee-supplicant", "libteec1", "libc6"]
UUID = "0e67a2dc-17bf-4124-b771-0f3c4790399c"


def _kernel_package():
    """Debian's current arm64 kernel, as its meta-package names it."""
    out = subprocess.run(["apt-cache", "depends", "linux-image-arm64:arm64"],
                         capture_output=True, text=True).stdout
    m = re.search(r"Depends: (linux-image-[0-9][^\s:]*-arm64)", out)
    if not m:
        raise Failed("apt-cache does not know linux-image-arm64:arm64 (is "
                     "the arm64 architecture added? ci/deps.sh qemu does it)")
    return m.group(1) + "-unsigned"


def _download(names, folder):
    cmd = ["apt-get", "download"] + [n + ":arm64" for n in names]
    try:
        run_logged(cmd, os.path.join(WORK, "logs", "apt-download.log"),
                   "apt-get download", cwd=folder)
    except Failed:
        if os.geteuid() != 0:
            raise
        log("apt-get update, then downloading again")
        run_logged(["apt-get", "update", "-qq"], os.path.join(
            WORK, "logs", "apt-update.log"), "apt-get update")
        run_logged(cmd, os.path.join(WORK, "logs", "apt-download.log"),
                   "apt-get download", cwd=folder)


def packages():
    """Debian's arm64 packages the guest takes, unpacked together; the
    folder. Downloaded once per kernel version."""
    kernel = _kernel_package()
    folder = os.path.join(WORK, "guest", kernel)
    done = os.path.join(folder, ".unpacked")
    if os.path.exists(done):
        return folder
    debs = os.path.join(folder, "debs")
    os.makedirs(debs, exist_ok=True)
    log("downloading %s and %s (arm64)" % (kernel, ", ".join(PACKAGES)))
    _download([kernel] + PACKAGES, debs)
    tree = os.path.join(folder, "tree")
    for deb in sorted(os.listdir(debs)):
        subprocess.run(["dpkg-deb", "-x", os.path.join(debs, deb), tree],
                       check=True)
    open(done, "w").close()
    return folder


def kernel_image(folder):
    boot = os.path.join(folder, "tree", "boot")
    images = [n for n in os.listdir(boot) if n.startswith("vmlinuz-")]
    if len(images) != 1:
        raise Failed("%s: expected one vmlinuz, found %s" % (boot, images))
    return os.path.join(boot, images[0])


def _copy(src, dst):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copy(os.path.realpath(src), dst)


def _module(tree, name):
    for dirpath, _, filenames in os.walk(os.path.join(tree, "lib", "modules")):
        if name in filenames:
            return os.path.join(dirpath, name)
    raise Failed("no %s in the kernel package" % name)


def rootfs(folder, dest, files):
    """The initramfs tree in dest: busybox, tee-supplicant, libteec and
    the C library, OP-TEE's driver modules, /init (guest_init.sh), and
    files: {path in the guest: path here}."""
    tree = os.path.join(folder, "tree")
    subprocess.run(["rm", "-rf", dest], check=True)
    lib = os.path.join(tree, "lib", "aarch64-linux-gnu")
    usrlib = os.path.join(tree, "usr", "lib", "aarch64-linux-gnu")
    layout = {
        "bin/busybox": os.path.join(tree, "bin", "busybox"),
        "usr/sbin/tee-supplicant": os.path.join(tree, "usr", "sbin", "tee-supplicant"),
        "lib/ld-linux-aarch64.so.1": os.path.join(lib, "ld-linux-aarch64.so.1"),
        "lib/aarch64-linux-gnu/libc.so.6": os.path.join(lib, "libc.so.6"),
        "lib/aarch64-linux-gnu/libm.so.6": os.path.join(lib, "libm.so.6"),
        "lib/aarch64-linux-gnu/libteec.so.1": os.path.join(usrlib, "libteec.so.1"),
        "lib/tee.ko": _module(tree, "tee.ko"),
        "lib/optee.ko": _module(tree, "optee.ko"),
        "init": os.path.join(os.path.dirname(__file__), "guest_init.sh"),
    }
    layout.update(files)
    for inside, here in layout.items():
        _copy(here, os.path.join(dest, inside))
    for d in ("proc", "sys", "dev", "tmp", "data", "var/lib/optee-client"):
        os.makedirs(os.path.join(dest, d), exist_ok=True)
    os.chmod(os.path.join(dest, "init"), 0o755)
    for exe in ("bin/busybox", "usr/sbin/tee-supplicant"):
        path = os.path.join(dest, exe)
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)


def initramfs(dest, out):
    """dest as a gzipped newc cpio archive in out."""
    names = subprocess.run(["find", "."], cwd=dest, capture_output=True,
                           check=True).stdout
    archive = subprocess.run(["cpio", "-o", "-H", "newc", "-R", "0:0"], cwd=dest,
                             input=names, capture_output=True, check=True).stdout
    with open(out, "wb") as f:
        f.write(gzip.compress(archive, compresslevel=1))


def _machine(flash, console, secure, dumpdtb=None):
    """qemu-system-aarch64's arguments: the same for the run and for
    dumping its device tree, which depends on the devices (a second
    serial port, a flash with firmware)."""
    opts = "virt,secure=on,virtualization=off"
    if dumpdtb:
        opts += ",dumpdtb=" + dumpdtb
    return ["qemu-system-aarch64", "-M", opts, "-cpu", "cortex-a53", "-smp",
            "1", "-m", "1024", "-display", "none", "-monitor", "none", "-nic",
            "none", "-no-reboot",
            "-drive", "if=pflash,format=raw,unit=0,file=" + flash,
            "-serial", "file:" + console, "-serial", "file:" + secure]


# The secure world's ASLR seed (OP-TEE reads /secure-chosen/kaslr-seed):
# fixed, so that every run of a firmware boots the same; aslr_sweep tries
# others.
ASLR_SEED = (0x5a17e9c3, 0x0b7d4e21)


def device_tree(flash, initrd, out, lockdown=False, seed=ASLR_SEED):
    """QEMU's own device tree for this machine, with /chosen telling
    Linux its command line (lockdown=integrity when the plan asks for
    it) and where the initramfs is, and a fixed ASLR seed for OP-TEE."""
    subprocess.run(_machine(flash, os.devnull, os.devnull, dumpdtb=out),
                   capture_output=True, check=True)
    end = INITRD_ADDR + os.path.getsize(initrd)
    cmdline = "console=ttyAMA0 rdinit=/init quiet"
    if lockdown:
        cmdline += " lockdown=integrity"
    for args in (["-t", "s", out, "/chosen", "bootargs", cmdline],
                 ["-t", "x", out, "/secure-chosen", "kaslr-seed",
                  "0x%x" % seed[0], "0x%x" % seed[1]],
                 ["-t", "x", out, "/chosen", "linux,initrd-start", "0",
                  "0x%x" % INITRD_ADDR],
                 ["-t", "x", out, "/chosen", "linux,initrd-end", "0",
                  "0x%x" % end]):
        subprocess.run(["fdtput"] + args, check=True)


def boot(flash, kernel, initrd, folder, timeout, lockdown=False):
    """Boots, waits for the guest to power off (or timeout seconds, or
    the secure world's panic), and returns (console text, secure log
    text, seconds)."""
    dtb = os.path.join(folder, "boot.dtb")
    device_tree(flash, initrd, dtb, lockdown)
    console = os.path.join(folder, "console.log")
    secure = os.path.join(folder, "secure.log")
    cmd = _machine(flash, console, secure) + [
        "-dtb", dtb,
        "-device", "loader,file=%s,addr=0x%x" % (kernel, KERNEL_ADDR),
        "-device", "loader,file=%s,addr=0x%x" % (initrd, INITRD_ADDR)]
    t0 = time.monotonic()
    _run_until(cmd, secure, timeout, lambda log: "Panic at" in log)
    seconds = time.monotonic() - t0
    return _read(console), _read(secure), seconds


def _read(path):
    return open(path, errors="replace").read() if os.path.exists(path) else ""


def _run_until(cmd, log, timeout, stop):
    """Runs QEMU until it exits, timeout seconds pass, or stop(text of
    log) says so (a panicked secure world never powers off)."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    t0 = time.monotonic()
    while p.poll() is None:
        if time.monotonic() - t0 > timeout or stop(_read(log)):
            p.kill()
            break
        time.sleep(0.5)
    p.wait()


def aslr_sweep(flash, initrd, folder, seeds):
    """Boots the firmware with each ASLR seed until OP-TEE hands over to
    the normal world or panics; the seeds it panicked with."""
    panicked = []
    for seed in seeds:
        dtb = os.path.join(folder, "sweep.dtb")
        device_tree(flash, initrd, dtb, seed=seed)
        secure = os.path.join(folder, "sweep-secure.log")
        if os.path.exists(secure):
            os.remove(secure)
        cmd = _machine(flash, os.devnull, secure) + ["-dtb", dtb]
        _run_until(cmd, secure, 60, lambda log: "Panic at" in log or
                   "switching to normal world boot" in log)
        if "switching to normal world boot" not in _read(secure):
            panicked.append(seed)
    return panicked


class Console:
    """What the guest said between "@@SZ" markers (guest_init.sh): the
    steps' files, exit statuses and the driver's messages."""

    def __init__(self, text):
        self.text = text
        self.files, self.status, self.dmesg = {}, {}, []
        self.booted = self.done = False
        current, lines = None, []
        for line in text.splitlines():
            line = line.rstrip("\r")
            if current is not None:
                if line == "@@SZ EOF " + current:
                    self.files[current] = base64.b64decode("".join(lines))
                    current, lines = None, []
                elif not line.startswith("["):   # a kernel message
                    lines.append(line)
                continue
            if not line.startswith("@@SZ "):
                continue
            word, _, rest = line[5:].partition(" ")
            if word == "FILE":
                current, lines = rest, []
            elif word == "STATUS":
                name, code = rest.rsplit(" ", 1)
                self.status[name] = int(code)
            elif word == "DMESG":
                self.dmesg.append(rest)
            elif word == "BOOTED":
                self.booted = True
            elif word == "DONE":
                self.done = True

    def text_of(self, name):
        return self.files.get(name, b"").decode(errors="replace")
