"""Every rule about a field, written once: ID numbers (GB 11643), phones, sex, plates,
temperatures, visit outcomes and symptoms, yes/no cells. Single commands and bulk imports
call the same functions; each returns the clean value or says why not with a message key.

Check digits come from python-stdnum. Its full `cn.ric.validate` is not used: it looks the
area code up in a table that lacks newer codes such as 410171 and raises KeyError on them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from epitool.core.normalize import clean_cell
from epitool.errors import InputError

_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$")
_FLOAT_TAIL = re.compile(r"^(\d{6,18})\.0+$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
_LANDLINE = re.compile(r"^0\d{9,11}$", re.ASCII)
_PHONE_JUNK = str.maketrans("", "", " -()（）")
_CHECK_CHARS = frozenset("0123456789X")

SEX_WORDS = {"男": "M", "男性": "M", "m": "M", "male": "M", "女": "F", "女性": "F",
             "f": "F", "female": "F"}

# --- ID numbers ---------------------------------------------------------------------------


def _month_ends() -> dict[str, str]:
    """"YYYYMM" -> the month's last day as "DD", for every month a living person can have
    been born in: from 1890 to this month, which ends today."""
    from calendar import monthrange  # only when an ID number is checked

    global _MONTH_ENDS
    if not _MONTH_ENDS:
        today = date.today()
        ends = {}
        for year in range(1890, today.year + 1):
            for month in range(1, 13 if year < today.year else today.month + 1):
                last = monthrange(year, month)[1]
                ends[f"{year}{month:02d}"] = f"{last:02d}"
        ends[f"{today.year}{today.month:02d}"] = f"{today.day:02d}"
        _MONTH_ENDS = ends
    return _MONTH_ENDS


_MONTH_ENDS: dict[str, str] = {}


def birth_date_ok(yyyymmdd: str) -> bool:
    """A real day between 1890 and today, given eight digits."""
    last = (_MONTH_ENDS or _month_ends()).get(yyyymmdd[:6])
    return last is not None and "01" <= yyyymmdd[6:] <= last


def check_id_number(number: str) -> tuple[str, str | None]:
    """Return (kind, problem) for a cleaned, upper-cased ID number.

    kind is "id18" or "legacy15"; problem is None or a reason (reason_<problem> in i18n).
    """
    if len(number) == 18 and number.isascii() and number[:17].isdigit():
        if number[17] not in _CHECK_CHARS:
            return "", "id_bad_chars"
        if not birth_date_ok(number[6:14]):
            return "id18", "id_bad_birth"
        if expected_check_digit(number) != number[17]:
            # Excel keeps 15 significant digits: a typed 18-digit ID ends in zeros.
            return "id18", "id_excel_zeros" if number.endswith("000") else "id_bad_check"
        return "id18", None
    if _SCIENTIFIC.match(number):
        return "", "id_excel_scientific"
    if _FLOAT_TAIL.match(number):
        return "", "id_excel_float"
    length = len(number)
    if length == 18:
        return "", "id_bad_chars"
    if length == 15:
        if not (number.isdigit() and number.isascii()):
            return "", "id_bad_chars"
        if not birth_date_ok("19" + number[6:12]):
            return "legacy15", "id_bad_birth"
        return "legacy15", None
    return "", "id_bad_length"


def expected_check_digit(number: str) -> str:
    """GB 11643's check character of the first 17 digits (python-stdnum)."""
    return (_calc_check_digit or _load_check_digit())(number)


def _load_check_digit() -> Callable[[str], str]:
    # Imported on first use: python-stdnum pulls in pydoc, which short commands must not
    # pay for.
    global _calc_check_digit
    from stdnum.cn.ric import calc_check_digit

    _calc_check_digit = calc_check_digit
    return calc_check_digit


_calc_check_digit: Callable[[str], str] | None = None


def sex_from_id(number: str) -> str:
    digit = number[16] if len(number) == 18 else number[14]
    return "M" if int(digit) % 2 else "F"


def birth_date_from_id(number: str) -> str:
    raw = number[6:14] if len(number) == 18 else "19" + number[6:12]
    return f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"


def normalize_sex(text: str) -> str | None:
    """'M'/'F' for the usual spellings, '' for empty, None when unrecognised."""
    if not text:
        return ""
    return SEX_WORDS.get(text) or SEX_WORDS.get(text.lower())


# --- phones -------------------------------------------------------------------------------

def clean_phone(text: str) -> tuple[str, str | None]:
    """Return (digits, problem) for a phone cell: mobiles and landlines with area code."""
    if not text:
        return "", None
    if _MOBILE.match(text):
        return text, None  # the common case: a plain mobile number
    if _SCIENTIFIC.match(text.upper()):
        return "", "phone_excel_scientific"
    phone = text.translate(_PHONE_JUNK)
    if phone.endswith(".0") and phone[:-2].isdigit():
        phone = phone[:-2]  # a number cell read back as float text; the digits are exact
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("86") and len(phone) == 13:
        phone = phone[2:]
    if _MOBILE.match(phone) or _LANDLINE.match(phone):
        return phone, None
    return "", "phone_bad"


# --- vehicle plates -----------------------------------------------------------------------

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTERS = "A-HJ-NP-Z"  # plates use no I and no O
# Ordinary (5 characters), new-energy small cars (D/F first) and large vehicles (D/F last).
PLATE = (f"^[{_PROVINCES}][{_LETTERS}]([{_LETTERS}0-9]{{4}}[{_LETTERS}0-9挂学警港澳]"
         f"|[DF][{_LETTERS}0-9][0-9]{{4}}|[0-9]{{5}}[DF])$")


def clean_plate(text: str) -> str:
    """A plate as stored: 京A·12345, 京a 12345 and 京A12345 are the same plate."""
    return "".join(c for c in clean_cell(text) if c not in " ·•・.-").upper()


def plate_ok(plate: str) -> bool:
    """The mainland shape. A bad plate is warned about, not refused: the guard has the car
    in front of them and the record matters more than the format."""
    return re.match(PLATE, plate) is not None  # compiled (and cached by re) on first use


# --- temperatures -------------------------------------------------------------------------

LOWEST, HIGHEST = 34.0, 43.0
_DEGREES = re.compile(r"\s*(°C|℃|度|c)$", re.IGNORECASE)


def check_temperature(value: float | None, option: str) -> None:
    """A body temperature in °C; 365 gets "did you mean 36.5?"."""
    if value is None:
        return
    if not LOWEST <= value <= HIGHEST:
        hint = f"{value / 10:g}" if LOWEST * 10 <= value <= HIGHEST * 10 else ""
        raise InputError("temp_implausible" if not hint else "temp_implausible_hint",
                         option=option, value=f"{value:g}", hint=hint,
                         low=f"{LOWEST:g}", high=f"{HIGHEST:g}")


def parse_temperature(text: str, option: str) -> float | None:
    """A temperature as typed, in a sheet or on the command line: 36.5, 36.5度, 36.5℃, or
    in an input method's full-width digits (３６．５); empty is None."""
    text = clean_cell(text)
    if not text:
        return None
    try:
        value = float(_DEGREES.sub("", text))
    except ValueError:
        raise InputError("row_bad_temp", value=text) from None
    check_temperature(value, option)
    return value


def is_fever(threshold: float, *temps: float | None) -> bool:
    return any(t is not None and t >= threshold for t in temps)


# --- visits: outcomes and symptoms ----------------------------------------------------------

SYMPTOMS = ("fever", "cough", "fatigue", "sore-throat", "diarrhea", "breathless", "other")
OUTCOMES = ("seen-ok", "seen-not-ok", "missed", "not-attempted")
SYMPTOM_WORDS = {"发热": "fever", "发烧": "fever", "咳嗽": "cough", "乏力": "fatigue",
                 "咽痛": "sore-throat", "嗓子疼": "sore-throat", "腹泻": "diarrhea",
                 "气促": "breathless", "呼吸困难": "breathless", "胸闷": "breathless",
                 "其他": "other", "其它": "other",
                 **{s: s for s in SYMPTOMS}}
OUTCOME_WORDS = {"正常": "seen-ok", "见面正常": "seen-ok", "异常": "seen-not-ok",
                 "见面异常": "seen-not-ok", "未见": "missed", "未见到": "missed",
                 "未走访": "not-attempted", **{o: o for o in OUTCOMES}}
NONE_WORDS = frozenset({"", "无", "否", "正常", "没有", "none", "no", "-", "/"})


def check_symptoms(given: tuple[str, ...]) -> tuple[str, ...]:
    """Symptoms by code or by the words clerks write (咳嗽, 发热, ...)."""
    symptoms = []
    for text in given:
        symptom = SYMPTOM_WORDS.get(text.strip().lower())
        if symptom is None:
            raise InputError("visit_bad_symptom", symptom=text, symptoms=" | ".join(SYMPTOMS),
                             symptom_words=" | ".join(_first_word(SYMPTOM_WORDS, s)
                                                      for s in SYMPTOMS))
        symptoms.append(symptom)
    return tuple(dict.fromkeys(symptoms))


def check_outcome(text: str) -> str:
    outcome = OUTCOME_WORDS.get(text.lower())
    if outcome is None:
        raise InputError("visit_bad_outcome", outcome=text, outcomes=" | ".join(OUTCOMES),
                         outcome_words=" | ".join(_first_word(OUTCOME_WORDS, o)
                                                  for o in OUTCOMES))
    return outcome


def derive_outcome(given: str | None, fever: bool, symptoms: tuple[str, ...],
                   measured: bool) -> str:
    """Omitted: a fever or any symptom makes it seen-not-ok, else seen-ok. Given, it must
    agree with the findings: nobody missed has a temperature or symptoms, nobody with a fever
    or a symptom is seen-ok, and a person seen has their temperature taken."""
    outcome = check_outcome(given) if given is not None else (
        "seen-not-ok" if fever or symptoms else "seen-ok")
    if outcome in ("missed", "not-attempted") and (measured or symptoms):
        raise InputError("outcome_not_seen_with_findings", outcome=outcome)
    if outcome == "seen-ok" and (fever or symptoms):
        raise InputError("outcome_ok_with_findings", outcome=outcome)
    if outcome.startswith("seen") and not measured:
        raise InputError("outcome_seen_without_temp", outcome=outcome)
    return outcome


# --- yes/no cells -------------------------------------------------------------------------

YES_WORDS = frozenset({"是", "已", "已消毒", "已劝返", "劝返", "√", "✓", "1", "y", "yes",
                       "true"})
NO_WORDS = frozenset({"否", "未", "无", "×", "0", "n", "no", "false", ""})


def yes_no(text: str, column: str) -> bool:
    value = text.lower()
    if value in YES_WORDS:
        return True
    if value in NO_WORDS:
        return False
    raise InputError("row_bad_yes_no", column=column, value=text)


# --- checkpoint directions ------------------------------------------------------------------

DIRECTIONS = {"进": "in", "入": "in", "进入": "in", "进来": "in", "进村": "in", "入村": "in",
              "in": "in", "出": "out", "外出": "out", "出去": "out", "出村": "out", "离开": "out",
              "out": "out", "": "in"}


def check_direction(text: str) -> str:
    """in or out, from the words guards write; empty means in."""
    direction = DIRECTIONS.get(text.strip().lower())
    if direction is None:
        raise InputError("checkpoint_bad_direction", direction=text)
    return direction


# --- the other enumerations, as people type them --------------------------------------------

# code -> the words clerks use for it, besides the code itself (any case): the command line
# takes them as sheets do.
WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "team": {"cadre": ("干部", "党员干部", "村干部", "社区干部"),
             "police": ("民警", "警察", "公安", "辅警"),
             "medical": ("医生", "医务", "医护", "医务人员", "村医"),
             "volunteer": ("志愿者", "党员志愿者", "网格员")},
    "finding": {"gathering": ("聚集", "聚餐", "聚会"),
                "no-mask": ("未戴口罩", "不戴口罩", "没戴口罩"),
                "quarantine-breach": ("违反隔离", "擅离隔离", "擅自外出", "违规外出"),
                "fire-hazard": ("火灾隐患", "消防隐患"), "other": ("其他", "其它")},
    "quarantine_kind": {"home": ("居家", "居家隔离"), "central": ("集中", "集中隔离")},
    "quarantine_status": {"active": ("隔离中", "在管", "进行中"),
                          "completed": ("期满", "期满解除", "解除", "完成"),
                          "hospitalised": ("住院", "送医", "就医"),
                          "transferred": ("转移", "转运", "转出"), "lost": ("失联", "失访")},
    "site_kind": {"public": ("公共场所", "公共区域", "公共"), "building": ("楼栋", "楼宇"),
                  "household": ("住户", "家庭", "户"), "enterprise": ("企业", "工厂"),
                  "checkpoint": ("卡点", "卡口")},
    "pass_kind": {"health": ("健康证明", "健康证"), "travel": ("通行证", "出入证")},
}
_CODES: dict[str, dict[str, str]] = {}


def as_code(kind: str, text: str) -> str | None:
    """The code of WORDS[kind] for what was typed (the code itself, or one of its words);
    None when it is neither."""
    if kind not in _CODES:
        _CODES[kind] = {word: code for code, words in WORDS[kind].items()
                        for word in (code, *words)}
    return _CODES[kind].get(text.strip().lower())


def check_count(value: int | None, option: str, low: int, high: int) -> None:
    """A typed count (people, workers, days ahead) within what is plausible: a number past
    it is a slip of the keyboard, and one past the database's integers could not be stored."""
    if value is not None and not low <= value <= high:
        raise InputError("number_implausible", option=option, value=value, low=low, high=high)


def typed_code(kind: str, text: str, key: str, name: str) -> str:
    """The code of what was typed, as as_code reads it; otherwise InputError `key`, with
    what was typed as {name} and every code of WORDS[kind] as {name}s ({kind}, {kinds})."""
    code = as_code(kind, text)
    if code is None:
        raise InputError(key, **{name: text, f"{name}s": " | ".join(WORDS[kind]),
                                 f"{name}_words": first_words(kind)})
    return code


def first_words(kind: str, codes: tuple[str, ...] | None = None) -> str:
    """The first word clerks use for each code of WORDS[kind] (every code, or `codes`), as
    a Chinese message lists what may be typed: 干部 | 民警 | 医生 | 志愿者."""
    return " | ".join(WORDS[kind][code][0] for code in codes or WORDS[kind])


def _first_word(words: dict[str, str], code: str) -> str:
    return next(word for word, meant in words.items() if meant == code and word != code)
