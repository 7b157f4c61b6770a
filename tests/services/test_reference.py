"""The shipped code lists and their versions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from regional_centre.paths import resources_dir
from regional_centre.services import Services
from regional_centre.services.errors import ServiceError
from regional_centre.services.reference import (
    BASEL_CODE,
    CENTRE,
    COUNTRY,
    ISIC,
    read_shipped_lists,
)


def test_every_list_is_loaded_with_its_version(services: Services) -> None:
    loaded = {info.name: info for info in services.reference.lists()}
    shipped = {code_list.name: code_list for code_list in read_shipped_lists()}
    assert set(loaded) == set(shipped)
    for name, info in loaded.items():
        assert info.version == shipped[name].version
        assert info.size == len(shipped[name].codes) > 0


def test_the_lists_hold_what_their_sources_say(services: Services) -> None:
    reference = services.reference
    assert len(reference.codes(COUNTRY)) == 249
    isic = reference.codes(ISIC).values()
    assert sum(c.attributes["level"] == "section" for c in isic) == 21
    assert sum(c.attributes["level"] == "division" for c in isic) == 88
    assert reference.codes(ISIC)["25"].parent == "C"
    basel = reference.codes(BASEL_CODE)
    assert basel["Y8"].title == "Waste mineral oils unfit for their originally intended use"
    assert {"Y1", "Y45", "Y46", "Y49", "H1", "D15", "R13"} <= set(basel)
    assert "Y49" in reference.waste_stream_codes() and "H1" not in reference.waste_stream_codes()
    centres = {c.code: c for c in reference.centres()}
    assert len(centres) == 14 and centres["BCRC-CAM"].retired
    assert centres["BCRC-SPREP"].attributes["country"] == "WS"


def test_country_names_come_from_cldr_in_each_language(services: Services) -> None:
    assert services.reference.country_name("SN", "fr") == "Sénégal"
    assert services.reference.country_name("SN", "ar") == "السنغال"
    assert services.reference.country_name("CN", "zh") == "中国"


def test_a_newer_list_replaces_the_old_and_retires_codes_still_in_use(
    services: Services, tmp_path: Path
) -> None:
    folder = tmp_path / "reference"
    shutil.copytree(resources_dir() / "reference", folder)
    manifest = json.loads((folder / "lists.json").read_text())
    manifest["priority_field"]["version"] = "2030.1"
    (folder / "lists.json").write_text(json.dumps(manifest))
    lines = (folder / "priority_fields.csv").read_text().splitlines()
    removed = lines[1].split(",")[0]
    (folder / "priority_fields.csv").write_text("\n".join([lines[0], *lines[2:]]) + "\n")

    assert services.reference.install_shipped(folder) == ["priority_field"]
    assert services.reference.install_shipped(folder) == []
    versions = {info.name: info.version for info in services.reference.lists()}
    assert versions["priority_field"] == "2030.1"
    assert services.reference.codes("priority_field")[removed].retired
    assert not services.reference.is_valid("priority_field", removed)


def test_damaged_reference_files_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "reference"
    shutil.copytree(resources_dir() / "reference", folder)
    (folder / "countries.csv").write_text("code,title\nSN,Senegal\nSN,Senegal again\n")
    with pytest.raises(ServiceError, match="duplicate codes"):
        read_shipped_lists(folder)
    (folder / "lists.json").write_text("{not json")
    with pytest.raises(ServiceError, match="missing or damaged"):
        read_shipped_lists(folder)


def test_centre_list_is_the_reference_list(services: Services) -> None:
    assert services.reference.is_valid(CENTRE, "BCRC-SN")
    assert not services.reference.is_valid(CENTRE, "BCRC-CAM")
