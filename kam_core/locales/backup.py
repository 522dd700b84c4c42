"""Strings of backup / restore (kam_core.backup)."""

STRINGS: dict[str, tuple[str, str]] = {
    "backup.err.not_empty": (
        "{path} is not an empty directory; back up into a new or empty directory.",
        "{path} 不是空目录；请备份到新的或空的目录。",
    ),
    "backup.err.no_manifest": (
        "{path} is not a complete backup (no readable manifest.json).",
        "{path} 不是完整的备份（没有可读的 manifest.json）。",
    ),
    "backup.err.too_new": (
        "The backup has schema version {found}, but this app only knows up to {known}. Upgrade the app first.",
        "该备份的数据库结构版本为 {found}，本程序只支持到 {known}。请先升级程序。",
    ),
    "backup.err.missing": (
        "The backup is damaged: {file} (table {table}) is missing. Nothing was restored.",
        "备份已损坏：缺少 {file}（表 {table}）。未恢复任何内容。",
    ),
    "backup.err.checksum": (
        "The backup is damaged: {file} (table {table}) does not match its checksum. Nothing was restored.",
        "备份已损坏：{file}（表 {table}）与校验和不符。未恢复任何内容。",
    ),
    "backup.err.count": (
        "Table {table} restored {rows} rows, the backup lists {expected}. Nothing was restored.",
        "表 {table} 恢复了 {rows} 行，但备份记录为 {expected} 行。未恢复任何内容。",
    ),
    "backup.err.unknown_table": (
        "The backup holds a table this app does not know ({table}). Nothing was restored.",
        "备份中有本程序不认识的表（{table}）。未恢复任何内容。",
    ),
    "backup.err.has_data": (
        "{path} already holds data; restore into a new file with --db, or replace it with --force.",
        "{path} 已有数据；请用 --db 恢复到新文件，或用 --force 覆盖。",
    ),
    "backup.err.served": (
        "The app is running on {path}: stop it before restoring over its database, or restore into another file "
        "with --db and point the app at it.",
        "应用正在使用 {path}：请先停止应用再覆盖其数据库，或用 --db 恢复到其他文件并让应用使用该文件。",
    ),
}
