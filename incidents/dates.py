"""Date rules for young people and incidents. Plain Python: no Django imports."""

from datetime import date

ADULT_AGE = 18


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years between a birth date and a day; a 29 February birthday counts from 1 March."""
    had_birthday = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if had_birthday else 1)


def is_young_person_on(date_of_birth: date, day: date) -> bool:
    return age_on(date_of_birth, day) < ADULT_AGE
