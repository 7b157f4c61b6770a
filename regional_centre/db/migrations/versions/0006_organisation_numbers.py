"""organisation numbers: the facts count distinct organisations by a local integer

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 17:00:00

``organisation_key`` numbers every organisation a participation names; the facts
carry the number, and their period index is narrowed to what counting the SMEs
reached reads (the tallies count the rest since 0005). The statements are the text
of ``regional_centre.db.facts`` as it was at this revision, frozen here so that the
migration does not change with the module.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEW = "CREATE VIEW participation_fact_source AS\nSELECT p.id AS participation_id, p.organisation_id, s.first_day, s.owner AS centre,\n       coalesce(p.deleted = 0 AND p.registration_status IN ('registered', 'confirmed')\n                AND s.deleted = 0 AND s.status != 'cancelled', 0) AS counted,\n       c.gender, c.country, o.sector, o.size_class,\n       coalesce(o.deleted = 0 AND o.stakeholder_type = 'sme', 0) AS sme,\n       p.pre_test_score, p.post_test_score, p.evaluation_rating, k.no AS organisation_no,\n       p.session_id, p.contact_id\nFROM participation AS p\nLEFT JOIN training_session AS s ON s.id = p.session_id\nLEFT JOIN contact AS c ON c.id = p.contact_id\nLEFT JOIN organisation AS o ON o.id = p.organisation_id\nLEFT JOIN organisation_key AS k ON k.organisation_id = p.organisation_id"

VIEW_AT_0005 = "CREATE VIEW participation_fact_source AS\nSELECT p.id AS participation_id, p.organisation_id, s.first_day, s.owner AS centre,\n       coalesce(p.deleted = 0 AND p.registration_status IN ('registered', 'confirmed')\n                AND s.deleted = 0 AND s.status != 'cancelled', 0) AS counted,\n       c.gender, c.country, o.sector, o.size_class,\n       coalesce(o.deleted = 0 AND o.stakeholder_type = 'sme', 0) AS sme,\n       p.pre_test_score, p.post_test_score, p.evaluation_rating,\n       p.session_id, p.contact_id\nFROM participation AS p\nLEFT JOIN training_session AS s ON s.id = p.session_id\nLEFT JOIN contact AS c ON c.id = p.contact_id\nLEFT JOIN organisation AS o ON o.id = p.organisation_id"

FACT_TRIGGERS = [
    "CREATE TRIGGER participation_fact_added AFTER INSERT ON participation FOR EACH ROW BEGIN INSERT INTO organisation_key (organisation_id) SELECT NEW.organisation_id WHERE NEW.organisation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM organisation_key WHERE organisation_id = NEW.organisation_id); INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no FROM participation_fact_source WHERE participation_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating, organisation_no = excluded.organisation_no; END",
    "CREATE TRIGGER participation_fact_changed AFTER UPDATE OF session_id, contact_id, organisation_id, registration_status, deleted, pre_test_score, post_test_score, evaluation_rating ON participation FOR EACH ROW BEGIN INSERT INTO organisation_key (organisation_id) SELECT NEW.organisation_id WHERE NEW.organisation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM organisation_key WHERE organisation_id = NEW.organisation_id); INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no FROM participation_fact_source WHERE participation_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating, organisation_no = excluded.organisation_no; END",
    "CREATE TRIGGER participation_fact_removed AFTER DELETE ON participation FOR EACH ROW BEGIN DELETE FROM participation_fact WHERE participation_id = OLD.id; END",
    "CREATE TRIGGER participation_fact_session_added AFTER INSERT ON training_session FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no FROM participation_fact_source WHERE session_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating, organisation_no = excluded.organisation_no; END",
    "CREATE TRIGGER participation_fact_session_changed AFTER UPDATE OF first_day, owner, status, deleted ON training_session FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no FROM participation_fact_source WHERE session_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating, organisation_no = excluded.organisation_no; END",
    "CREATE TRIGGER participation_fact_session_removed AFTER DELETE ON training_session FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no FROM participation_fact_source WHERE session_id = OLD.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating, organisation_no = excluded.organisation_no; END",
    "CREATE TRIGGER participation_fact_person_added AFTER INSERT ON contact FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no FROM participation_fact_source WHERE contact_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating, organisation_no = excluded.organisation_no; END",
    "CREATE TRIGGER participation_fact_person_changed AFTER UPDATE OF gender, country ON contact FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no FROM participation_fact_source WHERE contact_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating, organisation_no = excluded.organisation_no; END",
    "CREATE TRIGGER participation_fact_person_removed AFTER DELETE ON contact FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no FROM participation_fact_source WHERE contact_id = OLD.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating, organisation_no = excluded.organisation_no; END",
    "CREATE TRIGGER participation_fact_firm_added AFTER INSERT ON organisation FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no FROM participation_fact_source WHERE organisation_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating, organisation_no = excluded.organisation_no; END",
    "CREATE TRIGGER participation_fact_firm_changed AFTER UPDATE OF sector, size_class, stakeholder_type, deleted ON organisation FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no FROM participation_fact_source WHERE organisation_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating, organisation_no = excluded.organisation_no; END",
    "CREATE TRIGGER participation_fact_firm_removed AFTER DELETE ON organisation FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no FROM participation_fact_source WHERE organisation_id = OLD.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating, organisation_no = excluded.organisation_no; END",
]

NUMBERED = "INSERT INTO organisation_key (organisation_id) SELECT NEW.organisation_id WHERE NEW.organisation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM organisation_key WHERE organisation_id = NEW.organisation_id); "

PERIOD_AT_0005 = [
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
]


def _name(trigger: str) -> str:
    return trigger.split()[2]


def _as_at_0005(trigger: str) -> str:
    """A fact trigger as migration 0005 left it: no number given, none copied."""
    return (
        trigger.replace(NUMBERED, "")
        .replace(", organisation_no = excluded.organisation_no", "")
        .replace(", organisation_no", "")
    )


def upgrade() -> None:
    op.create_table(
        "organisation_key",
        sa.Column("no", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("no", name=op.f("pk_organisation_key")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_organisation_key_organisation_id")),
    )
    op.execute(
        "INSERT INTO organisation_key (organisation_id) SELECT DISTINCT organisation_id "
        "FROM participation WHERE organisation_id IS NOT NULL ORDER BY organisation_id"
    )
    op.add_column("participation_fact", sa.Column("organisation_no", sa.Integer(), nullable=True))
    op.drop_index("ix_participation_fact_period", table_name="participation_fact")
    # The tallies' triggers watch other columns: this update does not touch them.
    op.execute(
        "UPDATE participation_fact SET organisation_no = (SELECT no FROM organisation_key AS k "
        "WHERE k.organisation_id = participation_fact.organisation_id) "
        "WHERE organisation_id IS NOT NULL"
    )
    op.create_index(
        "ix_participation_fact_period",
        "participation_fact",
        ["first_day", "counted", "sme", "centre", "organisation_no"],
    )
    op.execute("DROP VIEW participation_fact_source")
    op.execute(VIEW)
    for trigger in FACT_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {_name(trigger)}")
        op.execute(trigger)


def downgrade() -> None:
    for trigger in FACT_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {_name(trigger)}")
        op.execute(_as_at_0005(trigger))
    op.execute("DROP VIEW participation_fact_source")
    op.execute(VIEW_AT_0005)
    op.drop_index("ix_participation_fact_period", table_name="participation_fact")
    op.drop_column("participation_fact", "organisation_no")
    op.create_index("ix_participation_fact_period", "participation_fact", PERIOD_AT_0005)
    op.drop_table("organisation_key")
