"""When a child protection record may be reviewed for deletion. Plain Python: no Django imports.

Child protection files are kept until the young person's 25th birthday (the age is configurable:
YSI_RETENTION_AGE_YEARS). An incident involving several young people is kept until the last of
them reaches that age. Nothing is ever deleted automatically: the DSL reviews the report.
"""

from datetime import date


def birthday_at(date_of_birth: date, years: int) -> date:
    """The day someone turns `years`; a 29 February birthday falls on 1 March in other years."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return date(date_of_birth.year + years, 3, 1)


def retain_until(dates_of_birth: list[date], years: int) -> date | None:
    """The incident's retention date, or None when no young person is recorded (keep and review)."""
    if not dates_of_birth:
        return None
    return birthday_at(max(dates_of_birth), years)
