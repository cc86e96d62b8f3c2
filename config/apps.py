"""The admin's app configuration: the site is config.admin_site.RegisterAdminSite."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin_site.RegisterAdminSite"
