"""The proxy in front of the web processes (nginx.conf.template, permanence/proxy.py): Debian's
nginx run with the same file production's container fills in, between two stand-in upstreams.

Skipped without nginx, unless REQUIRE_PROXY is set (as CI does), when its absence is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from permanence import proxy
from tracker.management.commands.bench_load import free_port

HAVE_NGINX = bool(shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK))
if not HAVE_NGINX and os.environ.get("REQUIRE_PROXY"):
    raise pytest.UsageError("REQUIRE_PROXY is set but nginx is not installed")
needs_nginx = pytest.mark.skipif(not HAVE_NGINX, reason="nginx is not installed")


def _upstream(name: str) -> ThreadingHTTPServer:
    """A stand-in gunicorn that says who it is and what reached it."""

    class Echo(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            reply = json.dumps(
                {
                    "upstream": name,
                    "path": self.path,
                    "host": self.headers.get("Host"),
                    "forwarded_for": self.headers.get("X-Forwarded-For"),
                    "forwarded_proto": self.headers.get("X-Forwarded-Proto"),
                    "request_id": self.headers.get("X-Request-ID"),
                    "body_bytes": len(body),
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def through_proxy():
    pages, sign_in = _upstream("pages"), _upstream("sign_in")
    port = free_port()
    with proxy.running(
        port,
        pages=f"127.0.0.1:{pages.server_port}",
        sign_in=f"127.0.0.1:{sign_in.server_port}",
    ):

        def ask(path: str, data: bytes | None = None, headers: dict | None = None) -> dict:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", data=data, headers=headers or {}
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
                return json.load(response)

        yield ask
    pages.shutdown()
    sign_in.shutdown()


@needs_nginx
@pytest.mark.parametrize(
    ("path", "method", "expected"),
    [
        ("/accounts/login/?next=/tracker/", "POST", "sign_in"),
        ("/accounts/password/", "POST", "sign_in"),
        ("/admin/login/?next=/admin/", "POST", "sign_in"),
        # Showing the forms checks no password.
        ("/accounts/login/", "GET", "pages"),
        ("/accounts/password/", "GET", "pages"),
        ("/accounts/password/changed/", "GET", "pages"),
        ("/", "GET", "pages"),
        ("/tracker/dashboard/?rag=red", "GET", "pages"),
        ("/accounts/logout/", "POST", "pages"),
        ("/accounts/council/callback/", "GET", "pages"),
        ("/health/", "GET", "pages"),
        ("/admin/login/", "GET", "pages"),
        ("/admin/permanence/child/", "POST", "pages"),
        ("/forums/calendar/abc.ics", "GET", "pages"),
    ],
)
def test_passwords_are_checked_on_workers_of_their_own_and_everything_else_on_the_pages(
    through_proxy, path, method, expected
):
    answer = through_proxy(path, data=b"a=1" if method == "POST" else None)
    assert answer["upstream"] == expected
    assert answer["path"] == path


@needs_nginx
def test_the_app_is_told_the_client_host_and_scheme_as_the_load_balancer_gave_them(through_proxy):
    answer = through_proxy(
        "/tracker/",
        headers={
            "Host": "permanence.example.gov.uk",
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Proto": "https",
            "X-Request-ID": "abc-123",
        },
    )
    assert answer["host"] == "permanence.example.gov.uk"
    # The balancer's entry stays where it wrote it and the proxy adds the address it was sent
    # from: the client is second from the right, where TRUSTED_PROXY_COUNT=2 reads it.
    assert answer["forwarded_for"] == "203.0.113.9, 127.0.0.1"
    assert answer["forwarded_proto"] == "https"
    assert answer["request_id"] == "abc-123"


@needs_nginx
def test_an_upload_larger_than_nginx_s_own_default_reaches_the_app(through_proxy):
    # nginx refuses bodies over 1 MB unless told otherwise; an SSDA903 return is often more.
    answer = through_proxy("/tracker/ssda903/import/", data=b"x" * (3 * 1024 * 1024))
    assert answer["body_bytes"] == 3 * 1024 * 1024


def test_every_placeholder_must_have_a_value():
    with pytest.raises(proxy.ProxyError, match="PERMANENCE_SIGN_IN"):
        proxy.render({"PERMANENCE_LISTEN": "80", "PERMANENCE_PAGES": "web:8000"})


def test_nginx_s_own_variables_are_left_for_nginx():
    text = proxy.render(
        {"PERMANENCE_LISTEN": "80", "PERMANENCE_PAGES": "web:8000", "PERMANENCE_SIGN_IN": "s:1"}
    )
    assert "$proxy_add_x_forwarded_for" in text
    assert "server web:8000;" in text
    assert "server s:1;" in text
    assert "${" not in text
