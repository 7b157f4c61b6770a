"""training tallies: the participation facts added up per day and centre, kept by triggers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 14:40:00

The facts' triggers become upserts, so that triggers on the facts see each change;
the tallies and their triggers are added and filled. The statements are the text
of ``regional_centre.db.facts`` and ``regional_centre.db.tallies`` as they were at
this revision, frozen here so that the migration does not change with the modules.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FACT_TRIGGERS = [
    "CREATE TRIGGER participation_fact_added AFTER INSERT ON participation FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE participation_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating; END",
    "CREATE TRIGGER participation_fact_changed AFTER UPDATE OF session_id, contact_id, organisation_id, registration_status, deleted, pre_test_score, post_test_score, evaluation_rating ON participation FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE participation_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating; END",
    "CREATE TRIGGER participation_fact_removed AFTER DELETE ON participation FOR EACH ROW BEGIN DELETE FROM participation_fact WHERE participation_id = OLD.id; END",
    "CREATE TRIGGER participation_fact_session_added AFTER INSERT ON training_session FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE session_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating; END",
    "CREATE TRIGGER participation_fact_session_changed AFTER UPDATE OF first_day, owner, status, deleted ON training_session FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE session_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating; END",
    "CREATE TRIGGER participation_fact_session_removed AFTER DELETE ON training_session FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE session_id = OLD.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating; END",
    "CREATE TRIGGER participation_fact_person_added AFTER INSERT ON contact FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE contact_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating; END",
    "CREATE TRIGGER participation_fact_person_changed AFTER UPDATE OF gender, country ON contact FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE contact_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating; END",
    "CREATE TRIGGER participation_fact_person_removed AFTER DELETE ON contact FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE contact_id = OLD.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating; END",
    "CREATE TRIGGER participation_fact_firm_added AFTER INSERT ON organisation FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE organisation_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating; END",
    "CREATE TRIGGER participation_fact_firm_changed AFTER UPDATE OF sector, size_class, stakeholder_type, deleted ON organisation FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE organisation_id = NEW.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating; END",
    "CREATE TRIGGER participation_fact_firm_removed AFTER DELETE ON organisation FOR EACH ROW BEGIN INSERT INTO participation_fact (participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating) SELECT participation_id, organisation_id, first_day, centre, counted, gender, country, sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating FROM participation_fact_source WHERE organisation_id = OLD.id ON CONFLICT (participation_id) DO UPDATE SET organisation_id = excluded.organisation_id, first_day = excluded.first_day, centre = excluded.centre, counted = excluded.counted, gender = excluded.gender, country = excluded.country, sector = excluded.sector, size_class = excluded.size_class, sme = excluded.sme, pre_test_score = excluded.pre_test_score, post_test_score = excluded.post_test_score, evaluation_rating = excluded.evaluation_rating; END",
]

FILLS = [
    "INSERT INTO tally_people (first_day, centre, country, gender, participants) SELECT first_day, centre, country, gender, sum(1) FROM participation_fact AS f WHERE f.counted GROUP BY first_day, centre, country, gender",
    "INSERT INTO tally_firms (first_day, centre, sector, size_class, participants) SELECT first_day, centre, sector, size_class, sum(1) FROM participation_fact AS f WHERE f.counted GROUP BY first_day, centre, sector, size_class",
    "INSERT INTO tally_scores (first_day, centre, seated, tested, pre_total, post_total, rated, rating_total, rated_1, rated_2, rated_3, rated_4, rated_5) SELECT first_day, centre, sum(1), sum(f.pre_test_score IS NOT NULL AND f.post_test_score IS NOT NULL), sum(CASE WHEN f.pre_test_score IS NOT NULL AND f.post_test_score IS NOT NULL THEN CAST(round(f.pre_test_score * 10) AS INTEGER) ELSE 0 END), sum(CASE WHEN f.pre_test_score IS NOT NULL AND f.post_test_score IS NOT NULL THEN CAST(round(f.post_test_score * 10) AS INTEGER) ELSE 0 END), sum(f.evaluation_rating IS NOT NULL), sum(coalesce(f.evaluation_rating, 0)), sum(f.evaluation_rating IS 1), sum(f.evaluation_rating IS 2), sum(f.evaluation_rating IS 3), sum(f.evaluation_rating IS 4), sum(f.evaluation_rating IS 5) FROM participation_fact AS f WHERE f.counted GROUP BY first_day, centre",
    "INSERT INTO first_training (organisation_id, centre, first_day) SELECT organisation_id, centre, min(first_day) FROM participation_fact WHERE counted = 1 AND organisation_id IS NOT NULL GROUP BY organisation_id, centre",
]

TALLY_TRIGGERS = [
    "CREATE TRIGGER tally_people_added AFTER INSERT ON participation_fact FOR EACH ROW WHEN NEW.counted BEGIN INSERT INTO tally_people (first_day, centre, country, gender, participants) SELECT NEW.first_day, NEW.centre, NEW.country, NEW.gender, 0 WHERE NEW.counted AND NOT EXISTS (SELECT 1 FROM tally_people WHERE first_day IS NEW.first_day AND centre IS NEW.centre AND country IS NEW.country AND gender IS NEW.gender); UPDATE tally_people SET participants = participants + (1) WHERE NEW.counted AND first_day IS NEW.first_day AND centre IS NEW.centre AND country IS NEW.country AND gender IS NEW.gender; END",
    "CREATE TRIGGER tally_people_removed AFTER DELETE ON participation_fact FOR EACH ROW WHEN OLD.counted BEGIN UPDATE tally_people SET participants = participants - (1) WHERE OLD.counted AND first_day IS OLD.first_day AND centre IS OLD.centre AND country IS OLD.country AND gender IS OLD.gender; DELETE FROM tally_people WHERE OLD.counted AND first_day IS OLD.first_day AND centre IS OLD.centre AND country IS OLD.country AND gender IS OLD.gender AND participants = 0; END",
    "CREATE TRIGGER tally_people_changed AFTER UPDATE ON participation_fact FOR EACH ROW WHEN (OLD.counted OR NEW.counted) AND (OLD.counted IS NOT NEW.counted OR OLD.first_day IS NOT NEW.first_day OR OLD.centre IS NOT NEW.centre OR OLD.country IS NOT NEW.country OR OLD.gender IS NOT NEW.gender) BEGIN UPDATE tally_people SET participants = participants - (1) WHERE OLD.counted AND first_day IS OLD.first_day AND centre IS OLD.centre AND country IS OLD.country AND gender IS OLD.gender; DELETE FROM tally_people WHERE OLD.counted AND first_day IS OLD.first_day AND centre IS OLD.centre AND country IS OLD.country AND gender IS OLD.gender AND participants = 0; INSERT INTO tally_people (first_day, centre, country, gender, participants) SELECT NEW.first_day, NEW.centre, NEW.country, NEW.gender, 0 WHERE NEW.counted AND NOT EXISTS (SELECT 1 FROM tally_people WHERE first_day IS NEW.first_day AND centre IS NEW.centre AND country IS NEW.country AND gender IS NEW.gender); UPDATE tally_people SET participants = participants + (1) WHERE NEW.counted AND first_day IS NEW.first_day AND centre IS NEW.centre AND country IS NEW.country AND gender IS NEW.gender; END",
    "CREATE TRIGGER tally_firms_added AFTER INSERT ON participation_fact FOR EACH ROW WHEN NEW.counted BEGIN INSERT INTO tally_firms (first_day, centre, sector, size_class, participants) SELECT NEW.first_day, NEW.centre, NEW.sector, NEW.size_class, 0 WHERE NEW.counted AND NOT EXISTS (SELECT 1 FROM tally_firms WHERE first_day IS NEW.first_day AND centre IS NEW.centre AND sector IS NEW.sector AND size_class IS NEW.size_class); UPDATE tally_firms SET participants = participants + (1) WHERE NEW.counted AND first_day IS NEW.first_day AND centre IS NEW.centre AND sector IS NEW.sector AND size_class IS NEW.size_class; END",
    "CREATE TRIGGER tally_firms_removed AFTER DELETE ON participation_fact FOR EACH ROW WHEN OLD.counted BEGIN UPDATE tally_firms SET participants = participants - (1) WHERE OLD.counted AND first_day IS OLD.first_day AND centre IS OLD.centre AND sector IS OLD.sector AND size_class IS OLD.size_class; DELETE FROM tally_firms WHERE OLD.counted AND first_day IS OLD.first_day AND centre IS OLD.centre AND sector IS OLD.sector AND size_class IS OLD.size_class AND participants = 0; END",
    "CREATE TRIGGER tally_firms_changed AFTER UPDATE ON participation_fact FOR EACH ROW WHEN (OLD.counted OR NEW.counted) AND (OLD.counted IS NOT NEW.counted OR OLD.first_day IS NOT NEW.first_day OR OLD.centre IS NOT NEW.centre OR OLD.sector IS NOT NEW.sector OR OLD.size_class IS NOT NEW.size_class) BEGIN UPDATE tally_firms SET participants = participants - (1) WHERE OLD.counted AND first_day IS OLD.first_day AND centre IS OLD.centre AND sector IS OLD.sector AND size_class IS OLD.size_class; DELETE FROM tally_firms WHERE OLD.counted AND first_day IS OLD.first_day AND centre IS OLD.centre AND sector IS OLD.sector AND size_class IS OLD.size_class AND participants = 0; INSERT INTO tally_firms (first_day, centre, sector, size_class, participants) SELECT NEW.first_day, NEW.centre, NEW.sector, NEW.size_class, 0 WHERE NEW.counted AND NOT EXISTS (SELECT 1 FROM tally_firms WHERE first_day IS NEW.first_day AND centre IS NEW.centre AND sector IS NEW.sector AND size_class IS NEW.size_class); UPDATE tally_firms SET participants = participants + (1) WHERE NEW.counted AND first_day IS NEW.first_day AND centre IS NEW.centre AND sector IS NEW.sector AND size_class IS NEW.size_class; END",
    "CREATE TRIGGER tally_scores_added AFTER INSERT ON participation_fact FOR EACH ROW WHEN NEW.counted BEGIN INSERT INTO tally_scores (first_day, centre, seated, tested, pre_total, post_total, rated, rating_total, rated_1, rated_2, rated_3, rated_4, rated_5) SELECT NEW.first_day, NEW.centre, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 WHERE NEW.counted AND NOT EXISTS (SELECT 1 FROM tally_scores WHERE first_day IS NEW.first_day AND centre IS NEW.centre); UPDATE tally_scores SET seated = seated + (1), tested = tested + (NEW.pre_test_score IS NOT NULL AND NEW.post_test_score IS NOT NULL), pre_total = pre_total + (CASE WHEN NEW.pre_test_score IS NOT NULL AND NEW.post_test_score IS NOT NULL THEN CAST(round(NEW.pre_test_score * 10) AS INTEGER) ELSE 0 END), post_total = post_total + (CASE WHEN NEW.pre_test_score IS NOT NULL AND NEW.post_test_score IS NOT NULL THEN CAST(round(NEW.post_test_score * 10) AS INTEGER) ELSE 0 END), rated = rated + (NEW.evaluation_rating IS NOT NULL), rating_total = rating_total + (coalesce(NEW.evaluation_rating, 0)), rated_1 = rated_1 + (NEW.evaluation_rating IS 1), rated_2 = rated_2 + (NEW.evaluation_rating IS 2), rated_3 = rated_3 + (NEW.evaluation_rating IS 3), rated_4 = rated_4 + (NEW.evaluation_rating IS 4), rated_5 = rated_5 + (NEW.evaluation_rating IS 5) WHERE NEW.counted AND first_day IS NEW.first_day AND centre IS NEW.centre; END",
    "CREATE TRIGGER tally_scores_removed AFTER DELETE ON participation_fact FOR EACH ROW WHEN OLD.counted BEGIN UPDATE tally_scores SET seated = seated - (1), tested = tested - (OLD.pre_test_score IS NOT NULL AND OLD.post_test_score IS NOT NULL), pre_total = pre_total - (CASE WHEN OLD.pre_test_score IS NOT NULL AND OLD.post_test_score IS NOT NULL THEN CAST(round(OLD.pre_test_score * 10) AS INTEGER) ELSE 0 END), post_total = post_total - (CASE WHEN OLD.pre_test_score IS NOT NULL AND OLD.post_test_score IS NOT NULL THEN CAST(round(OLD.post_test_score * 10) AS INTEGER) ELSE 0 END), rated = rated - (OLD.evaluation_rating IS NOT NULL), rating_total = rating_total - (coalesce(OLD.evaluation_rating, 0)), rated_1 = rated_1 - (OLD.evaluation_rating IS 1), rated_2 = rated_2 - (OLD.evaluation_rating IS 2), rated_3 = rated_3 - (OLD.evaluation_rating IS 3), rated_4 = rated_4 - (OLD.evaluation_rating IS 4), rated_5 = rated_5 - (OLD.evaluation_rating IS 5) WHERE OLD.counted AND first_day IS OLD.first_day AND centre IS OLD.centre; DELETE FROM tally_scores WHERE OLD.counted AND first_day IS OLD.first_day AND centre IS OLD.centre AND seated = 0; END",
    "CREATE TRIGGER tally_scores_changed AFTER UPDATE ON participation_fact FOR EACH ROW WHEN (OLD.counted OR NEW.counted) AND (OLD.counted IS NOT NEW.counted OR OLD.first_day IS NOT NEW.first_day OR OLD.centre IS NOT NEW.centre OR OLD.evaluation_rating IS NOT NEW.evaluation_rating OR OLD.post_test_score IS NOT NEW.post_test_score OR OLD.pre_test_score IS NOT NEW.pre_test_score) BEGIN UPDATE tally_scores SET seated = seated - (1), tested = tested - (OLD.pre_test_score IS NOT NULL AND OLD.post_test_score IS NOT NULL), pre_total = pre_total - (CASE WHEN OLD.pre_test_score IS NOT NULL AND OLD.post_test_score IS NOT NULL THEN CAST(round(OLD.pre_test_score * 10) AS INTEGER) ELSE 0 END), post_total = post_total - (CASE WHEN OLD.pre_test_score IS NOT NULL AND OLD.post_test_score IS NOT NULL THEN CAST(round(OLD.post_test_score * 10) AS INTEGER) ELSE 0 END), rated = rated - (OLD.evaluation_rating IS NOT NULL), rating_total = rating_total - (coalesce(OLD.evaluation_rating, 0)), rated_1 = rated_1 - (OLD.evaluation_rating IS 1), rated_2 = rated_2 - (OLD.evaluation_rating IS 2), rated_3 = rated_3 - (OLD.evaluation_rating IS 3), rated_4 = rated_4 - (OLD.evaluation_rating IS 4), rated_5 = rated_5 - (OLD.evaluation_rating IS 5) WHERE OLD.counted AND first_day IS OLD.first_day AND centre IS OLD.centre; DELETE FROM tally_scores WHERE OLD.counted AND first_day IS OLD.first_day AND centre IS OLD.centre AND seated = 0; INSERT INTO tally_scores (first_day, centre, seated, tested, pre_total, post_total, rated, rating_total, rated_1, rated_2, rated_3, rated_4, rated_5) SELECT NEW.first_day, NEW.centre, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 WHERE NEW.counted AND NOT EXISTS (SELECT 1 FROM tally_scores WHERE first_day IS NEW.first_day AND centre IS NEW.centre); UPDATE tally_scores SET seated = seated + (1), tested = tested + (NEW.pre_test_score IS NOT NULL AND NEW.post_test_score IS NOT NULL), pre_total = pre_total + (CASE WHEN NEW.pre_test_score IS NOT NULL AND NEW.post_test_score IS NOT NULL THEN CAST(round(NEW.pre_test_score * 10) AS INTEGER) ELSE 0 END), post_total = post_total + (CASE WHEN NEW.pre_test_score IS NOT NULL AND NEW.post_test_score IS NOT NULL THEN CAST(round(NEW.post_test_score * 10) AS INTEGER) ELSE 0 END), rated = rated + (NEW.evaluation_rating IS NOT NULL), rating_total = rating_total + (coalesce(NEW.evaluation_rating, 0)), rated_1 = rated_1 + (NEW.evaluation_rating IS 1), rated_2 = rated_2 + (NEW.evaluation_rating IS 2), rated_3 = rated_3 + (NEW.evaluation_rating IS 3), rated_4 = rated_4 + (NEW.evaluation_rating IS 4), rated_5 = rated_5 + (NEW.evaluation_rating IS 5) WHERE NEW.counted AND first_day IS NEW.first_day AND centre IS NEW.centre; END",
    "CREATE TRIGGER first_training_added AFTER INSERT ON participation_fact FOR EACH ROW WHEN NEW.counted AND NEW.organisation_id IS NOT NULL BEGIN INSERT INTO first_training (organisation_id, centre, first_day) SELECT NEW.organisation_id, NEW.centre, NEW.first_day WHERE NOT EXISTS (SELECT 1 FROM first_training WHERE organisation_id = NEW.organisation_id AND centre IS NEW.centre); UPDATE first_training SET first_day = NEW.first_day WHERE organisation_id = NEW.organisation_id AND centre IS NEW.centre AND NEW.first_day IS NOT NULL AND (first_day IS NULL OR first_day > NEW.first_day); END",
    "CREATE TRIGGER first_training_removed AFTER DELETE ON participation_fact FOR EACH ROW WHEN OLD.counted AND OLD.organisation_id IS NOT NULL BEGIN DELETE FROM first_training WHERE organisation_id = OLD.organisation_id AND centre IS OLD.centre; INSERT INTO first_training (organisation_id, centre, first_day) SELECT organisation_id, centre, min(first_day) FROM participation_fact WHERE organisation_id = OLD.organisation_id AND counted = 1 AND centre IS OLD.centre GROUP BY organisation_id, centre; END",
    "CREATE TRIGGER first_training_changed AFTER UPDATE ON participation_fact FOR EACH ROW WHEN (OLD.counted OR NEW.counted) AND (OLD.counted IS NOT NEW.counted OR OLD.organisation_id IS NOT NEW.organisation_id OR OLD.centre IS NOT NEW.centre OR OLD.first_day IS NOT NEW.first_day) BEGIN DELETE FROM first_training WHERE organisation_id = OLD.organisation_id AND centre IS OLD.centre; INSERT INTO first_training (organisation_id, centre, first_day) SELECT organisation_id, centre, min(first_day) FROM participation_fact WHERE organisation_id = OLD.organisation_id AND counted = 1 AND centre IS OLD.centre GROUP BY organisation_id, centre; DELETE FROM first_training WHERE organisation_id = NEW.organisation_id AND centre IS NEW.centre; INSERT INTO first_training (organisation_id, centre, first_day) SELECT organisation_id, centre, min(first_day) FROM participation_fact WHERE organisation_id = NEW.organisation_id AND counted = 1 AND centre IS NEW.centre GROUP BY organisation_id, centre; END",
]


def _name(trigger: str) -> str:
    return trigger.split()[2]


def _as_at_0004(trigger: str) -> str:
    """A fact trigger as migration 0004 created it: INSERT OR REPLACE instead of the upsert."""
    start, upsert, _ = trigger.partition(" ON CONFLICT (participation_id)")
    if not upsert:  # the one that deletes
        return trigger
    old = start.replace(
        "INSERT INTO participation_fact", "INSERT OR REPLACE INTO participation_fact"
    )
    return old + "; END"


def _day_and_centre() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("centre", sa.String(length=16), nullable=True),
    ]


def upgrade() -> None:
    for trigger in FACT_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {_name(trigger)}")
        op.execute(trigger)
    op.create_table(
        "tally_people",
        *_day_and_centre(),
        sa.Column("country", sa.String(length=2), nullable=True),
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
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tally_people")),
    )
    op.create_index("ix_tally_people", "tally_people", ["first_day", "centre", "country", "gender"])
    op.create_table(
        "tally_firms",
        *_day_and_centre(),
        sa.Column("sector", sa.String(length=4), nullable=True),
        sa.Column(
            "size_class",
            sa.Enum("micro", "small", "medium", name="sizeclass", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tally_firms")),
    )
    op.create_index(
        "ix_tally_firms", "tally_firms", ["first_day", "centre", "sector", "size_class"]
    )
    op.create_table(
        "tally_scores",
        *_day_and_centre(),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in (
                "seated",
                "tested",
                "pre_total",
                "post_total",
                "rated",
                "rating_total",
                "rated_1",
                "rated_2",
                "rated_3",
                "rated_4",
                "rated_5",
            )
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tally_scores")),
    )
    op.create_index("ix_tally_scores", "tally_scores", ["first_day", "centre"])
    op.create_table(
        "first_training",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column("centre", sa.String(length=16), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_first_training")),
    )
    op.create_index(
        "ix_first_training_organisation",
        "first_training",
        ["organisation_id", "centre", "first_day"],
    )
    op.create_index(
        "ix_first_training_day", "first_training", ["centre", "first_day", "organisation_id"]
    )
    for statement in FILLS:
        op.execute(statement)
    for trigger in TALLY_TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    for trigger in TALLY_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {_name(trigger)}")
    for table in ("first_training", "tally_scores", "tally_firms", "tally_people"):
        op.drop_table(table)
    for trigger in FACT_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {_name(trigger)}")
        op.execute(_as_at_0004(trigger))
