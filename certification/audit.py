"""The field-level audit trail: who changed what, when, old value to new.

django-simple-history records every save of providers, curricula, bodies and certifications.
Each object's admin "History" page shows its own trail (`HistoryKeptAdmin`); site
administrators also get one filterable log across all of them (`AuditLogView`).
"""

import copy
from collections import defaultdict

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_m2m_reverse_field_name

from pages.dates import DATE_HINT, DateField

from .audit_words import changes_in_words


class HistoryKeptAdmin(SimpleHistoryAdmin):
    """Admin for a model with history: the history is shown, never rewritten.

    Nothing with history is hard-deleted (archive instead), and the "revert to this version"
    form is view-only: a revert would bypass the rules that every change goes through.
    """

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        self._require_valid_id(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Past versions are shown, not restored.")
        self._require_valid_id(object_id)
        self._require_valid_id(version_id, self.model.history.model._meta.pk)
        # simple-history hands the form `prepopulated_fields` as declared, not as
        # get_prepopulated_fields gives them for this user: a field read-only for them (a
        # body's slug, for its staff) is not in the form, a KeyError. A past version is only
        # shown, so nothing is prepopulated.
        shown = copy.copy(self)
        shown.prepopulated_fields = {}
        return super(HistoryKeptAdmin, shown).history_form_view(
            request, object_id, version_id, extra_context
        )

    def _require_valid_id(self, object_id, pk=None):
        # simple-history looks records up with the ids as given: one that is not an id at all
        # ("abc") would be a server error rather than "not found".
        try:
            (pk or self.opts.pk).to_python(unquote(object_id))
        except ValidationError:
            raise Http404(f"No {self.opts.verbose_name} with this ID.") from None


class ArchiveActionsMixin:
    """ "Archive"/"Bring back" actions for models that are archived instead of deleted."""

    actions = ["archive", "unarchive"]

    def _set_archived(self, request, queryset, archived):
        changed = 0
        for obj in queryset.filter(is_archived=not archived):
            if not self.has_change_permission(request, obj):
                continue
            obj.is_archived = archived
            self.save_archived(request, obj)
            changed += 1
        return changed

    def save_archived(self, request, obj):
        obj._history_user = request.user
        obj.save()

    @admin.action(
        description="Archive selected (kept with their history, off the register)",
        permissions=["change"],
    )
    def archive(self, request, queryset):
        changed = self._set_archived(request, queryset, True)
        self.message_user(request, f"Archived {changed}")

    @admin.action(description="Bring back selected from the archive", permissions=["change"])
    def unarchive(self, request, queryset):
        changed = self._set_archived(request, queryset, False)
        self.message_user(request, f"Brought back {changed}")


# The models whose every change is recorded, as (key, label, model path).
AUDITED_MODELS = {
    "trainingprovider": ("Training provider", "providers.TrainingProvider"),
    "curriculum": ("Curriculum", "providers.Curriculum"),
    "certificationbody": ("Certification body", "certification.CertificationBody"),
    "certification": ("Certification", "certification.Certification"),
}
AUDIT_LOG_PER_PAGE = 50
SEARCH_DAYS_AHEAD = 366 * 1000


class AuditLogFilterForm(forms.Form):
    user = forms.CharField(label="Changed by (email)", required=False, max_length=254)
    model = forms.ChoiceField(
        label="Record type",
        required=False,
        choices=[("", "All")] + [(k, label) for k, (label, _) in AUDITED_MODELS.items()],
    )
    # A search, not a record: any date is a fair question (a future one finds nothing). Links
    # may carry a date as ?since=2026-05-01 (iso_fallback).
    since = DateField(
        label="From (optional)",
        subject="From date",
        required=False,
        latest_days=SEARCH_DAYS_AHEAD,
        iso_fallback=True,
        help_text=DATE_HINT,
    )
    until = DateField(
        label="To (optional)",
        subject="To date",
        required=False,
        latest_days=SEARCH_DAYS_AHEAD,
        iso_fallback=True,
        help_text=DATE_HINT,
    )


def _history_model(key):
    return apps.get_model(AUDITED_MODELS[key][1]).history.model


def audit_entries(*, user="", model="", since=None, until=None):
    """One queryset (a UNION) of every recorded change, newest first, as plain values."""
    keys = [model] if model else list(AUDITED_MODELS)
    parts = []
    for key in keys:
        queryset = _history_model(key).objects.all()
        if user:
            queryset = queryset.filter(history_user__email__icontains=user)
        if since:
            queryset = queryset.filter(history_date__date__gte=since)
        if until:
            queryset = queryset.filter(history_date__date__lte=until)
        parts.append(
            queryset.order_by()
            .values("history_id", "history_date")
            .annotate(model=Value(key, output_field=CharField()))
        )
    entries = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True)
    return entries.order_by("-history_date", "-history_id")


def with_changes(entries):
    """The records behind a page of entries, each with its `changes` (field, old, new).

    A fixed number of queries however many rows the page has: for each kind of record on it,
    one for its rows and the version before each, and one per many-to-many field for the scope
    lists of both. The changes are then compared here, as `diff_against` compares them, rather
    than by `diff_against` per row, which queries the previous version and both versions' scope
    lists again for every row.
    """
    by_model = defaultdict(list)
    for entry in entries:
        by_model[entry["model"]].append(entry["history_id"])
    records = {}
    for key, ids in by_model.items():
        loaded = _with_previous_versions(key, ids)
        scopes = _scope_lists(key, loaded)
        for history_id in ids:
            record = loaded.get(history_id)
            if record is not None:
                previous = loaded.get(record.previous_history_id)
                records[(key, history_id)] = (record, _changes(record, previous, scopes))
    rows = []
    for entry in entries:
        found = records.get((entry["model"], entry["history_id"]))
        if found is None:
            continue
        record, changes = found
        rows.append(
            {
                "record": record,
                "object": _labelled_object(entry["model"], record),
                "model": AUDITED_MODELS[entry["model"]][0],
                "admin_url": _history_url(entry["model"], record),
                "changes": changes,
            }
        )
    return rows


# The related records a version's name is made of ("Provider — Body (number)"), read with it.
LABEL_RELATIONS = {"certification": ("provider", "body")}


def _with_previous_versions(key, ids):
    """{history_id: record} for the history rows `ids` of one kind and the version before each
    (simple-history's `prev_record`: the object's latest earlier row), in one query; every
    record has `previous_history_id`."""
    history = _history_model(key)
    object_id = history.instance_type._meta.pk.attname
    previous_id = Subquery(
        history.objects.filter(
            **{object_id: OuterRef(object_id)}, history_date__lt=OuterRef("history_date")
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    previous_ids = (
        history.objects.filter(history_id__in=ids).annotate(previous=previous_id).values("previous")
    )
    records = (
        history.objects.filter(Q(history_id__in=ids) | Q(history_id__in=previous_ids))
        .annotate(previous_history_id=previous_id)
        .select_related("history_user", *LABEL_RELATIONS.get(key, ()))
    )
    return {record.history_id: record for record in records}


def _scope_lists(key, records):
    """{(field name, history_id): rows} of every many-to-many field with history, for the
    records that have a previous version and those previous versions: one query per field.
    The rows are in the order and form `diff_against` compares (the through table's fields,
    ordered by the related record)."""
    history = _history_model(key)
    needed = set()
    for record in records.values():
        if record.previous_history_id in records:
            needed |= {record.history_id, record.previous_history_id}
    lists = defaultdict(list)
    if not needed:
        return lists
    for field in history._history_m2m_fields:
        m2m_history = getattr(history, field.name).model
        compared = [
            f.name
            for f in m2m_history._meta.fields
            if f.editable and f.name not in ["id", "m2m_history_id", "history"]
        ]
        related = get_m2m_reverse_field_name(field)
        rows = (
            m2m_history._default_manager.filter(history_id__in=needed)
            .order_by(related, f"{related}_id")
            .values("history_id", *compared)
        )
        for row in rows:
            lists[(field.name, row.pop("history_id"))].append(row)
    return lists


# Changed by every save, or worked out from another field (the certificate number).
BOOKKEEPING_FIELDS = {"version", "created_at", "updated_at", "certificate_key"}


def _changes(record, previous, scopes):
    """[(field, old, new)] from `previous` to `record`, sorted by field: what
    `record.diff_against(previous)` gives, with the scope lists taken from `scopes`, and the
    fields it leaves out as not editable."""
    if previous is None:
        return []
    m2m_names = [field.name for field in record._history_m2m_fields]
    # Every tracked field, not only the editable ones `diff_against` compares (through
    # model_to_dict): status, certificate number and dates are changed only by status moves
    # (editable=False), and a move must show them. Foreign keys as ids, as diff_against has
    # them; bookkeeping fields that every save changes are left out.
    changes = []
    for field in record.tracked_fields:
        if field.name in m2m_names or field.name in BOOKKEEPING_FIELDS:
            continue
        old, new = getattr(previous, field.attname), getattr(record, field.attname)
        if old != new:
            changes.append((field.name, old, new))
    for name in m2m_names:
        old = scopes[(name, previous.history_id)]
        new = scopes[(name, record.history_id)]
        if old != new:
            changes.append((name, old, new))
    return sorted(changes, key=lambda change: change[0])


def _labelled_object(key, record):
    """The object as it was at this version (`history_object`), with the related records its
    name needs taken from the ones read with the version rather than queried one by one."""
    obj = record.history_object
    for name in LABEL_RELATIONS.get(key, ()):
        related = getattr(record, name)
        if related is not None:
            setattr(obj, name, related)
    return obj


def _history_url(key, record):
    app_label = AUDITED_MODELS[key][1].split(".")[0]
    try:
        return reverse(f"admin:{app_label}_{key}_history", args=[record.id])
    except NoReverseMatch:
        return None


def audit_log_view(request):
    """Every change to providers, curricula, bodies and certifications: who, when, which
    fields, old and new values. For site administrators; filter by user, type and dates."""
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied
    form = AuditLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(**{k: v for k, v in filters.items() if v})
    page = Paginator(entries, AUDIT_LOG_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "admin/audit_log.html",
        {
            **admin.site.each_context(request),
            "title": "Audit log",
            "form": form,
            "page_obj": page,
            "rows": changes_in_words(with_changes(list(page.object_list))),
            "query": query.urlencode(),
        },
    )
