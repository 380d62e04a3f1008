"""Gunicorn settings for YSI. Every instance is the same; run as many as the proxy lists.

Values that differ between instances or machines come from the environment:
GUNICORN_BIND (host:port), GUNICORN_WORKERS, GUNICORN_TIMEOUT, GUNICORN_ACCESS_LOG, GUNICORN_ERROR_LOG.
"""

import os

wsgi_app = "ysi.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8101")
# Sync workers: each request is short and database-bound. Two to four per core is the usual range;
# the whole app keeps no state in the process, so more instances behind nginx add capacity.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM a worker finishes the request in hand (a report being saved) before it exits.
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never becomes an outage. The jitter is wide because
# workers share the load evenly: with a narrow one they all recycled within a second of each other,
# and every request waited for the new workers to start (a 1-2 s stall every few minutes under load,
# seen in bench/run's tail latencies).
max_requests = 10000
max_requests_jitter = 5000
# Django, the app and its templates are loaded once, in the master, before the workers are forked: a
# new or recycled worker is ready at once instead of spending a second importing and compiling.
# (A code change therefore needs a restart, not a HUP.)
preload_app = True


def when_ready(server) -> None:
    """Compile every template of the project in the master, so that forked workers start with them."""
    from pathlib import Path

    from django.conf import settings
    from django.template.loader import get_template

    for root in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(root).rglob("*.html")):
            get_template(str(path.relative_to(root)))
    # Forked workers must not share a socket of the master's: close any connection opened so far.
    from django.db import connections

    connections.close_all()

# Only nginx on this host may say which scheme the client used (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Request size limits: nginx caps bodies; these cap what nginx passes on in the request line and headers.
limit_request_line = 8190
limit_request_fields = 100

# Nothing written to the disk of an app server but its logs: the heartbeat file lives in memory and
# the runtime control socket (which would otherwise be created in the home directory) is off.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - memory, not shared files
control_socket_disable = True

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = os.environ.get("GUNICORN_PROC_NAME", "ysi")
