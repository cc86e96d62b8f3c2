"""No process keeps, in its own memory, anything another process may change: everything kept
lives in Django's cache under the data generation read from the database (derived.generation).

What a process may keep: what its code is (the release stamp, a hash of the files under it)
and registries of functions filled in at start-up, listed here with why. A new memoizing
decorator, or a module-level dict, list or set, fails this test until it is moved into the
cache or named below.
"""

import ast
from pathlib import Path

from tests.test_layering import LEVEL, ROOT

MEMOIZERS = {"cache", "lru_cache", "cached_property"}
ALLOWED_MEMOIZED = {
    ("derived/release.py", "release_stamp"): "the code under the process, not data",
    ("certification/calendar.py", "months_after"): "a pure function of two dates, not data",
}
ALLOWED_MODULE_STATE = {
    ("derived/writer.py", "_writers"): "each kind's writing function, registered at start-up",
    ("derived/versions.py", "_kinds"): "each kind of stored derived data, registered at start-up",
}
MUTABLE = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)


def _decorator_name(node):
    node = node.func if isinstance(node, ast.Call) else node
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)


def process_state():
    for app in LEVEL:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = str(path.relative_to(ROOT))
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                    _decorator_name(d) in MEMOIZERS for d in node.decorator_list
                ):
                    yield "memoized", name, node.name
            for node in tree.body:  # module level only
                if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, MUTABLE):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        # A constant (UPPER_CASE, _UPPER_CASE) is not state; a private
                        # lower-case container, written to at run time, is.
                        if (
                            isinstance(target, ast.Name)
                            and target.id.startswith("_")
                            and not target.id.lstrip("_").isupper()
                        ):
                            yield "module state", name, target.id


def test_no_process_keeps_data_another_process_may_change():
    found = [
        (kind, path, name)
        for kind, path, name in process_state()
        if (path, name) not in {**ALLOWED_MEMOIZED, **ALLOWED_MODULE_STATE}
    ]
    assert found == []


def test_the_check_sees_a_memoized_function_and_module_state(tmp_path, monkeypatch):
    package = tmp_path / "derived"
    package.mkdir()
    (package / "m.py").write_text(
        "import functools\n_seen = {}\n@functools.lru_cache\ndef count():\n    return 1\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("tests.derived.test_no_process_caches.ROOT", Path(tmp_path))
    monkeypatch.setattr("tests.derived.test_no_process_caches.LEVEL", {"derived": 0})
    assert sorted(process_state()) == [
        ("memoized", "derived/m.py", "count"),
        ("module state", "derived/m.py", "_seen"),
    ]
