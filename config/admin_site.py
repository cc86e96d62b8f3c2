"""The Django admin's site: every model admin registered on it answers malformed input as the
admin answers a bad lookup or a bad form value, never with a server error.

Django's admin, as of 5.2, fails on some input a person can type into the address bar or post:
- a NUL character in a list filter, the autocomplete's search term or a form, which PostgreSQL
  cannot hold or compare (an error mid-query); every admin page answers it 400 Bad Request
  (`RegisterAdminSite.admin_view`). The site's own pages take their query strings through
  forms, which refuse it with a message;
- a date-hierarchy year out of range (`?checked_on__year=99999999999999999999`, or 9999),
  which Django fixes after 5.2 (ticket #37357);
- an id that is no id at all, or one too large for the database, posted for an autocomplete
  field (shown again with the form's errors), a many-to-many field, a change-list action or
  a list-editable row (SQLite cannot take a number over 64 bits into a query).

`RegisterAdminSite.register` puts `InputCheckedAdminMixin` in front of every model admin,
the project's and the installed apps' (axes, auth) alike, so one mechanism covers them all.

Every date a model admin asks for is a GOV.UK date input (day, month and year; pages.dates),
as on the site's own forms, rather than the admin's calendar widget (`GovukDatesAdminMixin`).

The site also scopes Django's "view on site" shortcut: `/admin/r/<content type>/<id>/`
redirects any staff member to any object's public address, so it would tell staff of a
certification body where another organisation's private records live (service providers,
commissioners, compliance checks). Here it answers only for an object the user may view in the
admin (its ModelAdmin's queryset and view permission, as the change page checks); anything else
is a 404, whether or not the object exists.

Every admin request that may write (any method but GET and HEAD) runs in one batch of the one
writer of derived data (derived.writer.batch): whatever a change form, its inlines, an action
or an import saves, each provider's headline periods are worked out once and one new data
generation started, just before the request's transaction commits.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import BadRequest, ValidationError
from django.db import models
from django.forms import ModelMultipleChoiceField
from django.http import Http404
from django.urls import path, reverse_lazy

from derived import writer


def is_key(field, value):
    """Whether `value` could be a value of the model field `field` (e.g. a primary key): of
    its type, and within the range the database holds."""
    try:
        field.clean(value, None)
    except ValidationError:
        return False
    return True


class InputCheckedChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:  # the date hierarchy's dates
            raise IncorrectLookupParameters(error) from error


class KeyCheckedAutocompleteMixin:
    """An autocomplete widget shown again with a posted value that is not a key: that value is
    left out (the field's error says it is not one of the choices)."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts, field_name = remote.model._meta, getattr(remote, "field_name", None)
        target = opts.get_field(field_name) if field_name else opts.pk
        return super().optgroups(name, [v for v in value if v and is_key(target, v)], attr)


class KeyCheckedAutocompleteSelect(KeyCheckedAutocompleteMixin, AutocompleteSelect):
    pass


class KeyCheckedAutocompleteSelectMultiple(KeyCheckedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class KeyCheckedModelMultipleChoiceField(ModelMultipleChoiceField):
    def _check_values(self, value):
        opts = self.queryset.model._meta
        key_field = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for key in value:
            if not is_key(key_field, key):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": key},
                )
        return super()._check_values(value)


class InputCheckedAdminMixin:
    def get_changelist(self, request, **kwargs):
        return InputCheckedChangeList

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeyCheckedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _get_edited_object_pks(self, request, prefix):
        # The rows of a list-editable change list posted: Django checks each id's type, not
        # its range, before it filters on them.
        edited = super()._get_edited_object_pks(request, prefix)
        return [key for key in edited if is_key(self.opts.pk, key)]

    def response_action(self, request, queryset):
        # The rows ticked for an action: a value that is no id selects nothing.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        keys = [key for key in selected if is_key(self.opts.pk, key)]
        if keys != selected:
            request.POST = request.POST.copy()
            request.POST.setlist(helpers.ACTION_CHECKBOX_NAME, keys)
        return super().response_action(request, queryset)


# A model's dates in the admin: from 1 January 2000 (pages.dates) to ten years ahead (a
# contract's or certificate's end). Forms that know better declare their own DateField.
ADMIN_DATE_YEARS_AHEAD = 10


class GovukDatesAdminMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        is_date = isinstance(db_field, models.DateField) and not isinstance(
            db_field, models.DateTimeField
        )
        if is_date and not db_field.choices:
            from pages.dates import DATE_HINT, DateField

            kwargs.pop("widget", None)  # the admin's calendar, or a form's Meta.widgets
            hint = " ".join(str(text) for text in (db_field.help_text, DATE_HINT) if text)
            return db_field.formfield(
                form_class=DateField,
                latest_days=366 * ADMIN_DATE_YEARS_AHEAD,
                help_text=hint,
                **kwargs,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


NUL = "\x00"


def has_nul(query_dict):
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists()
    )


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

    def admin_view(self, view, cacheable=False):
        checked_view = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request, *args, **kwargs):
            if has_nul(request.GET) or (request.method == "POST" and has_nul(request.POST)):
                raise BadRequest("The request contains a NUL character")
            if request.method in ("GET", "HEAD"):
                return checked_view(request, *args, **kwargs)
            with writer.batch():
                return checked_view(request, *args, **kwargs)

        return inner

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, InputCheckedAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (InputCheckedAdminMixin, GovukDatesAdminMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)
