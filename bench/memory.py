"""Section 6, where the memory goes: each server process's share of its pages
after the load, and what importing the app allocates, package by package.

PSS alone says how much a server costs; these two say why.  A page the
master loaded and no worker wrote to is shared by all of them (it counts once
in the total); a page a worker wrote to, or memory a worker allocated itself,
is that worker's own (``Private_Dirty``).  The import probe starts the app in
a fresh interpreter the way the server's master does, and sorts what Python
allocated by the package whose code allocated it (``tracemalloc``).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The ``smaps_rollup`` fields reported, in KiB.
FIELDS = (
    "Rss",
    "Pss",
    "Shared_Clean",
    "Shared_Dirty",
    "Private_Clean",
    "Private_Dirty",
)


@dataclass
class ProcessMemory:
    role: str  # "master" or "worker"
    kib: dict[str, int]


def smaps_rollup(pid: int) -> dict[str, int]:
    """The ``FIELDS`` of ``/proc/PID/smaps_rollup``, in KiB ({} if gone)."""
    found: dict[str, int] = {}
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in FIELDS:
                found[name] = int(rest.split()[0])
    return found


def processes(master: int, workers: list[int]) -> list[ProcessMemory]:
    """The master's and each worker's share, master first."""
    roles = [("master", master)] + [("worker", pid) for pid in workers]
    return [ProcessMemory(role, smaps_rollup(pid)) for role, pid in roles]


# What the probes run in the project's interpreter.  ``_LIST`` imports the
# WSGI module and looks the application up (the app factory runs, as in
# gunicorn's master), then lists the modules now loaded: the standard
# library's, and each third-party package's (a package is a top-level name
# whose files are in site-packages).  ``_LOADS``, given one package's modules,
# imports them alone and counts the other packages they load.  ``_STEPS``, in
# a fresh interpreter, imports the standard library's modules, then each
# package's modules, packages that load fewer others first, then the app, and
# reports what each step added to the resident size.
_COMMON = r"""
import importlib, json, os, sys

def third_party():
    packages = {}
    for name, module in list(sys.modules.items()):
        if "site-packages" in (getattr(module, "__file__", None) or ""):
            packages.setdefault(name.partition(".")[0], []).append(name)
    return packages

def load(names):
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            pass

def load_app(target):
    module_name, _, attribute = target.partition(":")
    sys.path.insert(0, os.getcwd())
    getattr(importlib.import_module(module_name), attribute or "application")
"""

_LIST = (
    _COMMON
    + r"""
load_app(sys.argv[1])
standard = sys.stdlib_module_names
stdlib = [name for name in sys.modules if name.partition(".")[0] in standard]
print(json.dumps({"packages": third_party(), "stdlib": stdlib}))
"""
)

_LOADS = (
    _COMMON
    + r"""
load(json.loads(sys.argv[1]))
print(json.dumps(len(third_party())))
"""
)

_STEPS = (
    _COMMON
    + r"""
def rss():
    status = open("/proc/self/status").read()
    return int(status.split("VmRSS:")[1].split()[0])

order = json.loads(sys.argv[2])
steps, start = [], rss()
last = start
for name, modules in [["(the standard library)", order["stdlib"]], *order["packages"]]:
    load(modules)
    now = rss()
    steps.append([name, now - last])
    last = now
load_app(sys.argv[1])
steps.append(["(the app itself)", rss() - last])
found = {"start": start, "rss": rss(), "modules": len(sys.modules)}
print(json.dumps({**found, "steps": steps}))
"""
)


@dataclass
class ImportFootprint:
    """What starting one app costs a fresh interpreter."""

    app: str
    #: Resident size of the bare interpreter, and after the app is loaded.
    start_kib: int | None = None
    rss_kib: int | None = None
    modules: int | None = None
    #: What each package's import added to the resident size, in KiB.
    steps: list[tuple[str, int]] = field(default_factory=list)
    failure: str | None = None


def _probe(python: Path, cwd: Path, env: dict[str, str], *args: str) -> object:
    done = subprocess.run(
        [str(python), "-c", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"the import probe failed: {last}"[:200])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _order(python: Path, packages: dict[str, list[str]]) -> list[list[Any]]:
    """``[name, modules]`` of each package, those that load fewer other
    packages first (what a package loads, loads fewer), so that each step
    adds about what its own package costs.  A package whose modules cannot
    be counted alone goes last."""
    loads: dict[str, int] = {}
    for name, modules in packages.items():
        with contextlib.suppress(*PROBE_ERRORS):
            count = _probe(
                python,
                Path("/"),
                {"PATH": "/usr/bin:/bin"},
                _LOADS,
                json.dumps(modules),
            )
            if isinstance(count, int):
                loads[name] = count
    last = len(packages) + 1
    ordered = sorted(packages, key=lambda name: (loads.get(name, last), name))
    return [[name, packages[name]] for name in ordered]


#: What a failed probe raises: its own error, a timeout, bad JSON.
PROBE_ERRORS = (RuntimeError, OSError, ValueError, KeyError, subprocess.SubprocessError)


def import_footprint(
    python: Path, cwd: Path, env: dict[str, str], app: str
) -> ImportFootprint:
    """Resident size, module count, and what each package adds to the
    resident size when ``app`` (``module:attribute``) is imported by
    ``python`` in ``cwd``."""
    footprint = ImportFootprint(app)
    try:
        loaded = _probe(python, cwd, env, _LIST, app)
        assert isinstance(loaded, dict)
        order = {
            "stdlib": loaded["stdlib"],
            "packages": _order(python, loaded["packages"]),
        }
        found = _probe(python, cwd, env, _STEPS, app, json.dumps(order))
        assert isinstance(found, dict)
        footprint.start_kib, footprint.rss_kib = found["start"], found["rss"]
        footprint.modules = found["modules"]
        footprint.steps = [(name, kib) for name, kib in found["steps"]]
    except PROBE_ERRORS as error:
        footprint.failure = str(error)[:200]
    return footprint
