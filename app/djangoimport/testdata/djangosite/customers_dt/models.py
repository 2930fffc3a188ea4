"""The seed's tenant model under django-tenants (TenantMixin and DomainMixin's
fields): the domains in a model of their own, one of them primary."""
from django.db import models


class Client(models.Model):
    schema_name = models.CharField(max_length=63, unique=True)
    name = models.CharField(max_length=100)
    paid_until = models.DateField()
    on_trial = models.BooleanField()
    created_on = models.DateField(auto_now_add=True)


class Domain(models.Model):
    domain = models.CharField(max_length=253, unique=True, db_index=True)
    tenant = models.ForeignKey(Client, related_name="domains", on_delete=models.CASCADE)
    is_primary = models.BooleanField(default=True, db_index=True)
