"""Certification body staff cannot reach past their body by posting values the admin did not
offer: every foreign key and many-to-many value of every admin form, inline, action and
autocomplete is checked on the server against their scope. A crafted value is a form error
(or a refusal) and writes nothing."""

import pytest
from django.urls import reverse

from pages.dates import DateField
from providers.models import Curriculum, TrainingProvider
from standards.models import StandardsEdition
from tests.factories import (
    CertificationFactory,
    CurriculumFactory,
    TrainingProviderFactory,
    region,
)
from tests.form_dates import as_posted, date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert_a(body_a):
    return CertificationFactory(body=body_a, provider__name="Provider of A")


@pytest.fixture
def cert_b(body_b):
    return CertificationFactory(body=body_b, provider__name="Provider of B")


def change_form_data(response, **changes):
    """What the browser would post back from an admin change form, with `changes`."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(form.fields[name], DateField):
            data |= as_posted(form, name, value)
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    for formset in response.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = str(formset.formset.initial_form_count())
        data[f"{prefix}-INITIAL_FORMS"] = str(formset.formset.initial_form_count())
        for index, inline_form in enumerate(formset.formset.initial_forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[f"{prefix}-{index}-{name}"] = str(value)
    return data | changes


def add_form_data(provider, body, **changes):
    return {
        "status": "working_towards",
        **date_fields("effective_date", "2026-01-05"),
        "reason": "Applied",
        "provider": provider.pk,
        "body": body.pk,
        "role": "certified_service",
        "standards_edition": StandardsEdition.objects.get(is_current=True).pk,
        **date_fields("registered_on", "2026-01-05"),
    } | changes


def form_errors(response, field):
    return " ".join(response.context["adminform"].form.errors.get(field, []))


# --- certifications ----------------------------------------------------------------------


def test_certifier_cannot_make_another_body_certification_the_parent(
    client, certifier_a, cert_a, cert_b
):
    client.force_login(certifier_a)
    url = reverse("admin:certification_certification_change", args=[cert_a.pk])
    response = client.post(
        url, change_form_data(client.get(url), role="affiliate", parent=str(cert_b.pk))
    )
    assert response.status_code == 200
    assert "Select one of the options in the list" in form_errors(response, "parent")
    cert_a.refresh_from_db()
    assert cert_a.parent_id is None and cert_a.role == "certified_service"


def test_certifier_cannot_register_an_affiliate_of_another_body_certification(
    client, certifier_a, body_a, cert_b
):
    client.force_login(certifier_a)
    provider = TrainingProviderFactory()
    response = client.post(
        reverse("admin:certification_certification_add"),
        add_form_data(provider, body_a, role="affiliate", parent=cert_b.pk),
    )
    assert response.status_code == 200
    assert "Select one of the options in the list" in form_errors(response, "parent")
    assert not provider.certifications.exists()


def test_certifier_may_name_their_own_body_certification_as_parent(
    client, certifier_a, body_a, cert_a
):
    client.force_login(certifier_a)
    provider = TrainingProviderFactory()
    response = client.post(
        reverse("admin:certification_certification_add"),
        add_form_data(provider, body_a, role="affiliate", parent=cert_a.pk),
    )
    assert response.status_code == 302
    assert provider.certifications.get().parent == cert_a


def test_parent_by_another_body_is_refused_for_site_administrators_too(
    client, superuser, body_a, cert_b
):
    client.force_login(superuser)
    provider = TrainingProviderFactory()
    response = client.post(
        reverse("admin:certification_certification_add"),
        add_form_data(provider, body_a, role="affiliate", parent=cert_b.pk),
    )
    assert response.status_code == 200
    assert "same certification body" in form_errors(response, "parent")
    assert not provider.certifications.exists()


@pytest.mark.parametrize("who", ["certifier_a", "superuser"])
def test_curricula_of_another_provider_are_refused(client, request, who, cert_a, cert_b):
    client.force_login(request.getfixturevalue(who))
    other_course = CurriculumFactory(provider=cert_b.provider, name="B's course")
    url = reverse("admin:certification_certification_change", args=[cert_a.pk])
    response = client.post(url, change_form_data(client.get(url), curricula=[str(other_course.pk)]))
    assert response.status_code == 200
    assert "B's course is another provider's" in form_errors(response, "curricula")
    assert not cert_a.curricula.exists()


def test_own_provider_curricula_are_accepted(client, certifier_a, cert_a):
    client.force_login(certifier_a)
    course = CurriculumFactory(provider=cert_a.provider)
    url = reverse("admin:certification_certification_change", args=[cert_a.pk])
    response = client.post(url, change_form_data(client.get(url), curricula=[str(course.pk)]))
    assert response.status_code == 302
    assert list(cert_a.curricula.all()) == [course]


def test_archive_action_ignores_another_body_certification(client, certifier_a, cert_a, cert_b):
    client.force_login(certifier_a)
    response = client.post(
        reverse("admin:certification_certification_changelist"),
        {"action": "archive", "_selected_action": [cert_a.pk, cert_b.pk]},
    )
    assert response.status_code == 302
    cert_a.refresh_from_db()
    cert_b.refresh_from_db()
    assert cert_a.is_archived and not cert_b.is_archived


def test_parent_autocomplete_lists_only_own_body_certifications(
    client, certifier_a, cert_a, cert_b
):
    client.force_login(certifier_a)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "certification", "model_name": "certification", "field_name": "parent"},
    )
    assert response.status_code == 200
    ids = {int(result["id"]) for result in response.json()["results"]}
    assert ids == {cert_a.pk}


def test_body_change_form_ignores_posted_accreditation_changes(client, certifier_a, body_a):
    client.force_login(certifier_a)
    url = reverse("admin:certification_certificationbody_change", args=[body_a.pk])
    before = body_a.accreditation_changes.count()
    data = change_form_data(client.get(url)) | {
        "accreditation_changes-TOTAL_FORMS": str(before + 1),
        f"accreditation_changes-{before}-effective_date": "2026-01-01",
        f"accreditation_changes-{before}-status": "withdrawn",
        f"accreditation_changes-{before}-note": "Crafted",
        f"accreditation_changes-{before}-body": str(body_a.pk),
    }
    client.post(url, data)
    assert body_a.accreditation_changes.count() == before
    assert not body_a.accreditation_changes.filter(note="Crafted").exists()


# --- training providers and curricula ----------------------------------------------------


def provider_form_data(provider, **changes):
    return {
        "name": provider.name,
        "slug": provider.slug,
        "kind": provider.kind,
        "region": provider.region_id,
        "curricula-TOTAL_FORMS": "0",
        "curricula-INITIAL_FORMS": "0",
    } | changes


def test_certifier_cannot_add_a_curriculum_to_another_body_provider(client, certifier_a, cert_b):
    client.force_login(certifier_a)
    response = client.post(
        reverse("admin:providers_curriculum_add"),
        {"name": "Smuggled course", "provider": cert_b.provider.pk},
    )
    assert response.status_code == 200
    assert "Select one of the options in the list" in form_errors(response, "provider")
    assert not Curriculum.objects.filter(name="Smuggled course").exists()


def test_certifier_cannot_move_own_curriculum_onto_another_body_provider(
    client, certifier_a, cert_a, cert_b
):
    course = CurriculumFactory(provider=cert_a.provider)
    client.force_login(certifier_a)
    url = reverse("admin:providers_curriculum_change", args=[course.pk])
    response = client.post(url, {"name": course.name, "provider": cert_b.provider.pk})
    assert response.status_code == 200
    assert "Select one of the options in the list" in form_errors(response, "provider")
    course.refresh_from_db()
    assert course.provider == cert_a.provider


def test_certifier_cannot_add_curricula_inline_to_another_body_provider(
    client, certifier_a, cert_b
):
    client.force_login(certifier_a)
    provider = cert_b.provider
    response = client.post(
        reverse("admin:providers_trainingprovider_change", args=[provider.pk]),
        provider_form_data(
            provider, **{"curricula-TOTAL_FORMS": "1", "curricula-0-name": "Smuggled course"}
        ),
    )
    assert response.status_code == 403
    assert not provider.curricula.exists()


def test_curriculum_provider_autocomplete_lists_only_providers_the_user_may_change(
    client, certifier_a, cert_a, cert_b
):
    client.force_login(certifier_a)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "providers", "model_name": "curriculum", "field_name": "provider"},
    )
    ids = {int(result["id"]) for result in response.json()["results"]}
    assert ids == {cert_a.provider.pk}


def test_working_towards_certification_does_not_let_a_body_rename_another_body_provider(
    client, certifier_a, body_a, cert_b
):
    provider = cert_b.provider
    client.force_login(certifier_a)
    # Registering with a provider another body certifies is allowed...
    registered = client.post(
        reverse("admin:certification_certification_add"), add_form_data(provider, body_a)
    )
    assert registered.status_code == 302
    assert provider.certifications.filter(body=body_a, status="working_towards").exists()
    # ...but the provider's public details stay the other body's to keep.
    url = reverse("admin:providers_trainingprovider_change", args=[provider.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="name"' not in page.text
    response = client.post(url, provider_form_data(provider, name="Renamed by A"))
    assert response.status_code == 403
    provider.refresh_from_db()
    assert provider.name == "Provider of B"


def test_provider_certified_by_two_bodies_is_changed_by_site_administrators_only(
    client, certifier_a, certifier_b, superuser, body_a, cert_b
):
    provider = cert_b.provider
    CertificationFactory(provider=provider, body=body_a)
    url = reverse("admin:providers_trainingprovider_change", args=[provider.pk])
    for certifier in (certifier_a, certifier_b):
        client.force_login(certifier)
        assert client.post(url, provider_form_data(provider, name="Renamed")).status_code == 403
    client.force_login(superuser)
    assert client.post(url, provider_form_data(provider, name="Renamed")).status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Renamed"


def test_certifier_changes_a_provider_only_their_body_certifies(client, certifier_a, cert_a):
    provider = cert_a.provider
    client.force_login(certifier_a)
    url = reverse("admin:providers_trainingprovider_change", args=[provider.pk])
    assert client.post(url, provider_form_data(provider, name="Renamed by A")).status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Renamed by A"


def test_uncertified_provider_is_kept_by_the_body_whose_staff_added_it(
    client, certifier_a, certifier_b
):
    client.force_login(certifier_a)
    added = client.post(
        reverse("admin:providers_trainingprovider_add"),
        provider_form_data(
            TrainingProvider(name="New Provider", slug="new-provider", kind="commercial"),
            region=region().pk,
        ),
    )
    assert added.status_code == 302
    provider = TrainingProvider.objects.get(slug="new-provider")
    url = reverse("admin:providers_trainingprovider_change", args=[provider.pk])

    client.force_login(certifier_b)
    assert client.post(url, provider_form_data(provider, name="Renamed by B")).status_code == 403
    response = client.post(
        reverse("admin:providers_curriculum_add"), {"name": "B's", "provider": provider.pk}
    )
    assert "Select one of the options in the list" in form_errors(response, "provider")

    client.force_login(certifier_a)
    assert client.post(url, provider_form_data(provider, name="Renamed by A")).status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Renamed by A"
    assert not provider.curricula.exists()


def test_uncertified_provider_added_by_nobody_in_the_body_is_read_only(client, certifier_a):
    provider = TrainingProviderFactory(name="Someone else's")
    client.force_login(certifier_a)
    url = reverse("admin:providers_trainingprovider_change", args=[provider.pk])
    assert client.post(url, provider_form_data(provider, name="Renamed")).status_code == 403


def test_certifier_still_adds_a_curriculum_to_own_provider(client, certifier_a, cert_a):
    client.force_login(certifier_a)
    response = client.post(
        reverse("admin:providers_curriculum_add"),
        {"name": "Own course", "provider": cert_a.provider.pk},
    )
    assert response.status_code == 302
    assert cert_a.provider.curricula.filter(name="Own course").exists()


def test_history_of_another_body_provider_is_not_shown(client, certifier_a, cert_a, cert_b):
    course = CurriculumFactory(provider=cert_b.provider)
    client.force_login(certifier_a)
    for url in (
        reverse("admin:providers_trainingprovider_history", args=[cert_b.provider.pk]),
        reverse("admin:providers_curriculum_history", args=[course.pk]),
    ):
        assert client.get(url).status_code == 403
    own = reverse("admin:providers_trainingprovider_history", args=[cert_a.provider.pk])
    assert client.get(own).status_code == 200


def test_certification_change_form_ignores_posted_events(client, certifier_a, cert_a):
    client.force_login(certifier_a)
    url = reverse("admin:certification_certification_change", args=[cert_a.pk])
    data = change_form_data(client.get(url))
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    count = int(data[f"{prefix}-TOTAL_FORMS"])
    data |= {
        f"{prefix}-TOTAL_FORMS": str(count + 1),
        f"{prefix}-{count}-to_status": "withdrawn",
        f"{prefix}-{count}-effective_date": "2026-01-01",
        f"{prefix}-{count}-reason": "Crafted",
    }
    client.post(url, data)
    assert not cert_a.events.filter(reason="Crafted").exists()
    cert_a.refresh_from_db()
    assert cert_a.status == "certified"
