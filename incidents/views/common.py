from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest

PAGE_SIZE = 50
# Lists that can grow with a whole trust or local authority count their matches only up to here, so a
# page never costs a COUNT over every row the reader can see: "more than 1000 found" is enough to
# know the search needs narrowing.
COUNT_CAP = 1000


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's validation errors on the form's own fields where it has them."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


@dataclass(frozen=True)
class ListPage:
    """One page of a long list, read with LIMIT/OFFSET and no full count (see `paginate_capped`)."""

    object_list: list
    number: int
    has_next: bool
    count: int
    count_capped: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(request: HttpRequest) -> int:
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        return 1
    return min(max(number, 1), 100_000)


def paginate_capped(request: HttpRequest, items: QuerySet, per_page: int | None = None,
                    cap: int | None = None) -> ListPage:
    """A page of `items` in two queries whatever their number: the rows (one more than a page, to
    know whether another follows) and a count that stops at `cap`, so neither reads more than
    `cap` rows past the page however many the reader can see. On the last page the rows are the
    count, and there is no second query."""
    per_page = per_page or PAGE_SIZE
    cap = cap or COUNT_CAP
    number = _page_number(request)
    start = (number - 1) * per_page
    rows = list(items[start : start + per_page + 1])
    has_next = len(rows) > per_page
    if not has_next and (rows or number == 1):
        # The last page, and it is not past the end: the rows say how many there are.
        count = start + len(rows)
    else:
        # Counting needs no order: the database may stop at any `cap + 1` rows.
        count = items.order_by()[: cap + 1].count()
    return ListPage(
        object_list=rows[:per_page],
        number=number,
        has_next=has_next,
        count=min(count, cap),
        count_capped=count > cap,
    )
