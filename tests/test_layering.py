"""The apps' layers: a module imports only apps of its own layer or below (every import,
also those inside functions), so infrastructure every app uses stays below them all.

From the bottom (DESIGN.md § Layout, where models depend one way, standards ← providers ←
certification ← compliance):

- `derived`: derived data's infrastructure (the one writer, the data generations, versions,
  the release stamp); each app registers its own models with it, so it imports none;
- `operations`: running the service (client addresses, upload limits, logs, backups);
- `accounts`: the user and memberships (organisations named by string);
- `pages`: the page toolkit every app's pages use (GOV.UK forms and dates, kept content,
  streamed downloads, template tags);
- `standards`, then the register (`providers` and `certification`, one layer: a provider's
  headline is its certifications' verdict, and the register's pages in providers show it),
  then `compliance`, then `api` and `config` on top.

Pages "sit on top and may read any app's models" (DESIGN.md): the few page modules that do
read an app above their own are listed in PAGES_ON_TOP with why, so a new upward import fails
here until it is moved down or named.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = (
    {"derived"},
    {"operations"},
    {"accounts"},
    {"pages"},
    {"standards"},
    {"providers", "certification"},
    {"compliance"},
    {"api"},
    {"config"},
)
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}
PAGES_ON_TOP = {
    ("pages/views.py", "certification"): "the start page says when the register last changed",
    ("providers/follow_views.py", "compliance"): "following a provider from its public page",
    ("certification/corrections.py", "config"): "an admin page, with the admin site's widgets",
}


def imported_apps(path):
    """(app, line) for every project app a module imports (relative imports stay in it)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module]
        else:
            continue
        for name in names:
            app = name.split(".")[0]
            if app in LEVEL:
                yield app, node.lineno


def upward_imports():
    for app, level in LEVEL.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:  # tests/operations/test_migration_upgrade.py
                continue
            for imported, line in imported_apps(path):
                if LEVEL[imported] > level:
                    yield str(path.relative_to(ROOT)), imported, line


def test_no_module_imports_an_app_above_its_own():
    found = {(path, imported): line for path, imported, line in upward_imports()}
    unexplained = [
        f"{path}:{line} imports {imported}"
        for (path, imported), line in found.items()
        if (path, imported) not in PAGES_ON_TOP
    ]
    assert not unexplained, "imports of an app above the module's own:\n" + "\n".join(unexplained)
    assert not set(PAGES_ON_TOP) - set(found), "PAGES_ON_TOP names an import no longer made"


def test_derived_data_infrastructure_imports_no_app():
    imports = [
        (str(path.relative_to(ROOT)), app)
        for path in (ROOT / "derived").rglob("*.py")
        for app, _line in imported_apps(path)
        if app != "derived"
    ]
    assert imports == []


def test_every_project_app_has_a_layer():
    apps = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "bench"}
    }
    assert apps == set(LEVEL)


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from compliance import models\n", encoding="utf-8")
    assert list(imported_apps(module)) == [("compliance", 2)]
