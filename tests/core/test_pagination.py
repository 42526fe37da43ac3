"""The shared pagination links keep the list's filters."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_page_links_keep_the_filters_of_the_list():
    request = RequestFactory().get("/van-ban/den/", {"q": "công văn", "type": "CV", "page": 2})
    page = Paginator(list(range(60)), 20).page(2)
    html = render_to_string("core/_pagination.html", {"page": page}, request=request)
    assert 'href="?q=c%C3%B4ng+v%C4%83n&amp;type=CV&amp;page=1" rel="prev"' in html
    assert 'href="?q=c%C3%B4ng+v%C4%83n&amp;type=CV&amp;page=3" rel="next"' in html


def test_a_single_page_has_no_links():
    request = RequestFactory().get("/kho-du-lieu/")
    page = Paginator([1, 2], 20).page(1)
    assert render_to_string("core/_pagination.html", {"page": page}, request=request).strip() == ""
