"""Register changes (RegisterChange): every change of what the public API shows that is not
a status move, written in the transaction that made it, for the API change feed.

Signals hear every write, whatever made it (the admin, certification.services, the API's
writes, a save in a shell), inside its transaction: simple-history's
`post_create_historical_record`, sent for each history row of a certification, provider or
body; `m2m_changed` of the lists the API shows (a certification's scope, a provider's regions
served); and `post_save` of an AccreditationChange. The one path that writes without them is
a bulk write: the CSV import's and the load data's new providers (`bulk_create_with_history`,
`bulk_create`) call `record_providers_added` themselves; their new certifications, and their
scope, are announced by the certifications' first status events. Fixtures loaded with
`loaddata` (raw saves) record nothing: they are a register's starting data, not changes.

Only what the public API shows counts (`SHOWN`, `SHOWN_LISTS`): a change of a provider's
email, phone, address, description or registration number, of a body's email, of a
curriculum (the public API does not show curricula), or of a certification's status fields
(a status move has its own event) records nothing.
"""

from pages.dates import long_date
from providers.models import TrainingProvider

from .models import AccreditationChange, Certification, CertificationBody, RegisterChange

Kind = RegisterChange.Kind
Action = RegisterChange.Action

# For each kind, the fields the public API shows (besides a certification's status fields,
# which only a status move changes), each with the words a summary names it by.
SHOWN = {
    Kind.CERTIFICATION: {
        "role": "role",
        "parent": "parent certification",
        "standards_edition": "standards edition",
        "registered_on": "registered date",
        "provider": "provider",
        "body": "certification body",
    },
    Kind.PROVIDER: {
        "name": "name",
        "slug": "web address",
        "kind": "kind",
        "town": "town",
        "region": "region",
        "website": "website",
    },
    Kind.BODY: {
        "name": "name",
        "slug": "web address",
        "ukas_number": "UKAS number",
        "accreditation_standard": "accreditation standard",
        "schedule_url": "UKAS schedule",
        "website": "website",
        "last_verified_on": "date last checked with UKAS",
    },
}
KINDS = {
    Certification: Kind.CERTIFICATION,
    TrainingProvider: Kind.PROVIDER,
    CertificationBody: Kind.BODY,
}
# The many-to-many fields the API shows, each with its summary. They are heard from
# `m2m_changed` itself, which says whether anything changed, rather than by comparing a
# history row's copies (ten more queries for every save of a certification).
SHOWN_LISTS = {
    Certification.populations.through: (Kind.CERTIFICATION, "Scope changed"),
    Certification.settings.through: (Kind.CERTIFICATION, "Scope changed"),
    Certification.regions.through: (Kind.CERTIFICATION, "Scope changed"),
    Certification.specialist_content.through: (Kind.CERTIFICATION, "Scope changed"),
    Certification.curricula.through: (Kind.CERTIFICATION, "Scope changed"),
    TrainingProvider.regions_served.through: (Kind.PROVIDER, "Regions served changed"),
}


def summary_of(fields):
    """'Role and registered date changed': the changed fields in words."""
    text = fields[0] if len(fields) == 1 else f"{', '.join(fields[:-1])} and {fields[-1]}"
    return f"{text[0].upper()}{text[1:]} changed"


def what_changed(kind, history_instance):
    """(action, summary, the history row before) for a history row of a record of `kind`, or
    None when nothing the public API shows changed (but for its lists: `on_list_changed`)."""
    if history_instance.history_type == "+":
        # A new certification's first status event says it was added.
        if kind == Kind.CERTIFICATION:
            return None
        return Action.ADDED, "Added to the register", None
    if history_instance.history_type != "~":
        return None  # nothing with history is ever deleted (archived instead)
    previous = (
        type(history_instance)
        .objects.filter(id=history_instance.id, history_id__lt=history_instance.history_id)
        .order_by("-history_id")
        .first()
    )
    if previous is None:
        return None
    if kind != Kind.BODY and previous.is_archived != history_instance.is_archived:
        if history_instance.is_archived:
            return Action.ARCHIVED, "Archived: no longer on the register", previous
        return Action.BROUGHT_BACK, "Brought back to the register", previous
    opts = history_instance.instance_type._meta
    changed = [
        words
        for name, words in SHOWN[kind].items()
        if getattr(previous, opts.get_field(name).attname)
        != getattr(history_instance, opts.get_field(name).attname)
    ]
    return (Action.CHANGED, summary_of(changed), previous) if changed else None


def on_history_recorded(sender, instance, history_instance, using=None, **kwargs):
    kind = KINDS.get(type(instance))
    if kind is None:
        return
    change = what_changed(kind, history_instance)
    if change is None:
        return
    action, summary, previous = change
    _record(kind, instance, action, summary, using=using)
    if kind == Kind.CERTIFICATION and previous.provider_id != history_instance.provider_id:
        # A correction: the provider it was recorded for by mistake has one certification
        # fewer, and a client's copy of that provider changes too.
        _record(
            Kind.PROVIDER,
            TrainingProvider(pk=previous.provider_id),
            Action.CHANGED,
            "A certification recorded by mistake was moved to another provider",
            using=using,
        )


def on_list_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action != "post_clear" and not pk_set:
        return  # `add` of what was there already: nothing changed
    kind, summary = SHOWN_LISTS[sender]
    if not reverse:
        _record(kind, instance, Action.CHANGED, summary, using=using)
        return
    # From the other side (a term's certifications): each one named changed. (A reverse
    # clear names none; nothing in the register clears a term's certifications.)
    model = Certification if kind == Kind.CERTIFICATION else TrainingProvider
    for record in model.objects.using(using).filter(pk__in=pk_set or ()):
        _record(kind, record, Action.CHANGED, summary, using=using)


def _record(kind, instance, action, summary, *, using=None):
    about = {
        Kind.CERTIFICATION: "certification",
        Kind.PROVIDER: "provider",
        Kind.BODY: "body",
    }[kind]
    RegisterChange.objects.using(using).create(
        kind=kind, action=action, summary=summary, **{about: instance}
    )


def on_accreditation_change_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    RegisterChange.objects.create(
        kind=Kind.ACCREDITATION,
        action=Action.CHANGED,
        summary=f"{instance.get_status_display()} from {long_date(instance.effective_date)}",
        body_id=instance.body_id,
        accreditation_change=instance,
    )


def record_providers_added(providers):
    """For a bulk write of new providers, which sends no signal: their changes."""
    return RegisterChange.objects.bulk_create(
        RegisterChange(
            kind=Kind.PROVIDER,
            action=Action.ADDED,
            summary="Added to the register",
            provider=provider,
        )
        for provider in providers
    )


def connect():
    from django.db.models.signals import m2m_changed, post_save
    from simple_history.signals import post_create_historical_record

    post_create_historical_record.connect(
        on_history_recorded, dispatch_uid="register-changes-history"
    )
    for through in SHOWN_LISTS:
        m2m_changed.connect(
            on_list_changed, sender=through, dispatch_uid=f"register-changes-{through}"
        )
    post_save.connect(
        on_accreditation_change_saved,
        sender=AccreditationChange,
        dispatch_uid="register-changes-accreditation",
    )
