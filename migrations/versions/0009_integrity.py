"""integrity: version counters and idempotency keys

Revision ID: 0009_integrity
Revises: 0008_break_glass
Create Date: 2026-11-22 09:40:00

Every editable record has a version counter: About me gets its own (it is the young person's, so
it does not share young_person.version with the adviser's edits), and so do each council setting and
a staff user's teams (user.teams_version). Forms that create a row (a contact,
a claim, a question about the offer, a request for help) store their random form token under a
unique constraint, so the same form posted twice saves one row.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_integrity'
down_revision = '0008_break_glass'
branch_labels = None
depends_on = None


TOKEN_TABLES = ("contact", "claim", "offer_question", "help_request")

# Plain ALTER TABLE ADD/DROP COLUMN and CREATE/DROP INDEX work on SQLite (3.35+) and PostgreSQL alike, so
# no table is rebuilt (a batch rebuild of young_person would copy every row under foreign_keys=ON). The
# form token is unique through a unique index, which SQLite can add to an existing table.


def upgrade():
    op.add_column("young_person", sa.Column("about_me_version", sa.Integer(), server_default="1", nullable=False))
    op.add_column("council_setting", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.add_column("user", sa.Column("teams_version", sa.Integer(), server_default="1", nullable=False))
    for table in TOKEN_TABLES:
        op.add_column(table, sa.Column("form_token", sa.String(length=64), nullable=True))
        op.create_index(op.f(f"ix_{table}_form_token"), table, ["form_token"], unique=True)


def downgrade():
    for table in reversed(TOKEN_TABLES):
        op.drop_index(op.f(f"ix_{table}_form_token"), table_name=table)
        op.drop_column(table, "form_token")
    op.drop_column("user", "teams_version")
    op.drop_column("council_setting", "version")
    op.drop_column("young_person", "about_me_version")
