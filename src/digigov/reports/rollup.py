"""The rollup behind ``compute_index(method="fast")`` (being written)."""

from __future__ import annotations


def counts_fast(scope, period, resolved):
    from .index import counts_direct

    return counts_direct(scope, period, resolved)
