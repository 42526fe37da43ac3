"""Pages of the service-quality index: the public scoreboard and the leaders' dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def scoreboard(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/scoreboard.html", {})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/dashboard.html", {})
