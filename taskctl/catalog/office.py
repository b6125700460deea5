"""Messages of the office fixes: start defaults, extensions, future dates, housekeeping."""

ZH: dict[str, str] = {
    "error.future_date": "日期 {on} 晚于今天（{today}）：进展、状态变更、延期和批示只能记在今天或以前",
    "error.extend_before_last": "延期日期 {on} 早于该任务最近一次延期或撤回（{last}）；请用 --on 指定 {last} 或以后的日期",
    "error.extend_ongoing": "任务 #{id} 没有时限（长期），无需延期；要设定时限请用 taskctl task edit {id} --due 日期",
    "error.extend_not_later": (
        "延期必须把时限推后：{to} 不晚于现行时限 {due}；要提前时限请用 taskctl task edit {id} --due 更正"
    ),
    "error.extend_to_or_withdraw": "请给出 --to 日期（延期）或 --withdraw 延期编号（撤回），二者选一",
    "error.unknown_extension": "任务 #{task} 没有编号为 {id} 的延期；用 taskctl task show {task} 查看",
    "error.extension_withdrawn": "延期 #{id} 已于 {on} 撤回",
    "error.withdraw_latest_first": "只能撤回最近一次延期：请先撤回延期 #{latest}，再撤回 #{id}",
    "error.withdraw_before_grant": "撤回日期 {on} 早于该延期的批准日期 {granted}",
    "error.correct_not_after_old": (
        "更正后的时限 {due} 不晚于延期 #{id} 之前的时限 {old}；要取消这次延期请用 "
        "taskctl task extend {task} --withdraw {id}"
    ),
    "error.start_after_events": "开始日期 {start} 晚于该任务已记录的最早日期 {first}（进展、状态、延期或批示）",
    "error.unit_in_use": (
        "单位“{name}”仍是 {lead} 项任务的牵头单位、{co} 项任务的配合单位（{ids}）；"
        "请先用 taskctl unit reassign 或 taskctl unit merge 移交"
    ),
    "error.same_unit": "“{name}”是同一个单位",
    "error.leader_in_use": (
        "领导“{name}”仍负责 {tasks} 项任务（{ids}）、有 {instructions} 条批示；"
        "请先用 taskctl leader reassign 或 taskctl leader merge 移交"
    ),
    "error.same_leader": "“{name}”是同一位领导",
    "task.extension_withdrawn": "任务 #{id} 的延期 #{ext} 已于 {on} 撤回，现行时限 {due}",
    "task.extension_withdrawn_text": "撤回延期 #{id}，时限恢复为 {due}",
    "progress.lower_than_before": "提示：任务 #{id} 本次进度 {percent}% 低于上次报送的 {before}%，已照录",
    "unit.deleted": "已删除单位“{name}”",
    "unit.merged": "已将“{gone}”并入“{kept}”：移交牵头任务 {lead} 项、配合任务 {co} 项，原名称保留为别名",
    "unit.reassigned": "已将“{src}”的任务移交“{dst}”：牵头 {lead} 项、配合 {co} 项",
    "leader.deleted": "已删除领导“{name}”",
    "leader.merged": "已将“{gone}”并入“{kept}”：任务 {tasks} 项、批示 {instructions} 条，原姓名保留为别名",
    "leader.reassigned": "已将“{src}”负责的 {tasks} 项任务移交“{dst}”",
    "error.bad_choice": "{option} 不能取“{value}”，可选：{choices}",
    "help.exit_codes": (
        "退出码：0 成功；1 输入有误或不允许（名称不存在、数值不对、权限被数据库拒绝）；2 用法错误；"
        "3 台账无法使用（连不上、已损坏、不是本工具的台账、版本过新或需升级）；4 因他人的修改被拒绝（撤销等）"
    ),
    "help.extend_withdraw": "撤回该任务最近一次延期（延期编号见 task show）",
    "help.unit_delete": "删除单位（仍有任务时拒绝）",
    "help.unit_merge": "把重复登记的单位并入另一个（任务移交，原名保留为别名）",
    "help.unit_reassign": "把一个单位的牵头和配合任务成批移交给另一个单位",
    "help.leader_delete": "删除领导（仍有任务或批示时拒绝）",
    "help.leader_merge": "把重复登记的领导并入另一位（任务和批示移交，原名保留为别名）",
    "help.leader_reassign": "把一位领导负责的任务成批移交给另一位",
    "help.merge_into": "保留的那一个",
    "help.reassign_to_unit": "接手的单位",
    "help.reassign_to_leader": "接手的领导",
    "help.reassign_open": "只移交未办结、未取消的任务",
}

EN: dict[str, str] = {
    "error.future_date": (
        "the date {on} is after today ({today}): progress, status changes, extensions and instructions "
        "are recorded on today or earlier"
    ),
    "error.extend_before_last": (
        "the date {on} is before the task's latest extension or withdrawal ({last}); give --on {last} or later"
    ),
    "error.extend_ongoing": (
        "task #{id} has no deadline (ongoing), so there is nothing to extend; to set one: taskctl task edit {id} --due DATE"
    ),
    "error.extend_not_later": (
        "an extension must move the deadline later: {to} is not after the deadline in force, {due}; "
        "to move it earlier, correct it with taskctl task edit {id} --due"
    ),
    "error.extend_to_or_withdraw": "give either --to DATE (extend) or --withdraw EXT_ID (withdraw), not both",
    "error.unknown_extension": "task #{task} has no extension #{id}; see taskctl task show {task}",
    "error.extension_withdrawn": "extension #{id} was withdrawn on {on}",
    "error.withdraw_latest_first": "only the latest extension can be withdrawn: withdraw #{latest} before #{id}",
    "error.withdraw_before_grant": "the withdrawal date {on} is before the extension was granted ({granted})",
    "error.correct_not_after_old": (
        "the corrected deadline {due} is not after the deadline before extension #{id} ({old}); to cancel "
        "that extension: taskctl task extend {task} --withdraw {id}"
    ),
    "error.start_after_events": (
        "the start date {start} is after the earliest date already recorded on the task, {first} "
        "(progress, status, extension or instruction)"
    ),
    "error.unit_in_use": (
        "the unit \"{name}\" still leads {lead} and co-operates on {co} tasks ({ids}); "
        "move them first with taskctl unit reassign or taskctl unit merge"
    ),
    "error.same_unit": "\"{name}\" is the same unit",
    "error.leader_in_use": (
        "the leader \"{name}\" is still responsible for {tasks} tasks ({ids}) and gave {instructions} instructions; "
        "move them first with taskctl leader reassign or taskctl leader merge"
    ),
    "error.same_leader": "\"{name}\" is the same leader",
    "task.extension_withdrawn": "task #{id}: extension #{ext} withdrawn on {on}; the deadline in force is {due}",
    "task.extension_withdrawn_text": "extension #{id} withdrawn; the deadline is {due} again",
    "progress.lower_than_before": (
        "note: task #{id} reported {percent}%, lower than its previous update ({before}%); recorded as given"
    ),
    "unit.deleted": "deleted the unit \"{name}\"",
    "unit.merged": (
        "merged \"{gone}\" into \"{kept}\": {lead} led and {co} co-operating tasks moved; the old name is kept as an alias"
    ),
    "unit.reassigned": "moved \"{src}\"'s tasks to \"{dst}\": {lead} led, {co} co-operating",
    "leader.deleted": "deleted the leader \"{name}\"",
    "leader.merged": (
        "merged \"{gone}\" into \"{kept}\": {tasks} tasks and {instructions} instructions moved; "
        "the old name is kept as an alias"
    ),
    "leader.reassigned": "moved {tasks} tasks of \"{src}\" to \"{dst}\"",
    "error.bad_choice": "{option} cannot be \"{value}\"; choose one of {choices}",
    "help.exit_codes": (
        "Exit codes: 0 done; 1 the input was wrong or not allowed (unknown name, bad value, a permission the "
        "database refused); 2 usage; 3 the ledger cannot be used (unreachable, corrupt, not a taskctl ledger, "
        "newer or outdated schema); 4 refused because of someone else's change (undo)"
    ),
    "help.extend_withdraw": "withdraw the task's latest extension (its number is in task show)",
    "help.unit_delete": "delete a unit (refused while tasks name it)",
    "help.unit_merge": "merge a unit recorded twice into the other (tasks move, the name stays as an alias)",
    "help.unit_reassign": "move a unit's lead and co-operating roles to another unit in bulk",
    "help.leader_delete": "delete a leader (refused while tasks or instructions name them)",
    "help.leader_merge": "merge a leader recorded twice into the other (tasks and instructions move)",
    "help.leader_reassign": "hand a leader's tasks to another leader in bulk",
    "help.merge_into": "the one to keep",
    "help.reassign_to_unit": "the unit taking over",
    "help.reassign_to_leader": "the leader taking over",
    "help.reassign_open": "only tasks not done or cancelled",
}
