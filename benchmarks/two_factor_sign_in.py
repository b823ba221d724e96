"""The benchmarks' second step of signing in (two-factor sign-in for staff), shared by plan.py,
manager.py, offer.py, worklist.py and suite.py (Flask test clients in this process).

After POST /sign-in a staff member is asked for the 6-digit code from their authenticator app (or, the
first time, to set one up). This does what the person would, for real: the app's code is computed with
pyotp from the account's secret (generated staff use pathway.generate.GENERATED_TWO_FACTOR_KEY; an
account the benchmark made itself sets an app up from the set-up page's key). A code is accepted once,
so a second sign-in in the same 30 seconds uses the next step's code (one step of drift is allowed) and
a third waits for the next step.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime


def _code_for(app, email: str) -> str:
    from pathway.extensions import db
    from pathway.rules import two_factor as rules
    from pathway.services import accounts
    from pathway.services.two_factor import decrypt_secret, record_for

    with app.app_context():
        while True:
            user = accounts.find_user_by_email(email)
            record = record_for(user)
            secret = decrypt_secret(record.secret)
            if secret is None:
                raise RuntimeError(f"{email}: two-factor secret made with another SECRET_KEY; "
                                   "run pathway.generate.enrol_staff_two_factor() with this app first")
            step = rules.time_step(datetime.now(UTC))
            usable = [s for s in (step, step + 1) if record.last_used_step is None or s > record.last_used_step]
            if usable:
                return rules.code_at(secret, usable[0])
            db.session.rollback()
            time.sleep(30 - time.time() % 30 + 0.1)  # both codes used: wait for the next step


def finish_sign_in(app, client, response, email: str):
    """Given the response to POST /sign-in, complete the second step if one is asked for. Returns the
    final response (a 303 to the home page, or the recovery codes page after a first set-up)."""
    location = response.headers.get("Location", "").split("?")[0]
    if response.status_code != 303 or location not in ("/sign-in/code", "/sign-in/set-up-two-factor"):
        return response
    page = client.get(location).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    if location == "/sign-in/code":
        code = _code_for(app, email)
    else:
        from pathway.rules import two_factor as rules

        key = re.search(r'class="app-set-up-key"[^>]*>([A-Z2-7 ]+)<', page)[1].replace(" ", "")
        code = rules.code_at(key, rules.time_step(datetime.now(UTC)))
    return client.post(location, data={"csrf_token": token, "code": code})


def signed_in(response) -> bool:
    """After finish_sign_in: a redirect away from sign-in, or the recovery codes page (signed in)."""
    if response.status_code == 303:
        return not response.headers.get("Location", "").startswith("/sign-in")
    return response.status_code == 200 and "Save your recovery codes" in response.get_data(as_text=True)
