"""Ids, months and dates: ASCII digits and letters only, the whole text (issue 7, item 12)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from ihk.models import ID_RE, Datum, Id, Monat, MonatOderDatum


@pytest.mark.parametrize(
    "value", ["neu\n", "neu\r", "２００２", "neu ", "Neu", "-neu", "a" * 65, ""]
)
def test_bad_ids_are_refused_by_python_and_by_pydantic(value: str) -> None:
    # ID_RE runs on Python's re, Id's pattern on pydantic's Rust regex: both must refuse.
    assert not ID_RE.match(value)
    with pytest.raises(ValidationError):
        TypeAdapter(Id).validate_python(value)


@pytest.mark.parametrize("value", ["neu", "2002", "a-b", "a" * 64])
def test_good_ids_pass_both(value: str) -> None:
    assert ID_RE.match(value)
    assert TypeAdapter(Id).validate_python(value) == value


@pytest.mark.parametrize("value", ["2002-01\n", "２００２-01", "2002-０1", "2002-1", " 2002-01"])
def test_months_are_ascii_and_whole(value: str) -> None:
    with pytest.raises(ValidationError) as info:
        TypeAdapter(Monat).validate_python(value)
    assert "\n" not in str(info.value.errors()[0]["msg"])  # shown as "\n", on one line


@pytest.mark.parametrize("value", ["2002-01-01\n", "２００２-01-01", "2002-01-０1"])
def test_dates_are_ascii_and_whole(value: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Datum).validate_python(value)
    with pytest.raises(ValidationError):
        TypeAdapter(MonatOderDatum).validate_python(value)


def test_good_months_and_dates_pass() -> None:
    assert TypeAdapter(Monat).validate_python("2002-01") == "2002-01"
    assert TypeAdapter(Datum).validate_python("2002-01-31") == "2002-01-31"
    assert TypeAdapter(MonatOderDatum).validate_python("2002-01") == "2002-01"
