from django.apps import AppConfig


class CustomersConfig(AppConfig):
    # Both flavors' tables are customers_*, as in the seed's customers app.
    name = "customers_dt"
    label = "customers"
