from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserOnlyAdminSite(admin.AdminSite):
    site_header = "YSI administration"

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser


class YsiAdminConfig(AdminConfig):
    default_site = "ysi.admin_site.SuperuserOnlyAdminSite"
