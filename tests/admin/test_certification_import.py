"""Bulk import of a body's certifications from CSV: upload → preview → confirm."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification import importing
from certification.models import Certification, CertificationEvent, CertificationImport
from providers.models import TrainingProvider
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db

HEADER = "provider_name,provider_kind,provider_region,status\n"
UPLOAD = reverse("admin:certification_certification_import")


def csv_text(*rows, columns=importing.COLUMNS):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def row(n, **overrides):
    values = {
        "provider_name": f"Imported Training {n}",
        "provider_registration_number": f"IMP{n:05d}",
        "provider_kind": "commercial",
        "provider_region": "london",
        "certificate_number": f"IMP-{n:05d}",
        "status": "certified",
        "certified_on": "2025-01-01",
        "valid_until": "2028-01-01",
        "populations": "",
        "regions": "london; south-east",
    }
    return values | overrides


def upload(client, body, text, name="certifications.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(
        UPLOAD, {"body": body.pk, "file": SimpleUploadedFile(name, data, "text/csv")}
    )


def preview(client, body, text):
    response = upload(client, body, text)
    assert response.status_code == 302, response.context["form"].errors
    return client.get(response["Location"]), response["Location"]


def confirm(client, url, page):
    return client.post(url, {"digest": page.context["digest"]})


def test_template_csv_has_the_import_columns(client, certifier_a):
    client.force_login(certifier_a)
    response = client.get(reverse("admin:certification_certification_import_template"))
    assert response.status_code == 200
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header == importing.COLUMNS


def test_the_downloaded_template_passes_its_own_validation(client, certifier_a, body_a):
    client.force_login(certifier_a)
    template = client.get(reverse("admin:certification_certification_import_template"))

    page, _ = preview(client, body_a, template.content.decode())

    plan = page.context["plan"]
    assert plan.errors == []
    assert plan.counts["create"] == 1


def test_preview_shows_every_row_action_then_confirm_imports(client, certifier_a, body_a):
    existing = CertificationFactory(
        body=body_a,
        provider__name="Existing Training",
        provider__registration_number="EX1",
        certificate_number="EX-1",
    )
    client.force_login(certifier_a)
    text = csv_text(
        row(1),
        row(
            2,
            provider_name="Existing Training",
            provider_registration_number="EX1",
            certificate_number="EX-1",
            regions="",
        ),
        row(
            3,
            provider_name="Existing Training 2",
            provider_registration_number="",
            status="working_towards",
            certificate_number="",
            certified_on="",
            valid_until="",
        ),
    )
    page, url = preview(client, body_a, text)
    assert page.status_code == 200
    actions = {r.row: r.action for r in page.context["plan"].rows}
    # Row 3 is the existing one unchanged only if nothing differs: it had no scope regions.
    assert actions == {2: "create", 3: "unchanged", 4: "create"}
    assert not Certification.objects.filter(certificate_number="IMP-00001").exists()

    response = confirm(client, url, page)
    assert response.status_code == 302
    created = Certification.objects.get(certificate_number="IMP-00001")
    assert created.body == body_a and created.status == "certified"
    assert {r.slug for r in created.regions.all()} == {"london", "south-east"}
    event = created.events.get()
    assert event.recorded_by == certifier_a and event.to_status == "certified"
    assert created.history.latest().history_user == certifier_a
    assert TrainingProvider.objects.filter(name="Existing Training 2").exists()
    existing.refresh_from_db()
    assert existing.version == 1
    record = CertificationImport.objects.get()
    assert record.state == "imported" and record.created_count == 2


def test_update_moves_status_through_the_service_with_the_reason(client, certifier_a, body_a):
    existing = CertificationFactory(
        body=body_a, provider__name="Suspend Me", certificate_number="SUS-1"
    )
    client.force_login(certifier_a)
    text = csv_text(
        row(
            1,
            provider_name="Suspend Me",
            provider_registration_number="",
            certificate_number="SUS-1",
            status="suspended",
            reason="Surveillance findings",
            regions="",
        )
    )
    page, url = preview(client, body_a, text)
    assert [r.action for r in page.context["plan"].rows] == ["update"]
    confirm(client, url, page)
    existing.refresh_from_db()
    assert existing.status == "suspended"
    event = existing.events.order_by("-pk").first()
    assert (event.from_status, event.to_status, event.reason) == (
        "certified",
        "suspended",
        "Surveillance findings",
    )


def test_same_file_twice_changes_nothing_the_second_time(client, certifier_a, body_a):
    client.force_login(certifier_a)
    text = csv_text(
        row(1),
        row(2, status="suspended"),
        row(3, status="working_towards", certificate_number="", certified_on="", valid_until=""),
    )
    page, url = preview(client, body_a, text)
    confirm(client, url, page)
    counts = (
        Certification.objects.count(),
        CertificationEvent.objects.count(),
        Certification.history.count(),
        TrainingProvider.objects.count(),
    )
    page, url = preview(client, body_a, text)
    assert {r.action for r in page.context["plan"].rows} == {"unchanged"}
    confirm(client, url, page)
    assert counts == (
        Certification.objects.count(),
        CertificationEvent.objects.count(),
        Certification.history.count(),
        TrainingProvider.objects.count(),
    )


def test_one_bad_row_writes_nothing_and_names_row_and_column(client, certifier_a, body_a):
    client.force_login(certifier_a)
    text = csv_text(row(1), row(2, valid_until="next year"), row(3))
    page, url = preview(client, body_a, text)
    errors = page.context["plan"].errors
    assert [(e.row, e.column) for e in errors] == [(3, "valid_until")]
    assert "Row 3" in page.text or "<td>3</td>" in page.text
    response = client.post(url, {"digest": page.context["digest"]})
    assert response.status_code == 200
    assert not Certification.objects.exists()
    assert not TrainingProvider.objects.filter(name__startswith="Imported").exists()


def test_a_failure_while_writing_rolls_back_every_row(client, certifier_a, body_a, monkeypatch):
    existing = CertificationFactory(
        body=body_a, provider__name="Last Row", certificate_number="L-1"
    )
    client.force_login(certifier_a)
    text = csv_text(
        row(1),
        row(
            2,
            provider_name="Last Row",
            provider_registration_number="",
            certificate_number="L-1",
            status="withdrawn",
            regions="",
        ),
    )
    page, url = preview(client, body_a, text)

    def fail(self, row):
        raise ValidationError("database said no")

    monkeypatch.setattr(importing.Importer, "_update", fail)
    client.post(url, {"digest": page.context["digest"]})
    assert not Certification.objects.filter(certificate_number="IMP-00001").exists()
    assert not TrainingProvider.objects.filter(name="Imported Training 1").exists()
    existing.refresh_from_db()
    assert existing.status == "certified"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            HEADER + '"unclosed,commercial,london,certified\n',
            "not valid CSV",
        ),
        (
            (HEADER + "Café Training,commercial,london,certified\n").encode("latin-1"),
            "not UTF-8",
        ),
        (
            "provider_name,status\nA,certified\n",
            "Missing column(s): provider_kind, provider_region",
        ),
        ("", "empty"),
        ("provider_name,provider_kind,provider_region,status,colour\n", "Unknown column"),
    ],
    ids=["malformed", "encoding", "missing-columns", "empty", "unknown-column"],
)
def test_unreadable_files_are_refused_with_a_reason(client, certifier_a, body_a, content, message):
    client.force_login(certifier_a)
    response = upload(client, body_a, content)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert not CertificationImport.objects.exists()


def test_rows_with_the_wrong_number_of_cells_are_row_errors(certifier_a, body_a):
    text = csv_text(row(1)) + "Short row,commercial\n"
    plan = importing.Importer(body_a, certifier_a).plan(text)
    assert [(e.row, e.column) for e in plan.errors] == [(3, None)]


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]
)
def test_formula_cells_are_refused(certifier_a, body_a, cell):
    plan = importing.Importer(body_a, certifier_a).plan(csv_text(row(1, provider_name=cell)))
    assert [(e.row, e.column) for e in plan.errors] == [(2, "provider_name")]
    assert "formula" in plan.errors[0].message


def test_export_neutralises_formula_cells(client, certifier_a, body_a):
    certification = CertificationFactory(body=body_a, provider__name='=HYPERLINK("x","y")')
    client.force_login(certifier_a)
    response = client.post(
        reverse("admin:certification_certification_changelist"),
        {"action": "export_csv", "_selected_action": [certification.pk]},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == importing.COLUMNS
    assert rows[1][0] == '\'=HYPERLINK("x","y")'
    assert importing.neutralise_formula("plain") == "plain"


def test_unknown_vocabulary_and_forbidden_moves_are_row_errors(certifier_a, body_a):
    CertificationFactory(
        body=body_a, provider__name="Expired One", status="expired", certificate_number="W-1"
    )
    text = csv_text(
        row(1, regions="atlantis"),
        row(
            2,
            provider_name="Expired One",
            provider_registration_number="",
            certificate_number="W-1",
            status="suspended",
        ),
        row(3, status="sleeping"),
    )
    plan = importing.Importer(body_a, certifier_a).plan(text)
    assert {(e.row, e.column) for e in plan.errors} == {
        (2, "regions"),
        (3, "status"),
        (4, "status"),
    }


def test_certifier_cannot_import_into_another_body(client, certifier_a, body_b):
    client.force_login(certifier_a)
    response = upload(client, body_b, csv_text(row(1)))
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert not CertificationImport.objects.exists()


def test_certifier_cannot_open_another_body_import(client, certifier_a, certifier_b, body_b):
    client.force_login(certifier_b)
    _, url = preview(client, body_b, csv_text(row(1)))
    client.force_login(certifier_a)
    assert client.get(url).status_code == 404
    assert client.post(url, {"digest": "x"}).status_code == 404
    assert not Certification.objects.exists()


def test_users_without_import_permission_are_refused(client, body_a):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    assert client.get(UPLOAD).status_code == 403
