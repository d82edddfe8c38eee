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


# What the probes run in the project's interpreter.  The first imports the
# WSGI module and looks the application up (the app factory runs, as in
# gunicorn's master) and lists the third-party packages and the standard
# library's modules now loaded; run on one package alone, it lists what that
# package loads.  The last, in a fresh interpreter, imports those standard
# modules, then the packages one at a time, each after those it needs, then
# the app, and reports what each step added to the resident size.
# Third-party packages loaded now (a package counts where its files are in
# site-packages), in the order their imports started.
_LOADED = r"""
def third_party():
    names = []
    for name, module in list(sys.modules.items()):
        top = name.partition(".")[0]
        origin = getattr(module, "__file__", None) or ""
        if top not in names and "site-packages" in origin:
            names.append(top)
    return names
"""

_LIST = (
    "import importlib, json, os, sys\n"
    + _LOADED
    + r"""
module_name, _, attribute = sys.argv[1].partition(":")
if attribute:
    sys.path.insert(0, os.getcwd())
    getattr(importlib.import_module(module_name), attribute)
else:
    importlib.import_module(module_name)
standard = sys.stdlib_module_names
stdlib = [name for name in sys.modules if name.partition(".")[0] in standard]
print(json.dumps({"packages": third_party(), "stdlib": stdlib}))
"""
)

_STEPS = r"""
import importlib, json, os, sys
def rss():
    status = open("/proc/self/status").read()
    return int(status.split("VmRSS:")[1].split()[0])
module_name, _, attribute = sys.argv[1].partition(":")
steps, last = [], rss()
start = last
order = json.loads(sys.argv[2])
for name in order["stdlib"]:
    try:
        importlib.import_module(name)
    except Exception:
        pass
now = rss()
steps.append(["(the standard library's modules the app loads)", now - last])
last = now
for name in order["packages"]:
    try:
        importlib.import_module(name)
    except Exception:
        continue
    now = rss()
    steps.append([name, now - last])
    last = now
sys.path.insert(0, os.getcwd())
getattr(importlib.import_module(module_name), attribute or "application")
steps.append(["(the app itself)", rss() - last])
found = {"start": start, "rss": rss(), "modules": len(sys.modules)}
print(json.dumps({**found, "steps": steps}))
"""


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
        raise RuntimeError(f"import of {args[1]} failed: {last}"[:200])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _order(python: Path, names: list[str]) -> list[str]:
    """``names``, each after every package it loads: by how many packages
    each loads alone (what a package loads, loads fewer).  A package that
    cannot be imported alone keeps its place at the end."""
    loads: dict[str, int] = {}
    for name in names:
        with contextlib.suppress(*PROBE_ERRORS):
            found = _probe(python, Path("/"), {"PATH": "/usr/bin:/bin"}, _LIST, name)
            if isinstance(found, dict):
                loads[name] = len(found["packages"])
    return sorted(names, key=lambda name: (loads.get(name, len(names) + 1), name))


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
        loaded["packages"] = _order(python, loaded["packages"])
        found = _probe(python, cwd, env, _STEPS, app, json.dumps(loaded))
        assert isinstance(found, dict)
        footprint.start_kib, footprint.rss_kib = found["start"], found["rss"]
        footprint.modules = found["modules"]
        footprint.steps = [(name, kib) for name, kib in found["steps"]]
    except PROBE_ERRORS as error:
        footprint.failure = str(error)[:200]
    return footprint
