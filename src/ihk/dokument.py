"""A document for the council, as plain typed data (no I/O, no outside library).

The council's documents (the Fortschreibung, the IHK table) are built once as a
``Dokument``: headings, paragraphs, lists and tables of text ``Lauf`` s, already in the
reader's words (titles instead of ids, German dates, state words in legend colours).
Each output format renders this one structure: the HTML template (and the PDF made from
it) and the Word document. So what a council member reads is decided in one place
(``ratsfassung``), and the formats only decide how it looks.

Every block has a ``block`` field naming its type, for templates (``b.block ==
"tabelle"``); every type below is frozen and holds tuples, so a document cannot change
on its way through a renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

#: How a run of text looks: plain, bold, an id (``--kennungen``; small, monospaced),
#: or a note in a smaller, quieter type.
LaufArt = Literal["", "fett", "kennung", "leise"]


@dataclass(frozen=True)
class Lauf:
    """A run of text with one look; ``status`` colours it in the state's legend colour."""

    text: str
    art: LaufArt = ""
    status: str | None = None


#: One line of text: a paragraph, a list item, a line within a table cell.
Zeile: TypeAlias = tuple[Lauf, ...]


def zeile(*parts: str | Lauf) -> Zeile:
    """A line from plain strings and runs: ``zeile("Stand: ", Lauf("neu", "fett"))``."""
    return tuple(p if isinstance(p, Lauf) else Lauf(p) for p in parts if p != "")


def klartext(line: Zeile) -> str:
    """The text of a line without its looks."""
    return "".join(lauf.text for lauf in line)


@dataclass(frozen=True)
class Ueberschrift:
    ebene: int  # 1 (the title) to 3
    inhalt: Zeile
    block: Literal["ueberschrift"] = field(default="ueberschrift", init=False)


@dataclass(frozen=True)
class Absatz:
    inhalt: Zeile
    #: "einleitung": says what a section shows; "hinweis": a notice to the reader;
    #: "kolophon": where the document came from (at the end).
    art: Literal["", "einleitung", "hinweis", "kolophon"] = ""
    block: Literal["absatz"] = field(default="absatz", init=False)


@dataclass(frozen=True)
class Liste:
    punkte: tuple[Zeile, ...]
    block: Literal["liste"] = field(default="liste", init=False)


@dataclass(frozen=True)
class Angaben:
    """Facts as label and value (Gebiet, Programm, Zeitraum): the head of a document."""

    zeilen: tuple[tuple[str, Zeile], ...]
    block: Literal["angaben"] = field(default="angaben", init=False)


#: A column's content: "text" wraps (and hyphenates); "zahl" is right-aligned and
#: never wraps (amounts, counts); "wert" is right-aligned and wraps only between words
#: (a measured value and its year); "kurz" never wraps (dates, short state words).
SpaltenArt = Literal["text", "zahl", "wert", "kurz"]


@dataclass(frozen=True)
class Spalte:
    titel: str
    art: SpaltenArt = "text"
    #: A state column (the Bilanz): its heading in the state's legend colour.
    status: str | None = None


#: A table cell: its lines (most cells have one).
Zelle: TypeAlias = tuple[Zeile, ...]


#: A word at least this long may need breaking inside a narrow column (a web address,
#: a long compound a hyphenation dictionary does not know).
LANGES_WORT = 24


@dataclass(frozen=True)
class Tabellenzeile:
    zellen: tuple[Zelle, ...]
    #: "summe": a total (bold, a rule above); "gruppe": a heading row over the rows that
    #: follow ("Oberziel: …"); "nachtrag": a note under the row above (indented).
    art: Literal["", "summe", "gruppe", "nachtrag"] = ""
    #: The row in the legend colour of this state (the IHK table).
    status: str | None = None
    #: How many columns each cell spans; empty: one each. The spans add up to the
    #: number of columns.
    spannen: tuple[int, ...] = ()
    #: Per cell: it holds a word of ``LANGES_WORT`` or more characters, which a renderer
    #: may break anywhere (breaking anywhere in every cell would cost HTML's table
    #: layout most of its time).
    lang: tuple[bool, ...] = field(init=False)
    #: Per cell: the index of the column it starts in.
    spalten: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        long = tuple(
            any(len(word) >= LANGES_WORT for line in cell for word in klartext(line).split())
            for cell in self.zellen
        )
        object.__setattr__(self, "lang", long)
        spans = self.spannen or (1,) * len(self.zellen)
        if len(spans) != len(self.zellen) or min(spans, default=1) < 1:
            raise ValueError(f"spannen {spans} passt nicht zu {len(self.zellen)} Zellen")
        starts = tuple(sum(spans[:i]) for i in range(len(spans)))
        object.__setattr__(self, "spannen", spans)
        object.__setattr__(self, "spalten", starts)

    @property
    def breite(self) -> int:
        """The number of columns the row covers."""
        return sum(self.spannen)


@dataclass(frozen=True)
class Tabelle:
    spalten: tuple[Spalte, ...]
    zeilen: tuple[Tabellenzeile, ...]
    block: Literal["tabelle"] = field(default="tabelle", init=False)

    def __post_init__(self) -> None:
        for row in self.zeilen:
            if row.breite != len(self.spalten):
                raise ValueError(f"Zeile mit {row.breite} statt {len(self.spalten)} Spalten")


@dataclass(frozen=True)
class Legende:
    """The IHK's colour legend: (state, "Grün", "abgeschlossen und umgesetzt") each."""

    eintraege: tuple[tuple[str, str, str], ...]
    block: Literal["legende"] = field(default="legende", init=False)


Block: TypeAlias = Ueberschrift | Absatz | Liste | Angaben | Tabelle | Legende


@dataclass(frozen=True)
class Dokument:
    #: "fortschreibung" or "ihk-tabelle": lets a template treat them differently.
    art: str
    #: The document's title (its first heading; the title of the PDF and Word file).
    titel: str
    #: The line under the title: the area, its municipality and programme.
    untertitel: str
    #: The running header of every page after the first (and of the first too, with
    #: ``kopf_auf_erster_seite``), left and right.
    kopfzeile: str
    kopfzeile_rechts: str
    #: Left in the running footer of every page: area, document and "Stand: <date>"
    #: (the page number is on the right).
    fusszeile: str
    #: A4 landscape (the IHK table) rather than portrait.
    querformat: bool
    bloecke: tuple[Block, ...]
    kopf_auf_erster_seite: bool = False
    #: The document's language (HTML ``lang``, the PDF's and Word's language).
    sprache: str = "de"
    sprache_region: str = "de-DE"
    #: The legend's colours in print: (state, text colour, light fill), ``#RRGGBB``.
    farben: tuple[tuple[str, str, str], ...] = ()
