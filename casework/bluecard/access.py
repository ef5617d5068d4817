"""The blue-card compartment: the one check every blue-card route goes through.

Content (persons, forms of violence, meetings, plans) is read only by members of the interdisciplinary team
(role zi_member) and by the users in that procedure's diagnostic group. Everyone else — the family's assistant,
a coordinator without ZI membership, an administrator — gets 404 for a procedure, the same as for one that does not
exist, and does not learn from the family page that a procedure exists (art. 9c of the statute: the team and the
groups process the data "w zakresie niezbędnym" and keep it confidential); only the author of NK-A, who knows it
anyway, sees on the family page that it concerns the family, and since when. Every read of a procedure is audited.
The matrix of who sees what is in docs/niebieska-karta.md and tests/bluecard/test_access_matrix.py."""
from flask import abort
from flask_login import current_user
from sqlalchemy import exists, false, select, true

from casework.auth.roles import ASSISTANT, COORDINATOR, SOCIAL_WORKER, ZI_MEMBER
from casework.bluecard.models import GroupMember, Procedure
from casework.core import audit
from casework.extensions import db

#: who may fill in NK-A (a representative of social assistance — an assistant or social worker among them)
STARTERS = (ASSISTANT, SOCIAL_WORKER, COORDINATOR, ZI_MEMBER)
#: steps only the team (its chair) takes: NK-A reaches the chair, the chair forms the diagnostic group (art. 9a-9b)
TEAM_STEPS = frozenset({"chair", "group"})


def is_team_member(user) -> bool:
    return user.is_authenticated and user.has_role(ZI_MEMBER)


def in_any_group(user) -> bool:
    return user.is_authenticated and db.session.scalar(
        select(GroupMember.id).where(GroupMember.user_id == user.id).limit(1)) is not None


def visible_clause(user):
    """A condition on Procedure: the procedures whose content `user` may read."""
    if not user.is_authenticated:
        return false()
    if is_team_member(user):
        return true()
    return exists(select(GroupMember.id).where(GroupMember.procedure_id == Procedure.id,
                                               GroupMember.user_id == user.id))


def can_read(user, procedure: Procedure) -> bool:
    if procedure is None or not user.is_authenticated:
        return False
    if is_team_member(user):
        return True
    return any(m.user_id == user.id for m in procedure.group)


def load_procedure_or_404(procedure_id: int, *, user=None, action: str | None = "bluecard_viewed") -> Procedure:
    """Load a procedure the user may read and audit the read (committed after the request); 404 otherwise."""
    user = user or current_user
    procedure = db.session.get(Procedure, procedure_id)
    if not can_read(user, procedure):
        abort(404)
    if action:
        audit.read(action, procedure, user=user)  # committed once, after the request
    return procedure


def audit_read(procedure: Procedure, user, *, via: str) -> None:
    """Record a read of a procedure's content outside its pages (a person's data export): the same audit action as
    reading the procedure, with where it was read (the caller commits). Callers check can_read first."""
    audit.record("bluecard_viewed", procedure, user=user, details={"via": via})


def require_register_access(user=None) -> None:
    user = user or current_user
    if not (is_team_member(user) or in_any_group(user)):
        abort(404)


def may_take_step(user, procedure: Procedure, step: str) -> bool:
    """A reader of the procedure records its steps; handing NK-A to the chair and to a group is the team's."""
    if not can_read(user, procedure):
        return False
    return step not in TEAM_STEPS or is_team_member(user)


def sees_existence(user, procedure: Procedure) -> bool:
    """Whether the family page shows `user` that a procedure concerns the family (no content): its readers, and the
    author of NK-A (who knows it anyway). The family's assistant, a coordinator, a social worker outside the group
    see nothing (art. 9c: confidentiality of the team's and the groups' information)."""
    if procedure is None or not user.is_authenticated:
        return False
    return can_read(user, procedure) or (procedure.started_by_id is not None
                                         and procedure.started_by_id == user.id)


def may_start(user) -> bool:
    return user.is_authenticated and user.has_role(*STARTERS)
