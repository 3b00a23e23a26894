"""gunicorn reads this file from the working directory on start (Dockerfile, docker-compose.yml).

The access log masks the secret in calendar feed addresses (permanence/access_log.py).
"""

logger_class = "permanence.access_log.MaskedAccessLogger"
