"""The secure world for QEMU virt, built out of tree the way a user
builds it for a plan (docs/qemu.md):

- OP-TEE OS for PLATFORM=vexpress-qemu_armv8a with the plan's conf.mk
  settings passed on the make command line (the fragment says so; its
  comment lines are not settings);
- the Smart-Zone TA against that build's TA dev kit, with the plan's
  user_ta_header_defines.h (ta/Makefile's SZ_TA_SIZES);
- TF-A for PLAT=qemu with OP-TEE as BL32 and the Linux kernel as BL33.
  When the plan moves TZDRAM, TF-A must load BL32 there: plat/qemu has
  no build option for it, so SEC_DRAM_BASE and SEC_DRAM_SIZE of
  plat/qemu/qemu/include/platform_def.h are set in a copy of the tree.

Every build is cached under build/qemu/ by the hash of its inputs, so a
second run with the same plans only boots.
"""

import hashlib
import os
import re
import subprocess

from common import BUILD_ENV, WORK, Failed, cached, key_of, log, run_logged

CROSS = "aarch64-linux-gnu-"
# Where the boot puts Linux (guest.py): TF-A enters it there as BL33.
KERNEL_ADDR = 0x60000000


def _recipe():
    with open(__file__, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:12]


def parse_conf_mk(path):
    """The settings of a plan's conf.mk fragment: `NAME := value` lines,
    in order; comments and blank lines are not settings."""
    settings = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = re.fullmatch(r"(CFG_[A-Z0-9_]+)\s*:?=\s*(\S+)", line)
            if not m:
                raise Failed("%s:%d: expected `CFG_NAME := value`, found %r"
                             % (path, n, line))
            settings[m.group(1)] = m.group(2)
    return settings


def read_built_conf(out):
    """OP-TEE's own record of a build's configuration (out/conf.mk)."""
    conf = {}
    with open(os.path.join(out, "conf.mk")) as f:
        for line in f:
            m = re.fullmatch(r"(CFG_[A-Z0-9_]+)=(.*)\n?", line)
            if m:
                conf[m.group(1)] = m.group(2)
    return conf


def same_value(a, b):
    try:
        return int(a, 0) == int(b, 0)
    except ValueError:
        return a == b


def optee(src, settings):
    """OP-TEE OS built with settings; its out directory."""
    key = key_of("optee", src.id, sorted(settings.items()), _recipe())
    out = os.path.join(WORK, "optee", key)

    def build(folder):
        cmd = ["make", "-C", src.path, "-j2", "O=" + folder,
               "PLATFORM=vexpress-qemu_armv8a", "CFG_ARM64_core=y",
               "CROSS_COMPILE64=" + CROSS, "CFG_USER_TA_TARGETS=ta_arm64",
               # the secure world's log on QEMU's second serial port
               "CFG_TEE_CORE_LOG_LEVEL=2"]
        cmd += ["%s=%s" % kv for kv in settings.items()]
        log("building OP-TEE OS (%s)" % (" ".join(
            "%s=%s" % kv for kv in settings.items()) or "stock"))
        t = run_logged(cmd, os.path.join(WORK, "logs", "optee-%s.log" % key),
                       "building OP-TEE OS")
        log("  OP-TEE OS built in %.0f s" % t)

    cached(out, key, build)
    built = read_built_conf(out)
    for name, value in settings.items():
        if name not in built or not same_value(built[name], value):
            raise Failed("OP-TEE OS did not take %s=%s (its conf.mk: %s)"
                         % (name, value, built.get(name, "absent")))
    return out


def ta(devkit_out, sizes_header, root):
    """The Smart-Zone TA against a build's dev kit with the plan's
    sizes; the .ta file."""
    with open(sizes_header, "rb") as f:
        sizes = f.read().decode()
    key = key_of("ta", devkit_out, sizes, _sources_digest(root), _recipe())
    out = os.path.join(WORK, "ta", key)

    def build(folder):
        cmd = ["make", "-C", os.path.join(root, "ta"), "CROSS_COMPILE=" + CROSS,
               "TA_DEV_KIT_DIR=" + os.path.join(devkit_out, "export-ta_arm64"),
               "O=" + folder, "SZ_TA_SIZES=" + os.path.abspath(sizes_header)]
        run_logged(cmd, os.path.join(WORK, "logs", "ta-%s.log" % key),
                   "building the TA with the dev kit")

    cached(out, key, build)
    tas = [n for n in os.listdir(out) if n.endswith(".ta")]
    if len(tas) != 1:
        raise Failed("the TA build in %s left %d .ta files" % (out, len(tas)))
    return os.path.join(out, tas[0])


def _sources_digest(root):
    """The secure side's sources: a changed TA, S-Tinylib or Tinylibm
    is a new TA."""
    h = hashlib.sha256()
    for room in ("ta", "tinylib/secure", "tinylibm"):
        for dirpath, dirnames, filenames in sorted(os.walk(os.path.join(root, room))):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith((".c", ".h", ".mk", "Makefile")):
                    with open(os.path.join(dirpath, name), "rb") as f:
                        h.update(name.encode() + f.read())
    return h.hexdigest()[:16]


def _set_define(path, name, value):
    """`#define NAME value` in a header, where the line is exactly once."""
    with open(path) as f:
        text = f.read()
    pattern = re.compile(r"^#define[ \t]+%s[ \t]+\S+[ \t]*$" % name, re.M)
    if len(pattern.findall(text)) != 1:
        raise Failed("%s: expected one `#define %s` line to set" % (path, name))
    text = pattern.sub("#define %s\t\t\t0x%08x" % (name, value), text)
    with open(path, "w") as f:
        f.write(text)


def _tfa_tree(src, bl32, folder):
    """The TF-A tree to build: the source itself, or for a moved BL32 a
    copy with plat/qemu's secure DRAM set to it."""
    if bl32 is None:
        return src.path
    tree = os.path.join(folder, "src")
    subprocess.run(["cp", "-a", src.path, tree], check=True)
    header = os.path.join(tree, "plat/qemu/qemu/include/platform_def.h")
    _set_define(header, "SEC_DRAM_BASE", bl32[0])
    _set_define(header, "SEC_DRAM_SIZE", bl32[1])
    return tree


def tfa_flash(src, optee_out, bl32):
    """TF-A for QEMU with optee_out as BL32, entering Linux at
    KERNEL_ADDR; bl32 = (base, size) of a moved TZDRAM, or None. The
    64 MiB secure flash image: BL1 at 0, the FIP at 256 KiB."""
    core = os.path.join(optee_out, "core")
    key = key_of("tfa", src.id, core, os.path.getmtime(os.path.join(core, "tee.bin")),
                 bl32, KERNEL_ADDR, _recipe())
    out = os.path.join(WORK, "tfa", key)

    def build(folder):
        tree = _tfa_tree(src, bl32, folder)
        cmd = ["make", "-C", tree, "-j2", "CROSS_COMPILE=" + CROSS, "PLAT=qemu",
               "SPD=opteed", "BUILD_BASE=" + os.path.join(folder, "build"),
               "BUILD_STRING=smartzone-qemu-check",
               "BL32=" + os.path.join(core, "tee-header_v2.bin"),
               "BL32_EXTRA1=" + os.path.join(core, "tee-pager_v2.bin"),
               "BL32_EXTRA2=" + os.path.join(core, "tee-pageable_v2.bin"),
               "BL32_RAM_LOCATION=tdram", "ARM_LINUX_KERNEL_AS_BL33=1",
               "PRELOADED_BL33_BASE=0x%x" % KERNEL_ADDR, "all", "fip"]
        log("building TF-A (BL32 %s)" % ("at 0x%08x+0x%x" % bl32 if bl32
                                         else "where it ships"))
        run_logged(cmd, os.path.join(WORK, "logs", "tfa-%s.log" % key),
                   "building TF-A")
        release = os.path.join(folder, "build", "qemu", "release")
        flash = bytearray(64 << 20)
        for name, offset in (("bl1.bin", 0), ("fip.bin", 256 << 10)):
            with open(os.path.join(release, name), "rb") as f:
                data = f.read()
            flash[offset:offset + len(data)] = data
        with open(os.path.join(folder, "flash.bin"), "wb") as f:
            f.write(flash)
        if bl32 is not None:
            subprocess.run(["rm", "-rf", os.path.join(folder, "src")], check=True)

    cached(out, key, build)
    return os.path.join(out, "flash.bin")


__all__ = ["optee", "ta", "tfa_flash", "parse_conf_mk", "read_built_conf",
           "same_value", "KERNEL_ADDR", "BUILD_ENV"]
