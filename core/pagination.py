"""Page numbers and page links shared by the filtered lists and the search drill-down.

A page parameter is read forgivingly: anything but a plain number, or a number out of range,
shows the nearest page, and the caller adds a note. Page 1 is the address without a number.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator

PAGE_PARAM = "seite"
PAGE_NUMBER_RE = re.compile(r"0*[1-9][0-9]{0,5}")  # ASCII digits only; int("²") would fail


def page_number(raw):
    """The page number in ``raw`` if it is a plain positive number, else None."""
    return int(raw) if PAGE_NUMBER_RE.fullmatch(raw) else None


def nearest_page(raw, num_pages):
    """The page ``raw`` points to, clamped to 1…num_pages; 1 for anything but a number."""
    return min(page_number(raw) or 1, num_pages)


def page_for(paginator, raw):
    """(page, moved): the page ``raw`` (a stripped GET value) asks for, or the nearest one;
    ``moved`` is true when ``raw`` named no existing page, so the caller adds a note."""
    page = paginator.page(nearest_page(raw, paginator.num_pages))
    return page, bool(raw) and page_number(raw) != page.number


@dataclass
class PageLinks:
    previous: str | None
    next: str | None
    pages: list  # [(number, address), …]; (ellipsis, None) for a gap


def page_links(page, url_for: Callable[[int], str]):
    """Addresses for the pagination of ``page``; ``url_for(number)`` builds one address."""
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=1)
    return PageLinks(
        previous=url_for(page.number - 1) if page.has_previous() else None,
        next=url_for(page.number + 1) if page.has_next() else None,
        pages=[(n, None if n == Paginator.ELLIPSIS else url_for(n)) for n in numbers],
    )
