"""ihk – das Integrierte Handlungskonzept eines Fördergebiets als Register in git."""

__version__ = "0.1.0"


class Process:
    """What ihk may assume about the process it runs in."""

    #: Set by the installed command, a process that ends after one command: whatever
    #: a reading leaves alive may be kept out of the garbage collector's sight.
    short_lived = False
