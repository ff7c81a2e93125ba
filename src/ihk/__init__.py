"""ihk – das Integrierte Handlungskonzept eines Fördergebiets als Register in git."""

__version__ = "0.1.0"
