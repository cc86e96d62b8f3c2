"""RemembersSavedValues: what a save changes, as its signal receivers and its own checks see it."""

import pytest
from django.db.models.signals import post_save

from certification.models import Certification, CertificationBody
from certification.services import correct_provider_or_body
from providers.models import TrainingProvider
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    TrainingProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen_in_post_save():
    seen = []

    def receiver(sender, instance, created, **kwargs):
        if not created:
            seen.append((sender, instance.pk, instance.changed_fields()))

    for model in (TrainingProvider, CertificationBody):
        post_save.connect(receiver, sender=model, weak=False)
    yield seen
    for model in (TrainingProvider, CertificationBody):
        post_save.disconnect(receiver, sender=model)


def test_receivers_see_what_the_save_changes_and_the_next_save_starts_afresh(seen_in_post_save):
    provider = TrainingProvider.objects.get(pk=TrainingProviderFactory(name="Old name").pk)
    provider.name = "New name"
    provider.save()
    provider.description = "not remembered"
    provider.save()
    provider.is_archived = True
    provider.save()
    assert [changed for _, _, changed in seen_in_post_save] == [["name"], [], ["is_archived"]]
    assert provider.changed_fields() == []


def test_a_value_set_back_to_what_was_saved_is_no_change():
    provider = TrainingProvider.objects.get(pk=TrainingProviderFactory(name="Same").pk)
    provider.name = "Other"
    provider.name = "Same"
    assert provider.changed_fields() == []


def test_an_object_built_in_memory_counts_every_set_field_as_changed():
    saved = TrainingProviderFactory(name="Saved")
    built = TrainingProvider(pk=saved.pk, name="Saved", is_archived=False)
    assert built.changed_fields() == ["name", "is_archived"]


def test_a_deferred_field_never_set_is_unchanged_and_one_set_is_changed():
    pk = TrainingProviderFactory(name="Deferred").pk
    untouched = TrainingProvider.objects.only("id", "description").get(pk=pk)
    assert untouched.changed_fields() == []
    untouched.save()
    assert untouched.changed_fields() == []
    assert TrainingProvider.objects.get(pk=pk).name == "Deferred"

    set_after_load = TrainingProvider.objects.only("id").get(pk=pk)
    set_after_load.name = "Deferred"  # its saved value was never read: cannot say it is the same
    assert set_after_load.changed_fields() == ["name"]


def test_a_save_of_other_fields_leaves_an_unsaved_change_changed():
    provider = TrainingProvider.objects.get(pk=TrainingProviderFactory(name="Before").pk)
    provider.name = "After"
    provider.description = "only this is written"
    provider.save(update_fields=["description"])
    assert provider.changed_fields() == ["name"]
    assert TrainingProvider.objects.get(pk=provider.pk).name == "Before"
    provider.save(update_fields=["name"])
    assert provider.changed_fields() == []


def test_refresh_from_db_remembers_only_the_fields_it_reloads():
    provider = TrainingProvider.objects.get(pk=TrainingProviderFactory(name="First").pk)
    TrainingProvider.objects.filter(pk=provider.pk).update(name="Second", is_archived=True)
    provider.refresh_from_db(fields=["name"])
    assert provider.name == "Second"
    assert provider.changed_fields() == []  # is_archived: False in memory and as remembered
    provider.is_archived = True
    assert provider.changed_fields() == ["is_archived"]  # what it last read, not the row now
    provider.refresh_from_db()
    assert provider.changed_fields() == []


def test_a_foreign_key_reloaded_by_its_name_is_remembered_by_its_attribute_name():
    certification = CertificationFactory()
    other = TrainingProviderFactory()
    loaded = Certification.objects.get(pk=certification.pk)
    correct_provider_or_body(
        Certification.objects.get(pk=certification.pk),
        provider=other,
        body=certification.body,
        reason="Recorded against the wrong provider",
        recorded_by=UserFactory(is_superuser=True, is_staff=True),
    )
    loaded.refresh_from_db(fields=["provider"])
    assert loaded.provider_id == other.pk
    assert loaded.transferred_fields() == []


def test_transferred_fields_reads_the_row_for_what_an_object_built_in_memory_does_not_know():
    certification = CertificationFactory()
    same = Certification(pk=certification.pk, provider_id=certification.provider_id)
    same.body_id = certification.body_id
    same._state.adding = False
    assert same.transferred_fields() == []
    moved = Certification(pk=certification.pk, provider_id=TrainingProviderFactory().pk)
    moved.body_id = certification.body_id
    moved._state.adding = False
    assert moved.transferred_fields() == ["provider_id"]
    unsaved = Certification(pk=certification.pk + 1000, provider_id=certification.provider_id)
    unsaved._state.adding = False
    assert unsaved.transferred_fields() == []  # no saved row: nothing to move it from


def test_body_standard_change_seen_once(seen_in_post_save):
    body = CertificationBody.objects.get(pk=CertificationBodyFactory().pk)
    body.accreditation_standard = "ISO/IEC 17024:2012"
    body.save()
    body.name = "Renamed body"
    body.save()
    changes = [changed for sender, _, changed in seen_in_post_save if sender is CertificationBody]
    assert changes == [["accreditation_standard"], []]
