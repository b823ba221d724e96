"""Render a full page, or for htmx just the fragment the page includes."""

from __future__ import annotations

from flask import render_template

from pathway.extensions import htmx


def render_page_or_fragment(page: str, fragment: str, **context) -> str:
    return render_template(fragment if htmx else page, **context)
