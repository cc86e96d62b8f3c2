#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.argv[1:2] == ["makemigrations"]:
        # Writing or checking migrations reads the models only, never the secret key: let
        # it run on a fresh checkout. Every other command still needs DJANGO_SECRET_KEY
        # unless DJANGO_DEBUG=true (config/settings.py).
        os.environ.setdefault("DJANGO_DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
