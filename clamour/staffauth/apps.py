from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class StaffauthConfig(AppConfig):
    name = "clamour.staffauth"
    label = "staffauth"
    verbose_name = _("Staff log-in")
    default = True


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by a site that lets in only staff who passed the second factor."""

    default = False
    default_site = "clamour.staffauth.sites.StaffAdminSite"
