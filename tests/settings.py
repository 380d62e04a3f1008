"""Test settings: the project's settings with the environment a test run needs.

Values already in the environment win (CI sets DATABASE_URL for the PostgreSQL run)."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("YSI_VAR_DIR", tempfile.mkdtemp(prefix="ysi-test-var-"))

from ysi.settings import *  # noqa: E402,F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Hashing cost is tested where it matters; elsewhere it only slows the suite down.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The test client and the live server speak plain HTTP; test_security_headers turns HTTPS on.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
