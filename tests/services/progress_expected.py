"""The progress report's figures counted a second, independent way: plain Python over raw rows.

Rows are read with ``sqlite3`` (no program code), every rule of the definitions
in ``regional_centre.services.progress`` is applied record by record, and the
result is written in the JSON form ``ProgressFigures.as_json`` promises, so the
two can be compared whole.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

Row = dict[str, Any]

SEATED = {"registered", "confirmed"}
IN_FORCE = {"signed", "active"}
TYPES = [
    "corporate_foundation",
    "industry_association",
    "multinational_company",
    "national_company",
    "public_body",
    "ngo_academia",
    "other",
]
FORMATS = ["meeting", "workshop", "site_visit", "call", "correspondence"]
AGREEMENTS = ["proposed", "negotiating", "signed", "active", "concluded", "suspended"]
ACTIVITY_TYPES = [
    "waste_minimization",
    "capacity_building",
    "technology_access",
    "training",
    "awareness",
]
ACTIVITY_STATUSES = ["planned", "ongoing", "completed", "cancelled"]
GENDERS = ["female", "male", "other", "undisclosed"]
SIZES = ["micro", "small", "medium"]
RECOMMENDATIONS = ["continue", "adjust", "scale_up", "replicate", "close"]


def read_tables(path: Path) -> dict[str, list[Row]]:
    """Every row of the tables the figures come from, as plain dictionaries."""
    tables = [
        "organisation",
        "contact",
        "dialogue",
        "dialogue_participant",
        "follow_up_action",
        "partnership",
        "joint_activity",
        "contribution",
        "outcome",
        "advisory_review",
        "training_session",
        "participation",
        "certificate",
        "reference_code",
    ]
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        return {t: [dict(r) for r in connection.execute(f"SELECT * FROM {t}")] for t in tables}
    finally:
        connection.close()


def number(value: Any) -> Decimal:
    """A stored number as the decimal the user typed (reals keep it to 15 digits)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def money_text(amount: Decimal) -> str:
    cents = amount.quantize(Decimal("0.01"))
    return str(cents) if cents == amount else format(amount.normalize(), "f")


def counts(keys: Iterable[str], values: Iterable[Any]) -> dict[str, int]:
    """A count for every key, zeros included."""
    found = Counter(values)
    return {key: found[key] for key in keys}


def nonzero(values: Iterable[Any]) -> dict[str, int]:
    return {str(key or ""): n for key, n in Counter(str(v or "") for v in values).items() if n}


def cash_json(rows: list[Row]) -> dict[str, Any]:
    totals: dict[str, Decimal] = {}
    numbers: Counter[str] = Counter()
    for row in rows:
        if row["kind"] == "cash":
            code = row["currency"] or ""
            totals[code] = totals.get(code, Decimal(0)) + number(row["amount"])
            numbers[code] += 1
    return {
        code: {"amount": money_text(total), "contributions": numbers[code]}
        for code, total in totals.items()
    }


def average_text(total: Decimal, count: int, step: str) -> str | None:
    if not count:
        return None
    return str((total / count).quantize(Decimal(step), rounding=ROUND_HALF_UP))


def expected_json(
    tables: Mapping[str, list[Row]],
    start: dt.date | None,
    end: dt.date | None,
    centre: str | None,
    today: dt.date,
    conversion: tuple[str, dict[str, Decimal]] | None = None,
) -> dict[str, Any]:
    """The JSON form of every figure of the period, counted row by row."""

    def live(table: str) -> list[Row]:
        return [r for r in tables[table] if not r["deleted"]]

    def inside(day: str | None) -> bool:
        if day is None:
            return False
        value = dt.date.fromisoformat(day)
        return (start is None or value >= start) and (end is None or value <= end)

    def mine(row: Row) -> bool:
        return centre is None or row["owner"] == centre

    def created(row: Row) -> str:
        milliseconds = int(row["created_stamp"][:16], 16) >> 16
        return dt.datetime.fromtimestamp(milliseconds / 1000, dt.UTC).date().isoformat()

    isic = {r["code"]: r["parent"] for r in tables["reference_code"] if r["list_name"] == "isic"}

    def section(code: str | None) -> str:
        while code is not None and isic.get(code):
            code = isic[code]
        return code if code is not None and code in isic else ""

    organisations = {r["id"]: r for r in tables["organisation"]}
    contacts = {r["id"]: r for r in tables["contact"]}
    all_dialogues = {r["id"]: r for r in tables["dialogue"]}

    partners = [o for o in live("organisation") if o["stakeholder_type"] != "sme" and mine(o)]
    new_partners = [o for o in partners if inside(created(o))]
    dialogues = {d["id"]: d for d in live("dialogue") if mine(d) and inside(d["held_on"])}
    actions = [a for a in live("follow_up_action") if a["dialogue_id"] in dialogues]

    def overdue(action: Row) -> bool:
        return (
            action["status"] == "open"
            and action["due_on"] is not None
            and action["due_on"] < today.isoformat()
        )

    partnerships = [p for p in live("partnership") if mine(p)]
    in_force = [p for p in partnerships if p["agreement_status"] in IN_FORCE]

    def overlaps(activity: Row) -> bool:
        if end is not None and (
            activity["start_on"] is None or activity["start_on"] > end.isoformat()
        ):
            return False
        return (
            start is None or activity["end_on"] is None or activity["end_on"] >= start.isoformat()
        )

    activities = {a["id"]: a for a in live("joint_activity") if mine(a) and overlaps(a)}
    given = [c for c in live("contribution") if c["activity_id"] in activities]
    outcomes: dict[tuple[str, str], list[Row]] = {}
    for outcome in live("outcome"):
        if outcome["activity_id"] in activities:
            outcomes.setdefault((outcome["indicator"], outcome["unit"]), []).append(outcome)
    ranked_outcomes = sorted(
        outcomes.items(), key=lambda item: (-len({o["activity_id"] for o in item[1]}), item[0])
    )

    def held(session: Row) -> bool:
        return session["status"] != "cancelled" and not session["deleted"]

    sessions = {
        s["id"]: s
        for s in tables["training_session"]
        if held(s) and mine(s) and inside(s["first_day"])
    }
    centre_sessions = {s["id"]: s for s in tables["training_session"] if held(s) and mine(s)}
    seated_ever = [
        p
        for p in live("participation")
        if p["registration_status"] in SEATED and p["session_id"] in centre_sessions
    ]
    seated = [p for p in seated_ever if p["session_id"] in sessions]
    firms = [organisations.get(p["organisation_id"]) for p in seated]

    def is_sme(organisation: Row | None) -> bool:
        return (
            organisation is not None
            and organisation["stakeholder_type"] == "sme"
            and not organisation["deleted"]
        )

    smes = {p["organisation_id"] for p in seated if is_sme(organisations.get(p["organisation_id"]))}
    earliest: dict[str, str] = {}
    for p in seated_ever:
        day = centre_sessions[p["session_id"]]["first_day"]
        if p["organisation_id"] in smes:
            earliest[p["organisation_id"]] = min(day, earliest.get(p["organisation_id"], day))
    tested = [
        p for p in seated if p["pre_test_score"] is not None and p["post_test_score"] is not None
    ]
    pre = sum((number(p["pre_test_score"]) for p in tested), Decimal(0))
    post = sum((number(p["post_test_score"]) for p in tested), Decimal(0))
    rated = [p["evaluation_rating"] for p in seated if p["evaluation_rating"] is not None]
    support = [c for c in live("contribution") if c["session_id"] in sessions]
    hours = sum(
        (number(s["hours_per_day"]) * len(json.loads(s["days"])) for s in sessions.values()),
        Decimal(0),
    )
    certificates = [c for c in live("certificate") if mine(c) and inside(c["issued_on"])]
    live_activities = {a["id"]: a for a in live("joint_activity")}
    reviews = [
        r
        for r in live("advisory_review")
        if r["activity_id"] in live_activities
        and mine(live_activities[r["activity_id"]])
        and inside(r["reviewed_on"])
    ]
    converted: dict[str, Any] | None = None
    unconverted: list[str] = []
    if conversion is not None:
        currency, rates = conversion
        total, used = Decimal(0), 0
        for code, entry in sorted(cash_json(given).items()):
            rate = Decimal(1) if code == currency else rates.get(code)
            if rate is None:
                unconverted.append(code)
            else:
                total += Decimal(entry["amount"]) * rate
                used += entry["contributions"]
        cents = total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        converted = {"currency": currency, "amount": str(cents), "contributions": used}
    key = {
        "partners": len(partners),
        "new_partners": len(new_partners),
        "smes": len(
            [o for o in live("organisation") if o["stakeholder_type"] == "sme" and mine(o)]
        ),
        "dialogues": len(dialogues),
        "partnerships": len(in_force),
        "activities": len(activities),
        "sessions": len(sessions),
        "participants": len(seated),
        "certificates": len(certificates),
        "overdue_actions": len(
            [
                a
                for a in live("follow_up_action")
                if overdue(a)
                and (centre is None or all_dialogues[a["dialogue_id"]]["owner"] == centre)
            ]
        ),
    }

    def covering(rows: Iterable[Row], column: str) -> dict[str, int]:
        return nonzero(code for row in rows for code in json.loads(row[column]))

    return {
        "format": "regional-centre-stats",
        "version": 1,
        "period": {"start": start and start.isoformat(), "end": end and end.isoformat()},
        "centre": centre,
        "generated_on": today.isoformat(),
        "conversion": None
        if conversion is None
        else {"currency": conversion[0], "rates": {k: str(v) for k, v in conversion[1].items()}},
        "key": key,
        "stakeholders": {
            "total": len(partners),
            "new": len(new_partners),
            "by_type": counts(TYPES, (o["stakeholder_type"] for o in partners)),
            "new_by_type": counts(TYPES, (o["stakeholder_type"] for o in new_partners)),
            "by_sector": nonzero(section(o["sector"]) for o in partners),
            "by_country": nonzero(o["country"] for o in partners),
        },
        "dialogues": {
            "held": len(dialogues),
            "organisations": len(
                {
                    p["organisation_id"]
                    for p in live("dialogue_participant")
                    if p["dialogue_id"] in dialogues
                }
            ),
            "by_format": counts(FORMATS, (d["format"] for d in dialogues.values())),
            "lifecycle_stages": covering(dialogues.values(), "lifecycle_stages"),
            "waste_streams": covering(dialogues.values(), "waste_streams"),
            "actions_open": len([a for a in actions if a["status"] == "open"]),
            "actions_done": len([a for a in actions if a["status"] == "done"]),
            "actions_overdue": len([a for a in actions if overdue(a)]),
        },
        "partnerships": {
            "total": len(in_force),
            "signed_in_period": len([p for p in partnerships if inside(p["signed_on"])]),
            "by_status": counts(AGREEMENTS, (p["agreement_status"] for p in partnerships)),
            "by_priority_field": covering(in_force, "priority_fields"),
        },
        "activities": {
            "total": len(activities),
            "by_status": counts(ACTIVITY_STATUSES, (a["status"] for a in activities.values())),
            "by_type": counts(ACTIVITY_TYPES, (a["activity_type"] for a in activities.values())),
            "contributions": cash_json(given),
            "in_kind": len([c for c in given if c["kind"] == "in_kind"]),
            "contributors": len({c["organisation_id"] for c in given}),
            "converted": converted,
            "unconverted": unconverted,
            "outcomes": [
                {
                    "indicator": indicator,
                    "unit": unit,
                    "total": format(
                        sum((number(o["value"]) for o in rows), Decimal(0)).normalize(), "f"
                    ),
                    "activities": len({o["activity_id"] for o in rows}),
                }
                for (indicator, unit), rows in ranked_outcomes
            ],
        },
        "training": {
            "sessions": len(sessions),
            "hours": str(hours.quantize(Decimal("0.1"))),
            "participants": len(seated),
            "by_gender": counts(GENDERS, (contacts[p["contact_id"]]["gender"] for p in seated)),
            "by_country": nonzero(contacts[p["contact_id"]]["country"] for p in seated),
            "by_sector": nonzero(section(f["sector"]) if f else "" for f in firms),
            "by_size": counts([*SIZES, ""], ((f and f["size_class"]) or "" for f in firms)),
            "smes": len(smes),
            "new_smes": len([o for o in smes if start is None or earliest[o] >= start.isoformat()]),
            "tested": len(tested),
            "average_pre": average_text(pre, len(tested), "0.1"),
            "average_post": average_text(post, len(tested), "0.1"),
            "average_gain": average_text(post - pre, len(tested), "0.1"),
            "evaluations": len(rated),
            "average_rating": average_text(Decimal(sum(rated)), len(rated), "0.01"),
            "ratings": counts(["1", "2", "3", "4", "5"], (str(r) for r in rated)),
            "certificates": len(certificates),
            "support": cash_json(support),
            "support_in_kind": len([c for c in support if c["kind"] == "in_kind"]),
        },
        "reviews": {
            "received": len(reviews),
            "by_recommendation": counts(RECOMMENDATIONS, (r["recommendation"] for r in reviews)),
        },
    }
