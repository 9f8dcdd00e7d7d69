"""`pass_app`: the one way a command opens the App (as reader's CLI does with `pass_reader`).

Apart from monitor.cli.base so that the commands that never open the App (`classify`,
`eval`, `draft`, `templates check`, `init`) start without loading it and the database layer.
This module must not print or map errors: monitor.cli.main does that in one place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

import click

from monitor.app import App, open_app
from monitor.cli.base import CliState

P = ParamSpec("P")
R = TypeVar("R")


def pass_app(*, migrate: bool = True
             ) -> Callable[[Callable[Concatenate[App, P], R]], Callable[P, R]]:
    """Build the App from the resolved settings and the environment, migrate the database,
    pass the App as the command's first argument, and close it when the command returns or
    fails.

    `migrate=False` leaves migrating to the command, for those that must check what the user
    gave first (`poll`'s feeds, `users add`'s name and password) or may not touch the
    database at all (`replies import --dry-run`)."""

    def decorate(command: Callable[Concatenate[App, P], R]) -> Callable[P, R]:
        @functools.wraps(command)
        def with_app(*args: P.args, **kwargs: P.kwargs) -> R:
            state = click.get_current_context().ensure_object(CliState)
            with open_app(state.settings, environ=state.environ) as app:
                if migrate:
                    app.migrate()
                return command(app, *args, **kwargs)

        return with_app

    return decorate
