"""sync exchange: keys, peers, the bundle ledger, conflicts, field history

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 05:19:48.041577
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "echo_seq",
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("peer_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_echo_seq")),
    )
    op.create_table(
        "node_key",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("signing_private", sa.LargeBinary(length=32), nullable=False),
        sa.Column("encryption_private", sa.LargeBinary(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_node_key")),
    )
    op.create_table(
        "peer",
        sa.Column("node_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("centre_code", sa.String(length=16), nullable=True),
        sa.Column("is_secretariat", sa.Boolean(), nullable=False),
        sa.Column("signing_key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("encryption_key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("personal_data", sa.String(length=16), nullable=False),
        sa.Column("sent_bundles", sa.BigInteger(), nullable=False),
        sa.Column("acked_seq", sa.BigInteger(), nullable=False),
        sa.Column("ack_bundle", sa.BigInteger(), nullable=False),
        sa.Column("last_export_at", sa.DateTime(), nullable=True),
        sa.Column("received_bundles", sa.BigInteger(), nullable=False),
        sa.Column("received_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_import_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("node_id", name=op.f("pk_peer")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_peer_fingerprint")),
    )
    op.create_table(
        "received_bundle",
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("sender_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("from_seq", sa.BigInteger(), nullable=False),
        sa.Column("to_seq", sa.BigInteger(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_received_bundle")),
    )
    with op.batch_alter_table("received_bundle", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_received_bundle_sender_id"), ["sender_id"], unique=False
        )

    op.create_table(
        "revoked_key",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("node_id", sa.String(length=36), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_revoked_key")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("lost_stamp", sa.String(length=52), nullable=False),
        sa.Column("kept_stamp", sa.String(length=52), nullable=False),
        sa.Column("values", sa.Text(), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.Column("resolution", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner", sa.String(length=16), nullable=False),
        sa.Column("created_stamp", sa.String(length=52), nullable=False),
        sa.Column("stamp", sa.String(length=52), nullable=False),
        sa.Column("field_stamps", sa.Text(), nullable=False),
        sa.Column("field_history", sa.Text(), server_default="{}", nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_conflict_record_id"), ["record_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_conflict_seq"), ["seq"], unique=False)

    with op.batch_alter_table("advisory_review", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("dialogue", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("dialogue_participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("follow_up_action", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("joint_activity", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("partnership", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("partnership_member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("sme_follow_up", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )

    with op.batch_alter_table("training_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_history", sa.Text(), server_default="{}", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("training_session", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("sme_follow_up", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("partnership_member", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("partnership", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("joint_activity", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("follow_up_action", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("dialogue_participant", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("dialogue", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("advisory_review", schema=None) as batch_op:
        batch_op.drop_column("field_history")

    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_conflict_seq"))
        batch_op.drop_index(batch_op.f("ix_sync_conflict_record_id"))

    op.drop_table("sync_conflict")
    op.drop_table("revoked_key")
    with op.batch_alter_table("received_bundle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_received_bundle_sender_id"))

    op.drop_table("received_bundle")
    op.drop_table("peer")
    op.drop_table("node_key")
    op.drop_table("echo_seq")
