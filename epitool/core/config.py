"""Configuration: built-in defaults, overlaid by a YAML file, validated key by key.

The defaults live here as data so a command without a config file never imports YAML;
config/epitool.yaml is the same values, commented for clerks (a test keeps them equal).
"""

from __future__ import annotations

import copy
import os
import re
from functools import cached_property
from pathlib import Path
from typing import Any

from epitool.errors import ConfigError

# The longest quarantine a config or a command may set (days): the one bound for both
LONGEST_QUARANTINE = 60

HEADER_FIELDS = ("name", "id_number", "phone", "sex", "household", "head", "relation",
                 "group", "address", "date", "temp", "temp2", "symptoms", "outcome",
                 "disinfected", "garbage", "delivered", "note", "by", "point", "plate",
                 "origin", "destination", "turned_back", "turn_back_reason", "direction")

DEFAULTS: dict[str, Any] = {
    "database": "epitool.db",
    "language": "auto",
    "timezone": "Asia/Shanghai",
    "area": {"office": "示例办事处", "village": "示例村", "village_code": "000000000000"},
    "fever_threshold": 37.3,
    "quarantine_days": 14,
    "lost_after_days": 2,  # days without a seen visit before someone is lost to follow-up
    "mask_personal_data": True,
    "busy_timeout_seconds": 10,
    "max_input_mb": 512,
    # reporting to an office in sealed bundles (epitool bundle): see README "From village
    # to office"
    "bundle": {"role": "village", "office_public_key": "", "signing_key_file": "",
               "office_key_file": ""},
    "header_aliases": {
        "name": ["姓名", "名字", "居民姓名", "人员姓名", "被检查人姓名", "name", "full name",
                 "resident"],
        "id_number": ["身份证号", "身份证号码", "证件号码", "公民身份号码", "身份证", "证件号",
                      "被检查人身份证号",
                      "id", "id number", "id no", "id card", "id_number"],
        "phone": ["联系电话", "手机号码", "手机号", "联系方式", "联系手机", "电话", "手机",
                  "电话号码", "phone", "mobile", "telephone", "phone number", "tel"],
        "sex": ["性别", "sex", "gender"],
        "household": ["户号", "户编号", "户籍编号", "household", "household no", "household_no"],
        "head": ["户主", "户主姓名", "head", "household head"],
        "relation": ["与户主关系", "关系", "家庭关系", "relation", "relationship"],
        "group": ["村组", "组别", "楼栋", "小区", "组", "村民组", "所在组", "group", "building"],
        "address": ["住址", "家庭住址", "现住址", "户籍地址", "地址", "详细地址", "居住地址",
                    "address"],
        # visit sheets (paper backlog)
        "date": ["日期", "走访日期", "走访时间", "时间", "检查时间", "登记时间", "date",
                 "visit date", "time"],
        "temp": ["体温", "上午体温", "早体温", "temperature", "temp", "am temp"],
        "temp2": ["下午体温", "晚体温", "体温2", "pm temp", "temp2"],
        "symptoms": ["症状", "有无症状", "身体状况", "symptoms"],
        "outcome": ["走访结果", "结果", "outcome"],
        "disinfected": ["是否消毒", "消毒", "入户消毒", "disinfected"],
        "garbage": ["垃圾清运", "是否清运垃圾", "垃圾", "garbage"],
        "delivered": ["代购物品", "代买代送", "代购", "delivered"],
        "note": ["备注", "note", "notes"],
        "by": ["走访人", "走访人员", "包户人", "visited by", "by"],
        # checkpoint sheets (epitool checkpoint import) 卡口登记表
        "point": ["卡口名称", "卡点名称", "卡口", "卡点", "checkpoint"],
        "plate": ["车牌号", "车牌", "车辆信息", "plate"],
        "origin": ["出发地", "来自", "from", "origin"],
        "destination": ["目的地", "前往", "to", "destination"],
        "turned_back": ["是否劝返", "劝返", "turned back"],
        "turn_back_reason": ["劝返原因", "turn back reason"],
        "direction": ["进出", "方向", "direction"],
    },
}

# key -> (type or tuple of types, human description)
_SCALARS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "database": (str, "a file path"),
    "language": (str, "auto, zh or en"),
    "timezone": (str, "an IANA zone such as Asia/Shanghai"),
    "fever_threshold": ((int, float), "a temperature in °C such as 37.3"),
    "quarantine_days": (int, "a whole number of days"),
    "lost_after_days": (int, "a whole number of days"),
    "mask_personal_data": (bool, "true or false"),
    "busy_timeout_seconds": ((int, float), "a number of seconds"),
    "max_input_mb": (int, "a whole number of megabytes"),
}
_AREA_KEYS = ("office", "village", "village_code")
_BUNDLE_KEYS = ("role", "office_public_key", "signing_key_file", "office_key_file")


class Config:
    """Validated settings. `source` is the file they came from, or None for built-ins. A
    plain class, not a dataclass: a dataclass is generated at every start-up."""

    def __init__(self, values: dict[str, Any], source: Path | None = None) -> None:
        self.values = values
        self.source = source

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @cached_property
    def header_aliases(self) -> dict[str, tuple[str, ...]]:
        """Each field's column names, normalised as sheets' headers are compared (only the
        commands that read a sheet need them)."""
        from epitool.io.headers import normalize_header

        return {f: tuple(normalize_header(a) for a in self.values["header_aliases"][f])
                for f in HEADER_FIELDS}

    @property
    def village_code(self) -> str:
        return self.values["area"]["village_code"]

    @property
    def is_office(self) -> bool:
        """An office's database merges villages' bundles; a village's exports them."""
        return bool(self.values["bundle"]["role"] == "office")

    def key_file(self, key: str) -> Path | None:
        """A key file named in bundle: (relative to the config file, as the database is)."""
        text = str(self.values["bundle"][key])
        if not text:
            return None
        path = Path(os.path.expanduser(text))
        return path if path.is_absolute() or self.source is None else self.source.parent / path

    def database_path(self, given: str | None = None) -> Path:
        """The database: `given` (--db, EPITOOL_DB) or the config's `database:`, a file's
        path or a postgresql:// URL (store.location). A relative `database:` is relative to
        the config file, so cron finds it from /."""
        from epitool.store.location import SCHEMES, location_of

        if given is not None:
            return location_of(given)
        configured = str(self.values["database"])
        if configured.startswith(SCHEMES):
            return location_of(configured)
        path = Path(os.path.expanduser(configured))
        if not path.is_absolute() and self.source is not None:
            path = self.source.parent / path
        return path


def find_config_file(explicit: str | None) -> Path | None:
    """--config / EPITOOL_CONFIG, else ./epitool.yaml when present, else built-ins."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError("config_missing", path=str(path))
        return path
    local = Path("epitool.yaml")
    return local if local.is_file() else None


def load_config(explicit: str | None = None) -> Config:
    path = find_config_file(explicit)
    if path is None:
        return build_config(copy.deepcopy(DEFAULTS), None)
    import yaml  # only when there is a file to read

    try:
        loaded = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_loader(yaml))
    except OSError as exc:  # no permission, a disk error
        raise ConfigError("config_unreadable", path=str(path), reason=exc.strerror) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError("config_unreadable", path=str(path), reason=str(exc)) from None
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise ConfigError("config_not_mapping", path=str(path))
    return build_config(merge(DEFAULTS, loaded, str(path)), path)


def _loader(yaml: Any) -> Any:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def merge(defaults: dict[str, Any], loaded: dict[str, Any], where: str) -> dict[str, Any]:
    """Overlay the file on the defaults, refusing keys we do not know (typos would be silent)."""
    values = copy.deepcopy(defaults)
    for key, value in loaded.items():
        if key not in DEFAULTS:
            raise ConfigError("config_unknown_key", key=str(key), path=where,
                              known=", ".join(DEFAULTS))
        if key == "area":
            values["area"] = _merge_area(value, where)
        elif key == "bundle":
            values["bundle"] = _merge_bundle(value, where)
        elif key == "header_aliases":
            values["header_aliases"] = _merge_aliases(values["header_aliases"], value, where)
        else:
            _check_scalar(key, value, where)
            values[key] = value
    return values


def _merge_area(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError("config_wrong_type", key="area", path=where,
                          expected="office, village, village_code")
    area = dict(DEFAULTS["area"])
    for sub, text in value.items():
        if sub not in _AREA_KEYS:
            raise ConfigError("config_unknown_key", key=f"area.{sub}", path=where,
                              known=", ".join(_AREA_KEYS))
        if not isinstance(text, (str, int)) or isinstance(text, bool):
            raise ConfigError("config_wrong_type", key=f"area.{sub}", path=where,
                              expected="text")
        area[sub] = str(text).strip()
    if not is_village_code(area["village_code"]):
        raise ConfigError("config_bad_value", key="area.village_code", path=where,
                          value=area["village_code"],
                          expected="letters and digits, e.g. 410171001001")
    return area


def is_village_code(text: str) -> bool:
    """Letters and digits, at most 20: it goes into every record and every bundle."""
    return re.fullmatch(r"[0-9A-Za-z]{1,20}", text) is not None


def _merge_bundle(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError("config_wrong_type", key="bundle", path=where,
                          expected=", ".join(_BUNDLE_KEYS))
    bundle = dict(DEFAULTS["bundle"])
    for sub, text in value.items():
        if sub not in _BUNDLE_KEYS:
            raise ConfigError("config_unknown_key", key=f"bundle.{sub}", path=where,
                              known=", ".join(_BUNDLE_KEYS))
        if not isinstance(text, str):
            raise ConfigError("config_wrong_type", key=f"bundle.{sub}", path=where,
                              expected="text")
        bundle[sub] = text.strip()
    if bundle["role"] not in ("village", "office"):
        raise ConfigError("config_bad_value", key="bundle.role", path=where,
                          value=bundle["role"], expected="village or office")
    return bundle


def _merge_aliases(current: dict[str, list[str]], value: Any, where: str) -> dict[str, list[str]]:
    """A file's aliases add to the built-in ones: clerks list their own headers, not all."""
    if not isinstance(value, dict):
        raise ConfigError("config_wrong_type", key="header_aliases", path=where,
                          expected="a mapping of field to list of headers")
    merged = {k: list(v) for k, v in current.items()}
    for fieldname, aliases in value.items():
        if fieldname not in HEADER_FIELDS:
            raise ConfigError("config_unknown_key", key=f"header_aliases.{fieldname}",
                              path=where, known=", ".join(HEADER_FIELDS))
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ConfigError("config_wrong_type", key=f"header_aliases.{fieldname}",
                              path=where, expected="a list of header texts")
        merged[fieldname].extend(a for a in aliases if a not in merged[fieldname])
    return merged


def _check_scalar(key: str, value: Any, where: str) -> None:
    expected_type, description = _SCALARS[key]
    if isinstance(value, bool) and expected_type is not bool:
        ok = False
    else:
        ok = isinstance(value, expected_type)
    if not ok:
        raise ConfigError("config_wrong_type", key=key, path=where, expected=description)


def build_config(values: dict[str, Any], source: Path | None) -> Config:
    where = str(source) if source else "built-in defaults"
    _check_ranges(values, where)
    return Config(values=values, source=source.resolve() if source else None)


def _check_ranges(values: dict[str, Any], where: str) -> None:
    checks = [
        ("language", values["language"] in ("auto", "zh", "en"), "auto, zh or en"),
        ("fever_threshold", 35 <= values["fever_threshold"] <= 42, "between 35 and 42 °C"),
        ("quarantine_days", 1 <= values["quarantine_days"] <= LONGEST_QUARANTINE,
         f"between 1 and {LONGEST_QUARANTINE}"),
        ("lost_after_days", 1 <= values["lost_after_days"] <= 30, "between 1 and 30"),
        ("busy_timeout_seconds", 0 <= values["busy_timeout_seconds"] <= 600, "0 to 600"),
        ("max_input_mb", values["max_input_mb"] >= 1, "at least 1"),
        ("database", bool(values["database"].strip()), "a file path"),
    ]
    for key, ok, expected in checks:
        if not ok:
            raise ConfigError("config_bad_value", key=key, path=where,
                              value=str(values[key]), expected=expected)
    if values["timezone"] != DEFAULTS["timezone"]:
        # a zone the office chose is checked now; the default's check is left to its first
        # use, which keeps zoneinfo out of commands that never ask what day it is
        from epitool.core.clock import zone

        zone(values["timezone"], where)
