from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from pathway.forms import YoungPersonDetailsForm


class YoungPersonCreateForm(YoungPersonDetailsForm):
    """Add a young person: their names, date of birth and contact details (pass ``today``)."""

    submit = SubmitField("Add young person", widget=GovSubmitInput())
