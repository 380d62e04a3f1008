"""Characters a name must not hold. Plain Python, so the rule can be read and tested alone.

Unicode's direction controls (embeddings, overrides and isolates) are invisible and reorder the text
after them: a name holding U+202E (right-to-left override) is stored as one thing and shown as
another, in every list, export and PDF, and the same name typed again would not find it. Names in
right-to-left scripts need none of them: the browser and the PDF lay those out from the letters
themselves. (The marks U+200E and U+200F, which only nudge neutral characters, stay allowed.)
"""

DIRECTION_CONTROLS = {
    "\u202a": "U+202A, left-to-right embedding",
    "\u202b": "U+202B, right-to-left embedding",
    "\u202c": "U+202C, pop directional formatting",
    "\u202d": "U+202D, left-to-right override",
    "\u202e": "U+202E, right-to-left override",
    "\u2066": "U+2066, left-to-right isolate",
    "\u2067": "U+2067, right-to-left isolate",
    "\u2068": "U+2068, first strong isolate",
    "\u2069": "U+2069, pop directional isolate",
}


def direction_controls_in(text: str) -> list[str]:
    """The direction controls in `text`, described, in the order they first appear."""
    found = dict.fromkeys(char for char in text if char in DIRECTION_CONTROLS)
    return [DIRECTION_CONTROLS[char] for char in found]
