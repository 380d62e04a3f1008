"""The rule on invisible direction controls in names (incidents/text_rules.py), alone and on the models."""

import pytest
from django.core.exceptions import ValidationError

from incidents.models import Setting, User, YoungPerson
from incidents.text_rules import DIRECTION_CONTROLS, direction_controls_in


def test_every_embedding_override_and_isolate_is_found_once_in_order():
    text = "a\u2067b\u202ec\u2067"
    assert direction_controls_in(text) == ["U+2067, right-to-left isolate", "U+202E, right-to-left override"]
    assert len(DIRECTION_CONTROLS) == 9
    for char in DIRECTION_CONTROLS:
        assert direction_controls_in(f"Sam{char}") == [DIRECTION_CONTROLS[char]]


@pytest.mark.parametrize("text", ["Sam O'Neill", "Zo\u00eb", "\u0646\u0648\u0631", "Ana\u200fMar\u00eda", ""])
def test_ordinary_names_and_the_direction_marks_pass(text):
    assert direction_controls_in(text) == []


@pytest.mark.parametrize(
    ("model", "field", "extra"),
    [
        (YoungPerson, "first_name", {"last_name": "Murray"}),
        (YoungPerson, "last_name", {"first_name": "Isla"}),
        (User, "first_name", {"username": "someone"}),
        (User, "last_name", {"username": "someone"}),
        (Setting, "name", {}),
    ],
)
def test_every_shown_name_refuses_them(model, field, extra):
    record = model(**extra, **{field: "Gray\u202eyrruM"})
    with pytest.raises(ValidationError) as refused:
        record.clean_fields()
    assert field in refused.value.message_dict
    assert "U+202E" in refused.value.message_dict[field][0]
