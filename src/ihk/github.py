"""``validate --format github``: one GitHub Actions workflow command per problem.

``::error file=PATH,line=L,col=C,title=ihk::MESSAGE`` (``::warning`` for warnings, and
without line and col for a problem of a whole file). The runner turns them into
annotations on the files of a pull request. Escaping follows the runner's rules
(actions/toolkit, ``command.ts``): in the message ``%``, CR and LF; in a property also
``:`` and ``,``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ihk.errors import Problem


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_commands(
    problems: Iterable[Problem], path: Callable[[str], str], strict: bool = False
) -> list[str]:
    """The workflow commands; ``path`` maps a problem's path to one relative to the
    repository root. With ``strict``, warnings are errors."""
    lines = []
    for problem in problems:
        level = "warning" if problem.warning and not strict else "error"
        where = problem.location
        props = [f"file={escape_property(path(where.path))}"]
        if where.line:
            props += [f"line={where.line}", f"col={where.col}"]
        props.append("title=ihk")
        lines.append(f"::{level} {','.join(props)}::{escape_data(problem.message)}")
    return lines
