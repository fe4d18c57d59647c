"""`hipflex users`: the accounts of a team or clinic server (team mode)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from hipflex.cli.errors import guarded
from hipflex.cli.words import ids
from hipflex.domain.accounts import Role

users_app = typer.Typer(
    help=(
        "Manage the accounts of a team or clinic server (`hipflex serve --team`). "
        "Single-user mode needs none."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)

EMAIL = Annotated[str, typer.Argument(help="The person's e-mail address.", show_default=False)]


def _server_url() -> str:
    from hipflex.config import Settings

    return Settings().public_url


def _invitation_words(link: str) -> str:
    from hipflex.domain.accounts import INVITATION_LIFETIME

    days = INVITATION_LIFETIME.days
    return f"Send them this link to choose a password; it works once, for {days} days:\n{link}"


def add(
    email: EMAIL,
    role: Annotated[Role, typer.Option("--role", help=f"One of: {ids(Role)}.")] = Role.MEMBER,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from the standard input (its first line) instead of "
            "printing an invitation link.",
        ),
    ] = False,
    adopt_existing_data: Annotated[
        bool,
        typer.Option(
            "--adopt-existing-data",
            help="Give this account the data hipflex kept before team mode (the single-user "
            "data in this database): assessments, plans, logs, notes, photos, preferences.",
        ),
    ] = False,
) -> None:
    """Add an account. Without --password-stdin it prints a one-time invitation link."""
    from hipflex.services import accounts
    from hipflex.services.context import open_app

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    app = open_app()
    try:
        added = accounts.add_account(
            app,
            email,
            role,
            password=password,
            server_url=_server_url(),
            adopt_existing_data=adopt_existing_data,
        )
    finally:
        app.close()
    print(f"Added {added.account.email} as {added.account.role.value}.")
    if adopt_existing_data:
        print("The data kept before team mode is now this account's.")
    if added.invitation_link is not None:
        print(_invitation_words(added.invitation_link))


def list_(
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the accounts as JSON.")
    ] = False,
) -> None:
    """List the accounts: address, role, whether a password is set, whether disabled."""
    from hipflex.services import accounts
    from hipflex.services.context import open_app

    app = open_app()
    try:
        found = accounts.accounts(app)
    finally:
        app.close()
    if json_output:
        from hipflex.services.presenters.accounts import accounts_model
        from hipflex.services.presenters.common import json_text

        print(json_text(accounts_model(found)))
        return
    if not found:
        print("No accounts yet: add one with `hipflex users add EMAIL --role admin`.")
        return
    for account in found:
        state = (
            "disabled" if not account.active else ("active" if account.has_password else "invited")
        )
        print(f"{account.email}  {account.role.value}  {state}")


def disable(email: EMAIL) -> None:
    """Disable an account: it can no longer log in; its data is kept."""
    from hipflex.services import accounts
    from hipflex.services.context import open_app

    app = open_app()
    try:
        account = accounts.disable_account(app, email)
    finally:
        app.close()
    print(f"Disabled {account.email}: it can no longer log in. Its data is kept.")


def reset_password(email: EMAIL) -> None:
    """Print a new one-time link for the person to choose a new password."""
    from hipflex.services import accounts
    from hipflex.services.context import open_app

    app = open_app()
    try:
        link = accounts.reset_password(app, email, _server_url())
    finally:
        app.close()
    print(_invitation_words(link))


def _has_terminal() -> bool:
    """Whether someone at a terminal can answer the question (tests replace this)."""
    return sys.stdin.isatty()


def erase(
    email: EMAIL,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase an account and all its data: assessments, plans, logs, notes, kept photos,
    preferences, the notes clinicians left it, its audit trail, logins, shares and
    invitations.

    A clinician's notes for members, and the members' record of what the clinician read,
    stay with the members, shown as from a removed account. It shows what it will delete
    and asks first, unless you give --yes (without a terminal, --yes is needed). This
    cannot be undone.
    """
    from hipflex.cli.terminal import confirmed
    from hipflex.domain.errors import BadInput
    from hipflex.services import accounts
    from hipflex.services.context import open_app

    app = open_app()
    try:
        found = accounts.erasure_of(app, email)
        who = found.account
        if not yes:
            if not _has_terminal():
                msg = (
                    f"erasing {who.email} cannot be undone, and there is no terminal to ask "
                    "you: add --yes to erase it"
                )
                raise BadInput(msg)
            print(
                f"This deletes the account {who.email} ({who.role.value}) and all its data: "
                f"{found.described()}; its logins, shares, invitations and audit trail."
            )
            if who.role is Role.CLINICIAN:
                print(
                    "The notes it wrote for members, and the members' record of what it read, "
                    "stay with the members, shown as from a removed account."
                )
            print("It cannot be undone.")
            if not confirmed(f"Erase {who.email}?"):
                print("Nothing was erased.")
                raise typer.Exit(1)
        erased = accounts.erase_account(app, who.email)
    finally:
        app.close()
    print(f"Erased the account {who.email} and its data: {erased.described()}.")


users_app.command("add")(guarded(add))
users_app.command("list")(guarded(list_))
users_app.command("disable")(guarded(disable))
users_app.command("reset-password")(guarded(reset_password))
users_app.command("erase")(guarded(erase))
