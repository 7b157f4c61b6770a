"""reach tally: the SMEs a year reached, counted per year, centre and SME; overdue actions indexed

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 19:30:00

``tally_reach`` counts each SME's counted participations per year and centre, kept
by triggers on the participation facts, so that the SMEs a year reached are a few
rows per SME rather than every participation. Follow-up actions get an index that
finds the open ones due before a day. The statements are the text of
``regional_centre.db.tallies`` as it was at this revision, frozen here so that the
migration does not change with the module.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REACH_TRIGGERS = [
    "CREATE TRIGGER tally_reach_added AFTER INSERT ON participation_fact FOR EACH ROW WHEN NEW.counted AND NEW.sme AND NEW.organisation_no IS NOT NULL BEGIN INSERT INTO tally_reach (year, centre, organisation_no, participations) SELECT CAST(substr(NEW.first_day, 1, 4) AS INTEGER), NEW.centre, NEW.organisation_no, 0 WHERE NEW.counted AND NEW.sme AND NEW.organisation_no IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tally_reach WHERE year = CAST(substr(NEW.first_day, 1, 4) AS INTEGER) AND centre IS NEW.centre AND organisation_no = NEW.organisation_no); UPDATE tally_reach SET participations = participations + 1 WHERE NEW.counted AND NEW.sme AND NEW.organisation_no IS NOT NULL AND year = CAST(substr(NEW.first_day, 1, 4) AS INTEGER) AND centre IS NEW.centre AND organisation_no = NEW.organisation_no; END",
    "CREATE TRIGGER tally_reach_removed AFTER DELETE ON participation_fact FOR EACH ROW WHEN OLD.counted AND OLD.sme AND OLD.organisation_no IS NOT NULL BEGIN UPDATE tally_reach SET participations = participations - 1 WHERE OLD.counted AND OLD.sme AND OLD.organisation_no IS NOT NULL AND year = CAST(substr(OLD.first_day, 1, 4) AS INTEGER) AND centre IS OLD.centre AND organisation_no = OLD.organisation_no; DELETE FROM tally_reach WHERE OLD.counted AND OLD.sme AND OLD.organisation_no IS NOT NULL AND year = CAST(substr(OLD.first_day, 1, 4) AS INTEGER) AND centre IS OLD.centre AND organisation_no = OLD.organisation_no AND participations = 0; END",
    "CREATE TRIGGER tally_reach_changed AFTER UPDATE ON participation_fact FOR EACH ROW WHEN (OLD.counted AND OLD.sme AND OLD.organisation_no IS NOT NULL OR NEW.counted AND NEW.sme AND NEW.organisation_no IS NOT NULL) AND (OLD.counted IS NOT NEW.counted OR OLD.sme IS NOT NEW.sme OR OLD.organisation_no IS NOT NEW.organisation_no OR OLD.centre IS NOT NEW.centre OR OLD.first_day IS NOT NEW.first_day) BEGIN UPDATE tally_reach SET participations = participations - 1 WHERE OLD.counted AND OLD.sme AND OLD.organisation_no IS NOT NULL AND year = CAST(substr(OLD.first_day, 1, 4) AS INTEGER) AND centre IS OLD.centre AND organisation_no = OLD.organisation_no; DELETE FROM tally_reach WHERE OLD.counted AND OLD.sme AND OLD.organisation_no IS NOT NULL AND year = CAST(substr(OLD.first_day, 1, 4) AS INTEGER) AND centre IS OLD.centre AND organisation_no = OLD.organisation_no AND participations = 0; INSERT INTO tally_reach (year, centre, organisation_no, participations) SELECT CAST(substr(NEW.first_day, 1, 4) AS INTEGER), NEW.centre, NEW.organisation_no, 0 WHERE NEW.counted AND NEW.sme AND NEW.organisation_no IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tally_reach WHERE year = CAST(substr(NEW.first_day, 1, 4) AS INTEGER) AND centre IS NEW.centre AND organisation_no = NEW.organisation_no); UPDATE tally_reach SET participations = participations + 1 WHERE NEW.counted AND NEW.sme AND NEW.organisation_no IS NOT NULL AND year = CAST(substr(NEW.first_day, 1, 4) AS INTEGER) AND centre IS NEW.centre AND organisation_no = NEW.organisation_no; END",
]

FILL = "INSERT INTO tally_reach (year, centre, organisation_no, participations) SELECT CAST(substr(f.first_day, 1, 4) AS INTEGER) AS year, centre, organisation_no, count(*) FROM participation_fact AS f WHERE f.counted AND f.sme AND f.organisation_no IS NOT NULL GROUP BY year, centre, organisation_no"


def upgrade() -> None:
    op.create_table(
        "tally_reach",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("centre", sa.String(length=16), nullable=True),
        sa.Column("organisation_no", sa.Integer(), nullable=False),
        sa.Column("participations", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tally_reach")),
    )
    op.execute(FILL)
    op.create_index("ix_tally_reach", "tally_reach", ["year", "centre", "organisation_no"])
    for trigger in REACH_TRIGGERS:
        op.execute(trigger)
    op.create_index(
        "ix_follow_up_action_open",
        "follow_up_action",
        ["status", "due_on", "deleted", "dialogue_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_follow_up_action_open", table_name="follow_up_action")
    for trigger in REACH_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger.split()[2]}")
    op.drop_index("ix_tally_reach", table_name="tally_reach")
    op.drop_table("tally_reach")
