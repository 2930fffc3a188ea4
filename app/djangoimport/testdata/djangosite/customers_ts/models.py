"""The seed's tenant model under django-tenant-schemas (TenantMixin's fields
plus the seed's own): one domain per tenant, on the tenant row."""
from django.db import models


class Client(models.Model):
    domain_url = models.CharField(max_length=128, unique=True)
    schema_name = models.CharField(max_length=63, unique=True)
    name = models.CharField(max_length=100)
    paid_until = models.DateField()
    on_trial = models.BooleanField()
    created_on = models.DateField(auto_now_add=True)
