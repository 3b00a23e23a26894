"""gunicorn reads this file from the working directory on start (Dockerfile, docker-compose.yml).

The access log masks the secret in calendar feed addresses (permanence/access_log.py).
"""

import os

logger_class = "permanence.access_log.MaskedAccessLogger"

# A sync worker that has not answered within `timeout` seconds is killed, and a download still
# streaming is cut off: the user gets a truncated file with status 200 (issue 19). The longest
# request is the deadlines CSV of a whole service, streamed at about 45,000 rows a second on 2
# busy cores (README, "Performance": one service of a 10,000-child authority, 65,000 rows, in
# 1.6 s), so the 2 million rows of 100,000 children take about 45 s. The timeout leaves that
# more than twice over; an operator with a larger authority raises it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# Requests still running at a restart or deploy get as long to finish as a worker may take.
graceful_timeout = timeout
# Browsers and the proxy reuse the connection for the page's next requests.
keepalive = 5


# Python's collector walks every object a process keeps (80–90 ms at a time, added to whichever
# page is being served): each worker freezes what it keeps once it has loaded the application,
# and again after its first pages (permanence/worker_memory.py).
def post_worker_init(worker):
    from permanence import worker_memory

    worker_memory.started()


def post_request(worker, req, environ, resp):
    from permanence import worker_memory

    worker_memory.served()
