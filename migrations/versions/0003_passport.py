"""passport to independence: the council's list of skills and documents, and young people's answers

Seeds the typical list from ../shared/DOMAIN.md so every install starts with it; councils edit it
from Administration > Passport items.

Revision ID: 0003_passport
Revises: 0002_plans
Create Date: 2026-11-22 04:06:06.294195

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_passport'
down_revision = '0002_plans'
branch_labels = None
depends_on = None


# The typical passport (DOMAIN.md "Passport to independence"). Frozen here, as data, so this
# migration means the same thing whenever it runs: (group, title, hint, is_document).
DEFAULT_ITEMS = [
    ("money", "Open and use a bank account", "You have a bank account and a debit card, and you can check your balance.", False),
    ("money", "Make a budget", "You know what money comes in and goes out each week or month.", False),
    ("money", "Pay bills", "You can pay rent, energy and phone bills on time, for example by direct debit.", False),
    ("money", "Understand credit and debt", "You know how loans, credit cards and buy now pay later work, and where to get help with debt.", False),
    ("money", "Claim benefits", "You know how to claim Universal Credit. You can start a claim up to 28 days before you turn 18.", False),
    ("money", "Get your Junior ISA", "You know about the savings account set up for you while you were in care and how to take the money out at 18.", False),
    ("documents", "Birth certificate", "Your full birth certificate, or a copy of it.", True),
    ("documents", "Passport", "A UK passport or the passport of another country.", True),
    ("documents", "National Insurance number", "Your National Insurance number, on a letter from HMRC or in your HMRC app.", True),
    ("documents", "Provisional driving licence", "You can also use it as photo ID.", True),
    ("documents", "Immigration status", "Proof of your right to live in the UK, for example your eVisa or share code.", True),
    ("documents", "Letter confirming you are a care leaver", "A letter from the council saying you are a care leaver. You may need it for bursaries, benefits and council tax.", True),
    ("home", "Do a weekly food shop", "You can plan and buy food for a week within your budget.", False),
    ("home", "Cook a meal", "You can cook a simple, healthy meal from scratch.", False),
    ("home", "Do your laundry", "You can wash, dry and iron your clothes.", False),
    ("home", "Keep your home clean", "You know how to keep your kitchen and bathroom clean and safe.", False),
    ("home", "Meters and utilities", "You can read your gas, electricity and water meters and set up your energy account.", False),
    ("home", "Know your tenancy rights", "You know what your tenancy agreement says and what your landlord must do.", False),
    ("home", "Contents insurance", "You know what contents insurance covers and have it if you need it.", False),
    ("home", "TV licence", "You know when you need a TV licence and how to buy one.", False),
    ("health", "Registered with a GP", "You are registered with a doctor's surgery near where you live.", False),
    ("health", "Registered with a dentist", "You are registered with an NHS dentist.", False),
    ("health", "Manage your medication", "You know how to get repeat prescriptions and take your medicine.", False),
    ("health", "Sexual health services", "You know where your local sexual health clinic is and how to get contraception.", False),
    ("health", "Mental health support", "You know where to get help with your mental health, including in a crisis.", False),
    ("work_learning", "Write a CV", "You have a CV you can send to employers.", False),
    ("work_learning", "Fill in applications", "You can apply for jobs, courses and apprenticeships.", False),
    ("work_learning", "Know about bursaries", "You know about the bursaries for care leavers in education, training and apprenticeships.", False),
    ("relationships_safety", "Have a support network", "You know who you can call on when you need help.", False),
    ("relationships_safety", "Family time", "You know how to keep in touch with the family you want to see.", False),
    ("relationships_safety", "Keeping safe", "You know how to stay safe at home, online and in relationships, and who to tell if you are not.", False),
    ("civic", "Register to vote", "You are on the electoral register. You can register from age 16.", False),
]


def seed_default_items():
    items = sa.table(
        "passport_item",
        sa.column("group", sa.String), sa.column("title", sa.String), sa.column("description", sa.Text),
        sa.column("is_document", sa.Boolean), sa.column("position", sa.Integer), sa.column("active", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)), sa.column("version", sa.Integer),
    )
    now = datetime.now(UTC)
    positions = {}
    rows = []
    for group, title, hint, is_document in DEFAULT_ITEMS:
        positions[group] = positions.get(group, 0) + 1
        rows.append({"group": group, "title": title, "description": hint, "is_document": is_document,
                     "position": positions[group], "active": True, "created_at": now, "version": 1})
    op.bulk_insert(items, rows)


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('passport_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group', sa.Enum('money', 'documents', 'home', 'health', 'work_learning', 'relationships_safety', 'civic', name='passportgroup', native_enum=False, length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('is_document', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passport_item'))
    )
    with op.batch_alter_table('passport_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passport_item_group'), ['group'], unique=False)

    op.create_table('passport_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('not_started', 'learning', 'can_do', 'not_relevant', name='passportstatus', native_enum=False, length=30), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=False),
    sa.Column('by_role', sa.Enum('young_person', 'adviser', name='answeredby', native_enum=False, length=20), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('held', sa.Boolean(), nullable=True),
    sa.Column('where_kept', sa.String(length=200), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_passport_answer_answered_by_id_user')),
    sa.ForeignKeyConstraint(['item_id'], ['passport_item.id'], name=op.f('fk_passport_answer_item_id_passport_item')),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_person.id'], name=op.f('fk_passport_answer_young_person_id_young_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passport_answer'))
    )
    with op.batch_alter_table('passport_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passport_answer_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_passport_answer_person_item_created', ['young_person_id', 'item_id', 'created_at'], unique=False)

    # ### end Alembic commands ###
    seed_default_items()


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('passport_answer', schema=None) as batch_op:
        batch_op.drop_index('ix_passport_answer_person_item_created')
        batch_op.drop_index(batch_op.f('ix_passport_answer_item_id'))

    op.drop_table('passport_answer')
    with op.batch_alter_table('passport_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passport_item_group'))

    op.drop_table('passport_item')
    # ### end Alembic commands ###
