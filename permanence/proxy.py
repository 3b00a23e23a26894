"""The proxy in front of the web processes, run outside a container (issue 19: "sign-in stays
costly by design but must not stall other pages").

`nginx.conf.template` is the one description of how requests are shared between the page workers
and the sign-in workers: docker-compose.yml's nginx fills it in from its environment, and
`manage.py bench_load` (and the proxy's own test) fill it in here and run Debian's nginx on a
loopback port with it, so what is measured is what is deployed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

TEMPLATE = "nginx.conf.template"
_PLACEHOLDER = re.compile(r"\$\{(PERMANENCE_[A-Z_]+)\}")


class ProxyError(RuntimeError):
    """nginx is missing, or would not start with the configuration."""


def render(values: dict[str, str], template: str | None = None) -> str:
    """The template with every ${PERMANENCE_…} filled in; nginx's own $variables untouched.

    A placeholder with no value is an error, never an empty string in the configuration."""
    if template is None:
        template = (Path(settings.BASE_DIR) / TEMPLATE).read_text(encoding="utf-8")
    missing = sorted(set(_PLACEHOLDER.findall(template)) - set(values))
    if missing:
        raise ProxyError(f"no value for {', '.join(missing)}")
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def _main_configuration(prefix: Path, site: Path) -> str:
    """What the nginx image's own nginx.conf gives the site, for a run in a folder of its own."""
    lines = [
        "worker_processes 1;",
        f"pid {prefix / 'nginx.pid'};",
        "events { worker_connections 1024; }",
        "http {",
        "    access_log off;",
        *(
            f"    {kind}_temp_path {prefix / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        ),
        f"    include {site};",
        "}",
    ]
    # Started by root, nginx's workers run as an unprivileged user: they write only below prefix.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        lines.insert(0, "user nobody nogroup;")
    return "\n".join(lines) + "\n"


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


@contextlib.contextmanager
def running(port: int, pages: str, sign_in: str) -> Iterator[subprocess.Popen]:
    """nginx on 127.0.0.1:`port`, sending sign-in to `sign_in` and every other page to `pages`
    (each host:port), until the block ends. Its files are in a folder of its own, removed after."""
    executable = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )
    if executable is None:
        raise ProxyError("nginx is not installed (Debian: apt-get install nginx)")
    # Its own folder straight under the system's temporary folder: nginx's workers, which run as
    # an unprivileged user when root starts nginx, must reach it to spool large requests.
    prefix = Path(tempfile.mkdtemp(prefix="permanence-proxy-"))
    try:
        prefix.chmod(0o755)
        with _started(executable, prefix, port, pages, sign_in) as server:
            yield server
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


@contextlib.contextmanager
def _started(executable: str, prefix: Path, port: int, pages: str, sign_in: str):
    site = prefix / "site.conf"
    site.write_text(
        render(
            {
                "PERMANENCE_LISTEN": f"127.0.0.1:{port}",
                "PERMANENCE_PAGES": pages,
                "PERMANENCE_SIGN_IN": sign_in,
            }
        ),
        encoding="utf-8",
    )
    main = prefix / "nginx.conf"
    main.write_text(_main_configuration(prefix, site), encoding="utf-8")
    log = prefix / "error.log"
    command = [executable, "-p", str(prefix), "-c", str(main), "-e", str(log)]
    checked = subprocess.run(  # noqa: S603 (the system's nginx, our own file)
        [*command, "-t", "-q"], capture_output=True, text=True, check=False
    )
    if checked.returncode != 0:
        raise ProxyError(f"nginx refused the configuration: {checked.stderr.strip()}")
    server = subprocess.Popen(  # noqa: S603
        [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 15
        while not _answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise ProxyError(f"nginx did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield server
    finally:
        stop(server, signal.SIGQUIT, seconds=15)  # nginx's graceful stop


def stop(process: subprocess.Popen, how: int = signal.SIGTERM, *, seconds: float = 30) -> None:
    """Ask a server we started to stop, and kill it if it has not within `seconds`."""
    if process.poll() is not None:
        return
    process.send_signal(how)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
