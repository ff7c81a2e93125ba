"""The KuF in the register (SPEC §5): sources, cost groups, yearly plans, edited by set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Result, git


def test_init_writes_the_source_catalogue(tmp_path: Path, ihk: Callable[..., Result]) -> None:
    assert ihk("init", "powe", cwd=tmp_path).exit_code == 0
    meta = (tmp_path / "powe" / "ihk.yaml").read_text("utf-8")
    assert "quellen:\n  stbauf:\n    titel: Städtebauförderung (Bund/Land)\n" in meta
    assert "    staedtebaufoerderung: true\n  gemeinde:\n" in meta
    assert ihk("validate", cwd=tmp_path / "powe").exit_code == 0


def test_a_register_without_sources_uses_the_default(
    example: Path, ihk: Callable[..., Result]
) -> None:
    assert "quellen" not in (example / "ihk.yaml").read_text("utf-8")
    result = ihk(
        "set", "hauswirtschaftliche-soforthilfe", "finanzierung.plan.2003.arbeitsagentur=12.000",
        cwd=example,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = (example / "massnahmen" / "hauswirtschaftliche-soforthilfe.yaml").read_text("utf-8")
    assert "  plan:\n    2003:\n      arbeitsagentur: 12000\n" in text
    assert ihk("validate", cwd=example).exit_code == 0


def test_set_a_yearly_slice_keeps_comments_and_refuses_unknown_sources(
    example: Path, ihk: Callable[..., Result]
) -> None:
    path = example / "massnahmen" / "stettiner-platz.yaml"
    ok = ihk(
        "set", "stettiner-platz", "finanzierung.kostengruppe=baumassnahmen",
        "finanzierung.plan.2003.stbauf=320.000", "finanzierung.plan.2003.gemeinde=160.000",
        cwd=example,
    )  # fmt: skip
    assert ok.exit_code == 0, ok.stderr
    text = path.read_text("utf-8")
    assert text.startswith("# Projektbeispiel aus dem Vortrag")
    assert "    2003: {stbauf: 320000, gemeinde: 160000}\n" in text  # the file's flow style
    head = git(example, "rev-parse", "HEAD")
    wrong = ihk("set", "stettiner-platz", "finanzierung.plan.2004.stbaf=1", cwd=example)
    assert wrong.exit_code == 1
    assert (
        "Finanzierungsquelle „stbaf“ steht nicht in ihk.yaml (quellen) – meinten Sie „stbauf“?"
        in (wrong.stderr)
    )
    assert git(example, "rev-parse", "HEAD") == head


def test_add_with_a_cost_group(example: Path, ihk: Callable[..., Result]) -> None:
    result = ihk(
        "add", "massnahme", "--titel", "Quartiersfonds", "--oberziel", "beteiligung",
        "--stbauf", "--kostengruppe", "fonds", cwd=example,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = (example / "massnahmen" / "quartiersfonds.yaml").read_text("utf-8")
    assert "  kostengruppe: fonds\n" in text
