"""The rules of the exchange, one by one, through the services.

Two installations of the Dakar centre (its office and a field laptop) and,
where the rule is about it, the secretariat and a second centre.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import update

from regional_centre.db.models import ReferenceList
from regional_centre.enums import DialogueFormat
from regional_centre.services import peers
from regional_centre.services.engagement import DialogueDraft, DialogueParticipantDraft
from regional_centre.services.errors import ServiceError
from regional_centre.sync.archive import BundleRefused, open_bundle
from tests.sync.conftest import (
    Installation,
    add_contact,
    add_organisation,
    database_bytes,
    dump,
    enrol,
    exchange,
    new_installation,
    send,
)


def test_a_bundle_brings_the_peer_to_the_same_records(
    office: Installation, laptop: Installation, outbox: Path
) -> None:
    """Everything the office made arrives, ids, stamps and history included."""
    organisation = add_organisation(office)
    add_contact(office, organisation)
    report = laptop.services.sync.import_bundle(send(office, laptop, outbox))
    assert report.tables["organisation"].added == 1
    assert report.tables["contact"].added == 1
    assert dump(laptop) == dump(office)
    assert laptop.services.organisations.get(organisation).name == "Ecobat Recyclage"
    assert laptop.services.maintenance.check() == []


def test_importing_the_same_bundle_again_changes_nothing(
    office: Installation, laptop: Installation, outbox: Path
) -> None:
    add_organisation(office)
    bundle = send(office, laptop, outbox)
    laptop.services.sync.import_bundle(bundle)
    before = database_bytes(laptop)
    again = laptop.services.sync.import_bundle(bundle)
    assert again.already_imported
    assert database_bytes(laptop) == before


def test_a_dry_run_reports_and_changes_nothing(
    office: Installation, laptop: Installation, outbox: Path
) -> None:
    add_organisation(office)
    add_organisation(office, "SenEau")
    bundle = send(office, laptop, outbox)
    before = database_bytes(laptop)
    preview = laptop.services.sync.import_bundle(bundle, dry_run=True)
    assert preview.dry_run
    assert preview.tables["organisation"].added == 2
    assert database_bytes(laptop) == before
    assert laptop.services.sync.import_bundle(bundle).tables["organisation"].added == 2


def test_edits_of_different_fields_on_two_installations_both_survive(
    office: Installation, laptop: Installation, outbox: Path
) -> None:
    organisation = add_organisation(office)
    exchange(office, laptop, outbox)
    office.services.organisations.change(organisation, city="Dakar")
    laptop.services.organisations.change(organisation, website="https://ecobat.sn")
    exchange(office, laptop, outbox)
    for installation in (office, laptop):
        record = installation.services.organisations.get(organisation)
        assert (record.city, record.website) == ("Dakar", "https://ecobat.sn")
        assert installation.services.sync.conflicts() == []
    assert dump(office) == dump(laptop)


def test_edits_of_one_field_keep_the_later_and_log_the_other(
    office: Installation, laptop: Installation, outbox: Path
) -> None:
    """The later edit wins everywhere; the earlier value waits in the conflict log, restorable."""
    organisation = add_organisation(office)
    exchange(office, laptop, outbox)
    office.services.organisations.change(organisation, notes="Met the director")
    laptop.services.organisations.change(organisation, notes="Sent the questionnaire")
    exchange(office, laptop, outbox)
    exchange(office, laptop, outbox)
    assert dump(office) == dump(laptop)
    for installation in (office, laptop):
        assert installation.services.organisations.get(organisation).notes == (
            "Sent the questionnaire"
        )
        [conflict] = installation.services.sync.conflicts()
        assert (conflict.field, conflict.lost, conflict.kept) == (
            "notes",
            "Met the director",
            "Sent the questionnaire",
        )
    office.services.sync.resolve_conflict(conflict.id, restore=True)
    assert office.services.organisations.get(organisation).notes == "Met the director"
    assert office.services.sync.conflicts() == []
    exchange(office, laptop, outbox)
    assert laptop.services.organisations.get(organisation).notes == "Met the director"
    assert laptop.services.sync.conflicts() == []


def test_the_order_of_bundles_does_not_change_the_result(
    office: Installation, laptop: Installation, tmp_path: Path, outbox: Path
) -> None:
    """Two bundles applied in either order (and again) give the same data."""
    organisation = add_organisation(office)
    first = send(office, laptop, outbox)
    office.services.organisations.change(organisation, city="Thiès")
    add_organisation(office, "SenEau")
    second = send(office, laptop, outbox)
    copy = Installation(tmp_path / "copy.sqlite", laptop.services)
    laptop.services.close()
    shutil.copyfile(laptop.path, copy.path)
    laptop.reopen()
    copy.reopen()
    for installation, order in ((laptop, (first, second)), (copy, (second, first, second))):
        for bundle in order:
            installation.services.sync.import_bundle(bundle)
    assert dump(laptop) == dump(copy) == dump(office)
    copy.services.close()


def test_an_edit_meets_a_deletion_the_record_stays_deleted_and_the_edit_is_logged(
    office: Installation, laptop: Installation, outbox: Path
) -> None:
    organisation = add_organisation(office)
    exchange(office, laptop, outbox)
    office.services.organisations.delete(organisation)
    laptop.services.organisations.change(organisation, phone="+221 33 800 00 00")
    exchange(office, laptop, outbox)
    exchange(office, laptop, outbox)
    assert dump(office) == dump(laptop)
    assert office.services.organisations.count() == 0
    [conflict] = office.services.sync.conflicts()
    assert (conflict.field, conflict.lost, conflict.kept) == ("deleted", False, True)
    office.services.sync.resolve_conflict(conflict.id, restore=True)
    restored = office.services.organisations.get(organisation)
    assert restored.phone == "+221 33 800 00 00"


def test_a_participant_added_to_a_dialogue_deleted_elsewhere_goes_with_it(
    office: Installation, laptop: Installation, outbox: Path
) -> None:
    organisation = add_organisation(office)
    dialogue = office.services.dialogues.create(
        DialogueDraft(
            title="Used oils",
            held_on=dt.date(2027, 3, 1),
            format=DialogueFormat.MEETING,
            country="SN",
        )
    ).id
    exchange(office, laptop, outbox)
    office.services.dialogues.delete(dialogue)
    laptop.services.dialogue_participants.create(
        DialogueParticipantDraft(dialogue_id=dialogue, organisation_id=organisation)
    )
    exchange(office, laptop, outbox)
    exchange(office, laptop, outbox)
    assert dump(office) == dump(laptop)
    assert laptop.services.dialogue_participants.count() == 0
    logged = {(c.entity, c.field, c.lost) for c in laptop.services.sync.conflicts()}
    assert ("dialogue_participant", "deleted", False) in logged


def test_an_organisation_deleted_while_a_person_joined_it_elsewhere_comes_back(
    office: Installation, laptop: Installation, outbox: Path
) -> None:
    organisation = add_organisation(office)
    exchange(office, laptop, outbox)
    office.services.organisations.delete(organisation)
    person = add_contact(laptop, organisation)
    exchange(office, laptop, outbox)
    exchange(office, laptop, outbox)
    assert dump(office) == dump(laptop)
    for installation in (office, laptop):
        assert installation.services.organisations.get(organisation).name == "Ecobat Recyclage"
        assert installation.services.contacts.get(person).organisation_id == organisation
    logged = {(c.entity, c.field, c.lost) for c in office.services.sync.conflicts()}
    assert ("organisation", "deleted", True) in logged


def test_an_acknowledged_change_is_not_sent_again(
    office: Installation, laptop: Installation, outbox: Path
) -> None:
    add_organisation(office)
    exchange(office, laptop, outbox)  # the laptop's bundle back acknowledges the organisation
    assert office.services.sync.peer("Field laptop").pending == 0
    add_organisation(office, "SenEau")
    assert office.services.sync.peer("Field laptop").pending == 2  # SenEau and its audit entry
    report = laptop.services.sync.import_bundle(send(office, laptop, outbox))
    assert report.manifest.counts["organisation"] == 1
    assert report.tables["organisation"].added == 1


def test_a_lost_bundle_costs_nothing_the_next_one_sends_everything_again(
    office: Installation, laptop: Installation, outbox: Path
) -> None:
    first = add_organisation(office)
    send(office, laptop, outbox)  # lost on the way
    second = add_organisation(office, "SenEau")
    laptop.services.sync.import_bundle(send(office, laptop, outbox))
    assert {first, second} == set(laptop.services.organisations.ids())


def test_a_missing_earlier_bundle_is_named_and_nothing_is_applied(
    office: Installation, laptop: Installation, tmp_path: Path, outbox: Path
) -> None:
    """The laptop lost what it had imported (an old backup): the next bundle needs it."""
    add_organisation(office)
    laptop.services.close()
    backup = tmp_path / "before.sqlite"
    shutil.copyfile(laptop.path, backup)
    laptop.reopen()
    exchange(office, laptop, outbox)  # bundle 1 applied and acknowledged
    add_organisation(office, "SenEau")
    later = send(office, laptop, outbox)  # bundle 2 starts after what bundle 1 held
    laptop.services.close()
    shutil.copyfile(backup, laptop.path)
    laptop.reopen()
    before = database_bytes(laptop)
    with pytest.raises(BundleRefused, match="import bundle 1 from Dakar office first"):
        laptop.services.sync.import_bundle(later)
    assert database_bytes(laptop) == before


def test_the_secretariat_consolidates_centres_and_sends_each_only_its_own(
    office: Installation, tmp_path: Path, outbox: Path
) -> None:
    secretariat = new_installation(tmp_path, "Geneva", None)
    ibadan = new_installation(tmp_path, "Ibadan office", "BCRC-NG")
    enrol(office, secretariat)
    enrol(ibadan, secretariat)
    dakar_company = add_organisation(office)
    ibadan_company = add_organisation(ibadan, "Lagos Metals", country="NG")
    secretariat.services.sync.import_bundle(send(office, secretariat, outbox))
    secretariat.services.sync.import_bundle(send(ibadan, secretariat, outbox))
    assert {dakar_company, ibadan_company} <= set(secretariat.services.organisations.ids())
    back = send(secretariat, office, outbox)
    office.services.sync.import_bundle(back)
    assert set(office.services.organisations.ids()) == {dakar_company}
    secretariat.services.close()
    ibadan.services.close()


def test_a_centre_may_not_change_another_centres_records(
    office: Installation, tmp_path: Path, outbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records of another centre in a centre's bundle are refused and reported; the rest applies."""
    secretariat = new_installation(tmp_path, "Geneva", None)
    enrol(office, secretariat)
    own = add_organisation(office)
    foreign = add_organisation(office, "Lagos Metals", country="NG")
    with office.services.database.sessions.begin() as session:
        from regional_centre.db.models import Organisation

        session.execute(
            update(Organisation).where(Organisation.id == foreign).values(owner="BCRC-NG")
        )
    monkeypatch.setattr(peers, "owner_filter", lambda *a: lambda model: None)
    report = secretariat.services.sync.import_bundle(send(office, secretariat, outbox))
    assert report.refused == {"BCRC-NG": 1}
    assert report.tables["organisation"].added == 1
    assert set(secretariat.services.organisations.ids()) == {own}
    secretariat.services.close()


def test_code_lists_come_from_the_secretariat_only(
    office: Installation, tmp_path: Path, outbox: Path
) -> None:
    secretariat = new_installation(tmp_path, "Geneva", None)
    enrol(office, secretariat)
    with secretariat.services.database.sessions.begin() as session:
        session.execute(
            update(ReferenceList)
            .where(ReferenceList.name == "waste_stream")
            .values(version="2099.1")
        )
    report = office.services.sync.import_bundle(send(secretariat, office, outbox))
    assert report.reference_updated == ["waste_stream"]
    versions = {c.name: c.version for c in office.services.reference.lists()}
    assert versions["waste_stream"] == "2099.1"
    again = secretariat.services.sync.import_bundle(send(office, secretariat, outbox))
    assert again.reference_updated == []
    secretariat.services.close()


def test_pseudonymised_bundles_carry_no_names_or_contacts(
    office: Installation, tmp_path: Path, outbox: Path
) -> None:
    secretariat = new_installation(tmp_path, "Geneva", None)
    enrol(office, secretariat)
    organisation = add_organisation(office)
    person = add_contact(office, organisation, given_name="Mariama", family_name="Ba")
    office.services.sync.set_personal_data("Geneva", "pseudonymised")
    bundle = send(office, secretariat, outbox, encrypt=False)
    with open_bundle(bundle, lambda fingerprint: None) as opened:
        from regional_centre.sync.manifest import Manifest

        manifest = Manifest.parse(opened.manifest_bytes)
        text = b"".join(
            bytes(str(line), "utf-8") for m in manifest.members for line in opened.lines(m)
        )
    assert manifest.personal_data == "pseudonymised"
    for secret in (b"Mariama", b"awa.diop", b"+221 77"):
        assert secret not in text
    secretariat.services.sync.import_bundle(bundle)
    seen = secretariat.services.contacts.get(person)
    assert (seen.given_name, seen.email, seen.phone) == ("", "", "")
    assert seen.family_name.startswith("#")
    assert (seen.gender, seen.country, seen.organisation_id) == (
        office.services.contacts.get(person).gender,
        "SN",
        organisation,
    )
    secretariat.services.close()


def test_a_rotated_key_is_trusted_through_the_old_one_and_the_old_one_stops(
    office: Installation, laptop: Installation, outbox: Path
) -> None:
    add_organisation(office)
    old_bundle = send(office, laptop, outbox)
    announcement = office.services.sync.rotate_keys()
    enrolment = laptop.services.sync.read_enrolment(announcement)
    assert enrolment.replaces is not None  # endorsed by the old key: no phone call needed
    laptop.services.sync.enrol(enrolment)
    with pytest.raises(BundleRefused, match="revoked"):
        laptop.services.sync.import_bundle(old_bundle)
    report = laptop.services.sync.import_bundle(send(office, laptop, outbox))
    assert report.tables["organisation"].added == 1


def test_a_revoked_peer_cannot_send_or_receive(
    office: Installation, laptop: Installation, outbox: Path
) -> None:
    add_organisation(office)
    bundle = send(office, laptop, outbox)
    laptop.services.sync.revoke("Dakar office")
    before = database_bytes(laptop)
    with pytest.raises(BundleRefused, match="revoked"):
        laptop.services.sync.import_bundle(bundle)
    assert database_bytes(laptop) == before
    with pytest.raises(ServiceError, match="revoked"):
        laptop.services.sync.export_bundle("Dakar office", outbox / "x.rcbundle")
    assert not (outbox / "x.rcbundle").exists()


def test_pending_counts_what_the_peer_lacks(office: Installation, laptop: Installation) -> None:
    assert office.services.sync.peer("Field laptop").pending == 0
    add_organisation(office)
    pending = office.services.sync.peer("Field laptop")
    assert pending.pending == 2  # the organisation and its audit entry


def test_placeholders_from_a_pseudonymised_bundle_never_replace_real_names(
    office: Installation, laptop: Installation, tmp_path: Path, outbox: Path
) -> None:
    """The secretariat relays what it has; the laptop keeps the names it got from the office."""
    secretariat = new_installation(tmp_path, "Geneva", None)
    enrol(office, secretariat)
    enrol(laptop, secretariat)
    person = add_contact(office, add_organisation(office), given_name="Mariama", family_name="Ba")
    exchange(office, laptop, outbox)
    office.services.sync.set_personal_data("Geneva", "pseudonymised")
    secretariat.services.sync.import_bundle(send(office, secretariat, outbox))
    assert secretariat.services.contacts.get(person).given_name == ""
    laptop.services.sync.import_bundle(send(secretariat, laptop, outbox))
    kept = laptop.services.contacts.get(person)
    assert (kept.given_name, kept.family_name, kept.email) == (
        "Mariama",
        "Ba",
        "awa.diop@example.org",
    )
    assert laptop.services.sync.conflicts() == []
    laptop.services.contacts.change(person, job_title="Director")
    secretariat.services.sync.import_bundle(send(laptop, secretariat, outbox))
    seen = secretariat.services.contacts.get(person)
    assert (seen.given_name, seen.job_title) == ("Mariama", "Director")  # the laptop sends in full
    secretariat.services.close()


def test_the_secretariat_sees_every_centre_side_by_side(
    office: Installation, tmp_path: Path, outbox: Path
) -> None:
    secretariat = new_installation(tmp_path, "Geneva", None)
    ibadan = new_installation(tmp_path, "Ibadan office", "BCRC-NG")
    enrol(office, secretariat)
    enrol(ibadan, secretariat)
    add_contact(office, add_organisation(office))
    add_organisation(office, "SenEau")
    add_organisation(ibadan, "Lagos Metals", country="NG")
    secretariat.services.sync.import_bundle(send(office, secretariat, outbox))
    secretariat.services.sync.import_bundle(send(ibadan, secretariat, outbox))
    overview = {o.centre: o for o in secretariat.services.sync.centres_overview()}
    assert set(overview) == {"BCRC-SN", "BCRC-NG"}
    assert overview["BCRC-SN"].counts["organisation"] == 2
    assert overview["BCRC-SN"].counts["contact"] == 1
    assert overview["BCRC-NG"].counts["organisation"] == 1
    assert overview["BCRC-SN"].nodes == ("Dakar office",)
    assert overview["BCRC-NG"].bundles == 1
    assert overview["BCRC-NG"].last_import_at is not None
    secretariat.services.close()
    ibadan.services.close()


def test_the_advisory_committees_review_reaches_the_centre_which_cannot_change_it(
    office: Installation, tmp_path: Path, outbox: Path
) -> None:
    from regional_centre.enums import ActivityType, Recommendation
    from regional_centre.services.engagement import AdvisoryReviewDraft, JointActivityDraft
    from regional_centre.services.errors import ValidationError

    secretariat = new_installation(tmp_path, "Geneva", None)
    enrol(office, secretariat)
    activity = office.services.activities.create(
        JointActivityDraft(
            title="Used oil collection", activity_type=ActivityType.WASTE_MINIMIZATION
        )
    ).id
    secretariat.services.sync.import_bundle(send(office, secretariat, outbox))
    review = secretariat.services.reviews.create(
        AdvisoryReviewDraft(
            activity_id=activity,
            reviewed_on=dt.date(2027, 5, 3),
            recommendation=Recommendation.CONTINUE,
            comments="Extend to two more cities.",
        )
    ).id
    office.services.sync.import_bundle(send(secretariat, office, outbox))
    assert office.services.reviews.get(review).comments == "Extend to two more cities."
    before = database_bytes(office)
    with pytest.raises(ValidationError, match="belongs to SECRETARIAT"):
        office.services.reviews.change(review, comments="Done.")
    assert database_bytes(office) == before
    secretariat.services.close()


def test_two_installations_issuing_the_same_certificate_number_end_with_two_numbers(
    office: Installation, laptop: Installation, outbox: Path
) -> None:
    """Offline, both give the next number; after the exchange the numbers differ, the same everywhere."""
    from regional_centre.demo import generate

    generate(office.services, "small", seed=7)
    issued = office.services.certificates.ids()[:2]
    participations = [office.services.certificates.get(i).participation_id for i in issued]
    office.services.certificates.delete_many(issued)
    exchange(office, laptop, outbox)
    first = office.services.certificates.issue(participations[0])
    second = laptop.services.certificates.issue(participations[1])
    assert first.number == second.number
    exchange(office, laptop, outbox)
    exchange(office, laptop, outbox)
    assert dump(office) == dump(laptop)
    numbers = {
        office.services.certificates.get(first.id).number,
        office.services.certificates.get(second.id).number,
    }
    assert len(numbers) == 2 and first.number in numbers
    renumbered = max(first.id, second.id)
    assert office.services.certificates.get(renumbered).number == (
        f"{first.number}-{renumbered[:4].upper()}"
    )
    logged = [c for c in laptop.services.sync.conflicts() if c.field == "number"]
    assert [(c.record_id, c.lost) for c in logged] == [(renumbered, first.number)]
