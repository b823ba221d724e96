"""break-glass cover

Revision ID: 0008_break_glass
Revises: 0007_two_factor
Create Date: 2026-11-22 09:40:00

A personal adviser covering for a colleague can open a record outside their caseload by stating a
reason; the grant lasts BREAK_GLASS_HOURS and the team's managers review it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_break_glass'
down_revision = '0007_two_factor'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('break_glass_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('adviser_id', sa.Integer(), nullable=False),
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.Column('allocation_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['adviser_id'], ['user.id'], name=op.f('fk_break_glass_grant_adviser_id_user')),
    sa.ForeignKeyConstraint(['allocation_id'], ['allocation.id'], name=op.f('fk_break_glass_grant_allocation_id_allocation')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_break_glass_grant_reviewed_by_id_user')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_break_glass_grant_team_id_team')),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_person.id'], name=op.f('fk_break_glass_grant_young_person_id_young_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_break_glass_grant'))
    )
    with op.batch_alter_table('break_glass_grant', schema=None) as batch_op:
        batch_op.create_index('ix_break_glass_grant_adviser_allocation', ['adviser_id', 'allocation_id'], unique=False)
        batch_op.create_index('ix_break_glass_grant_team_granted', ['team_id', 'granted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_break_glass_grant_young_person_id'), ['young_person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('break_glass_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_break_glass_grant_young_person_id'))
        batch_op.drop_index('ix_break_glass_grant_team_granted')
        batch_op.drop_index('ix_break_glass_grant_adviser_allocation')

    op.drop_table('break_glass_grant')
