"""App config that makes ``editorial.admin_site.EditorialAdminSite`` the default admin site.

Kept apart from admin_site.py: settings import this module before any model is loaded.
"""

from django.contrib.admin.apps import AdminConfig


class EditorialAdminConfig(AdminConfig):
    default_site = "editorial.admin_site.EditorialAdminSite"
