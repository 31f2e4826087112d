"""What was true of a quarantine on a given day, as SQL: the one definition that the daily
report, the summary, the reminders, the trend and the visit log all use, so that the same
day gives the same numbers everywhere, and later actions that do not concern that day (an
extension from a later date, say) leave it as it was.

Each rule is a template over a quarantine_status row {q} and a day {d} (a parameter or a
column); on_day fills them in.
"""

from __future__ import annotations

# One rule for every count of a day (report, summary, remind, trend), in {q} on day {d}:
# - under follow-up from the first day (as corrected) up to and including the day it ended;
#   a quarantine that continues another (a transfer) counts from the day after the one it
#   continues ended, so a person is counted once on the day of the move;
# - due a visit while under follow-up and not ended that day;
# - new on its first day, unless it continues another;
# - its last day as known on {d}: an extension counts from its own date on, not before.
# The first day a quarantine counts (no {d}): its first day as corrected, or the day after,
# for one that continues a quarantine which ended on that first day (a same-day transfer).
FIRST_COUNTED = (
    "CASE WHEN {q}.continues_uid IS NOT NULL AND (SELECT e.event_date FROM quarantine_events e"
    " WHERE e.quarantine_uid = {q}.continues_uid AND e.event = 'end' ORDER BY e.id DESC"
    " LIMIT 1) = {q}.original_start THEN date({q}.original_start, '+1 day')"
    " ELSE {q}.original_start END")
UNDER_FOLLOW_UP = (
    "{q}.original_start <= {d} AND ({q}.end_date IS NULL OR {q}.end_date >= {d})"
    " AND " + FIRST_COUNTED + " <= {d}")
DUE_A_VISIT = "({q}.end_date IS NULL OR {q}.end_date > {d})"
NEW_ON = "({q}.original_start = {d} AND {q}.continues_uid IS NULL)"
_EXTENDED_BY = ("(SELECT {pick} FROM quarantine_events x WHERE x.quarantine_uid = {q}.uid"
                " AND x.event = 'extend' AND x.event_date <= {d}"
                " ORDER BY x.event_date DESC, x.id DESC LIMIT 1)")
# quarantine_status already has the latest extension's (extensions are recorded in date
# order): only a day before it needs the look-up of the one in force that day.
COUNT_START_ON = ("CASE WHEN {q}.start_date <= {d} THEN {q}.start_date ELSE coalesce("
                  + _EXTENDED_BY.replace("{pick}", "x.event_date") + ", {q}.original_start) END")
LAST_DAY_ON = ("CASE WHEN {q}.start_date <= {d} THEN {q}.last_day ELSE coalesce("
               + _EXTENDED_BY.replace("{pick}",
                                      "date(x.event_date, '+' || (x.days - 1) || ' days')")
               + ", date({q}.original_start, '+' || ({q}.first_days - 1) || ' days')) END")


def on_day(rule: str, q: str = "q", d: str = "?1") -> str:
    return rule.format(q=q, d=d)


def breach_sql(log: str) -> str:
    """A registration (alias `log`) of a resident going out while under follow-up that day
    (and not on the day it ended): a quarantine breach, worked out from the records as they
    stand, so that a corrected start or end moves it too."""
    day = f"{log}.day"
    return (f"({log}.direction = 'out' AND {log}.resident_uid IS NOT NULL AND EXISTS"
            f" (SELECT 1 FROM quarantine_status q WHERE q.resident_uid = {log}.resident_uid"
            f" AND {on_day(UNDER_FOLLOW_UP, d=day)} AND {on_day(DUE_A_VISIT, d=day)}))")
