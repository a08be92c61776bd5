"""Message texts (English, Chinese) for command-line diagnostics (codes C6xx)."""

CLI_MESSAGES: dict[str, tuple[str, str]] = {
    "C601": ("{what} not found: {path}", "找不到{what}:{path}"),
    "C602": ("invalid value for {option}: '{value}' is not a date: {reason} "
             "(expected YYYY-MM-DD, e.g. 2027-06-01)",
             "{option} 的值无效:'{value}' 不是日期:{reason}(应为 YYYY-MM-DD,例如 2027-06-01)"),
    "C603": ("unknown output '{name}'; the outputs of {policy} are: {outputs}",
             "未知的输出 '{name}';{policy} 的输出有:{outputs}"),
    "C604": ("no policy files (*.policy) found in {paths}",
             "在 {paths} 中没有找到政策文件(*.policy)"),
    "C605": ("cannot read {path}: {reason}", "无法读取 {path}:{reason}"),
    "C606": ("{what} is a directory, not a file: {path}", "{what}是目录而不是文件:{path}"),
    "C607": ("{output} has no value: {reason}", "{output} 没有值:{reason}"),
    "C690": ("did you mean '{name}'?", "是否想写 '{name}'?"),
}
