"""Who may see which shop, and who may change what: the roles of a shared dashboard.

Roles come from ``[users]`` in secrets.toml, one table per signed-in user (a password
user's name, or an OIDC e-mail address)::

    [users.alex]
    role = "admin"                      # every shop, settings, backups

    [users."sam@agency.example"]
    role = "staff"                      # assigned shops: view, import, edit campaigns
    shops = ["Acme US", "Acme UK"]

    [users.kim]
    role = "viewer"                     # assigned shops, read only
    shops = ["Acme US"]

Without ``[users]`` every signed-in user is an admin (as before roles existed), and a
dashboard without sign-in (this machine only) is one admin: nothing changes for a local,
single-user install. With ``[users]``, a signed-in user who is not listed sees no shop.

The rule works on shop *names* (what secrets.toml can name) and is applied where the app
reads and writes data (ui/data.py, ui/edits.py); this module decides, it reads nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    VIEWER = "viewer"


class AccessDenied(PermissionError):
    """A read or write the signed-in user's role does not allow (the message says which)."""


@dataclass(frozen=True)
class Access:
    """What one user may do. ``shops`` None means every shop (admins)."""

    user: str | None
    role: Role
    shops: frozenset[str] | None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def may_write_any(self) -> bool:
        return self.role is not Role.VIEWER and (self.shops is None or bool(self.shops))

    def may_see(self, shop_name: str | None) -> bool:
        """Whether the user may read the shop's data. ``None`` (data of no shop, such as
        store-wide benchmarks or every-shop alert rules) is for admins only."""
        if self.shops is None:
            return True
        return shop_name is not None and shop_name in self.shops

    def may_write(self, shop_name: str | None) -> bool:
        """Imports and campaign, target, cost and deal edits: admins anywhere, staff in
        their shops, viewers nowhere. A new shop (not yet assigned) is admin-only."""
        return self.role is not Role.VIEWER and self.may_see(shop_name)

    def visible(self, shop_names: Iterable[str]) -> list[str]:
        return [name for name in shop_names if self.may_see(name)]

    def require_see(self, shop_name: str | None) -> None:
        """Raise ``AccessDenied`` unless the user may read this shop."""
        if not self.may_see(shop_name):
            raise AccessDenied(f"{self.describe()} may not see this shop.")

    def require_write(self, shop_name: str | None) -> None:
        """Raise ``AccessDenied`` unless the user may change this shop's data."""
        if not self.may_write(shop_name):
            what = "read only" if self.role is Role.VIEWER else "not assigned this shop"
            raise AccessDenied(f"{self.describe()} is {what}: nothing was changed.")

    def require_admin(self, what: str) -> None:
        if not self.is_admin:
            raise AccessDenied(f"Only an admin may {what}.")

    def describe(self) -> str:
        return f"{self.user or 'This user'} ({self.role.value})"


def local_user(name: str | None = None) -> Access:
    """The one user of a dashboard without sign-in: everything, as before roles."""
    return Access(name, Role.ADMIN, None)


def no_access(user: str | None) -> Access:
    """A signed-in user whom ``[users]`` does not list: no shop at all."""
    return Access(user, Role.VIEWER, frozenset())


def _key(user: str) -> str:
    # E-mail addresses compare without case; password user names are typed as configured.
    return user.lower() if "@" in user else user


def configuration_problems(users: Mapping) -> list[str]:
    """What is wrong with a ``[users]`` section (empty list when it is usable)."""
    problems = []
    for user, entry in users.items():
        if not isinstance(entry, Mapping):
            problems.append(f"[users] entry {user!r} is not a table: write "
                            f"[users.{user}] with role = ...")
            continue
        role = entry.get("role")
        if role not in {r.value for r in Role}:
            problems.append(f"[users.{user}] role {role!r} is not admin, staff or viewer")
        shops = entry.get("shops", [])
        if not isinstance(shops, list | tuple) or not all(isinstance(s, str) for s in shops):
            problems.append(f"[users.{user}] shops must be a list of shop names")
    return problems


def access_for(user: str, users: Mapping) -> Access:
    """The access of a signed-in ``user`` under the ``[users]`` section ``users``.

    Empty ``users``: an admin (roles are not configured). A user not listed, or listed
    with a broken entry: no shop (``no_access``); ``configuration_problems`` says why.
    """
    if not users:
        return Access(user, Role.ADMIN, None)
    entries = {_key(str(name)): entry for name, entry in users.items()}
    entry = entries.get(_key(user))
    if not isinstance(entry, Mapping) or configuration_problems({user: entry}):
        return no_access(user)
    role = Role(entry["role"])
    if role is Role.ADMIN:
        return Access(user, role, None)
    return Access(user, role, frozenset(str(s) for s in entry.get("shops", [])))
