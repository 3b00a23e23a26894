"""A stand-in for GOV.UK Notify's HTTP API on a loopback port, for tests (issue 17).

It speaks the part of Notify's REST API an e-mail uses: POST /v2/notifications/email with a
JSON body, authorised by a JWT (HS256, `iss` the service id, `iat` within 30 seconds) signed
with the API key's secret. Like Notify it refuses an unknown template or a missing
placeholder with 400 and its error shape, a bad token with 403, and answers 201 with the
rendered subject and body. `fail_with` makes it answer every request with that status.
Written from Notify's published API documentation; no code of ours is replaced.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

PLACEHOLDER = re.compile(r"\(\(([^)]+)\)\)")


@dataclass
class Template:
    subject: str
    body: str


@dataclass
class FakeNotify:
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    templates: dict[str, Template] = field(default_factory=dict)
    received: list[dict] = field(default_factory=list)
    fail_with: int | None = None

    @property
    def api_key(self) -> str:
        return f"permanence_test-{self.service_id}-{self.secret}"

    def start(self) -> FakeNotify:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, kind: str, message: str) -> None:
                self._answer(
                    status,
                    {"status_code": status, "errors": [{"error": kind, "message": message}]},
                )

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if fake.fail_with:
                    return self._error(fake.fail_with, "Error", "Internal server error")
                if self.path != "/v2/notifications/email":
                    return self._error(404, "NotFound", "Not found")
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                try:
                    claims = jwt.decode(token, fake.secret, algorithms=["HS256"])
                except jwt.PyJWTError:
                    return self._error(403, "AuthError", "Invalid token: signature")
                if claims.get("iss") != fake.service_id or abs(time.time() - claims["iat"]) > 30:
                    return self._error(403, "AuthError", "Invalid token")
                template = fake.templates.get(body.get("template_id", ""))
                if template is None:
                    return self._error(400, "BadRequestError", "Template not found")
                values = body.get("personalisation") or {}
                wanted = set(PLACEHOLDER.findall(template.subject + template.body))
                missing = sorted(wanted - set(values))
                if missing:
                    return self._error(
                        400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}"
                    )

                def fill(text: str) -> str:
                    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)

                notification_id = str(uuid.uuid4())
                sent = {
                    "id": notification_id,
                    "email_address": body["email_address"],
                    "template_id": body["template_id"],
                    "personalisation": values,
                    "subject": fill(template.subject),
                    "body": fill(template.body),
                }
                fake.received.append(sent)
                self._answer(
                    201,
                    {
                        "id": notification_id,
                        "reference": body.get("reference"),
                        "content": {
                            "subject": sent["subject"],
                            "body": sent["body"],
                            "from_email": "service@notifications.service.gov.uk",
                        },
                        "uri": f"{fake.base_url}/v2/notifications/{notification_id}",
                        "template": {
                            "id": body["template_id"],
                            "version": 1,
                            "uri": f"{fake.base_url}/v2/template/{body['template_id']}",
                        },
                    },
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
