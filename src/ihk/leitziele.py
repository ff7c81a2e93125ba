"""The default goal catalogue of a new register: the eight Leitziele/Handlungsfelder
of the Soziale Stadt as the Belm-Powe IHK names them."""

from __future__ import annotations

LEITZIELE: dict[str, str] = {
    "wohnen": "Wohn- und Wohnumfeldverbesserung",
    "verknuepfung": "Verknüpfung des Gebietes mit den angrenzenden Stadt- und Gemeindeteilen",
    "verkehr": "Neuordnung und Verbesserung der Verkehrsstruktur",
    "nachbarschaften": "Unterstützung und Ausbau von Nachbarschaften und sozialen Netzen",
    "kinder-jugend": "Verbesserung der Lebenssituation für Kinder und Jugendliche",
    "image": "Quartiersmarketing und Imagebildung",
    "qualifizierung": "Qualifizierung und Beschäftigung",
    "beteiligung": "Bürgerbeteiligung und Aktivierung",
}
