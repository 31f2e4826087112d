"""The command line's help in Chinese: every command's and option's help text (keyed by its
English text, spaces folded), the arguments' names, and the parser's own words. A test walks
every help page in zh and fails on a text missing here."""

# English help (whitespace folded to single spaces) -> Chinese
HELP = {
    'The database: backup, check, restore, grant.': '数据库：备份、检查、恢复、授权。',
    'The database role (user) to create or update.': '要新建或更新的数据库角色（用户）。',
    'The village code whose rows it may read and write, and no others.': '该角色只能读写此村代码的记录。',
    "An office's role: every village's rows.": '街道/乡镇办角色：所有村的记录。',
    "On a PostgreSQL server: a role that sees only its village's rows (or all, --office).": '在 PostgreSQL 服务器上：只能看到本村记录的角色（--office：看到全部）。',
    # the root and its options
    "Epidemic-prevention records for village and community offices. 疫情防控台账工具。":
        "疫情防控台账工具：花名册、隔离走访、消杀、卡点、复工、通行证、巡查和每日报表。",
    "Database file or postgresql:// URL (default: config 'database').": "数据库文件或 postgresql:// 地址（默认：配置里的 database）。",
    "YAML config file.": "YAML 配置文件。",
    "Language of messages: zh or en.": "提示语言：zh（中文）或 en（英文）。",
    "Name recorded in the audit trail.": "记入操作日志的操作人姓名。",
    "Print the version and exit.": "显示版本号后退出。",
    # roster
    "Household roster 花名册: import, list, show.": "花名册：导入、列出、查看。",
    "Import a roster: re-importing the same file changes nothing; a column the file lacks "
    "changes nothing either.": "导入花名册：同一文件再导入一次不会改变任何记录；文件里没有的列也不会改动。",
    "CSV, TSV, XLSX or XLS roster.": "花名册文件（CSV、TSV、XLSX 或 XLS）。",
    "Text encoding, e.g. gb18030 (default: detect).": "文字编码，如 gb18030（默认：自动识别）。",
    "Worksheet name (default: the first).": "工作表名称（默认：第一个）。",
    "Check only; write nothing.": "只检查，不写入。",
    "Where rejected rows go (default: beside FILE).": "未导入的行写到哪个文件（默认：原文件旁边）。",
    "table | json": "table（表格）| json",
    "An empty cell blanks what is stored (default: kept).": "空单元格清空已存的内容（默认：保留）。",
    "Add one resident, with the same checks as an import.": "添加一位居民，检查规则与导入相同。",
    "ID number 身份证号.": "身份证号。",
    "男/女 (taken from the ID when given).": "男/女（有身份证号时按身份证号）。",
    "Household number 户号.": "户号。",
    "Relation to the head, e.g. 户主.": "与户主关系，如 户主、妻、子。",
    "Correct a resident's name (an import never renames anyone).":
        "更正居民姓名（导入从不改名）。",
    "#number or ID number.": "#编号或身份证号。",
    "The right name.": "正确的姓名。",
    "Why, for the audit trail.": "原因，记入操作日志。",
    "Remove health records no longer needed: quarantines ended before --before, with their "
    "visits and events (PIPL art. 6). Asks first; says what it removed; audited.":
        "删除不再需要的健康记录：--before 之前结束的隔离及其走访和事件（个人信息保护法第六条）。"
        "先确认；说明删了什么；记入操作日志。",
    "Remove quarantines that ended before this day.": "删除这一天之前结束的隔离。",
    "Do not ask for confirmation.": "不再确认。",
    "Write an empty roster with the expected columns and one sample row.":
        "生成空白花名册模板：列名齐全，带一行示例。",
    "Where to write: .xlsx or .csv": "写到哪个文件：.xlsx 或 .csv",
    "Replace an existing file.": "覆盖已有文件。",
    "List residents; ID and phone numbers masked unless --reveal.":
        "列出居民；身份证号和电话默认打码（--reveal 显示全号）。",
    "Only this group or building.": "只看这个组或楼栋。",
    "Only this village (its code or name): an office holds many.":
        "只看这个村（村代码或村名）：办事处的库里有多个村。",
    "Name, ID/phone tail, or pinyin initials (wangw).":
        "姓名、身份证号或电话的尾号、拼音首字母（如 wangw）。",
    "At most N rows (table default 100; 0 = all).": "最多 N 行（表格默认 100；0 为全部）。",
    "Show full ID and phone numbers (audited).": "显示完整身份证号和电话（记入操作日志）。",
    "table | json | csv | xlsx": "table（表格）| json | csv | xlsx",
    "Write to a new file (mode 0600).": "写到一个新文件（权限 0600）。",
    "Replace an existing --output file.": "覆盖已有的 --output 文件。",
    "Every column at full width, in lines longer than the terminal.":
        "显示所有列的全部内容，行可以比终端宽。",
    "Show one resident and their household.": "查看一位居民及其家庭。",
    "ID number, #number, name or pinyin initials.": "身份证号、#编号、姓名或拼音首字母。",
    # staff
    "Staff and volunteers 工作人员 and who covers which households.":
        "工作人员和志愿者，以及各自负责的住户。",
    "Add a staff member or volunteer.": "添加工作人员或志愿者。",
    "cadre | police | medical | volunteer": "干部 | 民警 | 医生 | 志愿者",
    "List staff, with the households and groups each covers.": "列出工作人员及其负责的住户和组。",
    "Make STAFF responsible for households, or for a whole group.":
        "指定工作人员负责某些住户或整个组。",
    "Name or #number.": "姓名或#编号。",
    "Household number (repeatable).": "户号（可写多次）。",
    # quarantine
    "Quarantine follow-up 隔离管理.": "隔离管理。",
    "Start a quarantine for a resident.": "开始一位居民的隔离。",
    "ID number, #number or name.": "身份证号、#编号或姓名。",
    "home | central": "居家 | 集中",
    "First day (default today).": "第一天（默认今天）。",
    "Length in days (default from config).": "隔离天数（默认按配置）。",
    "Responsible staff (default: the household's).": "负责人（默认：该户的负责人）。",
    "End the active quarantine of a resident.": "结束一位居民正在进行的隔离。",
    "completed | hospitalised | transferred | lost": "期满 | 住院 | 转移 | 失联",
    "Day it ended (default today).": "结束日期（默认今天）。",
    "Restart the count after a re-exposure.": "再次接触后重新计算隔离天数。",
    "New length from --since (default from config).": "从 --since 起的新天数（默认按配置）。",
    "Day of re-exposure (default today).": "再次接触的日期（默认今天）。",
    "Move someone between home and central quarantine; the count of days goes on.":
        "居家与集中隔离之间转移；天数接着算。",
    "central | home": "集中 | 居家",
    "Day of the move (default today).": "转移日期（默认今天）。",
    "Where, e.g. the hotel.": "去向，如隔离酒店。",
    "Correct the start (or length) of someone's latest quarantine; the original is kept.":
        "更正最近一次隔离的开始日期（或天数）；原记录保留。",
    "The right first day.": "正确的第一天。",
    "The right length (default: as is).": "正确的天数（默认不变）。",
    "List quarantines (default: all).": "列出隔离（默认全部）。",
    "active | completed | hospitalised | transferred | lost":
        "隔离中 | 期满 | 住院 | 转移 | 失联",
    "Only those whose last day is DATE.": "只看最后一天是该日期的。",
    # visit
    "Daily visits 走访: temperature, symptoms, the four ones.":
        "每日走访：体温、症状、代买代送、消毒、垃圾清运。",
    "Log a visit to a person under follow-up.": "登记一次对隔离人员的走访。",
    "Temperature °C, e.g. 36.5 or 36.5度": "体温（°C），如 36.5 或 36.5度",
    "Second reading (afternoon).": "第二次体温（下午）。",
    "fever | cough | fatigue | sore-throat | diarrhea | breathless | other (repeatable)":
        "发热 | 咳嗽 | 乏力 | 咽痛 | 腹泻 | 气促 | 其他（可写多次）",
    "seen-ok | seen-not-ok | missed | not-attempted": "正常 | 异常 | 未见到 | 未走访",
    "Purchases delivered 代买代送.": "代买代送的物品。",
    "Home disinfected.": "已入户消毒。",
    "Garbage disinfected and collected.": "垃圾已消毒清运。",
    "Staff who visited (default: the responsible).": "走访人（默认：负责人）。",
    "When (default now), e.g. '2020-02-03 09:00'.": "时间（默认现在），如 '2020-02-03 09:00'。",
    "Log for someone not under quarantine.": "对未在隔离的人也登记。",
    "text | json": "text（文字）| json",
    "Import visits kept on paper or in Excel (姓名/身份证号/日期/体温/症状/是否消毒...).":
        "导入纸质或 Excel 走访记录（姓名/身份证号/日期/体温/症状/是否消毒……）。",
    "CSV or XLSX visit sheet.": "走访表（CSV 或 XLSX）。",
    "Also rows of people not under quarantine.": "未在隔离的人的行也导入。",
    "List visits of a day (amended visits show their latest version; voided ones are hidden).":
        "列出某天的走访（更正过的显示最新一版；作废的不显示）。",
    "Day (default today).": "日期（默认今天）。",
    "Only this person (all days).": "只看此人（所有日期）。",
    "Correct a visit: a new record supersedes it; the original is kept.":
        "更正走访：新记录取代它，原记录保留。",
    "Visit number (#12) or uid.": "走访编号（#12）或全局编号。",
    "Hide a visit from counts, with a reason; the record is kept.":
        "作废一次走访（须写原因）：不再计数，记录保留。",
    "Why (required).": "原因（必填）。",
    # sites and rounds
    "Disinfection sites 消杀点位.": "消杀点位。",
    "Add a site that must be disinfected every N days.": "添加每 N 天须消杀一次的点位。",
    "public | building | household | enterprise | checkpoint": "公共场所 | 楼栋 | 住户 | 企业 | 卡点",
    "Required every N days.": "每 N 天一次。",
    "For --kind household: its number.": "住户点位：户号。",
    "Sites with their last round and whether they are overdue.": "点位及最近一次消杀、是否逾期。",
    "Disinfection rounds 消杀记录.": "消杀记录。",
    "Record a disinfection round.": "登记一次消杀。",
    "Site name or #number.": "点位名称或#编号。",
    "Disinfectant used.": "所用消毒剂。",
    "Disinfection rounds of a day (default today).": "某天的消杀记录（默认今天）。",
    # checkpoints and duty
    "Checkpoints 卡点: registrations in and out.": "卡点：进出登记。",
    "Add a checkpoint.": "添加卡点。",
    "Checkpoints, with the day's registrations.": "卡点及当天的登记。",
    "Register one person (and vehicle) passing the checkpoint.": "登记一人（及车辆）通过卡点。",
    "Checkpoint name or #number.": "卡点名称或#编号。",
    "in | out": "进 | 出",
    "°C, e.g. 36.5 or 36.5度": "体温（°C），如 36.5 或 36.5度",
    "Reason 劝返原因.": "劝返原因。",
    "A resident: must match the roster by ID.": "本村居民：须与花名册身份证号一致。",
    "Import registrations kept on paper or in Excel; all or nothing, rejects to a file.":
        "导入纸质或 Excel 卡点登记：要么全部导入，要么都不导入，有问题的行写到文件。",
    "The guards' sheet (CSV/XLSX).": "卡点登记表（CSV/XLSX）。",
    "For sheets without a checkpoint column.": "表里没有卡点列时用。",
    "Add the checkpoints the sheet names that are not known yet.": "表里写到的新卡点一并添加。",
    "Per checkpoint and shift: people and vehicles in and out, turned back, fevers.":
        "按卡点和班次：进出人数和车辆、劝返、发热。",
    "Duty shifts at checkpoints 值班.": "卡点值班。",
    "Put STAFF on duty at a checkpoint from one time to another.":
        "安排工作人员在某卡点某段时间值班。",
    "Duty shifts overlapping a day.": "某天的值班。",
    "Hours of a 24-hour day each checkpoint has no one on duty.": "各卡点一天中无人值班的时段。",
    # enterprises and passes
    "Work resumption 复工复产: enterprises and checklists.": "复工复产：企业及检查清单。",
    "Add an enterprise preparing to resume work.": "添加准备复工的企业。",
    "Record checklist items done; ready to resume only with all four.":
        "登记已完成的检查项；四项齐全才可复工。",
    "Enterprises with checklist completion.": "企业及检查清单完成情况。",
    "Health certificates and passes 健康证明/通行证.": "健康证明和通行证。",
    "Issue a pass; refused under quarantine or after a fever in 14 days (--override REASON).":
        "开具证明：隔离中或 14 天内发过热的不开（确需开具用 --override 写明原因）。",
    "health | travel": "健康证明 | 通行证",
    "Why, when refused.": "被拒时仍要开具的原因。",
    "A printable A6 pass (.html).": "可打印的 A6 证明（.html）。",
    "Say whether a pass is valid, expired, revoked or unknown (exit 1 unless valid).":
        "查验证明：有效、过期、已收回或查无此证（无效时退出码为 1）。",
    "Revoke a pass, with a reason; the pass stays on record as revoked.":
        "收回证明（须写原因）；记录保留为已收回。",
    "Passes issued.": "已开具的证明。",
    "Only valid ones ending within N days.": "只看 N 天内到期的有效证明。",
    # patrols and needs
    "Patrol findings 巡查.": "巡查发现。",
    "Record a patrol finding and the action taken.": "登记巡查发现及处理。",
    "gathering | no-mask | quarantine-breach | fire-hazard | other":
        "聚集 | 未戴口罩 | 违反隔离 | 火灾隐患 | 其他",
    "Who (needed for quarantine-breach).": "涉及的人（违反隔离时必填）。",
    "Patrol findings of a day.": "某天的巡查发现。",
    "Residents' needs 代买代送.": "居民需求：代买代送。",
    "Record what a resident needs bought or delivered.": "登记居民需要代买代送的东西。",
    "What is needed, e.g. 青菜 药品": "需要什么，如 青菜 药品",
    "Mark a need as delivered.": "标记为已送到。",
    "Needs, quarantined households first.": "需求清单，隔离户在前。",
    # reports, reminders, audit
    "Reports for the office 报表: daily, trend.": "报表：日报、趋势。",
    "The day's report, per group or village.": "当日报表，按组或按村。",
    "group | village": "group（按组）| village（按村）",
    "table | json | csv | xlsx | md | html": "table（表格）| json | csv | xlsx | md | html",
    "The key counts of the last N days: sparklines, or a chart in HTML and PNG.":
        "最近 N 天的主要数字：迷你走势图，HTML 和 PNG 为图表。",
    "How many days, up to --date.": "天数，截至 --date。",
    "Last day (default today).": "最后一天（默认今天）。",
    "table | json | csv | xlsx | html | png": "table（表格）| json | csv | xlsx | html | png",
    "Ready-made schedules for cron.": "现成的定时任务（cron）。",
    "A crontab block: reminders at 07:30 and 16:00, the daily report at 21:00 (office time).":
        "一段 crontab：07:30 和 16:00 提醒，21:00 出日报（按办公地时间）。",
    "What is due today, who is responsible, and the command that resolves it.":
        "今天要办的事、谁负责、用哪条命令办。",
    "Only what this staff member covers.": "只看此工作人员负责的。",
    "Print nothing when nothing is due.": "没有要办的事时什么都不显示。",
    "Exit 3 when something is due.": "有要办的事时退出码为 3。",
    "text | table | json | csv | xlsx": "text（文字）| table（表格）| json | csv | xlsx",
    "The audit trail: every write, who made it, when, and what changed.":
        "操作日志：每次写入，谁、什么时候、改了什么。",
    "From this day.": "从这一天起。",
    "Only records about this person.": "只看与此人有关的记录。",
    "Full numbers in the details (audited).": "详情里显示全号（记入操作日志）。",
    "Under follow-up, visited, not visited, fevers, ending today, overdue sites.":
        "在管人数、已走访、未走访、发热、今天期满、逾期未消杀的点位。",
    # bundles
    "Village to office: sealed bundles, the office's merge.": "村向办事处报送：加密签名的数据包，办事处汇总。",
    "The office's key pair (bundles are sealed to it).": "办事处的密钥对（数据包为它加密）。",
    "A village's signing key pair.": "村的签名密钥对。",
    "Where the secret key goes (mode 0600).": "私钥写到哪个文件（权限 0600）。",
    "Make a key pair: the secret part to a file only you can read, the public part printed "
    "(the office's for the villages' configs, a village's for the office).":
        "生成密钥对：私钥写入仅本人可读的文件，公钥显示出来（办事处的给各村配置，村的给办事处登记）。",
    "The village's code.": "村代码。",
    "The village's name.": "村名。",
    "Its public signing key (from its keygen).": "该村的签名公钥（村里 keygen 时显示）。",
    "Register a village with the office: its bundles are accepted when signed by its key.":
        "在办事处登记一个村：该村用其密钥签名的数据包才被接受。",
    "The bundle file to write.": "要生成的数据包文件。",
    "Only what changed since the last export.": "只含上次导出以来的变动。",
    "Seal this village's records for the office: encrypted to it, signed by the village.":
        "为办事处打包本村记录：为办事处加密，由本村签名。",
    "Bundle files from the villages.": "各村报送的数据包文件。",
    "Where the conflicts found go (default: beside the database).":
        "发现的冲突写到哪个文件（默认：数据库旁边）。",
    "Merge villages' bundles into the office's database: each checked whole, then merged in "
    "one transaction; the same bundle twice changes nothing.":
        "把各村数据包汇入办事处数据库：每个包先整体核验，再在一个事务中合并；同一个包导入两次不会有任何改变。",
    "The registered villages: their last bundle, the newest day it covers, and whether "
    "today's has arrived.": "已登记的村：最近的数据包、所含最新日期、今天的是否已报。",
    "Conflicts merging found: one ID number on two villages' rosters, or one person under "
    "quarantine in two villages on the same day. Never merged: for the office to resolve.":
        "合并时发现的冲突：同一身份证号在两个村的花名册上，或同一人同一天在两个村隔离。不合并，由办事处处理。",
    # the database
    "Create the database (safe to run again: it only adds what is missing).":
        "建立数据库（可重复运行：只补上缺少的部分）。",
    "Build a demo database from the bundled samples (re-running it changes nothing).":
        "用自带样例建一个演示数据库（重复运行不会改变什么）。",
    "Copy the database safely while it is in use (never copy the file by hand).":
        "在使用中安全地备份数据库（不要手工复制文件）。",
    "Backup file, or a folder for a dated one (default: dated, beside the database).":
        "备份文件，或放带日期备份的文件夹（默认：带日期，放在数据库旁边）。",
    "Check the database for damage; exit 1 and say what is wrong if anything is.":
        "检查数据库是否损坏；有问题时说明并以 1 退出。",
    "Put a backup in place of the database; the current one is kept beside it.":
        "用备份替换数据库；当前的数据库保留在旁边。",
    "A backup made by 'db backup'.": "用 'db backup' 做的备份。",
    "Replace the current database.": "替换当前数据库。",
}

# argument name -> how help and usage lines name it
ARGUMENTS = {
    "person": "人员", "file": "文件", "name": "名称", "staff": "工作人员", "point": "卡点",
    "site": "点位", "serial": "证明编号", "visit": "走访", "items": "物品", "need": "需求编号",
    "out": "输出文件", "new_name": "新姓名", "code": "村代码", "files": "文件",
}

# a value's kind, as help shows it beside an option
KINDS = {"text": "文字", "str": "文字", "integer": "整数", "int": "整数", "float": "数字",
         "path": "路径", "filename": "文件"}

# an option's default code -> its word, on the help page
DEFAULTS = {"in": "进", "health": "健康证明", "home": "居家", "central": "集中"}

# the parser's own words
PARSER = {
    "usage": "用法：", "options_metavar": "[选项]", "subcommand_metavar": "命令 [参数]...",
    "arguments": "参数", "options": "选项", "commands": "命令", "error": "错误",
    "default": "[默认：{}]", "env_var": "[环境变量：{}]", "required": "[必填]",
    "aborted": "已中止。", "help_option": "显示本帮助并退出。",
    "try_help": "用 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    "deprecated": "（已弃用）",
}
