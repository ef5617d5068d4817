"""Plan of work with the family (plan pracy z rodziną, art. 15 ust. 3 UWR): goals, actions, versions."""
from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.db import TimestampMixin, VersionedMixin
from casework.extensions import db

ACTION_STATUSES = ("planned", "in_progress", "done", "not_done")


class WorkPlan(TimestampMixin, db.Model):
    __tablename__ = "work_plan"
    __table_args__ = (UniqueConstraint("support_period_id", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    support_period_id: Mapped[int] = mapped_column(ForeignKey("support_period.id"), nullable=False, index=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), nullable=False, index=True)
    #: 1 for the first plan, then each revision; only the newest is edited, earlier ones stay readable
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    drawn_up_on: Mapped[date] = mapped_column(Date, nullable=False)
    #: consulted with the social worker (art. 15 ust. 1 pkt 1 UWR): who and when
    consulted_with: Mapped[str | None] = mapped_column(String(200))
    consulted_on: Mapped[date | None] = mapped_column(Date)
    agreed_with_family_on: Mapped[date | None] = mapped_column(Date)
    #: for a family with a child in foster care: the foster-care coordinator and the child's help plan
    foster_care_coordinator: Mapped[str | None] = mapped_column(String(200))
    child_help_plan_ref: Mapped[str | None] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False)

    goals: Mapped[list["PlanGoal"]] = relationship(back_populates="plan", order_by="PlanGoal.position",
                                                   cascade="all, delete-orphan")
    author = relationship("User")


class PlanGoal(db.Model):
    __tablename__ = "plan_goal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("work_plan.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("dictionary_entry.id"))
    description: Mapped[str] = mapped_column(Text, nullable=False)
    expected_effect: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[WorkPlan] = relationship(back_populates="goals")
    area = relationship("DictionaryEntry")
    actions: Mapped[list["PlanAction"]] = relationship(back_populates="goal", order_by="PlanAction.id",
                                                       cascade="all, delete-orphan")


class PlanAction(VersionedMixin, db.Model):
    __tablename__ = "plan_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("plan_goal.id", ondelete="CASCADE"), nullable=False, index=True)
    what: Mapped[str] = mapped_column(Text, nullable=False)
    #: who is responsible: the assistant, a named family member, the social worker, an institution…
    responsible: Mapped[str | None] = mapped_column(String(200))
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="planned")
    actual_effect: Mapped[str | None] = mapped_column(Text)

    goal: Mapped[PlanGoal] = relationship(back_populates="actions")
