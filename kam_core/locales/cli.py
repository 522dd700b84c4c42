"""Strings of the command line and the storage layer's refusals."""

STRINGS: dict[str, tuple[str, str]] = {
    "cli.err.no_db": (
        "{path} does not exist (create it with: python -m kam_core init --db {path}).",
        "{path} 不存在（可用 python -m kam_core init --db {path} 创建）。",
    ),
    "cli.err.schema_too_new": (
        "{path} has schema version {found}, but this app only knows up to {known}. "
        "Upgrade the app (or use another database file).",
        "{path} 的数据库结构版本为 {found}，本程序只支持到 {known}。请升级程序（或使用其他数据库文件）。",
    ),
    "cli.err.locked": (
        "{path} is in use by another process (is the app running?). Stop it or use --db with another file.",
        "{path} 正被另一个进程使用（应用是否正在运行？）。请先停止它，或用 --db 指定其他文件。",
    ),
    "cli.error": ("error: {message}", "错误：{message}"),
    "db.err.user_required": ("A user name is required for every change.", "每次修改都需要填写用户名。"),
    "filters.err.order": ("--from {start} is after --to {end}.", "--from {start} 晚于 --to {end}。"),
    "filters.err.month": (
        "'{value}' is not a month in the form YYYY-MM (e.g. 2026-03).",
        "“{value}”不是 YYYY-MM 格式的月份（例如 2026-03）。",
    ),
}
