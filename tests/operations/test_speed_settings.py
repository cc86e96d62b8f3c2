"""Production runs with persistent database connections and compiled templates kept."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def production_settings(**overrides):
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("DJANGO_CONN")
    }
    environment.update({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 50, **overrides})
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "db = settings.DATABASES['default']; "
        "print(json.dumps([db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS']]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_keeps_database_connections_with_health_checks():
    assert production_settings() == [60, True]
    assert production_settings(DJANGO_CONN_MAX_AGE="0") == [0, True]


def test_development_opens_a_connection_a_request():
    assert production_settings(DJANGO_DEBUG="true") == [0, True]


def test_templates_are_compiled_once_per_process():
    loaders = engines["django"].engine.template_loaders
    assert len(loaders) == 1 and isinstance(loaders[0], CachedLoader)
