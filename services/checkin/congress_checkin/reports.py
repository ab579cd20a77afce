"""Read side of the credentials report and the attendance records: one snapshot of the roster per request.

Everything a report shows is computed from the rows of ONE statement (each
delegate with their check-in and absence note in the session), so the report
agrees with itself and with the attendance at that instant, however many
check-ins arrive meanwhile.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from congress_common.contracts import utcnow
from congress_common.text import vietnamese_text_key
from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from .adapters.orm import AbsenceNote, CheckIn, Congress, CongressSession, Delegate, Delegation
from .api.schemas import CredentialsReportPublic
from .congress_handlers import rule_of
from .domain.credentials import CredentialsReport, Member, build_report
from .views import attendance_public


@dataclass(frozen=True)
class AttendanceRow:
    """A delegate in one session: the Excel export's line."""

    member: Member
    delegate_id: str
    checked_in_at: datetime | None
    method: str | None
    actor: str | None


async def roster_snapshot(session: AsyncSession, congress_id: str, session_id: str | None) -> list[AttendanceRow]:
    active = and_(CheckIn.delegate_id == Delegate.id, CheckIn.session_id == session_id, CheckIn.revoked_at.is_(None))
    noted = and_(AbsenceNote.delegate_id == Delegate.id, AbsenceNote.session_id == session_id)
    query = (select(Delegate.id, Delegate.code, Delegate.full_name, Delegate.sort_key, Delegation.name, Delegate.kind,
                    Delegate.gender, Delegate.birth_year, Delegate.ethnicity, Delegate.party_member, Delegate.education,
                    Delegate.sending_unit, Delegate.withdraw_reason, Delegate.withdrawn_at, AbsenceNote.reason,
                    CheckIn.checked_in_at, CheckIn.method, CheckIn.actor)
             .join(Delegation, Delegation.id == Delegate.delegation_id)
             .outerjoin(CheckIn, active).outerjoin(AbsenceNote, noted)
             .where(Delegate.congress_id == congress_id, Delegate.removed_at.is_(None))
             .order_by(Delegate.sort_key, Delegate.code))
    rows = []
    for (delegate_id, code, name, sort_key, delegation, kind, gender, birth_year, ethnicity, party, education, unit,
         withdraw_reason, withdrawn_at, note, at, method, actor) in (await session.execute(query)).all():
        member = Member(delegate_id=delegate_id, code=code, full_name=name, sort_key=sort_key, delegation=delegation, kind=kind,
                        present=at is not None, gender=gender, birth_year=birth_year, ethnicity=ethnicity,
                        party_member=party, education=education, sending_unit=unit,
                        withdrawn_reason=(withdraw_reason or "") if withdrawn_at is not None else None,
                        absence_reason=note)
        rows.append(AttendanceRow(member, delegate_id, at, method, actor))
    rows.sort(key=lambda row: vietnamese_text_key(row.member.delegation))  # stable: names stay in order within
    return rows


def congress_year(congress: Congress, taken_at: datetime) -> int:
    """The year ages are counted in: the congress's opening year, else the year of the snapshot."""
    return congress.starts_on.year if congress.starts_on else taken_at.year


async def credentials_report(session: AsyncSession, congress: Congress,
                             sitting: CongressSession | None) -> CredentialsReport:
    taken_at = utcnow()
    rows = await roster_snapshot(session, congress.id, sitting.id if sitting else None)
    return build_report((r.member for r in rows), rule=rule_of(congress), age_edges=congress.age_bands,
                        year=congress_year(congress, taken_at), taken_at=taken_at)


def report_public(report: CredentialsReport, congress: Congress, sitting: CongressSession | None) -> CredentialsReportPublic:
    return CredentialsReportPublic(
        congress_name=congress.name, taken_at=report.taken_at,
        attendance=attendance_public(report.attendance, congress, sitting),
        absent_with_reason=report.absent_with_reason,
        absentees=[asdict(a) for a in report.absentees],
        composition=[{"title": s.title, "base": s.base, "rows": [asdict(r) for r in s.rows]} for s in report.composition],
        by_delegation=[{**asdict(u), "absent": u.absent} for u in report.by_delegation],
        by_sending_unit=[{**asdict(u), "absent": u.absent} for u in report.by_sending_unit],
        others=[asdict(k) for k in report.others])
