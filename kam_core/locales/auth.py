"""Strings of sign-in, roles and the permission check (kam_core.auth), and the users / audit commands."""

STRINGS: dict[str, tuple[str, str]] = {
    # refusals
    "auth.err.role": (
        "{who} ({role}) may not {action}. Nothing was written.",
        "{who}（{role}）无权{action}。未写入任何内容。",
    ),
    "auth.err.foreign_accounts": (
        "{who} may {action} only for the accounts they own; not theirs ({n}): {accounts}. Nothing was written.",
        "{who} 只能对自己负责的客户{action}；以下 {n} 个客户不属于其负责范围：{accounts}。未写入任何内容。",
    ),
    "auth.err.unknown_user": (
        "{email} is not a user of this dashboard. Ask an admin to add you (users set {email} --role …).",
        "{email} 不是本看板的用户。请联系管理员添加（users set {email} --role …）。",
    ),
    "auth.err.unknown_action": (
        "'{name}' is not a registered action, so it is refused (register it in kam_core/auth.py).",
        "“{name}”不是已登记的操作，因此被拒绝（请在 kam_core/auth.py 中登记）。",
    ),
    "auth.err.unchecked": (
        "A KAM's '{action}' must name the accounts it changes before it is written; refused.",
        "客户经理的“{action}”操作必须先指明所涉及的客户才能写入；已拒绝。",
    ),
    "auth.err.sign_in_required": ("Sign in to make changes.", "请先登录再进行修改。"),
    "auth.err.email": ("'{email}' is not an e-mail address.", "“{email}”不是有效的电子邮件地址。"),
    "auth.err.role_name": ("'{role}' is not a role. Roles: {roles}.", "“{role}”不是有效的角色。可用角色：{roles}。"),
    "auth.err.last_admin": (
        "{email} is the last admin; make another user admin first.",
        "{email} 是最后一位管理员；请先将其他用户设为管理员。",
    ),
    "auth.err.since": ("'{value}' is not a date (YYYY-MM-DD).", "“{value}”不是日期（YYYY-MM-DD）。"),
    "auth.err.setting_choice": (
        "{key}: '{value}' is not one of the allowed values (see: settings get {key}).",
        "{key}：“{value}”不是允许的取值（参见：settings get {key}）。",
    ),
    "auth.note.foreign_skipped": (
        "{n} rows of accounts you do not own were not loaded: {accounts}.",
        "{n} 行属于非本人负责客户的数据未导入：{accounts}。",
    ),
    # roles
    "auth.role.admin": ("admin", "管理员"),
    "auth.role.kam": ("KAM", "客户经理"),
    "auth.role.executive": ("executive", "高管"),
    "auth.role.viewer": ("viewer", "只读用户"),
    # actions (as they read after "may not …" / "无权…")
    "auth.action.upload": ("upload data", "上传数据"),
    "auth.action.backup.create": ("back up the database", "备份数据库"),
    "auth.action.backup.restore": ("restore a backup", "恢复备份"),
    "auth.action.rollback": ("roll back an upload", "回滚上传"),
    "auth.action.plan.save": ("save an account plan", "保存客户计划"),
    "auth.action.plan.restore": ("restore an account plan", "恢复客户计划"),
    "auth.action.mapping_template.save": ("save a mapping template", "保存映射模板"),
    "auth.action.tier.override": ("override a tier", "手动调整客户分级"),
    "auth.action.setting.set": ("change a setting", "修改设置"),
    "auth.action.region_map.set": ("change the province → region map", "修改省份 → 大区映射"),
    "auth.action.channel_map.set": ("change the channel map", "修改渠道映射"),
    "auth.action.user.set": ("change users and roles", "修改用户和角色"),
    "auth.action.score_model.save": ("save a scoring model", "保存评分模型"),
    "auth.action.score_model.activate": ("activate a scoring model", "启用评分模型"),
    "auth.action.strategic_fit.set": ("set strategic fit", "设置战略契合度"),
    "auth.action.criterion.set": ("change scoring criteria", "修改评分标准"),
    "auth.action.demo.build": ("load the demo dataset", "加载演示数据"),
    "auth.action.user.first_admin": ("become the first admin", "成为首位管理员"),
    "auth.action.dashboard.view": ("see the dashboards", "查看看板"),
    "auth.action.plan.view": ("read account plans", "查看客户计划"),
    "auth.action.plan.notes.view": ("read stakeholder notes", "查看关键人备注"),
    "auth.action.audit.view": ("read the audit log", "查看审计日志"),
    "auth.action.user.view": ("see the users list", "查看用户列表"),
}
