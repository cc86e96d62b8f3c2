"""Every CSV import holds at most IMPORT_MAX_ROWS rows and IMPORT_MAX_BYTES bytes: a file at
the cap is imported, one past it is refused with a form error saying how to fix it, at upload
and again when the confirmation reads the file back (pages.import_limits)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification import importing
from certification.models import Certification, CertificationImport
from certification.staff import add_body_staff
from compliance.contract_import import read_contracts
from compliance.models import Contract
from pages import import_limits
from tests.admin.test_certification_import import UPLOAD, csv_text, preview, row, upload
from tests.factories import (
    CertificationBodyFactory,
    CommissionerFactory,
    MembershipFactory,
    ServiceProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CAP = 5


@pytest.fixture(autouse=True)
def small_caps(settings):
    settings.IMPORT_MAX_ROWS = CAP
    settings.IMPORT_MAX_BYTES = 20_000


def test_the_message_says_how_many_rows_and_what_to_do(settings):
    settings.IMPORT_MAX_ROWS = 2_000
    text = "name\n" + "x\n" * 2_513
    with pytest.raises(import_limits.ImportTooLarge) as error:
        import_limits.check_rows(text)
    assert str(error.value) == (
        "The file has 2,513 rows. Import at most 2,000 rows at a time: split the file"
    )


def test_blank_lines_are_not_rows():
    import_limits.check_rows("name\n" + "x\n\n , \n" * CAP)


def test_rows_past_the_cap_are_never_handed_to_the_importer():
    handed = []
    records = iter([["a"]] * (CAP + 3))
    with pytest.raises(import_limits.ImportTooLarge):
        for record in import_limits.capped_records(records):
            handed.append(record)
    assert len(handed) == CAP


def test_the_byte_cap_is_checked_before_decoding(settings):
    settings.IMPORT_MAX_BYTES = 1_000_000
    import_limits.check_size(1_000_000)
    with pytest.raises(import_limits.ImportTooLarge, match="larger than 1 MB"):
        import_limits.check_size(1_000_001)


# Certifications (admin bulk import)


@pytest.fixture
def body_a():
    return CertificationBodyFactory()


@pytest.fixture
def certifier_a(body_a):
    return add_body_staff(UserFactory(), body_a)


def test_certifications_at_the_row_cap_are_imported(client, certifier_a, body_a):
    client.force_login(certifier_a)
    page, url = preview(client, body_a, csv_text(*(row(n) for n in range(CAP))))
    assert page.context["plan"].is_valid
    response = client.post(url, {"digest": page.context["digest"]})
    assert response.status_code == 302
    assert Certification.objects.filter(body=body_a).count() == CAP


def test_certifications_one_past_the_row_cap_are_a_form_error(client, certifier_a, body_a):
    client.force_login(certifier_a)
    response = upload(client, body_a, csv_text(*(row(n) for n in range(CAP + 1))))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        f"The file has {CAP + 1} rows. Import at most {CAP} rows at a time: split the file"
    ]
    assert not CertificationImport.objects.exists()


def test_a_certification_file_over_the_byte_cap_is_a_form_error(client, certifier_a, body_a):
    client.force_login(certifier_a)
    big = csv_text(row(1)) + "#" * 20_000
    response = upload(client, body_a, big)
    assert response.context["form"].errors["file"] == [
        "The file is larger than 20 kB. Import at most 20 kB at a time: split the file"
    ]


def test_a_stored_file_over_the_cap_is_neither_previewed_nor_confirmed(
    client, certifier_a, body_a, settings
):
    client.force_login(certifier_a)
    page, url = preview(client, body_a, csv_text(*(row(n) for n in range(CAP))))
    settings.IMPORT_MAX_ROWS = CAP - 1  # lowered after the upload
    for response in (client.get(url), client.post(url, {"digest": page.context["digest"]})):
        assert response.status_code == 302
        assert response["Location"] == UPLOAD
    assert not Certification.objects.exists()
    followed = client.get(UPLOAD)
    assert f"Import at most {CAP - 1} rows at a time" in followed.content.decode()


# Contracts (a commissioner's import)


@pytest.fixture
def commissioner():
    return CommissionerFactory(slug="riverside")


@pytest.fixture
def signed_in(client, commissioner):
    client.force_login(MembershipFactory.of(commissioner).user)
    return client


def contracts_csv(count):
    ServiceProviderFactory(name="Elm House")
    lines = ["reference,service provider,starts on"]
    lines += [f"C-{n},Elm House,2026-04-01" for n in range(count)]
    return "\n".join(lines) + "\n"


def import_url(commissioner):
    return reverse("compliance:contract_import", args=[commissioner.slug])


def test_contracts_at_the_row_cap_are_imported(signed_in, commissioner):
    text = contracts_csv(CAP)
    upload = SimpleUploadedFile("c.csv", text.encode(), content_type="text/csv")
    page = signed_in.post(import_url(commissioner), {"file": upload})
    assert page.context["preview"].is_valid
    done = signed_in.post(import_url(commissioner), {"confirm": "1", "csv": text})
    assert done.status_code == 302
    assert Contract.objects.filter(commissioner=commissioner).count() == CAP


def test_contracts_one_past_the_row_cap_are_a_form_error(signed_in, commissioner):
    text = contracts_csv(CAP + 1)
    upload = SimpleUploadedFile("c.csv", text.encode(), content_type="text/csv")
    response = signed_in.post(import_url(commissioner), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        f"The file has {CAP + 1} rows. Import at most {CAP} rows at a time: split the file"
    ]
    assert response.context["preview"] is None


def test_a_contract_file_over_the_byte_cap_is_a_form_error(signed_in, commissioner):
    upload = SimpleUploadedFile("c.csv", b"reference" + b"x" * 20_000, content_type="text/csv")
    response = signed_in.post(import_url(commissioner), {"file": upload})
    assert "larger than 20 kB" in response.context["form"].errors["file"][0]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(lambda: contracts_csv(CAP + 1), id="rows"),
        pytest.param(lambda: contracts_csv(1) + "#" * 20_000, id="bytes"),
    ],
)
def test_the_confirmation_enforces_the_same_caps(signed_in, commissioner, text):
    response = signed_in.post(import_url(commissioner), {"confirm": "1", "csv": text()})
    assert response.status_code == 200
    assert "Import at most" in " ".join(response.context["preview"].errors)
    assert not Contract.objects.exists()


def test_line_ends_a_browser_adds_do_not_push_a_file_over_the_byte_cap(commissioner, settings):
    text = contracts_csv(CAP)
    settings.IMPORT_MAX_BYTES = len(text.encode())
    assert read_contracts(commissioner, text.replace("\n", "\r\n")).is_valid


@pytest.mark.parametrize(("changed", "refused"), [(2, False), (3, True)])
def test_certifications_changed_are_capped_too(certifier_a, body_a, settings, changed, refused):
    settings.IMPORT_MAX_UPDATES = 2
    importer = importing.Importer(body_a, certifier_a)
    importer.apply(importer.plan(csv_text(*(row(n) for n in range(CAP)))))
    moves = [row(n, status="suspended", reason="Audit") for n in range(changed)]
    plan = importing.Importer(body_a, certifier_a).plan(
        csv_text(*moves, *(row(n) for n in range(changed, CAP)))
    )
    if refused:
        assert [(e.row, str(e.message)) for e in plan.errors] == [
            (
                4,
                "the file changes 3 certifications already on the register. "
                "Change at most 2 at a time: split the file",
            )
        ]
    else:
        assert plan.is_valid
        assert plan.counts["update"] == changed


class LyingUpload:
    """An upload whose declared size is not its real one; records what is read."""

    def __init__(self, content, size):
        self.content, self.size, self.reads = content, size, []

    def read(self, n=-1):
        self.reads.append(n)
        return self.content if n < 0 else self.content[:n]


def test_read_capped_refuses_a_declared_size_over_the_cap_without_reading():
    upload = LyingUpload(b"x", size=20_001)
    with pytest.raises(import_limits.ImportTooLarge):
        import_limits.read_capped(upload)
    assert upload.reads == []


def test_read_capped_reads_at_most_a_byte_past_the_cap_whatever_the_declared_size():
    upload = LyingUpload(b"x" * 50_000, size=10)
    with pytest.raises(import_limits.ImportTooLarge):
        import_limits.read_capped(upload)
    assert upload.reads == [20_001]
    assert import_limits.read_capped(LyingUpload(b"x" * 20_000, size=10)) == b"x" * 20_000


@pytest.mark.parametrize("form", ["certifications", "contracts"])
def test_both_import_forms_read_their_upload_through_read_capped(
    form, monkeypatch, body_a, commissioner
):
    """One mechanism: the forms read no byte of the upload themselves."""
    from certification.forms import CertificationImportForm
    from compliance import commissioner_forms
    from compliance.commissioner_forms import ContractImportForm

    calls = []

    def spy(upload):
        calls.append(upload.name)
        raise import_limits.ImportTooLarge("over the cap")

    monkeypatch.setattr(import_limits, "read_capped", spy)
    monkeypatch.setattr(commissioner_forms, "read_capped", spy, raising=False)
    upload = SimpleUploadedFile("f.csv", b"name\n", "text/csv")
    if form == "certifications":
        bound = CertificationImportForm(
            {"body": body_a.pk}, {"file": upload}, bodies=type(body_a).objects.all()
        )
    else:
        bound = ContractImportForm({}, {"file": upload})
    assert not bound.is_valid()
    assert bound.errors["file"] == ["over the cap"]
    assert calls == ["f.csv"]
