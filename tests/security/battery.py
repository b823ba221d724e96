"""The pieces of the bad-input battery: nasty values, reading forms off pages, posting them raw,
and checking that what was stored renders inert."""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote, urljoin, urlsplit

from bs4 import BeautifulSoup

from pathway.extensions import db
from pathway.services import page_cache

MARK = "zq7"  # in every markup payload, to tell the payload apart from the app's own markup

# Values for any text-like field (input, textarea, hidden, select and radio values too: a tampered post).
LENGTH_PAYLOADS = {
    "empty": "",
    "spaces": "   ",
    "1MB": "x" * 1_000_000,
}
CHARACTER_PAYLOADS = {
    "nul": "a\x00b",
    "crlf": "line one\r\nline two\rline three",
    "rtl-override": "invoice\u202eexe.pdf",
    "zero-width": "Jor\u200bdan\u200d\ufeff",
    "combining": "Z\u0351\u0364\u0300a\u0301\u0302l\u0303\u0304go",
    "emoji": "\U0001f3e0 \U0001f469\u200d\U0001f469\u200d\U0001f467 \U0001f1ec\U0001f1e7",
    "lone-surrogate": "a\ud800b",  # sent as the raw bytes %ED%A0%80: invalid UTF-8
}
MARKUP_PAYLOADS = {
    "script": f"<script>window.{MARK}=1</script>",
    "svg-onload": f'"><svg onload=alert("{MARK}")>',
    "javascript-url": f"javascript:alert('{MARK}')",
    "hx-attribute": f'<a hx-get="/admin/users" hx-trigger="load" data-{MARK}="1">x</a>',
    "template": f"{{{{7*7}}}}{MARK}",
}
INJECTION_PAYLOADS = {
    "sql-quote": "O'Brien'; DROP TABLE young_person; --",
    "sql-meta": '" OR 1=1 -- %_\\',
    "formula-equals": f"=HYPERLINK(\"http://evil.example/{MARK}\")",
    "formula-plus": "+1+1",
    "formula-minus": "-2+3",
    "formula-at": "@SUM(1+1)",
}
TEXT_GROUPS = {
    "lengths": LENGTH_PAYLOADS,
    "characters": CHARACTER_PAYLOADS,
    "markup": MARKUP_PAYLOADS,
    "injection": INJECTION_PAYLOADS,
}
MONEY_PAYLOADS = {name: v for name, v in {
    "minus-one": "-1", "zero": "0", "tenth-of-a-penny": "0.001", "overflow": "1e309", "nan": "NaN",
    "pound-and-comma": "£1,000", "infinity": "inf", "huge": "9" * 40, "hex": "0x10", "arabic-digits": "\u0661\u0660",
}.items()}
NUMBER_PAYLOADS = {
    "minus-one": "-1", "zero": "0", "fraction": "1.5", "overflow": "1e309", "nan": "NaN", "huge": "9" * 40,
}


def date_payloads(today: date) -> dict[str, tuple[str, str, str]]:
    """Impossible and boundary dates as (day, month, year) text."""

    def years_ago(n: int) -> date:
        try:
            return today.replace(year=today.year - n)
        except ValueError:  # 29 February
            return today.replace(year=today.year - n, day=28)

    values = {
        "29-feb-leap": (29, 2, 2024), "29-feb-not-leap": (29, 2, 2025), "31-april": (31, 4, 2026),
        "year-0001": (1, 1, 1), "year-9999": (31, 12, 9999), "zeros": (0, 0, 0), "day-32-month-13": (32, 13, 2026),
    }
    for age in (16, 18, 21, 25):
        d = years_ago(age)
        values[f"turned-{age}-today"] = (d.day, d.month, d.year)
    out = {name: (str(d), str(m), f"{y:04d}") for name, (d, m, y) in values.items()}
    out.update({
        "negative": ("-1", "-1", "-2026"), "words": ("first", "May", "twenty"), "two-digit-year": ("1", "1", "26"),
        "huge-year": ("1", "1", "9" * 30), "huge-day": ("9" * 12, "1", "2026"), "huge-month": ("1", "9" * 12, "2026"), "script-in-day": (f"<script>{MARK}</script>", "1", "2026"),
        "partial": ("1", "", ""), "nul": ("1\x00", "1", "2026"),
    })
    return out


@dataclass
class FormField:
    name: str
    kind: str  # text, date, money, number, choice, hidden, checkbox
    maxlength: int | None = None
    value: object = ""  # str, or (day, month, year) for a date


@dataclass
class FormSpec:
    action: str
    fields: list[FormField] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)  # submit buttons' name=value

    def names(self) -> list[str]:
        return [f.name for f in self.fields]


def _plausible(name: str, kind: str, today: date) -> object:
    """A value a person might type, so that the untouched fields of a form are valid."""
    n = name.lower()
    if "time" in n:
        return "10:30"
    if kind == "date":
        if "birth" in n:
            d = date(today.year - 17, today.month, min(today.day, 28))
        elif "start" in n or "held" in n:
            d = date(today.year - 1, today.month, min(today.day, 28))
        else:
            d = today
        return (str(d.day), str(d.month), str(d.year))
    if kind == "money":
        return "10.00"
    if kind == "number":
        return "25" if ("under" in n or n.endswith("_to")) else "16" if "from" in n else "1"
    if "email" in n:
        return "someone@northshire.gov.uk"
    if "current" in n:
        from tests.factories import PASSWORD

        return PASSWORD
    if "password" in n or "confirm" in n:
        return "a-long-enough-password-2026"
    if "phone" in n or "reach" in n:
        return "07700 900123"
    if "postcode" in n:
        return "TS1 1AA"
    if "district" in n:
        return "TS1-TS8"
    if "slug" in n:
        return "battery-test"
    return "Some ordinary text"


def parse_forms(html: str, page_url: str, today: date) -> list[FormSpec]:
    """Every POST form on a page, with a valid-looking default for each field."""
    soup = BeautifulSoup(html, "html.parser")
    forms = []
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        action = urljoin(page_url, form.get("action") or page_url)
        spec = FormSpec(action=urlsplit(action).path + (f"?{urlsplit(action).query}" if urlsplit(action).query else ""))
        seen: dict[str, FormField] = {}
        for tag in form.find_all(["input", "textarea", "select", "button"]):
            name = tag.get("name")
            if not name or name == "csrf_token":
                continue
            if tag.name == "button" or (tag.name == "input" and tag.get("type") in ("submit", "image", "button")):
                if tag.get("value") is not None and name not in seen and all(n != name for n, _ in spec.extra):
                    spec.extra.append((name, tag.get("value")))
                continue
            kind, value = "text", tag.get("value", "")
            itype = (tag.get("type") or "text").lower()
            classes = tag.get("class") or []
            if tag.name == "textarea":
                value = tag.get_text()
            elif tag.name == "select":
                options = [o.get("value", o.get_text()) for o in tag.find_all("option")]
                chosen = [o.get("value", o.get_text()) for o in tag.find_all("option") if o.has_attr("selected")]
                kind, value = "choice", ([c for c in chosen if c] or [o for o in options if o not in ("", "0")]
                                         or [""])[0]
            elif itype == "radio":
                if name in seen:
                    if tag.has_attr("checked") or not seen[name].value:
                        seen[name].value = tag.get("value", "on")
                    continue
                kind, value = "choice", tag.get("value", "on")
            elif itype == "checkbox":
                if name in seen:
                    if tag.has_attr("checked") and seen[name].value in ("", None):
                        seen[name].value = tag.get("value", "on")
                    continue
                kind, value = "checkbox", tag.get("value", "on") if tag.has_attr("checked") else ""
            elif itype == "hidden":
                kind = "hidden"
            elif "govuk-date-input__input" in classes:
                if name in seen:
                    seen[name].value = (*seen[name].value, value)
                    continue
                kind, value = "date", (value,)
            elif tag.get("inputmode") == "decimal":
                kind = "money"
            elif tag.get("inputmode") == "numeric" or itype == "number":
                kind = "number"
            maxlength = int(tag["maxlength"]) if tag.get("maxlength", "").isdigit() else None
            seen[name] = FormField(name=name, kind=kind, maxlength=maxlength, value=value)
            spec.fields.append(seen[name])
        for f in spec.fields:
            if f.kind == "checkbox" and not f.value:
                # No box ticked: tick "none" if the group has one (an exclusive answer), else the first.
                boxes = form.find_all("input", attrs={"type": "checkbox", "name": f.name})
                values = [b.get("value", "on") for b in boxes]
                f.value = next((v for v in values if v.lower() in ("none", "no", "no_new_risks")), values[0])
            if f.kind == "date":
                f.value = tuple((list(f.value) + ["", "", ""])[:3])
                if not any(f.value):
                    f.value = _plausible(f.name, "date", today)
            elif f.kind in ("text", "money", "number") and not str(f.value).strip():
                f.value = _plausible(f.name, f.kind, today)
            elif f.kind == "text" and "confirm" in f.name.lower():
                f.value = _plausible(f.name, f.kind, today)
        forms.append(spec)
    return forms


def encode(pairs: list[tuple[str, object]]) -> str:
    """A urlencoded body, as a browser sends it. A lone surrogate cannot be encoded as UTF-8: it goes
    as the raw bytes it would have (\ud800 -> %ED%A0%80), so the server receives invalid UTF-8."""

    def q(text: object) -> str:
        return quote(str(text).encode("utf-8", "surrogatepass"), safe="")

    return "&".join(f"{q(name)}={q(value)}" for name, value in pairs)


def pairs_for(spec: FormSpec, replace: dict[str, object] | None = None) -> list[tuple[str, object]]:
    """The form's defaults, with some fields replaced (a date field takes a (day, month, year) tuple
    or one text value put in all three boxes)."""
    replace = replace or {}
    pairs: list[tuple[str, object]] = []
    for f in spec.fields:
        value = replace.get(f.name, f.value)
        if f.kind == "checkbox" and f.name not in replace and not value:
            continue
        if isinstance(value, tuple):
            pairs.extend((f.name, v) for v in value)
        elif f.kind == "date":
            pairs.extend((f.name, value) for _ in range(3))
        else:
            pairs.append((f.name, value))
    pairs.extend(spec.extra[:1])
    return pairs


def max_length_for(app, endpoint: str, field_name: str) -> int | None:
    """The Length(max=) on a WTForms field of the view's form, when it can be found from the
    form classes in the view's module (the HTML maxlength attribute is used first)."""
    from flask_wtf import FlaskForm
    from wtforms.validators import Length

    module = __import__(app.view_functions[endpoint].__module__, fromlist=["*"])
    candidates = [getattr(module, n) for n in dir(module)]
    pkg = module.__name__.rsplit(".", 1)[0]
    for sub in ("forms",):
        try:
            forms_module = __import__(f"{pkg}.{sub}", fromlist=["*"])
            candidates += [getattr(forms_module, n) for n in dir(forms_module)]
        except ImportError:
            pass
    best = None
    for cls in candidates:
        if not (isinstance(cls, type) and issubclass(cls, FlaskForm)):
            continue
        unbound = getattr(cls, field_name, None)
        kwargs = getattr(unbound, "kwargs", None) or {}
        validators = kwargs.get("validators") or (unbound.args[1] if unbound is not None and len(getattr(unbound, "args", ())) > 1 else [])
        for v in validators or []:
            if isinstance(v, Length) and v.max and v.max > 0:
                best = max(best or 0, v.max)
    return best


# --- Finding and posting forms ----------------------------------------------------------------

# Pages that hold the form of a POST-only route, when it is not on a page above it in the URL.
HOST_PAGES = {
    "adviser.answer_offer_question": "/caseload",
    "auth.sign_out": "/account",
}
# Field names used when a route's form cannot be found on any page.
PLAUSIBLE_FIELDS = ["note", "reason", "name", "version", "team_ids"]


@contextmanager
def rolled_back(connection):
    """Run one request in a savepoint that is rolled back after the checks: every post starts from
    the same world."""
    db.session.commit()  # the test's session only reads: end its savepoint so it is not rolled back below
    db.session.remove()
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        db.session.remove()
        if savepoint.is_active:
            savepoint.rollback()
        # The rollback takes the page cache's version counters back too: forget pages rendered meanwhile.
        page_cache.clear()


def rule_for(app, endpoint: str):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    return rules[0]


def _parents(path: str) -> list[str]:
    parts = path.rstrip("/").split("/")
    return ["/".join(parts[:n]) or "/" for n in range(len(parts) - 1, 0, -1)]


def find_form(client, endpoint: str, url: str, rule, today: date) -> tuple[FormSpec | None, str | None]:
    """The form that posts to ``url``, read off the page that shows it: the route's own page, a page
    named in HOST_PAGES, or the first page above it in the URL that has it."""
    candidates = []
    if "GET" in rule.methods:
        candidates.append(url)
    if endpoint in HOST_PAGES:
        candidates.append(HOST_PAGES[endpoint])
    candidates += _parents(urlsplit(url).path)
    for page_url in candidates:
        response = client.request("get", page_url)
        if response.status_code >= 500 or response.mimetype != "text/html":  # (a 410 page may offer a form)
            continue
        forms = parse_forms(response.get_data(as_text=True), page_url, today)
        for form in forms:
            if urlsplit(form.action).path == urlsplit(url).path:
                return form, page_url
    return None, None


def plausible_form(url: str) -> FormSpec:
    return FormSpec(action=url, fields=[FormField(name=n, kind="text", value="Some ordinary text")
                                                for n in PLAUSIBLE_FIELDS])


def needs_fresh_client(response, *, signed_in: bool) -> bool:
    """Sent to sign in, or the CSRF token no longer matches the session: the client's session ended."""
    if response.status_code in (302, 303):
        return signed_in and urlsplit(response.headers.get("Location", "")).path == "/sign-in"
    return response.status_code == 400 and "was open for too long" in response.get_data(as_text=True)


def post(client, url: str, pairs, *, token: str | None, headers: dict | None = None):
    """Post the pairs (and a csrf_token field unless token is None) as a browser would, urlencoded."""
    body = encode(([("csrf_token", token)] if token is not None else []) + list(pairs))
    return client.request("post", url, data=body, content_type="application/x-www-form-urlencoded",
                          headers=headers or {})


# --- Inert rendering ---------------------------------------------------------------------------

_HX_ATTR = re.compile(r"^hx-|^data-hx-")


def live_payload(html: str) -> list[str]:
    """Live markup that came from a payload (it carries MARK): a script, an event handler,
    an htmx attribute, a javascript: link, or a template expression that was evaluated."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for script in soup.find_all("script"):
        if MARK in (script.string or "") or MARK in str(script.get("src", "")):
            found.append(f"script: {str(script)[:120]}")
    for tag in soup.find_all(True):
        attrs = tag.attrs
        if f"data-{MARK}" in attrs:
            found.append(f"element made from payload markup: <{tag.name} {attrs}>")
        for name, value in attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") and MARK in text:
                found.append(f"event handler {name}={text[:80]}")
            if _HX_ATTR.match(name) and MARK in " ".join(f"{k}={v}" for k, v in attrs.items()):
                found.append(f"htmx attribute {name}={text[:80]}")
            if name in ("href", "src", "action", "formaction") and text.strip().lower().startswith("javascript:"):
                found.append(f"javascript URL {name}={text[:80]}")
        if tag.name == "svg" and "onload" in attrs:
            found.append("svg with onload")
    if f"49{MARK}" in html:
        found.append("template expression {{7*7}} was evaluated")
    return found
