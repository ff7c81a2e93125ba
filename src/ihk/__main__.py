from __future__ import annotations


def main() -> None:
    from ihk.cli import run

    run()


if __name__ == "__main__":
    main()
