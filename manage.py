#!/usr/bin/env python
import os
import sys


def _load_data_arguments(argv: list[str]) -> list[str]:
    """`generate_load_data --settings N` means N settings, but Django reads --settings as the settings
    module before any command sees it; that command takes the count as --setting-count instead."""
    if len(argv) < 2 or argv[1] != "generate_load_data":
        return argv
    return [
        "--setting-count" if arg == "--settings" else arg.replace("--settings=", "--setting-count=", 1)
        for arg in argv
    ]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ysi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(_load_data_arguments(sys.argv))


if __name__ == "__main__":
    main()
