"""YSI settings. Every value that differs between machines comes from the environment (see README)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ysi.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("YSI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. `make run` generates one into var/secret_key; in production set it "
        "in the environment (see README)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ysi.admin_site.YsiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "guardian",
    "simple_history",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "incidents",
    # Last, as django-axes asks: it counts failed sign-ins whatever app signs in.
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # X-Frame-Options, Content-Security-Policy, Permissions-Policy and no-store on every answer the
    # app makes, refusals and error pages included (above whitenoise, which answers static files).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "ysi.security.SecurityHeadersMiddleware",
    "ysi.security.RefusalLogMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the request: refuse oversized bodies unread, then files and imagery,
    # storing nothing of them.
    "incidents.middleware.RefuseOversizedMiddleware",
    "incidents.middleware.RefuseImageryMiddleware",
    # Outside the sessions: a report that meets a server error anywhere comes back with its text.
    "incidents.middleware.KeepReportOnServerErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sessions end after SESSION_IDLE_SECONDS idle and SESSION_ABSOLUTE_SECONDS in all (issue 7).
    "incidents.signin_middleware.SessionLimitsMiddleware",
    # Until the second factor is passed, those who need one reach only the sign-in pages.
    "incidents.signin_middleware.SecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ysi.urls"
WSGI_APPLICATION = "ysi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "incidents.context_processors.navigation",
            ],
        },
    },
]

_SQLITE_DEFAULT = f"sqlite:///{VAR_DIR / 'ysi.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or _SQLITE_DEFAULT,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write lock when a
        # transaction starts, so two saves of one incident are serialised rather than interleaved.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "incidents.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in from a username and address locked out after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's anonymous user would be a real account nobody signs in as; the app has no anonymous access.
ANONYMOUS_USER_NAME = None
GUARDIAN_USER_OBJ_PERMS_MODEL = "incidents.IncidentUserObjectPermission"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id first: new passwords and every password checked at sign-in are (re)hashed with it.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "login"
# A report sent from a page open too long shows the reporter their text instead of losing it.
CSRF_FAILURE_VIEW = "incidents.views.errors.csrf_failure"
LOGIN_REDIRECT_URL = "incidents:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions live in the database, so any app server behind the proxy can serve any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The reverse proxies (nginx on the same host) whose X-Forwarded-For is believed for the access log.
TRUSTED_PROXIES = frozenset(env_list("TRUSTED_PROXIES"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A session ends after this long without a request (the database row expires, and the sign-in
# middleware checks it too) and, whatever happens, this long after the sign-in.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
if SESSION_IDLE_SECONDS < 60 or SESSION_ABSOLUTE_SECONDS < SESSION_IDLE_SECONDS:
    raise ImproperlyConfigured(
        "SESSION_IDLE_SECONDS must be at least 60 and SESSION_ABSOLUTE_SECONDS at least SESSION_IDLE_SECONDS."
    )
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
# Not on every request: the sign-in middleware records a busy session's activity (and so saves it and
# moves its expiry on) at most once a minute, which spares a write per page (incidents/signin_rules.py).
SESSION_SAVE_EVERY_REQUEST = False

# --- Headers and transport (issue 7; see SECURITY.md) ---
# Production is served over HTTPS (TLS ends at nginx, which says so in X-Forwarded-Proto; gunicorn
# believes that from loopback only, so request.is_secure() is right without SECURE_PROXY_SSL_HEADER).
# `make run` (DEBUG) and `make prod-like` (plain HTTP on loopback, SECURE_COOKIES=0) turn it off.
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# No script reads the CSRF cookie: forms carry the token in a hidden field.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=SECURE_COOKIES)
# Browsers remember to use HTTPS only for this long (a year); 0 sends no HSTS header.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if SECURE_COOKIES else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Everything the pages use comes from the app itself: no inline script or style, no outside host.
# Bootstrap's CSS draws a few icons from data: URLs, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
# Powerful browser features the app never uses, turned off for its pages (ysi/security.py).
PERMISSIONS_POLICY = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)

# Lockout (django-axes): 10 failed sign-ins for one username from one address lock that pair for
# 15 minutes. A whole school shares one public address, so the address alone is never locked, and
# a username alone is not either (anyone could lock the DSL out from anywhere).
AXES_FAILURE_LIMIT = env_int("YSI_LOCKOUT_FAILURES", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("YSI_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client address as the access log sees it: X-Forwarded-For only from TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "incidents.access.client_ip"
# The same page and message whether the username exists or not.
AXES_LOCKOUT_CALLABLE = "incidents.views.accounts.locked_out"
# Sign-ins are written to the app's own security log (SecurityEvent); axes keeps only its counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Second factor (django-otp): TOTP codes from an authenticator app, and one-time recovery codes.
OTP_TOTP_ISSUER = env_str("YSI_TOTP_ISSUER", "YSI")

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "YSI <ysi@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute address of the app, used for links in emails (no request exists when a command sends them).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# No file is ever accepted: Django's parser refuses the first file part before any upload handler
# sees it, and no handler could write one to disk anyway.
DATA_UPLOAD_MAX_NUMBER_FILES = 0
# The largest request body accepted, in bytes (nginx caps bodies at the same 1 MiB). A larger request
# is refused before it is read, with 413 and a page saying why (incidents.middleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("YSI_MAX_REQUEST_BYTES", 1024 * 1024)
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
# All email is queued in the outbox and sent by `manage.py send_outbox`. In development (DEBUG on)
# it is also sent straight after the transaction commits, so `make run` needs no worker.
YSI_SEND_EMAIL_INLINE = env_bool("YSI_SEND_EMAIL_INLINE", default=True)
YSI_OUTBOX_MAX_ATTEMPTS = env_int("YSI_OUTBOX_MAX_ATTEMPTS", 6)
# Reports one person may send in an hour (0: no limit); more are refused, their text shown back.
YSI_REPORTS_PER_HOUR = env_int("YSI_REPORTS_PER_HOUR", 20)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Sign-ins, failures, lockouts, second factors, password changes (also in SecurityEvent).
        "ysi.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

# Signed PDFs (issue 6). Without these, `manage.py create_signing_key` makes a self-signed demo key
# and certificate under var/signing/; production points at its own PEM files.
YSI_SIGNING_KEY = env_str("YSI_SIGNING_KEY", str(VAR_DIR / "signing" / "key.pem"))
YSI_SIGNING_CERT = env_str("YSI_SIGNING_CERT", str(VAR_DIR / "signing" / "cert.pem"))
YSI_SIGNING_KEY_PASSPHRASE = env_str("YSI_SIGNING_KEY_PASSPHRASE")
# Extra CA certificates (PEM, comma-separated paths) that `verify_record` trusts besides the signing cert.
YSI_SIGNING_TRUST = env_list("YSI_SIGNING_TRUST")
# Child protection files are kept until the young person's 25th birthday (policy, KCSIE).
YSI_RETENTION_AGE_YEARS = env_int("YSI_RETENTION_AGE_YEARS", 25)
# WeasyPrint reports every layout step at INFO.
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}
LOGGING["loggers"]["fontTools"] = {"level": "WARNING"}
