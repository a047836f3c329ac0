"""Who may see which case: organisation scoping, enforced here for every entry point."""

from __future__ import annotations

from homeward.domain.roles import Actor
from homeward.errors import NotFound
from homeward.storage.tables import ChildRow


def check_case_access(actor: Actor, child: ChildRow) -> None:
    """A partner reaches only its own organisation's cases.  Others' cases answer
    exactly as a case that does not exist, so guessing numbers reveals nothing."""
    if actor.organisation_scoped and child.organisation_id != actor.organisation_id:
        raise NotFound(f"no case numbered {child.case_number}")
