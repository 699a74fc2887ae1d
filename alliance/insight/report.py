"""The figures as people read them: per chart a title, a summary in words, the chart, a table
(the accessible alternative, also the CSV) and — for coordinators — a list to act on.

The same report serves ``/jaarbeeld`` with ``public=True``: no names, no titles, and every
count under five written as "< 5" (shares only when both numbers are five or more), so that no
member can be recognised."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_date, format_decimal, format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from alliance.agenda.models import KINDS as EVENT_KINDS
from alliance.insight import charts, figures
from alliance.insight.periods import Period
from alliance.members.models import ORGANISATION_TYPES, PERSPECTIVES

SMALL = 5
NOT_SHOWN = "—"

BUCKET_LABELS = {
    "day": _l("Within a day"),
    "three_days": _l("Within 1 to 3 days"),
    "week": _l("Within 3 to 7 days"),
    "later": _l("After more than 7 days"),
    "none": _l("No reply yet"),
}
GIVE_TAKE_LABELS = {
    "both": _l("Gave and took"),
    "give": _l("Only gave"),
    "take": _l("Only took"),
}
GROUP_LABELS = {
    "started": _l("Started"),
    "on_time": _l("Delivered on time"),
    "extended": _l("Extended"),
    "stopped": _l("Stopped without a result"),
    "published": _l("Results published"),
}


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass
class Figure:
    key: str
    title: str
    summary: str
    chart: object
    table: Table
    note: str = ""
    extra_tables: list[Table] = field(default_factory=list)
    actions_title: str = ""
    actions: list[tuple[str, str]] = field(default_factory=list)  # text, address
    actions_empty: str = ""
    actions_total: int = 0


class Numbers:
    """Writes numbers, and suppresses small ones in public."""

    def __init__(self, public: bool):
        self.public = public

    def count(self, n: int) -> str:
        if self.public and n < SMALL:
            return _("< 5")
        return format_number(n)

    def value(self, n: int) -> float | None:
        """The value a chart draws (None: not shown)."""
        return None if self.public and n < SMALL else float(n)

    def share(self, part: int, whole: int) -> float | None:
        if not whole or (self.public and (part < SMALL or whole < SMALL)):
            return None
        return 100.0 * part / whole

    def percent(self, value: float | None) -> str:
        return NOT_SHOWN if value is None else _("%(n)s %%", n=format_decimal(round(value)))

    def of(self, part: int, whole: int) -> str:
        """ "12 of 40 (30 %)"."""
        return _(
            "%(part)s of %(whole)s (%(share)s)",
            part=self.count(part),
            whole=self.count(whole),
            share=self.percent(self.share(part, whole)),
        )


def _perspective(key: str) -> str:
    return str(PERSPECTIVES[key])


def traffic(period: Period, theme: str, n: Numbers) -> Figure:
    matrix = figures.traffic(period, theme)
    keys = list(PERSPECTIVES)
    total = sum(matrix.values())
    crossing = sum(v for (a, r), v in matrix.items() if a != r)
    values = [[n.value(matrix.get((a, r), 0)) for r in keys] for a in keys]
    texts = [[n.count(matrix.get((a, r), 0)) for r in keys] for a in keys]
    labels = [_perspective(k) for k in keys]
    if total:
        summary = _(
            "In %(period)s members replied %(total)s times to posts of others; %(share)s of the "
            "replies came from another perspective than the asker's. Policy heard "
            "implementation %(pi)s times; implementation heard policy %(ip)s times.",
            period=period.label,
            total=n.count(total),
            share=n.percent(n.share(crossing, total)),
            pi=n.count(matrix.get(("beleid", "uitvoering"), 0)),
            ip=n.count(matrix.get(("uitvoering", "beleid"), 0)),
        )
    else:
        summary = _("In %(period)s nobody replied to a post of someone else.", period=period.label)
    rows = [
        (labels[i], texts[i] + [n.count(sum(matrix.get((a, r), 0) for r in keys))])
        for i, a in enumerate(keys)
    ]
    table = Table(
        _("Replies by perspective of the asker (rows) and of the replier (columns)"),
        [_("Asker \\ replier"), *labels, _("Total")],
        rows,
    )
    return Figure(
        "tweerichtingsverkeer",
        _("Two-way traffic"),
        summary,
        charts.heat_map(labels, labels, values, texts),
        table,
        note=_("Rows: the perspective of the member who asked. Columns: the perspective of the "
               "reply. A darker cell means more replies; the number is in each cell."),
    )  # fmt: skip


def answered(period: Period, theme: str, n: Numbers) -> Figure:
    now = figures.answered(period, theme)
    before = figures.answered(period.previous(), theme, median=False)
    share, earlier = n.share(now.within_three_days, now.eligible), None
    earlier = n.share(before.within_three_days, before.eligible)
    if share is None:
        summary = _("In %(period)s too few dilemmas were posted to say how soon they got a reply.",
                    period=period.label)  # fmt: skip
    else:
        summary = _(
            "In %(period)s %(share)s of the dilemmas got a reply within three days.",
            period=period.label,
            share=n.percent(share),
        )
        if earlier is not None:
            difference = round(share) - round(earlier)
            if difference > 0:
                summary += " " + _("That is %(points)s points more than in %(previous)s.",
                                   points=difference, previous=period.previous().label)  # fmt: skip
            elif difference < 0:
                summary += " " + _("That is %(points)s points less than in %(previous)s.",
                                   points=-difference, previous=period.previous().label)  # fmt: skip
            else:
                summary += " " + _("The same as in %(previous)s.", previous=period.previous().label)
    replied = now.posted - now.buckets.get("none", 0)
    if now.median_days is not None and not (n.public and replied < SMALL):
        summary += " " + _("Half of the first replies came within %(days)s days.",
                           days=format_decimal(round(now.median_days, 1)))  # fmt: skip
    bars = [
        (str(BUCKET_LABELS[k]), n.value(now.buckets.get(k, 0)), n.count(now.buckets.get(k, 0)))
        for k in figures.ANSWER_BUCKETS
    ]
    table = Table(
        _("Dilemmas posted in %(period)s, by the time to the first reply", period=period.label),
        [_("First reply"), _("Dilemmas"), _("Share")],
        [
            (label, [text, n.percent(n.share(now.buckets.get(k, 0), now.posted))])
            for (label, _v, text), k in zip(bars, figures.ANSWER_BUCKETS, strict=True)
        ],
    )
    return Figure("beantwoord", _("Answered"), summary, charts.bar_chart(bars), table)


def heard(period: Period, theme: str, n: Numbers) -> Figure:
    found = figures.heard(period, theme)
    share = n.share(found.with_three, found.dilemmas)
    if share is None:
        summary = _("In %(period)s too few dilemmas were posted to say which perspectives they "
                    "heard.", period=period.label)  # fmt: skip
    else:
        missing = found.most_missing
        summary = _(
            "In %(period)s %(share)s of the dilemmas heard at least three perspectives. The "
            "perspective missing most: %(missing)s, which replied to %(count)s.",
            period=period.label,
            share=n.percent(share),
            missing=_perspective(missing),
            count=n.of(found.by_perspective[missing], found.dilemmas),
        )
    bars = [
        (
            _perspective(k),
            n.share(found.by_perspective[k], found.dilemmas),
            n.percent(n.share(found.by_perspective[k], found.dilemmas)),
        )
        for k in PERSPECTIVES
    ]
    rows = [
        (_perspective(k), [n.of(found.by_perspective[k], found.dilemmas)]) for k in PERSPECTIVES
    ]
    rows.append((_("At least three perspectives"), [n.of(found.with_three, found.dilemmas)]))
    table = Table(
        _("Dilemmas posted in %(period)s that each perspective replied to", period=period.label),
        [_("Perspective"), _("Dilemmas replied to")],
        rows,
    )
    return Figure("perspectieven", _("Perspectives heard"), summary,
                  charts.bar_chart(bars, maximum=100), table)  # fmt: skip


def closing(period: Period, theme: str, n: Numbers) -> Figure:
    found = figures.closing(period, theme)
    (old30, decided30, evaluated30), (old90, decided90, evaluated90) = found[30], found[90]
    bars = [
        (_("Decided within 30 days"), n.share(decided30, old30), n.percent(n.share(decided30, old30))),
        (_("Decided within 90 days"), n.share(decided90, old90), n.percent(n.share(decided90, old90))),
        (_("Evaluated within 30 days"), n.share(evaluated30, old30),
         n.percent(n.share(evaluated30, old30))),
        (_("Evaluated within 90 days"), n.share(evaluated90, old90),
         n.percent(n.share(evaluated90, old90))),
    ]  # fmt: skip
    summary = _(
        "Of the dilemmas posted in %(period)s, %(d30)s was decided within 30 days and %(e90)s "
        "evaluated within 90 days (counted over the dilemmas that are old enough).",
        period=period.label,
        d30=bars[0][2],
        e90=bars[3][2],
    )
    table = Table(
        _("Dilemmas posted in %(period)s that closed the loop", period=period.label),
        [_("Within"), _("Decided"), _("Evaluated")],
        [
            (_("30 days"), [n.of(decided30, old30), n.of(evaluated30, old30)]),
            (_("90 days"), [n.of(decided90, old90), n.of(evaluated90, old90)]),
        ],
    )
    return Figure("de-cirkel-rond", _("Closing the loop"), summary,
                  charts.bar_chart(bars, maximum=100), table)  # fmt: skip


def give_and_take(period: Period, theme: str, n: Numbers) -> Figure:
    counts = figures.give_and_take(period, theme)
    summary = _(
        "In %(period)s %(both)s members both gave and took, %(give)s only gave and %(take)s "
        "only took. (Gave: replied to someone else's post; took: got a reply on their own.)",
        period=period.label,
        both=n.count(counts["both"]),
        give=n.count(counts["give"]),
        take=n.count(counts["take"]),
    )
    bars = [
        (str(GIVE_TAKE_LABELS[k]), n.value(counts[k]), n.count(counts[k])) for k in GIVE_TAKE_LABELS
    ]
    table = Table(
        _("Members by give and take in %(period)s", period=period.label),
        [_("Members who"), _("Members")],
        [(label, [text]) for label, _v, text in bars],
    )
    return Figure("geven-en-nemen", _("Give and take"), summary, charts.bar_chart(bars), table)


def working_groups(period: Period, theme: str, n: Numbers) -> Figure:
    counts = figures.groups(period, theme)
    bars = [(str(GROUP_LABELS[k]), n.value(counts[k]), n.count(counts[k])) for k in GROUP_LABELS]
    summary = _(
        "In %(period)s %(started)s working groups started, %(on_time)s delivered on time and "
        "%(published)s published their result.",
        period=period.label,
        started=n.count(counts["started"]),
        on_time=n.count(counts["on_time"]),
        published=n.count(counts["published"]),
    )
    table = Table(
        _("Working groups in %(period)s", period=period.label),
        [_("Working groups"), _("Number")],
        [(label, [text]) for label, _v, text in bars],
    )
    return Figure("werkgroepen", _("Working groups"), summary, charts.bar_chart(bars), table,
                  note=_("Extended: active in the period with a later end date."))  # fmt: skip


def agenda(period: Period, theme: str, n: Numbers) -> Figure:
    per_kind = figures.agenda(period, theme)
    events = sum(v[0] for v in per_kind.values())
    signups = sum(v[1] for v in per_kind.values())
    reports = sum(v[2] for v in per_kind.values())
    summary = _(
        "In %(period)s %(events)s events took place with %(signups)s sign-ups; %(reports)s "
        "reports were written.",
        period=period.label,
        events=n.count(events),
        signups=n.count(signups),
        reports=n.count(reports),
    )
    bars = [
        (_("Events"), n.value(events), n.count(events)),
        (_("Sign-ups"), n.value(signups), n.count(signups)),
        (_("Reports written"), n.value(reports), n.count(reports)),
    ]
    rows = [
        (str(label), [n.count(per_kind.get(kind, (0, 0, 0))[i]) for i in range(3)])
        for kind, label in EVENT_KINDS.items()
        if kind != "werkgroep"
    ]
    rows.append((_("Total"), [n.count(events), n.count(signups), n.count(reports)]))
    table = Table(
        _("Events in %(period)s by kind", period=period.label),
        [_("Kind"), _("Events"), _("Sign-ups"), _("Reports")],
        rows,
    )
    return Figure("agenda", _("Agenda"), summary, charts.bar_chart(bars), table,
                  note=_("Turnout is not recorded in the agenda yet: sign-ups are shown."))  # fmt: skip


def growth(period: Period, theme: str, n: Numbers) -> Figure:
    months = _twelve_months(period)
    per_month = figures.growth(months, theme)
    by_type = figures.growth_by_organisation(period, theme)
    joined = sum(v[0] for v in by_type.values())
    active = sum(v[1] for v in by_type.values())
    labels = [_month_label(m) for m in months]
    chart = charts.line_chart(
        [format_date(m, "MMM") for m in months],
        [
            (_("Joined"), [n.value(v[0]) for v in per_month.values()]),
            (_("Active"), [n.value(v[1]) for v in per_month.values()]),
        ],
    )
    summary = _(
        "In %(period)s %(joined)s members joined and %(active)s members were active (posted, "
        "replied or marked a post).",
        period=period.label,
        joined=n.count(joined),
        active=n.count(active),
    )
    table = Table(
        _("Members per month"),
        [_("Month"), _("Joined"), _("Active")],
        [
            (label, [n.count(j), n.count(a)])
            for label, (j, a) in zip(labels, per_month.values(), strict=True)
        ],
    )
    type_rows = [
        (str(label), [n.count(by_type.get(key, (0, 0))[0]), n.count(by_type.get(key, (0, 0))[1])])
        for key, label in [*ORGANISATION_TYPES.items(), (None, _l("Not filled in"))]
        if key in by_type
    ]
    extra = Table(
        _("Members in %(period)s by kind of organisation", period=period.label),
        [_("Kind of organisation"), _("Joined"), _("Active")],
        type_rows,
    )
    return Figure("groei", _("Growth"), summary, chart, table, extra_tables=[extra])


def _twelve_months(period: Period) -> list[datetime]:
    """The twelve months up to the end of the period."""
    last = period.month_starts()[-1]
    index = last.year * 12 + last.month - 1
    return [datetime(i // 12, i % 12 + 1, 1) for i in range(index - 11, index + 1)]


def _month_label(month: datetime) -> str:
    return format_date(month, "MMM yy")


FIGURES = (traffic, answered, heard, closing, give_and_take, working_groups, agenda, growth)


def build(period: Period, theme: str = "", public: bool = False) -> list[Figure]:
    """Every figure of the report for the period and theme."""
    numbers = Numbers(public)
    return [make(period, theme, numbers) for make in FIGURES]
