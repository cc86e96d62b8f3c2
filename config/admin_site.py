"""The project's admin site: Django's, with its "view on site" shortcut scoped.

Django's `/admin/r/<content type>/<id>/` redirects any staff member to any object's public
address, so it tells staff of a certification body where another organisation's private
records live (service providers, commissioners, compliance checks). Here it answers only for
an object the user may view in the admin (its ModelAdmin's queryset and view permission, as
the change page checks); anything else is a 404, whether or not the object exists.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.urls import path, reverse_lazy


class RegisterAdminSite(admin.AdminSite):
    def get_urls(self):
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                view = self.admin_view(self.view_on_site)
                view.login_url = reverse_lazy("admin:login", current_app=self.name)
                urls[index] = path(str(pattern.pattern), view, name="view_on_site")
        return urls

    def view_on_site(self, request, content_type_id, object_id):
        # Imported here: this module is loaded with the app registry, before models are.
        from django.contrib.contenttypes.views import shortcut

        if not request.user.is_superuser and not self._may_view(
            request, content_type_id, object_id
        ):
            raise Http404("No object with this ID.")
        return shortcut(request, content_type_id, object_id)

    def _may_view(self, request, content_type_id, object_id):
        from django.contrib.contenttypes.models import ContentType

        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError, OverflowError):
            return False
        model_admin = self._registry.get(model)
        if model_admin is None:
            return False
        # get_object answers None for an id that is malformed or outside the queryset.
        obj = model_admin.get_object(request, unquote(object_id))
        return obj is not None and model_admin.has_view_or_change_permission(request, obj)


class RegisterAdminConfig(AdminConfig):
    default_site = "config.admin_site.RegisterAdminSite"
