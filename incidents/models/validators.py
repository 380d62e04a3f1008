from django.core.exceptions import ValidationError

from incidents.text_rules import direction_controls_in


def refuse_direction_controls(value: str) -> None:
    """Names are shown in lists, exports and PDFs as typed: nothing invisible may reorder them."""
    found = direction_controls_in(value or "")
    if found:
        raise ValidationError(
            "This contains an invisible character that changes the direction of the text after it (%(which)s), "
            "so the name would show differently from how it is stored. Type the name again without it.",
            code="direction_control",
            params={"which": "; ".join(found)},
        )
