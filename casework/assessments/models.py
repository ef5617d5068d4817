"""Half-yearly assessment of the family's situation (okresowa ocena sytuacji rodziny, art. 15 ust. 1 pkt 15 UWR)."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.db import TimestampMixin, VersionedMixin
from casework.extensions import db
from casework.families.models import ArchivableMixin

RECOMMENDATIONS = ("continue", "revise_plan", "end_support")
RECOMMENDATION_LABELS = {"continue": _l("continue the work"), "revise_plan": _l("revise the plan"),
                         "end_support": _l("end the support")}


class Assessment(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    support_period_id: Mapped[int] = mapped_column(ForeignKey("support_period.id"), nullable=False, index=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), nullable=False, index=True)
    #: the date the assessment was made (counts for the next due date)
    assessment_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    covers_from: Mapped[date] = mapped_column(Date, nullable=False)
    covers_to: Mapped[date] = mapped_column(Date, nullable=False)
    #: progress towards the plan's goals
    progress: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[str | None] = mapped_column(Text)
    strengths: Mapped[str | None] = mapped_column(Text)
    risks: Mapped[str | None] = mapped_column(Text)
    recommendation: Mapped[str] = mapped_column(String(20), nullable=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False)
    #: date the assessment was handed to the head of centre (the employer)
    handed_to_head_on: Mapped[date | None] = mapped_column(Date)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    author = relationship("User", foreign_keys=[author_id])
    acknowledged_by = relationship("User", foreign_keys=[acknowledged_by_id])
    support_period = relationship("SupportPeriod")
    goal_progress: Mapped[list["AssessmentGoalProgress"]] = relationship(
        order_by="AssessmentGoalProgress.goal_id", cascade="all, delete-orphan")


class AssessmentGoalProgress(db.Model):
    """The progress towards one goal of the plan of work, as the assessment records it."""
    __tablename__ = "assessment_goal_progress"
    __table_args__ = (db.UniqueConstraint("assessment_id", "goal_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("plan_goal.id"), nullable=False, index=True)
    progress: Mapped[str] = mapped_column(Text, nullable=False)

    goal = relationship("PlanGoal")
