"""What a browser would send for a form on a page: every field with the value the page gave it.

Used by the concurrency and double-posting tests, which must post the hidden fields (the version,
the form token) exactly as the page rendered them.
"""

from __future__ import annotations

from tests.helpers import Page


def post_form(page: Page, *, action: str | None = None):
    """The page's POST form (the one posting to ``action``, if given; else the first with fields)."""
    forms = [f for f in page.soup.find_all("form") if (f.get("method") or "get").lower() == "post"]
    if action is not None:
        wanted = [f for f in forms if (f.get("action") or page.response.request.path).split("?")[0].split("#")[0]
                  == action]
        assert wanted, f"no form posting to {action} on {page.response.request.path}"
        return wanted[0]
    forms = [f for f in forms if f.find(["input", "textarea", "select"], attrs={"name": lambda n: n not in (None, "csrf_token")})]
    assert forms, f"no POST form on {page.response.request.path}"
    return forms[0]


def form_data(page: Page, *, action: str | None = None) -> dict[str, str | list[str]]:
    """The fields of the form as a browser would send them (checked boxes only, selected options)."""
    form = post_form(page, action=action)
    data: dict[str, list[str]] = {}

    def add(name, value):
        data.setdefault(name, []).append(value)

    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "textarea":
            add(name, field.get_text())
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            add(name, chosen.get("value", chosen.get_text()) if chosen else "")
        else:
            kind = (field.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio") and not field.has_attr("checked"):
                continue
            add(name, field.get("value", "on" if kind in ("checkbox", "radio") else ""))
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}
