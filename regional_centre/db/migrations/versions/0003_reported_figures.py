"""reported figures and their indexes: the figures of each progress report a centre issued, and the indexes they are counted from

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reported_figures",
        sa.Column("centre", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("prepared_on", sa.Date(), nullable=False),
        sa.Column("document_number", sa.String(length=80), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner", sa.String(length=16), nullable=False),
        sa.Column("created_stamp", sa.String(length=52), nullable=False),
        sa.Column("stamp", sa.String(length=52), nullable=False),
        sa.Column("field_stamps", sa.Text(), nullable=False),
        sa.Column("field_history", sa.Text(), server_default="{}", nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reported_figures")),
    )
    with op.batch_alter_table("reported_figures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reported_figures_seq"), ["seq"], unique=False)

    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificate_issued_on"), ["issued_on", "deleted", "owner"], unique=False
        )

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_stakeholders"),
            ["deleted", "stakeholder_type", "sector", "country", "owner", "created_stamp"],
            unique=False,
        )

    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participation_organisation_id"))
        batch_op.create_index(
            batch_op.f("ix_participation_seated_by_organisation"),
            ["organisation_id", "deleted", "registration_status", "session_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_participation_seated_by_session"),
            [
                "session_id",
                "deleted",
                "registration_status",
                "contact_id",
                "organisation_id",
                "pre_test_score",
                "post_test_score",
                "evaluation_rating",
            ],
            unique=False,
        )

    with op.batch_alter_table("training_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_session_held"),
            ["id", "deleted", "status", "owner", "first_day"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("training_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_session_held"))

    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participation_seated_by_session"))
        batch_op.drop_index(batch_op.f("ix_participation_seated_by_organisation"))
        batch_op.create_index(
            batch_op.f("ix_participation_organisation_id"), ["organisation_id"], unique=False
        )

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_stakeholders"))

    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_issued_on"))

    with op.batch_alter_table("reported_figures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reported_figures_seq"))
    op.drop_table("reported_figures")
