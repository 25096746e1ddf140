"""Where the QEMU validation's third-party sources come from.

OP-TEE OS and Trusted Firmware-A are not the project's: they are built
out of tree from the user's own trees or release tarballs, never copied
into the repository. Each is given by a variable (a directory or a
.tar.xz), else found in SMARTZONE_OPTEE_DIR (default ../shared/optee,
beside the checkout). A tarball is unpacked once under build/qemu/src/,
in a folder named for its SHA-256, so that a changed tarball is a new
source and every build made from it is made again.
"""

import glob
import hashlib
import os
import subprocess

from common import ROOT, WORK, Skip, log


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _tree_identity(path):
    """A directory's identity for build keys: its path and the newest
    modification time in it (a user's tree changes when edited)."""
    newest = 0.0
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = [d for d in dirnames if d not in (".git", "out")]
        for name in filenames:
            try:
                newest = max(newest, os.lstat(os.path.join(dirpath, name)).st_mtime)
            except OSError:
                pass
    return "%s@%.0f" % (os.path.realpath(path), newest)


class Source:
    """A source tree ready to build from: .path (a directory) and .id
    (what build keys hash)."""

    def __init__(self, path, ident):
        self.path = path
        self.id = ident


def _unpack(tarball, stem):
    digest = _sha256(tarball)
    dest = os.path.join(WORK, "src", "%s-%s" % (stem, digest[:12]))
    done = dest + ".unpacked"
    if not os.path.exists(done):
        log("unpacking %s" % tarball)
        subprocess.run(["rm", "-rf", dest], check=True)
        os.makedirs(dest)
        subprocess.run(["tar", "-xf", tarball, "-C", dest,
                        "--strip-components=1"], check=True)
        open(done, "w").close()
    return Source(dest, "tarball:" + digest)


def _find(variable, pattern, what):
    given = os.environ.get(variable)
    if given:
        if not os.path.exists(given):
            raise SystemExit("qemu-check: %s=%s: no such file or directory"
                             % (variable, given))
        return given
    folder = os.environ.get("SMARTZONE_OPTEE_DIR",
                            os.path.join(ROOT, "..", "shared", "optee"))
    found = sorted(glob.glob(os.path.join(folder, pattern)))
    if not found:
        raise Skip("no %s: set %s to a tree or a .tar.xz, or put %s in "
                   "SMARTZONE_OPTEE_DIR (%s)" % (what, variable, pattern,
                                                  os.path.normpath(folder)))
    return found[-1]


def _source(variable, pattern, stem, what):
    path = _find(variable, pattern, what)
    if os.path.isdir(path):
        return Source(os.path.realpath(path), "tree:" + _tree_identity(path))
    return _unpack(path, stem)


def optee_os():
    """OP-TEE OS: $SMARTZONE_OPTEE_OS, else optee_os-*.tar.xz."""
    return _source("SMARTZONE_OPTEE_OS", "optee_os-*.tar.xz", "optee_os",
                   "OP-TEE OS sources")


def tf_a():
    """Trusted Firmware-A: $SMARTZONE_TFA, else tf-a-*.tar.xz."""
    return _source("SMARTZONE_TFA", "tf-a-*.tar.xz", "tf-a",
                   "Trusted Firmware-A sources")
