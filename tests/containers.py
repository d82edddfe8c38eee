"""Build and run generated projects' images with podman: no daemon, no registry.

The container tests need three things this module gives them:

- podman set up for this machine: a private ``containers.conf`` (chosen with
  ``CONTAINERS_CONF``) that selects runc and ulimits the kernel lets us set;
- the base images the generated Dockerfiles name (``python:3.X-slim``), made
  locally because no registry is reachable: a Debian rootfs from mmdebstrap
  plus the CPython that pyenv installed on this machine, rebuilt only when
  their recipe changes (the image carries a digest of the recipe's inputs);
- ``build``: a project's Dockerfile built unchanged, once per distinct build
  context (the image is tagged with a digest of the context and kept across
  runs), under a file lock so that two pytest-xdist workers never build the
  same image at once; and ``Container``, a running image removed afterwards.

Everything is cached under ``~/.cache/webdev-new/containers`` (the lock files
and the configuration) and in podman's own image store.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shlex
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import projects
import servers
import shell
from projects import CACHE
from shell import Result, file_lock

from testkit import deployment

HOME = CACHE / "containers"

#: Bump when the base-image recipe changes in a way its inputs do not show.
RECIPE = "2"
DEBIAN_SUITE = "bookworm"
DEBIAN_SOURCES = Path("/etc/apt/sources.list.d/debian.sources")
#: The shared libraries CPython's extension modules link against, plus what
#: the official slim images also carry (CA certificates, netbase, tzdata).
DEBIAN_PACKAGES = (
    "libssl3",
    "libsqlite3-0",
    "libffi8",
    "liblzma5",
    "libbz2-1.0",
    "libreadline8",
    "libncursesw6",
    "libgdbm6",
    "libuuid1",
    "zlib1g",
    "libexpat1",
    "ca-certificates",
    "netbase",
    "tzdata",
)
#: The host's CA bundle and a pip.conf naming it are mounted into every build
#: step, so pip in the image reaches PyPI exactly as the host's pip does.
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
APT_PACKAGES = (
    "podman buildah runc conmon catatonit fuse-overlayfs uidmap slirp4netns"
    " containernetworking-plugins mmdebstrap"
)

CONTAINERS_CONF = """\
# crun refuses this machine's hybrid cgroups, and podman's default rlimits
# cannot be raised without CAP_SYS_RESOURCE.
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
"""
PIP_CONF = f"""\
[global]
cert = {CA_BUNDLE}
timeout = 180
"""

BASE_CONTAINERFILE = """\
FROM {debian}
COPY usr/local/ /usr/local/
RUN ldconfig && python3 -c "import ssl, sqlite3, ctypes, lzma, bz2, uuid" \\
    && python3 -m pip --version
ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin \\
    LANG=C.UTF-8 \\
    PYTHON_VERSION={version}
CMD ["python3"]
"""

LABEL = "io.webdev-new.recipe"
APP_REPOSITORY = "webdev-new-app"


# --------------------------------------------------------------------------
# podman itself


def require_podman() -> str:
    """podman's path, or skip (fail in CI) saying how to install it."""
    missing = [p for p in ("podman", "mmdebstrap", "runc") if not shutil.which(p)]
    if missing:
        shell.unavailable(
            f"{', '.join(missing)} not installed (apt-get install {APT_PACKAGES})"
        )
    return shutil.which("podman") or "podman"


def podman_env() -> dict[str, str]:
    """This process's environment with our containers.conf (written once)."""
    conf = HOME / "containers.conf"
    if not conf.exists() or conf.read_text() != CONTAINERS_CONF:
        HOME.mkdir(parents=True, exist_ok=True)
        tmp = conf.with_suffix(f".{os.getpid()}")
        tmp.write_text(CONTAINERS_CONF)
        tmp.replace(conf)
    return {**os.environ, "CONTAINERS_CONF": str(conf)}


def podman(
    *args: str, cwd: Path | None = None, timeout: float = 600, check: bool = True
) -> Result:
    """Run ``podman ARGS`` (output and errors together)."""
    return shell.run(
        [require_podman(), *args],
        cwd=cwd or HOME,
        env=podman_env(),
        timeout=timeout,
        check=check,
    )


def image_label(image: str, label: str = LABEL) -> str | None:
    """The image's ``label``, or None when there is no such image."""
    fmt = "{{ index .Config.Labels " + json.dumps(label) + " }}"
    result = podman("image", "inspect", "--format", fmt, image, check=False)
    if result.returncode:
        return None
    return result.output.strip().replace("<no value>", "")


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:24]


# --------------------------------------------------------------------------
# The local python:3.X-slim base images


def pyenv_python(minor: str) -> Path:
    """The newest pyenv-installed CPython ``minor`` (e.g. ``3.12``): its prefix."""
    return projects.pyenv_python(minor).parent.parent


def debian_image() -> str:
    """A minimal Debian image with CPython's shared libraries, from mmdebstrap."""
    sources = DEBIAN_SOURCES.read_text() if DEBIAN_SOURCES.exists() else ""
    digest = _digest(RECIPE, DEBIAN_SUITE, DEBIAN_PACKAGES, sources)
    image = f"localhost/webdev-new-debian:{digest}"
    if image_label(image) == digest:
        return image
    HOME.mkdir(parents=True, exist_ok=True)
    tar = HOME / f"rootfs-{digest}.tar"
    command = [
        "mmdebstrap",
        "--variant=minbase",
        f"--include={','.join(DEBIAN_PACKAGES)}",
        DEBIAN_SUITE,
        str(tar),
    ]
    if sources:
        command.append(str(DEBIAN_SOURCES))
    try:
        shell.run(command, cwd=HOME, timeout=900)
        podman("import", "--change", f"LABEL {LABEL}={digest}", str(tar), image)
    finally:
        tar.unlink(missing_ok=True)
    return image


def _python_tree(python: Path, minor: str, dest: Path) -> None:
    """Copy the parts of a CPython install an image needs into ``dest``
    (its ``/usr/local``): no test suite, no static library, and of the
    site-packages only pip; script shebangs point at /usr/local/bin."""
    bin_dir = dest / "bin"
    bin_dir.mkdir(parents=True)
    for item in (python / "bin").iterdir():
        if not item.name.startswith(("python", "pip", "pydoc", "idle", "2to3")):
            continue
        target = bin_dir / item.name
        if item.is_symlink():
            target.symlink_to(os.readlink(item))
            continue
        shutil.copy2(item, target)
        head = item.read_bytes()[:128]
        if head.startswith(b"#!") and str(python).encode() in head.split(b"\n")[0]:
            text = item.read_text()
            first, _, rest = text.partition("\n")
            target.write_text(f"#!/usr/local/bin/python{minor}\n{rest}")
    shutil.copytree(python / "include", dest / "include", symlinks=True)
    lib = dest / "lib"
    lib.mkdir()
    for item in (python / "lib").glob("libpython*"):
        if item.is_symlink():
            (lib / item.name).symlink_to(os.readlink(item))
        elif item.suffix != ".a":
            shutil.copy2(item, lib / item.name)
    stdlib = python / "lib" / f"python{minor}"
    site = stdlib / "site-packages"

    def ignore(directory: str, names: list[str]) -> set[str]:
        here = Path(directory)
        skipped = {n for n in names if n in ("test", "idle_test", "__pycache__")} | {
            n for n in names if n.endswith(".a")
        }
        if here == site:
            skipped |= {n for n in names if not n.startswith("pip")}
        return skipped

    shutil.copytree(stdlib, lib / f"python{minor}", symlinks=True, ignore=ignore)


def base_image(minor: str) -> str:
    """``docker.io/library/python:<minor>-slim``, made here when it is missing
    or was made from other inputs (another Debian image, another CPython)."""
    name = f"docker.io/library/python:{minor}-slim"
    with file_lock(HOME / "base-images.lock"):
        debian = debian_image()
        python = pyenv_python(minor)
        libpython = python / "lib" / f"libpython{minor}.so.1.0"
        stat = libpython.stat() if libpython.exists() else None
        containerfile = BASE_CONTAINERFILE.format(debian=debian, version=python.name)
        digest = _digest(
            RECIPE,
            containerfile,
            str(python),
            stat and (stat.st_size, stat.st_mtime_ns),
        )
        if image_label(name) == digest:
            return name
        work = HOME / f"base-{minor}-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        try:
            _python_tree(python, minor, work / "usr" / "local")
            (work / "Containerfile").write_text(containerfile)
            podman(
                "build",
                "--pull=never",
                "--format",
                "docker",
                "--label",
                f"{LABEL}={digest}",
                "-t",
                name,
                "-f",
                str(work / "Containerfile"),
                str(work),
                timeout=900,
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return name


# --------------------------------------------------------------------------
# Building a project's image


def dockerfile_bases(project: Path) -> list[str]:
    """The ``python:3.X`` versions the Dockerfile's FROM lines name."""
    minors, stages = [], set()
    for word, rest in deployment.dockerfile_instructions(project):
        if word != "FROM":
            continue
        image, *alias = rest.split()
        pattern = r"(?:docker\.io/)?(?:library/)?python:(3\.\d+)-slim"
        match = re.fullmatch(pattern, image)
        if match:
            minors.append(match.group(1))
        elif image not in stages:
            raise AssertionError(f"no local base image for FROM {image}")
        if len(alias) == 2 and alias[0].upper() == "AS":
            stages.add(alias[1])
    return sorted(set(minors))


def context_digest(project: Path) -> str:
    """A digest of every file in the build context (paths, modes, contents,
    symlink targets; not .git)."""
    hasher = hashlib.sha256()
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project)
        if relative.parts[0] == ".git":
            continue
        hasher.update(str(relative).encode() + b"\0")
        if path.is_symlink():
            hasher.update(b"link:" + os.readlink(path).encode())
        elif path.is_file():
            hasher.update(b"x" if os.access(path, os.X_OK) else b"-")
            hasher.update(hashlib.sha256(path.read_bytes()).digest())
        hasher.update(b"\0")
    return hasher.hexdigest()[:24]


@dataclass(frozen=True)
class Image:
    """A built image and how long it took (0 when it came from the cache)."""

    name: str
    built_seconds: float


def build(project: Path) -> Image:
    """The project's Dockerfile, built unchanged with podman, as
    ``localhost/webdev-new-app:<digest>``; reused when the same context (on the
    same base images) was built before, in this run or an earlier one."""
    require_podman()
    bases = [base_image(minor) for minor in dockerfile_bases(project)]
    base_ids = [
        podman("image", "inspect", "--format", "{{.Id}}", b).output.strip()
        for b in bases
    ]
    digest = _digest(RECIPE, context_digest(project), base_ids)
    name = f"localhost/{APP_REPOSITORY}:{digest}"
    used = HOME / "used" / digest
    used.parent.mkdir(parents=True, exist_ok=True)
    used.touch()
    with file_lock(HOME / f"app-{digest}.lock"):
        if image_label(name) == digest:
            return Image(name, 0.0)
        prune_unused()
        pip_conf = HOME / "pip.conf"
        if not pip_conf.exists() or pip_conf.read_text() != PIP_CONF:
            pip_conf.write_text(PIP_CONF)
        started = time.monotonic()
        podman(
            "build",
            "--pull=never",
            "--network",
            "host",
            "--format",
            "docker",
            "-v",
            f"{CA_BUNDLE}:{CA_BUNDLE}:ro",
            "-v",
            f"{pip_conf}:/etc/pip.conf:ro",
            "--label",
            f"{LABEL}={digest}",
            "-t",
            name,
            str(project),
            cwd=project,
            timeout=900,
        )
        return Image(name, time.monotonic() - started)


def prune_unused(days: float = 14) -> None:
    """Remove project images no test has asked for in ``days`` days (templates
    change, so old contexts never come back), and the build cache as old."""
    listing = podman(
        "images", "--format", "{{.Tag}}", "--filter", f"reference={APP_REPOSITORY}"
    )
    limit = time.time() - days * 86400
    for tag in listing.output.split():
        marker = HOME / "used" / tag
        if not marker.exists() or marker.stat().st_mtime < limit:
            podman("rmi", "--force", f"localhost/{APP_REPOSITORY}:{tag}", check=False)
            marker.unlink(missing_ok=True)
    podman(
        "image", "prune", "--force", "--filter", f"until={int(days * 24)}h", check=False
    )


def image_config(image: str) -> dict:
    """The image's configuration (User, Env, Cmd, Healthcheck, ...)."""
    result = podman("image", "inspect", "--format", "{{json .Config}}", image)
    return json.loads(result.output)


def image_healthcheck(image: str) -> list[str] | None:
    """The HEALTHCHECK test of the image, as a podman --health-cmd value."""
    result = podman("image", "inspect", "--format", "{{json .HealthCheck}}", image)
    check = json.loads(result.output or "null")
    return check.get("Test") if check else None


# --------------------------------------------------------------------------
# Running images


def env_args(env: Mapping[str, str]) -> list[str]:
    return [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]


def run_once(
    image: str,
    command: Sequence[str],
    env: Mapping[str, str],
    *,
    network: str = "host",
    extra: Sequence[str] = (),
    timeout: float = 300,
    check: bool = True,
) -> Result:
    """Run ``command`` in a new container of ``image`` to completion."""
    return podman(
        "run",
        "--rm",
        "--network",
        network,
        *extra,
        *env_args(env),
        image,
        *command,
        timeout=timeout,
        check=check,
    )


@dataclass(frozen=True)
class Endpoint:
    """Where a container's HTTP server answers, for ``servers.Client``."""

    port: int
    tls: None = None


class Container:
    """A detached container of ``image``, removed (with its logs) on exit."""

    def __init__(
        self,
        image: str,
        env: Mapping[str, str],
        *,
        command: Sequence[str] = (),
        network: str = "host",
        extra: Sequence[str] = (),
    ) -> None:
        self.image, self.env, self.command = image, dict(env), list(command)
        self.network, self.extra = network, list(extra)
        self.name = f"wdn-{os.environ.get('WDN_RUN_ID', 'x')}-{secrets.token_hex(4)}"

    def __enter__(self) -> Container:
        podman(
            "run",
            "--detach",
            "--name",
            self.name,
            "--hostname",
            self.name,
            "--network",
            self.network,
            *self.extra,
            *env_args(self.env),
            self.image,
            *self.command,
        )
        return self

    def __exit__(self, *exc_info: object) -> None:
        podman("rm", "--force", "--time", "0", self.name, check=False)

    def logs(self) -> str:
        """The end of what the container printed (for messages)."""
        return self.full_logs()[-6000:]

    def full_logs(self) -> str:
        return podman("logs", self.name, check=False).output

    def running(self) -> bool:
        result = podman(
            "inspect", "--format", "{{.State.Running}}", self.name, check=False
        )
        return result.output.strip() == "true"

    def exec(self, *command: str, check: bool = True) -> Result:
        return podman("exec", self.name, *command, check=check, timeout=120)

    def wait_http(self, port: int, path: str = "/healthz", timeout: float = 60) -> None:
        """Wait until ``path`` answers 200 on 127.0.0.1:``port``."""
        client = servers.Client(Endpoint(port))  # type: ignore[arg-type]
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if not self.running():
                raise AssertionError(
                    f"{self.image} {shlex.join(self.command)} exited before"
                    f" answering {path}:\n{self.logs()}"
                )
            try:
                response = client.get(path)
                if response.status == 200:
                    return
                last = f"{path} answered {response.status}"
            except OSError as exc:
                last = str(exc)
            time.sleep(0.3)
        raise AssertionError(
            f"{self.image} did not answer {path} within {timeout}s ({last}):"
            f"\n{self.logs()}"
        )

    def wait_output(self, pattern: str, timeout: float = 60) -> str:
        """Wait until the container's output matches ``pattern``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            logs = self.full_logs()
            if re.search(pattern, logs):
                return logs
            if not self.running():
                break
            time.sleep(0.3)
        raise AssertionError(
            f"no {pattern!r} in the output of {self.image}"
            f" {shlex.join(self.command)}:\n{self.logs()}"
        )


def client(port: int, **headers: str) -> servers.Client:
    return servers.Client(Endpoint(port), headers)  # type: ignore[arg-type]


@contextlib.contextmanager
def volume() -> Iterator[str]:
    """A fresh named volume, removed afterwards."""
    name = f"wdn-{os.environ.get('WDN_RUN_ID', 'x')}-{secrets.token_hex(4)}"
    podman("volume", "create", name)
    try:
        yield name
    finally:
        podman("volume", "rm", "--force", name, check=False)
