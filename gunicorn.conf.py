"""gunicorn reads this file from the working directory on start (Dockerfile, docker-compose.yml).

The access log masks the secret in calendar feed addresses (permanence/access_log.py).
"""

import os

logger_class = "permanence.access_log.MaskedAccessLogger"

# A sync worker that has not answered within `timeout` seconds is killed, and a download still
# streaming is cut off: the user gets a truncated file with status 200 (issue 19). The longest
# request is the deadlines CSV of the whole service; measured on 2 busy cores (README,
# "Performance"): 10,000 children (about 80,000 rows) in about 6 s, so about 60 s at 100,000.
# The timeout leaves that twice over, and an operator with a larger authority raises it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# Requests still running at a restart or deploy get as long to finish as a worker may take.
graceful_timeout = timeout
# Browsers and the proxy reuse the connection for the page's next requests.
keepalive = 5
