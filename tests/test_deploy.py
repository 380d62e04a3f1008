"""The deployment files: what the app believes from the proxy, and that the configuration renders."""

import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings

from incidents.access import client_ip

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def a_request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_the_forwarded_address_is_ignored_from_anyone_but_a_trusted_proxy():
    with override_settings(TRUSTED_PROXIES=frozenset()):
        assert client_ip(a_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"
    with override_settings(TRUSTED_PROXIES=frozenset({"127.0.0.1"})):
        assert client_ip(a_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_a_trusted_proxy_gives_the_address_it_saw():
    with override_settings(TRUSTED_PROXIES=frozenset({"127.0.0.1"})):
        assert client_ip(a_request("127.0.0.1", "203.0.113.9")) == "203.0.113.9"
        # Only the last hop is the proxy's own: anything before it the client wrote.
        assert client_ip(a_request("127.0.0.1", "10.0.0.1, 203.0.113.9")) == "203.0.113.9"
        assert client_ip(a_request("127.0.0.1")) == "127.0.0.1"


def test_sessions_live_in_the_database_so_any_app_server_can_serve_anyone():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_gunicorn_keeps_nothing_on_disk_and_trusts_only_the_local_proxy():
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    assert config["control_socket_disable"] is True
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert config["wsgi_app"] == "ysi.wsgi:application"
    assert config["graceful_timeout"] >= config["timeout"] // 2


def test_gunicorn_workers_start_ready_and_do_not_all_recycle_at_once():
    from django.template import engines

    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    # Two workers sharing the load evenly reach max_requests together unless the jitter is wide.
    assert config["max_requests_jitter"] >= config["max_requests"] // 4
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    config["when_ready"](None)  # with the database blocked (no django_db mark): it must not query
    assert "incidents/incident_detail.html" in {key.split("-")[0] for key in loader.get_template_cache}


def render(tmp_path: Path) -> Path:
    env = dict(os.environ, STATIC_ROOT=str(tmp_path / "static"), LOG_DIR=str(tmp_path), RUN_DIR=str(tmp_path))
    subprocess.run([sys.executable, str(DEPLOY / "render-nginx"), str(tmp_path / "conf")], env=env, check=True)
    return tmp_path / "conf"


def test_the_nginx_templates_render_with_every_placeholder_filled(tmp_path):
    conf = render(tmp_path)

    site = (conf / "ysi-site.conf").read_text()
    assert "${" not in site
    assert "server 127.0.0.1:8101" in site and "server 127.0.0.1:8102" in site
    assert "client_max_body_size 1m;" in site
    # Only the reporting form, which is idempotent, may be re-sent to another app server.
    assert site.count("non_idempotent") == 1
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in (conf / "ysi-proxy.conf").read_text()


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(), reason="nginx missing")
def test_nginx_accepts_the_rendered_configuration(tmp_path):
    conf = render(tmp_path)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"

    result = subprocess.run(
        [nginx, "-t", "-p", str(conf), "-c", str(conf / "prod-like-nginx.conf"), "-e", str(tmp_path / "e.log")],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
