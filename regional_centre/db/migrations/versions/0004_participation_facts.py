"""participation facts: each participation with what the training figures count it by, kept by triggers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 12:30:00

The view and triggers are the text of ``regional_centre.db.facts`` as it was at
this revision, frozen here so that the migration does not change with the module.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating"

KEEPING = [
    "CREATE VIEW participation_fact_source AS\nSELECT p.id AS participation_id, p.organisation_id, s.first_day, s.owner AS centre,\n       coalesce(p.deleted = 0 AND p.registration_status IN ('registered', 'confirmed')\n                AND s.deleted = 0 AND s.status != 'cancelled', 0) AS counted,\n       c.gender, c.country, o.sector, o.size_class,\n       coalesce(o.deleted = 0 AND o.stakeholder_type = 'sme', 0) AS sme,\n       p.pre_test_score, p.post_test_score, p.evaluation_rating,\n       p.session_id, p.contact_id\nFROM participation AS p\nLEFT JOIN training_session AS s ON s.id = p.session_id\nLEFT JOIN contact AS c ON c.id = p.contact_id\nLEFT JOIN organisation AS o ON o.id = p.organisation_id",
    "CREATE TRIGGER participation_fact_added AFTER INSERT ON participation FOR EACH ROW BEGIN INSERT OR REPLACE INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE participation_id = NEW.id; END",
    "CREATE TRIGGER participation_fact_changed AFTER UPDATE OF session_id, contact_id, organisation_id, registration_status, deleted, pre_test_score, post_test_score, evaluation_rating ON participation FOR EACH ROW BEGIN INSERT OR REPLACE INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE participation_id = NEW.id; END",
    "CREATE TRIGGER participation_fact_removed AFTER DELETE ON participation FOR EACH ROW BEGIN DELETE FROM participation_fact WHERE participation_id = OLD.id; END",
    "CREATE TRIGGER participation_fact_session_added AFTER INSERT ON training_session FOR EACH ROW BEGIN INSERT OR REPLACE INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE session_id = NEW.id; END",
    "CREATE TRIGGER participation_fact_session_changed AFTER UPDATE OF first_day, owner, status, deleted ON training_session FOR EACH ROW BEGIN INSERT OR REPLACE INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE session_id = NEW.id; END",
    "CREATE TRIGGER participation_fact_session_removed AFTER DELETE ON training_session FOR EACH ROW BEGIN INSERT OR REPLACE INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE session_id = OLD.id; END",
    "CREATE TRIGGER participation_fact_person_added AFTER INSERT ON contact FOR EACH ROW BEGIN INSERT OR REPLACE INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE contact_id = NEW.id; END",
    "CREATE TRIGGER participation_fact_person_changed AFTER UPDATE OF gender, country ON contact FOR EACH ROW BEGIN INSERT OR REPLACE INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE contact_id = NEW.id; END",
    "CREATE TRIGGER participation_fact_person_removed AFTER DELETE ON contact FOR EACH ROW BEGIN INSERT OR REPLACE INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE contact_id = OLD.id; END",
    "CREATE TRIGGER participation_fact_firm_added AFTER INSERT ON organisation FOR EACH ROW BEGIN INSERT OR REPLACE INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE organisation_id = NEW.id; END",
    "CREATE TRIGGER participation_fact_firm_changed AFTER UPDATE OF sector, size_class, stakeholder_type, deleted ON organisation FOR EACH ROW BEGIN INSERT OR REPLACE INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE organisation_id = NEW.id; END",
    "CREATE TRIGGER participation_fact_firm_removed AFTER DELETE ON organisation FOR EACH ROW BEGIN INSERT OR REPLACE INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE organisation_id = OLD.id; END",
]

TRIGGERS = [statement.split()[2] for statement in KEEPING[1:]]


def upgrade() -> None:
    op.create_table(
        "participation_fact",
        sa.Column("participation_id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("centre", sa.String(length=16), nullable=True),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column(
            "gender",
            sa.Enum(
                "female",
                "male",
                "other",
                "undisclosed",
                name="gender",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("sector", sa.String(length=4), nullable=True),
        sa.Column(
            "size_class",
            sa.Enum("micro", "small", "medium", name="sizeclass", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("sme", sa.Boolean(), nullable=False),
        sa.Column("pre_test_score", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("post_test_score", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("evaluation_rating", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("participation_id", name=op.f("pk_participation_fact")),
    )
    with op.batch_alter_table("participation_fact", schema=None) as batch_op:
        batch_op.create_index(
            "ix_participation_fact_organisation",
            ["organisation_id", "counted", "first_day", "centre"],
            unique=False,
        )
        batch_op.create_index(
            "ix_participation_fact_period",
            [
                "first_day",
                "counted",
                "centre",
                "gender",
                "country",
                "sector",
                "size_class",
                "sme",
                "organisation_id",
                "pre_test_score",
                "post_test_score",
                "evaluation_rating",
            ],
            unique=False,
        )
    for statement in KEEPING:
        op.execute(statement)
    op.execute(
        f"INSERT INTO participation_fact ({COLUMNS}) "
        f"SELECT {COLUMNS} FROM participation_fact_source"
    )


def downgrade() -> None:
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP VIEW IF EXISTS participation_fact_source")
    with op.batch_alter_table("participation_fact", schema=None) as batch_op:
        batch_op.drop_index("ix_participation_fact_period")
        batch_op.drop_index("ix_participation_fact_organisation")
    op.drop_table("participation_fact")
