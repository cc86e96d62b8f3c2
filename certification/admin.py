"""Admin for certification bodies, their accreditation, certifications and their history.

Certification body staff see and change only their own body's records (`BodyScopedAdminMixin`);
site administrators see all. Every choice a body's staff post is limited to their scope on the
server (`formfield_for_foreignkey`), and the form checks the values that depend on each other
(`forms.ScopeFieldsMixin`). A certification's status moves only through its "Change status"
page (`certification.services.move_certification`); its provider and body never change except
through a site administrator's "Correct provider or body" page (`certification.corrections`);
events, corrections and accreditation changes are read-only for everyone.
"""

from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from . import importing
from .audit import ArchiveActionsMixin, HistoryKeptAdmin, audit_log_view
from .corrections import correct_provider_or_body_view
from .forms import (
    AccreditationChangeForm,
    CertificationAddForm,
    CertificationChangeForm,
    CertificationImportForm,
    StatusMoveForm,
)
from .models import (
    AccreditationChange,
    Certification,
    CertificationBody,
    CertificationCorrection,
    CertificationEvent,
    CertificationImport,
    HeadlinePeriod,
    RegisterChange,
)
from .services import (
    StaleCertificationError,
    expire_due_certifications,
    record_accreditation_change,
    register_certification,
    save_certification_edit,
)
from .staff import BodyScopedAdminMixin, staff_body_ids
from .statuses import Status
from .verdicts import HEADLINE_LABELS, Headline, long_date

EVENT_FIELDS = (
    "effective_date",
    "from_status",
    "to_status",
    "reason",
    "certificate_number",
    "certified_on",
    "valid_until",
    "recorded_by",
    "recorded_at",
)


class ReadOnlyAdminMixin:
    """History rows: nobody adds, changes or deletes them here, superusers included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AccreditationChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AccreditationChange
    fields = ("effective_date", "status", "note", "recorded_by", "recorded_at")
    readonly_fields = fields
    extra = 0
    ordering = ("-effective_date", "-pk")


@admin.register(CertificationBody)
class CertificationBodyAdmin(BodyScopedAdminMixin, HistoryKeptAdmin):
    body_lookup = "pk"
    list_display = ("name", "ukas_number", "accreditation_today", "last_verified_on")
    search_fields = ("name", "ukas_number")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)
    inlines = [AccreditationChangeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("accreditation_changes")

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        # A body's own staff keep its contact details; its identity and UKAS accreditation
        # are recorded by site administrators.
        return ("name", "slug", "ukas_number", "accreditation_standard", "last_verified_on")

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if request.user.is_superuser else {}

    @admin.display(description="UKAS accreditation today")
    def accreditation_today(self, body):
        status = body.accreditation_on(timezone.localdate())
        return status.get_status_display() if status else "Not recorded"


@admin.register(AccreditationChange)
class AccreditationChangeAdmin(BodyScopedAdminMixin, admin.ModelAdmin):
    """Site administrators record UKAS accreditation changes; nobody edits or deletes them."""

    form = AccreditationChangeForm
    list_display = ("body", "status", "effective_date", "note", "recorded_by", "recorded_at")
    list_filter = ("status", "body")
    search_fields = ("body__name", "note")
    list_select_related = ("body", "recorded_by")
    date_hierarchy = "effective_date"
    ordering = ("-effective_date", "-pk")

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("body", "status", "effective_date", "note", "recorded_by", "recorded_at")
        return ()

    def get_fields(self, request, obj=None):
        if obj is not None:
            return ("body", "status", "effective_date", "note", "recorded_by", "recorded_at")
        return ("body", "status", "effective_date", "note", "verified_on")

    def save_model(self, request, obj, form, change):
        change_recorded = record_accreditation_change(
            obj.body,
            obj.status,
            effective_date=obj.effective_date,
            note=obj.note,
            recorded_by=request.user,
            verified_on=form.cleaned_data.get("verified_on"),
        )
        obj.pk = change_recorded.pk
        obj.recorded_at = change_recorded.recorded_at
        obj._state.adding = False


class CertificationEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CertificationEvent
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS
    extra = 0
    ordering = ("-effective_date", "-recorded_at", "-pk")

    def get_queryset(self, request):
        # Each row is labelled with str(event), which names the certification's provider and
        # body: without them here, three queries per event (tests/test_query_budgets.py).
        return (
            super()
            .get_queryset(request)
            .select_related("recorded_by", "certification__provider", "certification__body")
        )


CERTIFICATE_FIELDS = ("certificate_number", "certified_on", "valid_until")


@admin.register(Certification)
class CertificationAdmin(BodyScopedAdminMixin, ArchiveActionsMixin, HistoryKeptAdmin):
    form = CertificationChangeForm
    add_form = CertificationAddForm
    # Few columns, so Status, the certificate and "Change status" fit beside the admin's
    # navigation and filters at 1280 px (role and archiving folded into Status; the body
    # only for site administrators, as body staff see their own body's alone).
    list_display = ("provider", "status_in_words", "certificate", "change_status_link")
    list_filter = ("status", "role", "is_archived", "body", "standards_edition", "valid_until")
    search_fields = (
        "provider__name",
        "provider__registration_number",
        "certificate_number",
    )
    list_select_related = ("provider", "body")
    ordering = ("provider__name", "body__name")
    actions = ["archive", "unarchive", "expire_due", "export_csv"]
    autocomplete_fields = ("provider", "parent", "curricula")
    filter_horizontal = ("populations", "settings", "regions", "specialist_content")
    inlines = [CertificationEventInline]
    readonly_fields = (
        "status",
        "certificate_number",
        "certified_on",
        "valid_until",
        "change_status_link",
        "version",
    )
    fieldsets = (
        (
            "Status (changed only through “Change status”)",
            {
                "fields": (
                    "status",
                    "certificate_number",
                    "certified_on",
                    "valid_until",
                    "change_status_link",
                )
            },
        ),
        (
            None,
            {
                "fields": (
                    "provider",
                    "body",
                    "role",
                    "parent",
                    "standards_edition",
                    "registered_on",
                    "is_archived",
                    "version",
                    "opened_version",
                )
            },
        ),
        (
            "Scope",
            {"fields": ("populations", "settings", "regions", "curricula", "specialist_content")},
        ),
    )
    add_fieldsets = (
        (
            "First status",
            {
                "fields": (
                    "status",
                    "effective_date",
                    "reason",
                    "certificate_number",
                    "certified_on",
                    "valid_until",
                )
            },
        ),
        (
            None,
            {
                "fields": (
                    "provider",
                    "body",
                    "role",
                    "parent",
                    "standards_edition",
                    "registered_on",
                )
            },
        ),
        (
            "Scope",
            {"fields": ("populations", "settings", "regions", "curricula", "specialist_content")},
        ),
    )

    # --- forms -------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = self.add_form if obj is None else self.form
        kwargs["form"] = form
        # Fields declared on the form (the first event, the opened version) are not model
        # fields the form factory should look for.
        fields = kwargs.get("fields") or flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in fields if name not in form.declared_fields]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if not request.user.is_superuser:
            return self.fieldsets
        (status, status_options), (name, options), *rest = self.fieldsets
        fields = ("provider", "body", "correction_link", *options["fields"][2:])
        return ((status, status_options), (name, {**options, "fields": fields}), *rest)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # Certification is not transferable: a mistaken provider or body is put right by a
        # site administrator on the "Correct provider or body" page, which records why.
        return (*self.readonly_fields, "provider", "body", "correction_link")

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_list_display(self, request):
        if request.user.is_superuser:
            provider, *rest = self.list_display
            return (provider, "body", *rest)
        return self.list_display

    @admin.display(description="Status", ordering="status")
    def status_in_words(self, certification):
        words = certification.get_status_display()
        if certification.role == Certification.Role.AFFILIATE:
            words += " (affiliate)"
        if certification.is_archived:
            words += ", archived"
        return words

    @admin.display(description="Certificate", ordering="valid_until")
    def certificate(self, certification):
        if not certification.certificate_number:
            return "-"
        if certification.valid_until is None:
            return certification.certificate_number
        until = "valid until" if certification.status == Status.CERTIFIED else "end date"
        return f"{certification.certificate_number}, {until} {long_date(certification.valid_until)}"

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return tuple(f for f in self.list_filter if f != "body")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Body staff choose only their own body and, as an affiliate's parent, only their
        # own body's certifications: another value posted is "Select a valid choice". The
        # form's clean then checks the values that depend on each other (parent and body,
        # curricula and provider). Providers, standards editions and the scope vocabulary
        # are public.
        if not request.user.is_superuser:
            if db_field.name == "body":
                kwargs["queryset"] = CertificationBody.objects.filter(
                    pk__in=staff_body_ids(request)
                )
            elif db_field.name == "parent":
                kwargs["queryset"] = Certification.objects.filter(body__in=staff_body_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- saving ------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            created = register_certification(
                provider=obj.provider,
                body=obj.body,
                standards_edition=obj.standards_edition,
                status=form.cleaned_data["status"],
                effective_date=form.cleaned_data["effective_date"],
                reason=form.cleaned_data["reason"],
                recorded_by=request.user,
                certificate=form.certificate,
                role=obj.role,
                parent=obj.parent,
                registered_on=obj.registered_on,
            )
            obj.__dict__.update(
                {
                    k: v
                    for k, v in created.__dict__.items()
                    if k != "_state" and not k.startswith("_")
                }
            )
            obj._state.adding = False
            obj._state.db = created._state.db
            return
        save_certification_edit(
            obj, expected_version=form.cleaned_data["opened_version"], recorded_by=request.user
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleCertificationError as error:
            # Someone saved between this form's checks and its UPDATE: nothing was written.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except (ValidationError, IntegrityError) as error:
            text = " ".join(getattr(error, "messages", [str(error)]))
            self.message_user(request, f"Not saved: {text}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_archived(self, request, obj):
        save_certification_edit(obj, expected_version=obj.version, recorded_by=request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("expire_due", None)
        return actions

    @admin.action(description="Expire selected certifications past their end date")
    def expire_due(self, request, queryset):
        moved = expire_due_certifications(certifications=queryset)
        self.message_user(
            request,
            f"{len(moved)} certification(s) moved to expired; "
            "the others are not past their end date",
        )

    # --- status moves ------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "audit-log/",
                self.admin_site.admin_view(audit_log_view),
                name="audit_log",
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_upload_view),
                name="{}_{}_import".format(*info),
            ),
            path(
                "import/template.csv",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            path(
                "import/<int:import_id>/",
                self.admin_site.admin_view(self.import_preview_view),
                name="{}_{}_import_preview".format(*info),
            ),
            path(
                "<int:object_id>/correct-provider-or-body/",
                self.admin_site.admin_view(partial(correct_provider_or_body_view, self)),
                name="{}_{}_correct".format(*info),
            ),
            path(
                "<path:object_id>/change-status/",
                self.admin_site.admin_view(self.change_status_view),
                name="{}_{}_change_status".format(*info),
            ),
            *super().get_urls(),
        ]

    # --- bulk import -------------------------------------------------------------------

    def _may_import(self, request):
        return request.user.has_perm("certification.add_certificationimport")

    def import_template_view(self, request):
        if not self._may_import(request):
            raise PermissionDenied
        response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="certifications-template.csv"'
        return response

    def import_upload_view(self, request):
        if not self._may_import(request):
            raise PermissionDenied
        bodies = CertificationBody.objects.for_user(request.user).order_by("name")
        form = CertificationImportForm(request.POST or None, request.FILES or None, bodies=bodies)
        if request.method == "POST" and form.is_valid():
            upload = CertificationImport.objects.create(
                body=form.cleaned_data["body"],
                uploaded_by=request.user,
                filename=form.cleaned_data["file"].name[:255],
                sha256=importing.sha256(form.text),
                content=form.text,
            )
            return HttpResponseRedirect(
                reverse("admin:certification_certification_import_preview", args=[upload.pk])
            )
        return TemplateResponse(
            request,
            "admin/certification/certification/import_upload.html",
            {
                **self.admin_site.each_context(request),
                "title": "Import certifications from CSV",
                "opts": self.opts,
                "form": form,
            },
        )

    def import_preview_view(self, request, import_id):
        if not self._may_import(request):
            raise PermissionDenied
        upload = get_object_or_404(
            CertificationImport.objects.select_related("body"),
            pk=import_id,
            body__in=CertificationBody.objects.for_user(request.user),
        )
        if upload.state == CertificationImport.State.IMPORTED:
            self.message_user(request, "This file was already imported", messages.WARNING)
            return HttpResponseRedirect(
                reverse("admin:certification_certificationimport_change", args=[upload.pk])
            )
        if importing.sha256(upload.content) != upload.sha256:
            raise PermissionDenied("The stored file does not match its fingerprint.")
        importer = importing.Importer(
            upload.body, request.user, source=f"CSV import of {upload.filename}"
        )
        try:
            plan = importer.plan(upload.content)
        except importing.ImportFileError as error:
            # Stored before the caps were lowered (pages.import_limits): it cannot be imported.
            self.message_user(request, f"{upload.filename}: {error}", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:certification_certification_import"))
        stale = False
        if request.method == "POST" and plan.is_valid:
            if request.POST.get("digest") != plan.digest():
                stale = True
            else:
                try:
                    counts = importer.apply(plan)
                except (ValidationError, IntegrityError) as error:
                    text = " ".join(getattr(error, "messages", [str(error)]))
                    self.message_user(request, f"Nothing was imported: {text}", messages.ERROR)
                else:
                    CertificationImport.objects.filter(pk=upload.pk).update(
                        state=CertificationImport.State.IMPORTED,
                        imported_at=timezone.now(),
                        row_count=len(plan.rows),
                        created_count=counts["create"],
                        updated_count=counts["update"],
                        unchanged_count=counts["unchanged"],
                    )
                    self.message_user(
                        request,
                        f"Imported {upload.filename}: {counts['create']} created, "
                        f"{counts['update']} updated, {counts['unchanged']} unchanged",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:certification_certification_changelist")
                    )
        return TemplateResponse(
            request,
            "admin/certification/certification/import_preview.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Preview of {upload.filename} for {upload.body}",
                "opts": self.opts,
                "upload": upload,
                "plan": plan,
                "counts": plan.counts,
                "digest": plan.digest(),
                "stale": stale,
            },
        )

    @admin.action(description="Download selected as CSV (the import format)")
    def export_csv(self, request, queryset):
        rows = queryset.select_related("provider__region").prefetch_related(
            "populations", "settings", "regions", "specialist_content"
        )
        response = HttpResponse(importing.export_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="certifications.csv"'
        return response

    @admin.display(description="Change status")
    def change_status_link(self, certification):
        if certification.pk is None:
            return "-"
        url = reverse("admin:certification_certification_change_status", args=[certification.pk])
        return format_html('<a href="{}">Change status</a>', url)

    @admin.display(description="Correction")
    def correction_link(self, certification):
        url = reverse("admin:certification_certification_correct", args=[certification.pk])
        return format_html('<a href="{}">Correct provider or body</a>', url)

    def change_status_view(self, request, object_id):
        # get_object answers None (404) for another body's record and for an id that is not
        # one ("abc"), as the admin's own pages do.
        certification = self.get_object(request, unquote(object_id))
        if certification is None:
            raise Http404("No certification with this ID.")
        if not self.has_change_permission(request, certification):
            raise PermissionDenied
        form = StatusMoveForm(request.POST or None, certification=certification)
        if request.method == "POST" and form.is_valid():
            from .services import move_certification

            try:
                move_certification(
                    certification,
                    form.cleaned_data["to_status"],
                    effective_date=form.cleaned_data["effective_date"],
                    reason=form.cleaned_data["reason"],
                    recorded_by=request.user,
                    certificate=form.certificate,
                    expected_version=form.cleaned_data["version"],
                )
            except StaleCertificationError as error:
                form.add_error(None, error.messages)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    f"{certification.provider} is now {certification.get_status_display().lower()}",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:certification_certification_change", args=[certification.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change status: {certification}",
            "subtitle": None,
            "opts": self.opts,
            "original": certification,
            "form": form,
            # Asked only for a move to Certified: shown apart (and hidden by
            # static/js/admin_change_status.js for other moves).
            "certificate_fields": [form[name] for name in CERTIFICATE_FIELDS],
            "other_fields": [f for f in form.visible_fields() if f.name not in CERTIFICATE_FIELDS],
            "events": certification.events.select_related("recorded_by").order_by(
                "-effective_date", "-recorded_at", "-pk"
            ),
            "has_view_permission": True,
        }
        return TemplateResponse(
            request, "admin/certification/certification/change_status.html", context
        )


@admin.register(CertificationEvent)
class CertificationEventAdmin(BodyScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Status moves, as recorded. Read-only for everyone: they are the certification's
    history. New ones are made by the "Change status" page of a certification."""

    body_lookup = "certification__body"
    list_display = (
        "effective_date",
        "provider",
        "body",
        "from_status",
        "to_status",
        "reason",
        "recorded_by",
        "recorded_at",
    )
    list_filter = ("to_status", "from_status", "certification__body")
    search_fields = (
        "certification__provider__name",
        "certification__certificate_number",
        "reason",
    )
    list_select_related = ("certification__provider", "certification__body", "recorded_by")
    date_hierarchy = "effective_date"
    ordering = ("-effective_date", "-recorded_at", "-pk")
    fields = ("certification", *EVENT_FIELDS)
    readonly_fields = fields

    @admin.display(ordering="certification__provider__name")
    def provider(self, event):
        return event.certification.provider

    @admin.display(ordering="certification__body__name")
    def body(self, event):
        return event.certification.body

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return tuple(f for f in self.list_filter if f != "certification__body")


@admin.register(CertificationCorrection)
class CertificationCorrectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Corrections of a certification's provider or body, as recorded by site administrators
    on the certification's "Correct provider or body" page. Read-only."""

    list_display = (
        "recorded_at",
        "certification",
        "from_provider",
        "from_body",
        "to_provider",
        "to_body",
        "reason",
        "recorded_by",
    )
    list_select_related = (
        "certification__provider",
        "certification__body",
        "from_provider",
        "from_body",
        "to_provider",
        "to_body",
        "recorded_by",
    )
    search_fields = ("certification__certificate_number", "reason")
    ordering = ("-recorded_at", "-pk")


@admin.register(RegisterChange)
class RegisterChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The changes of records the API change feed serves besides status moves, as recorded
    with each change (certification.register_changes), for site administrators. Read-only."""

    list_display = ("recorded_at", "kind", "action", "summary", "provider", "certification", "body")
    list_filter = ("kind", "action")
    list_select_related = (
        "provider",
        "certification__provider",
        "certification__body",
        "body",
    )
    search_fields = ("summary", "provider__name", "body__name")
    ordering = ("-pk",)


@admin.register(HeadlinePeriod)
class HeadlinePeriodAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The register's derived headline periods, for site administrators to inspect. They are
    worked out from the records (`manage.py rebuild_headline_periods` rebuilds them all); a
    period without the accreditation worked in reads as if its body's accreditation counted
    (the register applies it when it reads)."""

    list_display = (
        "provider",
        "headline_label",
        "starts_on",
        "ends_on",
        "valid_until",
        "embeds_accreditation",
    )
    list_filter = ("headline",)
    search_fields = ("provider__name",)
    list_select_related = ("provider",)

    @admin.display(description="Headline", ordering="headline")
    def headline_label(self, period):
        return HEADLINE_LABELS[Headline(period.headline)]


@admin.register(CertificationImport)
class CertificationImportAdmin(BodyScopedAdminMixin, admin.ModelAdmin):
    """CSV imports of a body's certifications: uploaded, previewed, then confirmed."""

    list_display = (
        "uploaded_at",
        "filename",
        "body",
        "uploaded_by",
        "state",
        "row_count",
        "created_count",
        "updated_count",
        "unchanged_count",
    )
    list_filter = ("state",)
    search_fields = ("filename",)
    list_select_related = ("body", "uploaded_by")
    ordering = ("-uploaded_at", "-pk")
    exclude = ("content",)
    readonly_fields = (
        "body",
        "uploaded_by",
        "uploaded_at",
        "filename",
        "sha256",
        "state",
        "row_count",
        "created_count",
        "updated_count",
        "unchanged_count",
        "imported_at",
    )

    def has_add_permission(self, request):
        # An import starts on the upload page (CertificationAdmin.import_upload_view, which
        # checks the add permission itself): this admin's add form has no fields to fill.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
