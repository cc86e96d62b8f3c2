"""The release stamp in every key of kept work: a release never serves what another made."""

from django.core.cache import cache
from django.utils.safestring import mark_safe

from derived.release import release_stamp, source_hash
from pages.content_cache import Content, remember


def kept(text):
    return remember(("release-test",), lambda: Content("Title", mark_safe(text))).html


def test_kept_content_is_not_served_to_another_release(db, settings):
    cache.clear()
    settings.RELEASE = "release-1"
    assert kept("rendered by release 1") == "rendered by release 1"
    assert kept("not rendered again") == "rendered by release 1"

    settings.RELEASE = "release-2"
    assert kept("rendered by release 2") == "rendered by release 2"

    settings.RELEASE = "release-1"
    assert kept("not rendered again") == "rendered by release 1"


def test_without_a_release_name_the_stamp_is_a_hash_of_the_code_and_templates(settings):
    settings.RELEASE = ""
    assert release_stamp() == source_hash(settings.BASE_DIR)


def test_the_source_hash_changes_with_a_template_or_code(tmp_path):
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<p>{{ verdict }}</p>")
    (tmp_path / "app").mkdir()
    code = tmp_path / "app" / "rules.py"
    code.write_text("LIMIT = 30\n")
    first = source_hash(tmp_path)
    assert source_hash(tmp_path) == first

    template.write_text("<p><strong>{{ verdict }}</strong></p>")
    second = source_hash(tmp_path)
    code.write_text("LIMIT = 31\n")

    assert len({first, second, source_hash(tmp_path)}) == 3


def test_the_source_hash_ignores_tests_installed_packages_and_collected_files(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "rules.py").write_text("LIMIT = 30\n")
    first = source_hash(tmp_path)
    for skipped in ("tests", ".venv", "node_modules", "staticfiles"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "x.py").write_text("changed = True\n")
    assert source_hash(tmp_path) == first


def test_counts_and_overview_rows_are_not_served_to_another_release(db, settings):
    """What derived.generation.kept keeps (the register's count, a commissioner's overview
    rows) is keyed on the release too."""
    from derived import generation

    cache.clear()
    settings.RELEASE = "release-1"
    assert generation.kept(("rows",), lambda: "by release 1") == "by release 1"
    assert generation.kept(("rows",), lambda: "not again") == "by release 1"

    settings.RELEASE = "release-2"
    assert generation.kept(("rows",), lambda: "by release 2") == "by release 2"

    settings.RELEASE = "release-1"
    assert generation.kept(("rows",), lambda: "not again") == "by release 1"
