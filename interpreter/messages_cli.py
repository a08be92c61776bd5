"""Message texts (English, Chinese) for command-line diagnostics (codes C6xx)."""

CLI_MESSAGES: dict[str, tuple[str, str]] = {
    "C601": ("{what} not found: {path}", "找不到{what}:{path}"),
    "C602": ("invalid value for {option}: '{value}' is not a date: {reason} "
             "(expected YYYY-MM-DD, e.g. 2027-06-01)",
             "{option} 的值无效:'{value}' 不是日期:{reason}(应为 YYYY-MM-DD,例如 2027-06-01)"),
    "C603": ("unknown output or rule '{name}'; the outputs of {policy} are: {outputs}",
             "未知的输出或规则 '{name}';{policy} 的输出有:{outputs}"),
    "C604": ("no policy files (*.policy) found in {paths}",
             "在 {paths} 中没有找到政策文件(*.policy)"),
    "C605": ("cannot read {path}: {reason}", "无法读取 {path}:{reason}"),
    "C606": ("{what} is a directory, not a file: {path}", "{what}是目录而不是文件:{path}"),
    "C607": ("{output} has no value: {reason}", "{output} 没有值:{reason}"),
    "C608": ("cannot write the results to standard output: {reason}",
             "无法把结果写到标准输出:{reason}"),
    "C609": ("standard output ({encoding}) cannot carry the character {char} (U+{codepoint}) on "
             "line {line} of the results",
             "标准输出({encoding})无法写出结果第 {line} 行中的字符 {char}(U+{codepoint})"),
    "C610": ("standard output is closed; yibao writes its results there and does not run "
             "without it",
             "标准输出已关闭;yibao 的结果写到标准输出,没有它不会运行"),
    "C611": ("a system operation failed: {reason}", "系统操作失败:{reason}"),
    "C612": ("{variable}={value} is not a supported language (supported: {supported}); "
             "messages are in English",
             "{variable}={value} 不是支持的语言(支持:{supported});消息使用英文"),
    "C613": ("the explanation of {output} stops after {limit} steps: its value is complete, "
             "the tree is not (the JSON form says \"cut\": true)",
             "{output} 的解释在 {limit} 步后停止记录:其值完整,树不完整"
             "(JSON 形式中为 \"cut\": true)"),
    "C614": ("--regions was given {count} times ({paths}); give one region file (a province's "
             "file holds every region it needs)",
             "--regions 给出了 {count} 次({paths});请只给一个地区参数文件(一个省的文件可包含其需要的所有地区)"),
    "C615": ("{name} takes {count} argument(s) ({params}), and {found} were given: write "
             "it as {name}(…), e.g. a year as 2027",
             "{name} 需要 {count} 个参数({params}),实际给出 {found} 个:请写作 {name}(…),如年份写 2027"),
    "C616": ("argument {param} of {rule}: '{value}' is not a value of type {type}",
             "{rule} 的参数 {param}:'{value}' 不是 {type} 类型的值"),
    "C617": ("argument {param} of {rule} is a {type}, which cannot be written on the command "
             "line: explain a rule that calls {rule} instead",
             "{rule} 的参数 {param} 是 {type},无法在命令行中写出:请改为解释调用 {rule} 的规则"),
    "C618": ("cannot read '{text}' as an output or a rule call: write NAME, or NAME(ARG, …) "
             "such as paid_in_extension_period(2027)",
             "无法把 '{text}' 读作输出或规则调用:请写 NAME 或 NAME(参数, …),如 paid_in_extension_period(2027)"),
    "C619": ("diff needs two policies (OLD NEW), or --git [REV] [PATH…] to compare the changed "
             "policy files with a revision",
             "diff 需要两个政策(OLD NEW),或用 --git [REV] [PATH…] 把改动的政策文件与某一版本比较"),
    "C620": ("`{command}` failed: {reason}", "`{command}` 执行失败:{reason}"),
    "C621": ("{path} does not exist at revision {rev}", "版本 {rev} 中没有 {path}"),
    "C622": ("{option} {path}: the file's kind is told by its extension, one of {formats}",
             "{option} {path}:文件类型由扩展名决定,应为 {formats} 之一"),
    "C623": ("Parquet files and the columnar engine need pyarrow and numpy: install them with "
             "pip install 'yibao[population]'",
             "Parquet 文件与列式引擎需要 pyarrow 和 numpy:请用 pip install 'yibao[population]' 安装"),
    "C624": ("no record that {policy} accepts was drawn in {tries} tries: the policy's input "
             "shape leaves no valid record",
             "尝试 {tries} 次仍未生成 {policy} 接受的记录:该政策的输入结构不允许任何有效记录"),
    "C625": ("the output file is the input file ({path}): give another -o, the input is "
             "never overwritten",
             "输出文件与输入文件相同({path}):请另给 -o,不会覆盖输入文件"),
    "C626": ("the columnar engine does not compile {what}: the interpreter evaluated every row "
             "(the same outcomes, more slowly)",
             "列式引擎不能编译{what}:所有行由解释器计算(结果相同,速度较慢)"),
    "C627": ("the columnar engine does not compile {what}; run with --engine auto or interp",
             "列式引擎不能编译{what};请用 --engine auto 或 interp 运行"),
    "C628": ("cannot read the variation '{text}': write FIELD=V1,V2,… or FIELD=A..B (whole "
             "numbers, or dates month by month), FIELD a field or HISTORY[YEAR].FIELD",
             "无法读取变化 '{text}':请写 FIELD=V1,V2,… 或 FIELD=A..B(整数,或按月的日期),"
             "FIELD 为字段或 HISTORY[YEAR].FIELD"),
    "C629": ("{file} has no entry to vary at {path}", "{file} 中没有可变化的 {path}"),
    "C630": ("{count} combinations is more than {limit}: vary fewer values",
             "{count} 种组合超过上限 {limit}:请减少变化的取值"),
    "C631": ("a plot needs matplotlib: pip install matplotlib",
             "绘图需要 matplotlib:请 pip install matplotlib"),
    "C632": ("none of the outputs is a number or an amount: nothing to plot",
             "没有数值或金额类型的输出:无可绘制的内容"),
    "C633": ("--set {text}: give one value of a top-level field, FIELD=VALUE",
             "--set {text}:请给出一个顶层字段的单个值,FIELD=VALUE"),
    "C634": ("{path}: a Spark run reads Parquet or JSON Lines; convert the CSV first",
             "{path}:Spark 运行只读取 Parquet 或 JSON Lines;请先转换 CSV"),
    "C635": ("--engine spark needs pyspark (and a Java runtime): pip install 'yibao[spark]'",
             "--engine spark 需要 pyspark(及 Java 运行环境):请 pip install 'yibao[spark]'"),
    "C636": ("cannot write {path}: {reason}", "无法写入 {path}:{reason}"),
    "C637": ("no test under {paths}: a test is a *.test.yaml suite, or a record file with "
             "an expect: block", "{paths} 下没有测试:测试是 *.test.yaml 测试集,或带 expect: 块的记录文件"),
    "C645": ("fmt needs the files or folders to format, or - to read a policy from standard "
             "input", "fmt 需要给出要格式化的文件或文件夹,或用 - 从标准输入读取政策"),
    "C646": ("- (standard input) cannot be given with other paths: format it alone",
             "- (标准输入)不能与其他路径同时给出:请单独格式化"),
    "C690": ("did you mean '{name}'?", "是否想写 '{name}'?"),
    "C699": ("the language server needs pygls: pip install 'yibao[lsp]'",
             "语言服务器需要 pygls:pip install 'yibao[lsp]'"),
    # ---------------------------------------------------------------- why C605 could not read
    "C605.missing": ("no such file", "文件不存在"),
    "C605.not_a_file": ("it is a {kind}, not a regular file", "它是 {kind},不是普通文件"),
    "C605.too_large": ("{size} bytes, more than the limit of {limit}",
                       "{size} 字节,超过上限 {limit}"),
    "C605.unreadable": ("{detail}", "{detail}"),
    "C605.not_utf8": ("not UTF-8 text: the first bad byte is at line {line}, column {column}",
                      "不是 UTF-8 文本:第一个错误字节在第 {line} 行第 {column} 列"),
    # ---------------------------------------------------------------- hints
    "hint.C605.gbk": ("the file reads as GBK: save it as UTF-8", "该文件可按 GBK 读取:请另存为 UTF-8"),
    "hint.C609.encoding": ("make standard output UTF-8: set PYTHONIOENCODING=utf-8, or use a "
                           "UTF-8 locale such as LANG=C.UTF-8",
                           "请让标准输出使用 UTF-8:设置 PYTHONIOENCODING=utf-8,"
                           "或使用 UTF-8 区域设置(如 LANG=C.UTF-8)"),
    "hint.C609.surrogate": ("U+{codepoint} is half of a UTF-16 surrogate pair, not a character: "
                            "correct the text in the record or region file it came from",
                            "U+{codepoint} 是 UTF-16 代理对的一半,不是字符:"
                            "请在其来源的记录或地区参数文件中更正该文本"),
    "hint.C613": ("explain a rule that reads fewer entries, or see the value alone with "
                  "`yibao eval`",
                  "请解释读取条目更少的规则,或用 `yibao eval` 只看其值"),
    "hint.C610": ("leave standard output open: redirect it to a file (> results.txt), or to "
                  "/dev/null to discard the results",
                  "请保持标准输出打开:重定向到文件(> results.txt),"
                  "或重定向到 /dev/null 以丢弃结果"),
}
