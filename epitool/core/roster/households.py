"""The households a roster names, worked out beside its rows.

A roster has no household sheet: a household is the 户号 its members share, its group and
address those of the first member listed, its head the first member whose relation says so.
The import works them out in its worker process, next to the rows, so that the parent, which
does the SQLite writes, only inserts them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from epitool.ids import uid_sequence

HEADS = frozenset(("户主", "本人", "head", "self"))
# Where each field is in a resident row: uid, then rows.Resident's fields
_NAME, _HOUSEHOLD, _RELATION, _GROUP, _ADDRESS, _RESIDENT_WIDTH = 1, 5, 6, 7, 8, 9


@dataclass
class NewHouseholds:
    """households: uid, household_no, group_name, address, head_name of each household first
    named here (store.roster.insert_households);
    heads: (household_no, head_name) pairs for households named earlier without a head."""

    households: list[str | None] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)


class HouseholdTracker:
    """Remembers, across the batches of one import, the households seen and whether their
    head is known yet."""

    def __init__(self, uids: Iterator[str] | None = None) -> None:
        self.head_known: dict[str, bool] = {}
        self.uids = uid_sequence() if uids is None else uids

    def collect(self, residents: list[str | None]) -> NewHouseholds:
        """residents: flat resident rows (uid and the 8 Resident fields each)."""
        found = NewHouseholds()
        households, known = found.households, self.head_known
        placed: dict[str, int] = {}  # household -> where its fields start in `households`
        for start in range(0, len(residents), _RESIDENT_WIDTH):
            household = residents[start + _HOUSEHOLD]
            if household is None or known.get(household):
                continue  # most rows: a household already seen, with its head
            is_head = residents[start + _RELATION] in HEADS
            head = residents[start + _NAME] if is_head else None
            if household not in known:
                placed[household] = len(households)
                households.extend((next(self.uids), household, residents[start + _GROUP],
                                   residents[start + _ADDRESS], head))
            elif is_head and household in placed:
                households[placed[household] + 4] = head
            elif is_head:
                found.heads.extend((household, head))  # type: ignore[arg-type]
            known[household] = is_head
        return found
