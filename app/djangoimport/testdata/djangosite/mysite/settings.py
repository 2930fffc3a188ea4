"""The tutorial's mysite, made multi-tenant the way django-tenant-schemas and
django-tenants do it, without them (Debian ships neither): the tenant model in
public, each tenant's tables in a schema of its own, migrated one schema at a
time through the connection's search_path.

Environment:
  DJANGO_DATABASE_URL  the database, a libpq URI
  DJANGO_SCHEMA        the schema this process works in (default: public)
  DJANGO_FLAVOR        "tenant-schemas" (domain_url on the tenant) or
                       "tenants" (a domain model with is_primary)
"""
import os
from urllib.parse import urlsplit

SECRET_KEY = "importdjango tests only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

SCHEMA = os.environ.get("DJANGO_SCHEMA", "public")
FLAVOR = os.environ.get("DJANGO_FLAVOR", "tenant-schemas")
CUSTOMERS = {"tenant-schemas": "customers_ts", "tenants": "customers_dt"}[FLAVOR]

INSTALLED_APPS = [
    CUSTOMERS,
    "polls",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
ROOT_URLCONF = "mysite.urls"

_url = os.environ["DJANGO_DATABASE_URL"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": urlsplit(_url).path.lstrip("/"),
        "OPTIONS": {"dsn": _url, "options": "-c search_path=" + SCHEMA},
    }
}
# SHARED_APPS and TENANT_APPS, as a router: the tenant model lives in public
# only, the tutorial's polls in the tenant schemas only.
DATABASE_ROUTERS = ["mysite.routers.SchemaRouter"]

# Every hasher polls verifies; new passwords get the first, Django's default.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.BCryptPasswordHasher",
]
