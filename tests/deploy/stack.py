"""The deployment of deploy/, started for real on loopback: Streamlit replicas and nginx.

The replicas run the systemd unit's own ExecStart arguments (deploy/systemd/), `%i` being a
free port, and count as started after the unit's ExecStartPost warm-up has run; nginx runs
Debian's binary in the foreground with a generated top-level config that includes
deploy/nginx/'s upstream and location files (or the whole TLS site file), rendered with the
test's ports and wiki origin. Everything (config, pid, logs, temp files) lives in one temporary
folder, and nothing listens off 127.0.0.1. Used by tests/deploy/ and by tests/perf/ scripts.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.browser.conftest import free_port, wait_for_health

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "systemd" / "async-advisor@.service"
UPSTREAM_CONF = DEPLOY / "nginx" / "async-advisor-upstream.conf"
LOCATION_CONF = DEPLOY / "nginx" / "async-advisor-location.conf"
SITE_CONF = DEPLOY / "nginx" / "async-advisor.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PREFIX = "async-advisor"
EXAMPLE_PORTS = ("8601", "8602")
EXAMPLE_WIKI = "https://wiki.example.com"
STOP_TIMEOUT_S = 15

TOP_LEVEL = """\
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 1024; }}
http {{
    log_format affinity '$request_method $request_uri $status '
                        'upstream=$upstream_addr cookie=$cookie_advisor_replica';
    access_log {tmp}/access.log affinity;
    client_body_temp_path {tmp}/temp/body;
    proxy_temp_path {tmp}/temp/proxy;
    fastcgi_temp_path {tmp}/temp/fastcgi;
    uwsgi_temp_path {tmp}/temp/uwsgi;
    scgi_temp_path {tmp}/temp/scgi;
{body}
}}
"""
PLAIN_BODY = """\
    include {tmp}/async-advisor-upstream.conf;
    server {{
        listen 127.0.0.1:{port};
        server_name _;
        include {tmp}/async-advisor-location.conf;
    }}
"""
TLS_BODY = """\
    include {tmp}/async-advisor.conf;
"""


def unit_arguments(port: int, script: Path | None = None) -> list[str]:
    """The arguments after `streamlit` in the systemd unit's ExecStart, `%i` set to `port`
    (and `app.py` replaced by `script`, for a baseline app under the same settings)."""
    match = re.search(r"^ExecStart=(.+)$", UNIT.read_text(encoding="utf-8"), re.MULTILINE)
    if match is None:
        raise RuntimeError(f"{UNIT}: no ExecStart line")
    words = shlex.split(match.group(1))
    if not words[0].endswith("/streamlit"):
        raise RuntimeError(f"{UNIT}: ExecStart does not run streamlit: {words[0]}")
    arguments = [word.replace("%i", str(port)) for word in words[1:]]
    if script is not None:
        arguments[arguments.index("app.py")] = str(script)
    return arguments


def unit_warm_up(port: int) -> list[str]:
    """The unit's ExecStartPost command (the warm-up), `%i` set to `port`, run with this
    Python."""
    match = re.search(r"^ExecStartPost=(.+)$", UNIT.read_text(encoding="utf-8"), re.MULTILINE)
    if match is None:
        raise RuntimeError(f"{UNIT}: no ExecStartPost line")
    words = shlex.split(match.group(1))
    if not words[0].endswith("/python"):
        raise RuntimeError(f"{UNIT}: ExecStartPost does not run python: {words[0]}")
    return [sys.executable, *(word.replace("%i", str(port)) for word in words[1:])]


def render(text: str, replacements: dict[str, str], source: Path) -> str:
    """`text` with each example value replaced; fails if the file no longer holds one."""
    for old, new in replacements.items():
        if old not in text:
            raise RuntimeError(f"{source}: expected {old!r} to render it for the test")
        text = text.replace(old, new)
    return text


@dataclass(kw_only=True)
class Replica:
    """One `streamlit run` replica on 127.0.0.1."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        """Its own base URL, prefix included (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}/{PREFIX}"

    def rss_kib(self) -> int:
        """Resident memory of the server process, from /proc (KiB)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="utf-8")
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        return int(match.group(1)) if match else 0

    def stop(self) -> None:
        """SIGTERM its process group, then SIGKILL if it lingers."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


@dataclass(kw_only=True)
class Deployment:
    """nginx on 127.0.0.1 in front of the replicas."""

    port: int
    replicas: list[Replica]
    folder: Path
    scheme: str = "http"
    redirect_port: int | None = None
    """With TLS: the plain-http port of the site's redirect server block."""

    @property
    def url(self) -> str:
        """The public base URL through the proxy (no trailing slash)."""
        return f"{self.scheme}://127.0.0.1:{self.port}/{PREFIX}"

    @property
    def access_log(self) -> Path:
        """nginx's access log: method, URI, status, upstream address(es), affinity cookie."""
        return self.folder / "access.log"


def start_replica(
    folder: Path,
    name: str,
    cookie_secret: str,
    env: dict[str, str] | None = None,
    script: Path | None = None,
    *,
    warm: bool = True,
) -> Replica:
    """Start one replica as the systemd unit would, on a free port: wait until healthy, then
    (`warm`) run the unit's warm-up."""
    port = free_port()
    log = folder / f"{name}.log"
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("ADVISOR_PUBLIC")
    }
    environment |= {"STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret, **(env or {})}
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", *unit_arguments(port, script)],
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=environment,
            start_new_session=True,
        )
    replica = Replica(port=port, process=process, log=log)
    try:
        wait_for_health(replica.url, process, log)
        if warm:
            subprocess.run(unit_warm_up(port), cwd=ROOT, check=True, timeout=200)
    except BaseException:
        replica.stop()
        raise
    return replica


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "tls.pem", folder / "tls.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def _write_nginx_config(
    folder: Path,
    port: int,
    replicas: Sequence[Replica],
    wiki: str,
    redirect_port: int | None = None,
) -> Path:
    """nginx.conf for the test, with deploy/nginx's files rendered for loopback: the location
    inside a plain-http server block, or (`redirect_port` given) the whole TLS site file."""
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / "temp" / sub).mkdir(parents=True, exist_ok=True)
        # Workers run as `nobody` when the suite runs as root; let them use the temp folders.
        (folder / "temp" / sub).chmod(0o777)
    folder.chmod(0o755)
    (folder / "temp").chmod(0o755)
    upstream = render(
        UPSTREAM_CONF.read_text(encoding="utf-8"),
        {
            f"127.0.0.1:{example}": f"127.0.0.1:{replica.port}"
            for example, replica in zip(EXAMPLE_PORTS, replicas, strict=True)
        },
        UPSTREAM_CONF,
    )
    location = render(
        LOCATION_CONF.read_text(encoding="utf-8"), {EXAMPLE_WIKI: wiki}, LOCATION_CONF
    )
    (folder / UPSTREAM_CONF.name).write_text(upstream, encoding="utf-8")
    (folder / LOCATION_CONF.name).write_text(location, encoding="utf-8")
    body = PLAIN_BODY
    if redirect_port is not None:
        cert, key = _self_signed_certificate(folder)
        site = render(
            SITE_CONF.read_text(encoding="utf-8"),
            {
                "/etc/nginx/snippets/": f"{folder}/",
                "    listen 80;\n": f"    listen 127.0.0.1:{redirect_port};\n",
                "    listen [::]:80;\n": "",
                "    listen 443 ssl http2;\n": f"    listen 127.0.0.1:{port} ssl http2;\n",
                "    listen [::]:443 ssl http2;\n": "",
                "/etc/ssl/certs/tools.example.com.pem": str(cert),
                "/etc/ssl/private/tools.example.com.key": str(key),
            },
            SITE_CONF,
        )
        (folder / SITE_CONF.name).write_text(site, encoding="utf-8")
        body = TLS_BODY
    config = folder / "nginx.conf"
    config.write_text(
        TOP_LEVEL.format(tmp=folder, body=body.format(tmp=folder, port=port)), encoding="utf-8"
    )
    return config


def _wait_for_proxy(url: str, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + 30
    # The TLS test's certificate is self-signed: the health poll does not verify it.
    unverified = ssl.create_default_context()
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "error.log").read_text(errors="replace")
            raise RuntimeError(f"nginx exited early:\n{log}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(
                url + "/_stcore/health", timeout=2, context=unverified
            ) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("nginx did not proxy the health check within 30 s")


@contextlib.contextmanager
def deployment(
    wiki: str,
    replicas: int = 2,
    env: dict[str, str] | None = None,
    script: Path | None = None,
    *,
    tls: bool = False,
) -> Iterator[Deployment]:
    """Start `replicas` replicas (of `script`, default app.py) and nginx in front of them,
    allowing `wiki` to frame the app; `tls`: serve deploy/nginx's whole TLS site file (with a
    self-signed certificate) instead of a plain-http server block."""
    if not Path(NGINX).exists():
        raise RuntimeError(f"{NGINX} is missing: run the README's test command, which installs it")
    folder = Path(tempfile.mkdtemp(prefix="advisor-deploy-"))
    cookie_secret = secrets.token_hex(32)
    started: list[Replica] = []
    nginx: subprocess.Popen[bytes] | None = None
    try:
        for index in range(replicas):
            started.append(start_replica(folder, f"replica{index + 1}", cookie_secret, env, script))
        port = free_port()
        redirect_port = free_port() if tls else None
        config = _write_nginx_config(folder, port, started, wiki, redirect_port)
        with (folder / "nginx.out").open("wb") as handle:
            nginx = subprocess.Popen(
                [NGINX, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config)],
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        site = Deployment(
            port=port,
            replicas=started,
            folder=folder,
            scheme="https" if tls else "http",
            redirect_port=redirect_port,
        )
        _wait_for_proxy(site.url, nginx, folder)
        yield site
    finally:
        if nginx is not None:
            with contextlib.suppress(ProcessLookupError):
                nginx.send_signal(signal.SIGQUIT)  # graceful: let workers finish
            try:
                nginx.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait(timeout=5)
        for replica in started:
            replica.stop()
        keep = os.environ.get("ADVISOR_KEEP_DEPLOY_LOGS")
        if keep:
            shutil.copytree(folder, Path(keep) / folder.name, dirs_exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
