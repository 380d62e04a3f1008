"""Help text that quotes the policy guidance (shared/reference/ypsi-policy-guidance.txt)."""


def cited(text: str, section: str) -> str:
    """The policy's own words, in curly quotes inside `text`, with the section they come from."""
    return f"{text} (Policy guidance, \u2018{section}\u2019.)"
