from django.conf import settings


class SchemaRouter:
    """Migrates the tenant model in public only and polls in tenants only,
    as SHARED_APPS and TENANT_APPS do."""

    def allow_migrate(self, db, app_label, **hints):
        if app_label == "customers":
            return settings.SCHEMA == "public"
        if app_label == "polls":
            return settings.SCHEMA != "public"
        return None
