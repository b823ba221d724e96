"""render_pdf(html) -> bytes: WeasyPrint behind one function.

Every PDF the service makes is PDF/UA-1 (tagged, so screen readers can read it) and names its
language. Nothing is fetched from outside: only data: URLs load, so text a user typed can
never make the server read a file or call a URL, even if it reached the HTML unescaped.
"""

from __future__ import annotations

DEFAULT_LANGUAGE = "en-GB"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render an HTML document to PDF/UA-1 bytes.

    The document language comes from ``<html lang>``; without one it is en-GB. The title
    comes from ``<title>``.
    """
    # WeasyPrint is imported here, not at start-up: it is only needed when someone downloads a PDF.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=5)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(**PDF_OPTIONS)
    if not document.metadata.lang:
        document.metadata.lang = DEFAULT_LANGUAGE
    return document.write_pdf(**PDF_OPTIONS)
