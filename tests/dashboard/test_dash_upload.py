"""Uploaded scenario files: validated as the CLI does, read safely, size-limited."""

from __future__ import annotations

import pytest

import dashboard
import seamsim


def _reject(data: bytes, name: str = "upload.yaml") -> str:
    with pytest.raises(dashboard.UploadRejected) as info:
        dashboard.read_upload(data, name)
    return str(info.value)


def test_a_good_upload_validates_and_may_extend_a_bundled_scenario():
    text = (
        "extends: article_after_3300v.yaml\n"
        "name: class_thin\n"
        "title: Thinner seam\n"
        "description: The after-face in 0.70 m.\n"
        "seam:\n  height_m: 0.70\n"
    )
    scenario, kept = dashboard.read_upload(text.encode(), "class_thin.yaml")
    assert scenario.name == "class_thin" and scenario.seam.height_m == 0.70
    assert scenario.machine.machine_height_mm == 588.0  # from the bundled parent
    assert kept == text


def test_a_value_out_of_bounds_gets_the_clis_message():
    message = _reject(b"seam:\n  height_m: 800\n", "bad.yaml")
    assert "bad.yaml:2" in message and "seam.height_m" in message and "did you mean 0.8" in message


def test_an_unknown_key_gets_a_did_you_mean():
    message = _reject(b"seam:\n  hieght_m: 0.8\n")
    assert "hieght_m" in message and "height_m" in message


def test_an_oversized_upload_is_refused_before_parsing():
    message = _reject(b"#" * (dashboard.MAX_UPLOAD_BYTES + 1), "big.yaml")
    assert "big.yaml" in message and "limit" in message


def test_a_python_object_tag_is_refused():
    message = _reject(b"seam: !!python/object/apply:os.system ['echo hacked']\n", "evil.yaml")
    assert "evil.yaml" in message
    assert "tag" in message.lower() or "python" in message.lower()


def test_an_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    )
    message = _reject(bomb.encode(), "bomb.yaml")
    assert "alias" in message.lower() or "nodes" in message.lower()


def test_not_utf8_and_not_yaml_are_refused():
    assert "UTF-8" in _reject(b"\xff\xfe\x00seam", "x.yaml")
    assert _reject(b"seam: [unclosed\n", "broken.yaml").startswith("broken.yaml")
    assert _reject(b"- just\n- a list\n", "list.yaml")


def test_extends_cannot_leave_the_scenario_folder():
    message = _reject(b"extends: ../pyproject.toml\n", "sneaky.yaml")
    assert "extends" in message


def test_nothing_is_loaded_from_a_bad_upload(tmp_path):
    # The loader raises ScenarioError only; the dashboard turns it into UploadRejected.
    with pytest.raises(seamsim.ScenarioError):
        seamsim.load_scenario_text("seam: {height_m: -1}\n", source="x.yaml")
