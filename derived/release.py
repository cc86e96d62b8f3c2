"""The release stamp: which version of the code and templates rendered or worked something out.

It goes into the key of every piece of kept work (pages' rendered content, the register's
count and filter lists), so a release that changes a template, a rule or a style never serves
what an older release produced, even from a cache the releases share (Redis).

`DJANGO_RELEASE` (settings.RELEASE) names the release, e.g. the git commit the deploy built;
without it, the stamp is a hash of the project's own code, templates and styles as they are on
disk (the release's files, whether or not there is a git checkout), worked out once per
process: code does not change under a running process.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings

# What decides the output: the apps' code and templates, the project's templates and
# styles, and the pinned front-end packages. Tests, the bench and installed packages do not.
# staticfiles: collectstatic's copies (of static/ and the packages), there or not.
SKIPPED_DIRS = {
    ".venv",
    "node_modules",
    "build",
    "staticfiles",
    "tests",
    "bench",
    "media",
    "backups",
}
SUFFIXES = {".py", ".html", ".txt", ".xml", ".scss", ".js", ".svg", ".yaml"}
EXTRA_FILES = ("package-lock.json", "pyproject.toml")


@functools.cache
def release_stamp():
    return settings.RELEASE or source_hash(Path(settings.BASE_DIR))


def source_hash(root):
    """A short hash of the files under `root` that decide what the service outputs."""
    digest = hashlib.sha256()
    for path in sorted(_source_files(root)):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _source_files(root):
    for path in root.iterdir():
        if path.name.startswith(".") or path.name in SKIPPED_DIRS:
            continue
        if path.is_dir():
            yield from _walk(path)
        elif path.name in EXTRA_FILES:
            yield path


def _walk(directory):
    for path in directory.rglob("*"):
        if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
            yield path


def forget_release_stamp(setting, **kwargs):
    """setting_changed (tests overriding RELEASE): work the stamp out again."""
    if setting in ("RELEASE", "BASE_DIR"):
        release_stamp.cache_clear()
