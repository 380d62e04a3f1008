"""Addresses that take one code (an incident's page, a report's acknowledgement), built without a
URL reversal for each row of a long list.

A reversal costs about as much as the rest of a table row; the dashboard and the incident list link
a hundred or more records on every visit. Each address is reversed once for a placeholder code (per
view, script prefix and URL configuration) and the row's code put in its place.
"""

import uuid
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

_PLACEHOLDER = str(uuid.UUID(int=0))


@lru_cache(maxsize=64)
def _pattern(view_name: str, script_prefix: str, urlconf: str | None) -> str:
    return reverse(view_name, args=[_PLACEHOLDER], urlconf=urlconf)


def path_with_code(view_name: str, code: uuid.UUID | str) -> str:
    """`reverse(view_name, args=[code])` for a view whose only argument is a code."""
    return _pattern(view_name, get_script_prefix(), get_urlconf()).replace(_PLACEHOLDER, str(code))


def incident_detail_path(code: uuid.UUID | str) -> str:
    return path_with_code("incidents:incident_detail", code)


@receiver(setting_changed)
def _forget_patterns(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _pattern.cache_clear()
