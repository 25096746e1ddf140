"""What the QEMU validation's modules share: paths, logging, running
commands with their output kept in a log file, and builds cached by the
hash of their inputs."""

import hashlib
import json
import os
import subprocess
import sys
import time

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORK = os.path.join(ROOT, "build", "qemu")
# Debian's python3 first: optee_os's build scripts need its
# python3-cryptography and python3-pyelftools.
BUILD_ENV = dict(os.environ, PATH="/usr/bin:" + os.environ.get("PATH", ""))


class Skip(Exception):
    """The validation can not run here, for the reason given."""


class Failed(Exception):
    """A build or a boot failed; the message says which and where the
    log is."""


def log(msg):
    print("qemu-check: " + msg, flush=True)


def run_logged(cmd, log_path, what, cwd=None, env=None):
    """Runs cmd with its output in log_path; on failure raises Failed
    with the log's last lines."""
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    t0 = time.monotonic()
    with open(log_path, "w") as out:
        rc = subprocess.run(cmd, cwd=cwd, env=env or BUILD_ENV, stdout=out,
                            stderr=subprocess.STDOUT).returncode
    if rc != 0:
        with open(log_path, errors="replace") as f:
            tail = "".join(f.readlines()[-15:])
        raise Failed("%s failed (exit %d; %s):\n%s" % (what, rc, log_path, tail))
    return time.monotonic() - t0


def key_of(*parts):
    """A short hash of a build's inputs (anything JSON can write)."""
    text = json.dumps(parts, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def cached(folder, key, build):
    """build(folder) once for key: a finished build leaves folder/.key;
    a folder without it (an interrupted build) is built again."""
    stamp = os.path.join(folder, ".key")
    if os.path.exists(stamp) and open(stamp).read() == key:
        return False
    subprocess.run(["rm", "-rf", folder], check=True)
    os.makedirs(folder)
    build(folder)
    with open(stamp, "w") as f:
        f.write(key)
    return True


def script_digest():
    """The validation's own code, part of every build key."""
    h = hashlib.sha256()
    here = os.path.dirname(__file__)
    for name in sorted(os.listdir(here)):
        if name.endswith((".py", ".sh")):
            with open(os.path.join(here, name), "rb") as f:
                h.update(f.read())
    return h.hexdigest()[:16]


def die(msg):
    print("qemu-check: " + msg, file=sys.stderr, flush=True)
    sys.exit(1)
