"""Templates: bounded in time and size, author mistakes reported with the template's line."""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from ihk.errors import InvalidInput
from ihk.render import TEMPLATE_NAME, Limits, choose_template, render

DATA = {"gebiet": "Belm-Powe", "liste": list(range(200)), "titel": "Bewohner*innen"}
QUICK = Limits(seconds=1.5)


def fails(template: str, limits: Limits = QUICK) -> str:
    with pytest.raises(InvalidInput) as info:
        render(template, "vorlage.md.j2", DATA, limits)
    return info.value.message


def test_a_plain_template_renders() -> None:
    out = render("# {{ gebiet | text }}: {{ titel | text }} {{ 'tafel' | code }}\n", "v", DATA)
    assert out == "# Belm-Powe: Bewohner\\*innen `tafel`\n"


def test_data_may_be_a_dataclass() -> None:
    @dataclass
    class Daten:
        gebiet: str

    assert render("{{ gebiet }}", "v", Daten("Powe")) == "Powe\n"


def test_two_nested_huge_ranges_end_at_once() -> None:
    start = time.monotonic()
    message = fails(
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}",
        LIMITS_DEFAULT,
    )
    assert time.monotonic() - start < 10  # at once, even on a busy machine
    assert message == (
        "Die Vorlage vorlage.md.j2 bricht ab (Zeile 1): "
        "range() liefert höchstens 10.000 Zahlen (verlangt: 100.000)"
    )


LIMITS_DEFAULT = Limits()


@pytest.mark.parametrize(
    "template",
    [
        "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
        # loops over the data, no range and no output at all
        "{% for a in liste %}{% for b in liste %}{% for c in liste %}{% for d in liste %}"
        "{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
        # a structure that doubles at every step, then printed
        "{% set ns = namespace(l=[]) %}{% for i in range(10000) %}{% set ns.l = [ns.l, ns.l] %}"
        "{% endfor %}{{ ns.l }}",
        # a macro that calls itself twice: 2**40 calls
        "{% macro f(n) %}{% if n < 40 %}{{ f(n + 1) }}{{ f(n + 1) }}{% endif %}{% endmacro %}"
        "{{ f(1) }}",
    ],
)
def test_runtime_is_bounded(template: str) -> None:
    start = time.monotonic()
    message = fails("\n\n" + template)
    assert time.monotonic() - start < QUICK.seconds + 8
    assert message.startswith(
        "Die Vorlage vorlage.md.j2 bricht ab (Zeile 3): Zeitlimit von 1,5 Sekunden"
    )


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ('{{ "x" * 10**9 }}', "ein einzelner Wert wäre größer als 5.000.000"),
        ("{{ [0] * 10**8 }}", "ein einzelner Wert wäre größer als 5.000.000"),
        ("{{ 7 ** 100000000 }}", "Zahl zu groß (mehr als 100.000 Bit)"),
        ('{{ "x" | center(10**9) }}', "Zahl 1.000.000.000 ist als Anzahl oder Breite zu groß"),
        ('{{ "x".ljust(10**9) }}', "Zahl 1.000.000.000 ist als Anzahl oder Breite zu groß"),
        ('{{ "%0999999999d" % 1 }}', "Zahl 999.999.999 ist als Anzahl oder Breite zu groß"),
        ('{{ "{:>999999999}".format(1) }}', "Zahl 999.999.999 ist als Anzahl oder Breite zu groß"),
        ('{{ range(10000) | join("x" * 100000) }}', "ein einzelner Wert wäre größer"),
        ('{{ ("x" * 4000000).replace("", "yy") }}', "ein einzelner Wert wäre größer"),
        ('{{ ("\t" * 1000000).expandtabs(1000) }}', "ein einzelner Wert wäre größer"),
        ('{{ ("a\\n" * 100000) | indent(1000) }}', "ein einzelner Wert wäre größer"),
        ('{{ ("a\\n" * 10000) | indent("y" * 1000) }}', "ein einzelner Wert wäre größer"),
        ('{{ range(10) | batch(10**9, "x") | list }}', "Zahl 1.000.000.000"),
        ('{{ ("x" * 1000000).join(range(10000) | map("string")) }}', "ein einzelner Wert"),
        ('{{ ("a" * 1000000).translate(["y" * 100] * 200) }}', "ein einzelner Wert"),
        ('{{ "%0999999999d".encode() % 1 }}', "Zahl 999.999.999"),
        # doubling a string through a namespace
        (
            '{% set ns = namespace(s="x") %}{% for i in range(100) %}'
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "ein einzelner Wert wäre größer",
        ),
        # output into a macro buffer that is never printed
        (
            '{% macro m() %}{% for i in range(10000) %}{% for j in range(10000) %}{{ "x" * 1000 }}'
            "{% endfor %}{% endfor %}{% endmacro %}{% set x = m() %}",
            "die Vorlage erzeugt mehr als",
        ),
        # many large values kept at once
        (
            "".join(f'{{% set a{i} = "x" | center(4000000) %}}' for i in range(40)),
            "die Vorlage erzeugt mehr als",
        ),
        ('{% set a = "x" * 4999999 %}{{ [a] * 1000 }}', "die Vorlage erzeugt mehr als"),
        ('{% set a = "x" * 4999999 %}{{ ([a] * 1000) | tojson }}', "größer"),
    ],
)
def test_memory_is_bounded(template: str, reason: str) -> None:
    before = _rss_mb()
    message = fails(template, Limits(seconds=20))
    assert message.startswith("Die Vorlage vorlage.md.j2 bricht ab (Zeile 1): ")
    assert reason in message
    assert _rss_mb() - before < 400


def test_output_is_bounded() -> None:
    message = fails('{% for i in range(10000) %}{{ "x" * 100000 }}{% endfor %}')
    assert message.startswith("Die Vorlage vorlage.md.j2 bricht ab (Zeile 1): ")
    assert "die Vorlage erzeugt mehr als 20." in message


def test_a_large_register_gets_a_larger_budget() -> None:
    big = {"titel": ["x" * 1000] * 30_000}  # 30 MB of data
    out = render("{% for t in titel %}{{ t }}\n{% endfor %}", "v", big)
    assert len(out) == 30_000 * 1001


def test_lipsum_is_not_offered() -> None:
    assert "unbekannter Name „lipsum“" in fails("{{ lipsum(10**6) }}")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Zeile 1\n{% include 'x.j2' %}", "vorlage.md.j2:2: Fehler in der Vorlage: include, "),
        ("\n\n{% extends 'basis.j2' %}", "vorlage.md.j2:3: Fehler in der Vorlage: include, "),
        ("{% import 'm.j2' as m %}", "vorlage.md.j2:1: Fehler in der Vorlage: include, "),
        ("a\nb\n{{ 1/0 }}", "vorlage.md.j2:3: Fehler in der Vorlage: Division durch null"),
        (
            "{% macro f(n) %}\n{{ f(n + 1) }}\n{% endmacro %}\n{{ f(1) }}",
            "vorlage.md.j2:2: Fehler in der Vorlage: zu tiefe Verschachtelung oder Rekursion",
        ),
        ("\n{{ 5 | join }}", "vorlage.md.j2:2: Fehler in der Vorlage: Wert vom falschen Typ"),
        ("\n\n\n{{ gibtsnicht }}", "vorlage.md.j2:4: Fehler in der Vorlage: unbekannter Name"),
        ("{{ liste.foo }}", "vorlage.md.j2:1: Fehler in der Vorlage: „foo“ gibt es nicht"),
        ("{{ gebiet.__class__ }}", "vorlage.md.j2:1: Fehler in der Vorlage: in der Sandbox nicht"),
        ("{{ liste.append(1) }}", "vorlage.md.j2:1: Fehler in der Vorlage: in der Sandbox nicht"),
        ("x\n{% for %}", "vorlage.md.j2:2: Fehler in der Vorlage: "),
        ("{{ 'x' | gibtsnicht }}", "vorlage.md.j2:1: Fehler in der Vorlage: unbekannter Filter"),
        ("{{ 'x' is gibtsnicht }}", "vorlage.md.j2:1: Fehler in der Vorlage: unbekannter Test"),
        ("{{ 'x' | monat }}", "vorlage.md.j2:1: Fehler in der Vorlage: ungültiger Wert"),
        ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "vorlage.md.j2: Fehler in der Vorlage: "),
        ("{{ " + "9" * 5000 + " }}", "vorlage.md.j2: Fehler in der Vorlage: ungültiger Wert"),
    ],
)
def test_author_mistakes_are_reported_with_the_line(template: str, expected: str) -> None:
    message = fails(template)
    assert message.startswith(expected), message
    assert "\n" not in message and "\x1b" not in message and len(message) < 500


def test_our_own_errors_pass_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    import ihk.render

    def refuse(value: object) -> str:
        raise InvalidInput("eigene Meldung")

    monkeypatch.setattr(ihk.render, "euro", refuse)
    assert fails("{{ 5 | euro }}") == "eigene Meldung"


# ------------------------------------------------------------------ choosing a template


def _register(tmp_path: Path) -> Path:
    root = tmp_path / "reg"
    (root / "templates").mkdir(parents=True)
    return root


def test_the_registers_template_is_used(tmp_path: Path) -> None:
    root = _register(tmp_path)
    (root / "templates" / TEMPLATE_NAME).write_text("\ufeffeigen\n", encoding="utf-8")
    name, source = choose_template(root, None)
    assert name == str(root / "templates" / TEMPLATE_NAME) and source == "eigen\n"
    (root / "templates" / TEMPLATE_NAME).unlink()
    assert choose_template(root, None)[0].startswith("(eingebaut)")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolische Links")
def test_a_symlinked_register_template_is_refused(tmp_path: Path) -> None:
    root = _register(tmp_path)
    secret = tmp_path / "geheim.txt"
    secret.write_text("Passwort\n", encoding="utf-8")
    (root / "templates" / TEMPLATE_NAME).symlink_to(secret)
    with pytest.raises(InvalidInput) as info:
        choose_template(root, None)
    assert info.value.message.startswith(f"{root / 'templates' / TEMPLATE_NAME}: ")
    assert "symbolischer Link" in info.value.message and "Passwort" not in info.value.message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolische Links")
def test_a_symlinked_templates_folder_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "reg"
    root.mkdir()
    elsewhere = tmp_path / "anderswo"
    elsewhere.mkdir()
    (elsewhere / TEMPLATE_NAME).write_text("fremd\n", encoding="utf-8")
    (root / "templates").symlink_to(elsewhere)
    with pytest.raises(InvalidInput) as info:
        choose_template(root, None)
    assert "templates: ist ein symbolischer Link" in info.value.message


def test_a_register_template_that_is_no_file_is_refused(tmp_path: Path) -> None:
    root = _register(tmp_path)
    (root / "templates" / TEMPLATE_NAME).mkdir()
    with pytest.raises(InvalidInput) as info:
        choose_template(root, None)
    assert "die Vorlage ist keine gewöhnliche Datei" in info.value.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_in_the_register_is_refused_without_blocking(tmp_path: Path) -> None:
    root = _register(tmp_path)
    os.mkfifo(root / "templates" / TEMPLATE_NAME)
    with pytest.raises(InvalidInput) as info:
        choose_template(root, None)
    assert "keine gewöhnliche Datei" in info.value.message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolische Links")
def test_an_explicit_template_may_be_a_link(tmp_path: Path) -> None:
    root = _register(tmp_path)
    target = tmp_path / "meine.md.j2"
    target.write_text("meine\n", encoding="utf-8")
    link = tmp_path / "link.md.j2"
    link.symlink_to(target)
    assert choose_template(root, link) == (str(link), "meine\n")
    with pytest.raises(InvalidInput, match="ist ein Ordner"):
        choose_template(root, tmp_path)
    with pytest.raises(InvalidInput, match="Vorlage nicht gefunden"):
        choose_template(root, tmp_path / "fehlt.j2")


def test_templates_must_be_utf8_and_not_huge(tmp_path: Path) -> None:
    bad = tmp_path / "latin.j2"
    bad.write_bytes("Größe".encode("latin-1"))
    with pytest.raises(InvalidInput, match="nicht in UTF-8"):
        choose_template(tmp_path, bad)
    huge = tmp_path / "gross.j2"
    huge.write_text("x" * 1_000_001, encoding="utf-8")
    with pytest.raises(InvalidInput, match="Vorlage ist zu groß"):
        choose_template(tmp_path, huge)


# ------------------------------------------------------------------ HTML


def test_html_templates_escape_values_once_and_keep_their_own_markup() -> None:
    data = {"titel": '<b>Bewohner*innen</b> & "Gäste"', "kennung": "a<b"}
    template = (
        "<p class='x'>{{ titel }}|{{ titel | text }}|{{ kennung | code }}|"
        "{{ '<i>' ~ (kennung | code) }}|{% set m %}<em>{{ titel }}</em>{% endset %}{{ m }}|"
        "{% macro fett(t) %}<strong>{{ t }}</strong>{% endmacro %}{{ fett(titel) }}</p>"
    )
    out = render(template, "v.html.j2", data, html=True)
    safe = "&lt;b&gt;Bewohner*innen&lt;/b&gt; &amp; &#34;Gäste&#34;"
    assert out == (
        f"<p class='x'>{safe}|{safe}|<code>a&lt;b</code>|&lt;i&gt;<code>a&lt;b</code>|"
        f"<em>{safe}</em>|<strong>{safe}</strong></p>"
    )


def test_html_text_is_one_line_without_control_characters() -> None:
    out = render("{{ t | text }}", "v.html.j2", {"t": "a\n\nb\x1bc"}, html=True)
    assert out == "a b\ufffdc"


def test_markdown_templates_are_not_escaped_as_html() -> None:
    assert render("<p>{{ t }}</p>", "v.md.j2", {"t": "<b>"}) == "<p><b></p>\n"


def test_html_templates_keep_their_bounds() -> None:
    with pytest.raises(InvalidInput) as info:
        render("{{ 'x' * 100000000 }}", "v.html.j2", DATA, QUICK, html=True)
    assert "bricht ab" in info.value.message
