"""page cache version counters

Revision ID: 0011_cache_version
Revises: 0010_rights
Create Date: 2026-11-22 09:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_cache_version'
down_revision = '0010_rights'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cache_version',
    sa.Column('key', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_cache_version'))
    )


def downgrade():
    op.drop_table('cache_version')
