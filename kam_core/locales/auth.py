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
        "{n} {n:row|rows} of accounts you do not own {n:was|were} not loaded: {accounts}.",
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
    # the app: sign-in, identity, pages by role
    "nav.admin": ("Administration", "管理"),
    "page.audit": ("Audit log", "审计日志"),
    "page.users": ("Users and roles", "用户与角色"),
    "auth.ui.sign_in_title": ("Sign in", "登录"),
    "auth.ui.sign_in_text": (
        "This dashboard holds your company's sales data and account plans. Sign in with your company account "
        "to continue; what you may see and change depends on your role.",
        "本看板包含公司的销售数据和客户计划。请使用公司账号登录；您可查看和修改的内容取决于您的角色。",
    ),
    "auth.ui.sign_in": ("Sign in", "登录"),
    "auth.ui.sign_out": ("Sign out", "退出登录"),
    "auth.ui.signed_in": ("Signed in as {name} ({email}) · {role}", "已登录：{name}（{email}）· {role}"),
    "auth.ui.signed_in_kam": (
        "Signed in as {name} ({email}) · {role} · accounts of {kam}",
        "已登录：{name}（{email}）· {role} · 负责客户：{kam}",
    ),
    "auth.ui.no_email": (
        "The identity provider did not send an e-mail address, so you cannot be matched to a user. Ask the "
        "administrator to request the 'email' scope.",
        "身份提供方未返回电子邮件地址，因此无法识别您的用户身份。请联系管理员申请 “email” 权限范围。",
    ),
    "auth.ui.local": (
        "Local mode: you act as {name} with full rights.",
        "本地模式：您以 {name} 的身份操作，拥有全部权限。",
    ),
    "auth.ui.local_unnamed": (
        "Local mode: full rights; enter your name above to make changes.",
        "本地模式：拥有全部权限；请在上方输入姓名后再进行修改。",
    ),
    "auth.ui.page_refused": (
        "Your role ({role}) cannot open this page.",
        "您的角色（{role}）无法打开此页面。",
    ),
    "auth.ui.plan_read_only_role": (
        "Read-only: your role ({role}) can read account plans but not change them.",
        "只读：您的角色（{role}）可以查看客户计划，但不能修改。",
    ),
    "auth.ui.plan_read_only_owner": (
        "Read-only: {account} belongs to {owner}. Only its KAM or an admin can change this plan.",
        "只读：{account} 由 {owner} 负责。只有其客户经理或管理员可以修改此计划。",
    ),
    "auth.ui.nobody": ("no KAM", "无客户经理"),
    # users page
    "auth.users.caption": (
        "Who may use the dashboard and in which role. A KAM changes only the accounts whose KAM (account "
        "master, else sales lines) is their KAM name or e-mail.",
        "可使用本看板的人员及其角色。客户经理只能修改其负责的客户（以客户主数据中的客户经理为准，否则以销售明细为准），"
        "匹配其客户经理姓名或电子邮件。",
    ),
    "auth.users.none": (
        "No users yet: the first person to sign in becomes admin.",
        "暂无用户：第一位登录者将成为管理员。",
    ),
    "auth.users.edit": ("Add a user or change one", "添加或修改用户"),
    "auth.users.pick": ("User", "用户"),
    "auth.users.new": ("New user…", "新用户…"),
    "auth.users.email": ("E-mail", "电子邮件"),
    "auth.users.name": ("Name", "姓名"),
    "auth.users.role": ("Role", "角色"),
    "auth.users.kam_name": ("KAM name (as in the data)", "客户经理姓名（与数据中一致）"),
    "auth.users.kam_name_help": (
        "The name the account master or the sales lines give as KAM of this person's accounts.",
        "客户主数据或销售明细中该人员所负责客户的客户经理姓名。",
    ),
    "auth.users.save": ("Save user", "保存用户"),
    "auth.users.saved": ("Saved {email}: {role}.", "已保存 {email}：{role}。"),
    "auth.users.col.email": ("E-mail", "电子邮件"),
    "auth.users.col.name": ("Name", "姓名"),
    "auth.users.col.role": ("Role", "角色"),
    "auth.users.col.kam_name": ("KAM name", "客户经理姓名"),
    "auth.users.col.updated_at": ("Changed", "修改时间"),
    "auth.users.col.updated_by": ("Changed by", "修改人"),
    # audit page
    "auth.audit.caption": (
        "Every change written to the database: who, what, when and the details (old → new).",
        "写入数据库的每一项修改：修改人、操作、时间及详情（旧值 → 新值）。",
    ),
    "auth.audit.from": ("From", "起始日期"),
    "auth.audit.to": ("To", "截止日期"),
    "auth.audit.user": ("User", "用户"),
    "auth.audit.action": ("Action", "操作"),
    "auth.audit.all": ("All", "全部"),
    "auth.audit.count": ("{n} {n:entry|entries} shown.", "显示 {n} 条记录。"),
    "auth.audit.empty": ("No entries for this selection.", "当前筛选条件下没有记录。"),
    "auth.audit.download": ("Download CSV (this selection)", "下载 CSV（当前筛选）"),
    "auth.audit.col.at": ("When", "时间"),
    "auth.audit.col.user": ("User", "用户"),
    "auth.audit.col.action": ("Action", "操作"),
    "auth.audit.col.detail": ("Details", "详情"),
}
