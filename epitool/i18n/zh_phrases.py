"""Core's English words in message parameters (what a config value should be, SQLite's
words for a bad file), said in Chinese when the message is (i18n.translate)."""

PHRASES = {
    "a file path": "文件路径",
    "auto, zh or en": "auto、zh 或 en",
    "an IANA zone such as Asia/Shanghai": "IANA 时区名，如 Asia/Shanghai",
    "a temperature in °C such as 37.3": "摄氏温度，如 37.3",
    "a whole number of days": "天数（整数）",
    "true or false": "true 或 false",
    "a number of seconds": "秒数",
    "a whole number of megabytes": "兆字节数（整数）",
    "between 35 and 42 °C": "35 至 42 °C 之间",
    "between 1 and 60": "1 至 60 之间",
    "between 1 and 30": "1 至 30 之间",
    "0 to 600": "0 至 600",
    "at least 1": "至少为 1",
    "text": "文字",
    "office, village, village_code": "office、village、village_code",
    "role, office_public_key, signing_key_file, office_key_file":
        "role、office_public_key、signing_key_file、office_key_file",
    "village or office": "village 或 office",
    "letters and digits, e.g. 410171001001": "字母和数字，如 410171001001",
    "a mapping of field to list of headers": "字段到表头列表的映射",
    "a list of header texts": "表头文字的列表",
    "an ISO 8601 time such as 2020-02-03T16:01:00Z": "ISO 8601 时间，如 2020-02-03T16:01:00Z",
    "file is not a database": "不是数据库文件",
    "database disk image is malformed": "数据库文件已损坏",
}
