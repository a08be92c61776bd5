"""Display words (English, Chinese): what yibao prints around values and diagnostics.

These are not diagnostics but the words of the things shown: explanation trees
(`show.*`, explain_render.py), the command line's tables, summary and file kinds (`cli.*`,
cli.py) and the severity and hint labels of a rendered diagnostic (`diag.*`,
render_diagnostics.py).  They sit in the one catalog with the messages, so that every word
a user reads, in either language, is found in one place and checked by one test
(tests/test_catalog.py).

A text starting with `:` or `(` is glued to what comes before it; keep its punctuation
(half- or full-width) as it is, the golden files pin it.
"""

SHOW_MESSAGES: dict[str, tuple[str, str]] = {
    # ---------------------------------------------------------------- explanation trees
    "show.base_case": ("base case", "基本规则"),
    "show.exception": ("exception {name}", "例外 {name}"),
    "show.applied_because": (": applied ({reason})", ":适用({reason})"),
    "show.not_applied": (": not applied", ":不适用"),
    "show.not_applied_because": (": not applied (false: {reason})",
                                 ":不适用(条件不成立:{reason})"),
    "show.not_evaluated": (": not evaluated (an exception took precedence)", ":未判断(例外优先)"),
    "show.not_evaluated_by": (": not evaluated (overridden by {case})", ":未判断(由{case} 取代)"),
    "show.not_evaluated_because": (": not evaluated ({reason})", ":未判断({reason})"),
    "show.overridden": (": its guard held, but {case} applied", ":条件成立,但{case}优先"),
    "show.see_above": ("(see above)", "(见上)"),
    "show.no_value": ("(no value)", "(无值)"),
    "show.not_applicable": ("— not applicable: {reason}", "— 不适用:{reason}"),
    "show.mismatch": ("{param} = {value}: not {cell}", "{param} = {value}:不满足 {cell}"),
    "show.overridden_by": ("overridden by {case}", "被 {case} 取代"),
    "show.since": ("from {date}", "自 {date} 起"),
    "show.read_on": ("value on {date}: {detail}", "取 {date} 的值:{detail}"),
    "show.region_file": ("region file: {region}, from {date}", "地区参数文件:{region},自 {date} 起"),
    "show.region_from": ("{region} (from {entry})", "{region}(取自 {entry})"),
    # ---------------------------------------------------------------- syntax: what was expected
    # The kinds of token a syntax error says were expected (parser.TOKEN_WORDS); keywords
    # and punctuation are shown as written, not translated.
    "word.name": ("a name", "名称"),
    "word.string": ("a quoted string", "带引号的文本"),
    "word.date": ("a date like 2025-01-01", "日期(如 2025-01-01)"),
    "word.int": ("a whole number", "整数"),
    "word.number": ("a number", "数字"),
    "word.money": ("an amount like 3000 元", "金额(如 3000 元)"),
    "word.yuan": ("an amount like ¥3000", "金额(如 ¥3000)"),
    "word.percent": ("a percentage like 20%", "百分比(如 20%)"),
    "word.duration": ("a duration like 3 个月", "时长(如 3 个月)"),
    "word.policy_id": ("a policy id like jiangxi-2024-34", "政策编号(如 jiangxi-2024-34)"),
    "word.compare": ("a comparison (== != < <= > >=)", "比较运算符(== != < <= > >=)"),
    "word.add_op": ("'+' or '-'", "'+' 或 '-'"),
    "word.mul_op": ("'*' or '/'", "'*' 或 '/'"),
    "word.end_of_file": ("the end of the file", "文件结尾"),
    # A table analysis's stand-in for every text no cell names (Y230, Y231 examples).
    "word.other_text": ("(another text)", "(其他文本)"),
    # What a path is when it is not a regular file (Y005, R435, C605).
    "word.directory": ("directory", "目录"),
    "word.fifo": ("FIFO", "命名管道(FIFO)"),
    "word.device": ("device", "设备文件"),
    "word.socket": ("socket", "套接字"),
    "word.special_file": ("special file", "特殊文件"),
    # ---------------------------------------------------------------- the command line
    # The kinds of file a missing path was meant to be (C601, C606 say "{what} not found").
    "cli.policy_file": ("policy file", "政策文件"),
    "cli.record_file": ("record file", "记录文件"),
    "cli.region_file": ("region file", "地区参数文件"),
    "cli.path": ("path", "路径"),
    # Why an --on value is not a date (the reason in C602).
    "cli.bad_form": ("not in the form YYYY-MM-DD", "格式不是 YYYY-MM-DD"),
    "cli.bad_day": ("no such date in the calendar", "日历中没有这个日期"),
    "cli.summary": ("checked {files} file(s): {errors} error(s), {warnings} warning(s)",
                    "已检查 {files} 个文件:{errors} 个错误,{warnings} 个警告"),
    # The columns of `yibao eval`'s table, and the cell of an output that failed.
    "cli.col_name": ("output", "输出"),
    "cli.col_label": ("label", "名称"),
    "cli.col_value": ("value", "值"),
    "cli.error_cell": ("(error {code})", "(错误 {code})"),
    # An output the policy says does not concern this person: a dash and the author's reason.
    "cli.not_applicable_cell": ("— not applicable: {reason}", "— 不适用:{reason}"),
    "cli.internal": ("internal error (a bug in yibao, please report it): {error}",
                     "内部错误(yibao 的缺陷,请报告):{error}"),
    # `yibao params`: its columns (besides label and value above), and the value cell of a
    # parameter that has no value on the date.
    "cli.params_col_name": ("parameter", "参数"),
    "cli.params_col_since": ("from", "起始日期"),
    "cli.params_col_set_in": ("set in", "设定于"),
    "cli.params_col_cite": ("citation", "依据"),
    "cli.params_not_in_force": ("— not in force on {date}: the first value holds from {first}",
                                "— {date} 尚未生效:首个取值自 {first} 起"),
    "cli.params_unset": ("— required: left to the policies that extend {policy}",
                         "— 必须设定:由继承 {policy} 的政策设定"),
    "cli.params_from_region_file": ("— from the region file (give it with --regions FILE)",
                                    "— 取自地区参数文件(用 --regions FILE 指定)"),
    "cli.params_not_in_region_file": ("— no region of {file} sets it",
                                      "— {file} 中没有地区设定该参数"),
    "cli.params_none": ("{policy} declares no parameters", "{policy} 没有声明参数"),
    # `yibao diff`: headings, change kinds, and the sentences of a report.
    "cli.diff_title": ("{old} → {new}, on {on}", "{old} → {new},评估日期 {on}"),
    "cli.diff_parameters": ("Parameters", "参数"),
    "cli.diff_rules": ("Rules, tables and outputs", "规则、决策表与输出"),
    "cli.diff_other": ("Measures, enums and record fields", "统计指标、枚举与记录字段"),
    "cli.diff_words": ("Wording only (label, citation, note) of {count}: {names}",
                       "仅措辞变化(名称、引用、说明)共 {count} 项:{names}"),
    "cli.diff_outcomes": ("Outcomes: {searched} persons searched ({bounds})",
                          "结果:搜索了 {searched} 个人员({bounds})"),
    "cli.diff_bounds": ("years {first}–{last}, values from both policies and the region file; "
                        "see docs/diff.md",
                        "年度 {first}–{last},取值来自两个政策与地区参数文件;见 docs/diff.md"),
    "cli.diff_no_structural": ("no change in meaning", "含义没有变化"),
    "cli.diff_added": ("added", "新增"),
    "cli.diff_removed": ("removed", "删除"),
    "cli.diff_logic": ("logic changed", "逻辑变化"),
    "cli.diff_type": ("type changed", "类型变化"),
    "cli.diff_values": ("values changed", "取值变化"),
    "cli.diff_set_in": ("set in {where}", "设定于 {where}"),
    "cli.diff_cases": ("cases: {cases}", "情形:{cases}"),
    "cli.diff_affected": ("{output}: differs for {affected} of {searched} persons searched",
                          "{output}:在搜索的 {searched} 个人员中有 {affected} 个结果不同"),
    "cli.diff_unchanged": ("{output}: no difference found within the bounds ({searched} persons)",
                           "{output}:在搜索范围内未发现差异({searched} 个人员)"),
    "cli.diff_only": ("{output}: only in {policy}", "{output}:只有 {policy} 有此输出"),
    "cli.diff_traits": ("every affected person searched had {traits}",
                        "搜索到的受影响人员都满足:{traits}"),
    "cli.diff_at_least": ("at least {count} {field} entries", "{field} 至少 {count} 条"),
    "cli.diff_witness": ("witness ({old_kind} → {new_kind}): {old} → {new}",
                         "示例人员({old_kind} → {new_kind}):{old} → {new}"),
    "cli.diff_change": ("change: {delta}", "变化:{delta}"),
    "cli.diff_case_path": ("case used: {old} → {new}", "所用情形:{old} → {new}"),
    "cli.diff_explanation": ("explanation lines that differ:", "解释中不同的行:"),
    "cli.diff_sample": ("Sample: {path}: {read} records read, {rejected} rejected",
                        "样本:{path}:读取 {read} 条记录,拒绝 {rejected} 条"),
    "cli.diff_sample_row": ("{output}: {changed} changed{money}",
                            "{output}:{changed} 条变化{money}"),
    "cli.diff_money": ("; change sum {sum}, min {min}, max {max}",
                       ";变化合计 {sum},最小 {min},最大 {max}"),
    "cli.diff_summary_head": ("| output | outcome changes | persons affected (searched) | example |",
                              "| 输出 | 结果变化 | 受影响人员(搜索) | 示例 |"),
    "cli.diff_nothing": ("No difference in meaning.", "含义没有差异。"),
    "cli.diff_details": ("details", "详情"),
    "cli.diff_kind_value": ("value", "值"),
    "cli.diff_kind_not_applicable": ("not applicable", "不适用"),
    "cli.diff_kind_error": ("error", "错误"),
    # `yibao run` and `yibao generate`: the summary.
    "cli.run_rows": ("rows read {read} = written {written} + rejected {rejected}",
                     "读取 {read} 行 = 写出 {written} 行 + 拒绝 {rejected} 行"),
    "cli.run_output": ("results: {path}", "结果:{path}"),
    "cli.run_rejects": ("rejected rows, with their problems: {path}",
                        "被拒绝的行及其问题:{path}"),
    "cli.run_errors": ("outputs without a value, by error code: {codes}",
                       "无值的输出(按错误代码):{codes}"),
    "cli.run_not_applicable": ("not applicable: {counts}", "不适用:{counts}"),
    "cli.run_measure": ("measure {name} = {value} (target {op} {target}: {verdict})",
                        "统计指标 {name} = {value}(目标 {op} {target}:{verdict})"),
    "cli.run_measure_plain": ("measure {name} = {value}", "统计指标 {name} = {value}"),
    "cli.run_met": ("met", "达到"),
    "cli.run_not_met": ("not met", "未达到"),
    "cli.run_no_value": ("no value (no record in its population)", "无值(其人群中没有记录)"),
    "cli.run_measure_errors": ("{count} record(s) left out of {name}: their condition could "
                               "not be evaluated (first: {first})",
                               "{count} 条记录未计入 {name}:其条件无法计算(首条:{first})"),
    "cli.run_engine": ("engine: {engine}; rows left to the interpreter (an error it must "
                       "make, a history out of year order): {interpreted}",
                       "引擎:{engine};交由解释器计算的行(需由其给出的错误、年度顺序颠倒的记录):"
                       "{interpreted}"),
    "cli.run_columns": ("rows read a column at a time: {vouched} of {read} (the others, "
                        "one by one: a problem to report, or a value written in a way the "
                        "column checks do not read)",
                        "按列读取的行:{vouched}/{read}(其余逐行读取:有问题需报告,或其值的写法"
                        "不在按列检查之列)"),
    "cli.test_summary": ("{passed} passed, {failed} failed", "{passed} 个通过,{failed} 个失败"),
    "cli.cov_policy": ("policy", "政策"),
    "cli.cov_cases": ("cases", "用例"),
    "cli.cov_rules": ("rules reached", "规则"),
    "cli.cov_branches": ("branches taken", "分支"),
    "cli.cov_conditions": ("conditions (MC/DC)", "条件(MC/DC)"),
    "cli.cov_region_keys": ("region keys read", "地区键"),
    "cli.test_coverage_of": ("{policy}, not covered:", "{policy} 未覆盖的部分:"),
    "cli.test_region_not_read": ("  region key not read: {parameter} for {region} ({file})",
                                 "  未读取的地区键:{region} 的 {parameter}({file})"),
    "cli.test_uncovered": ("  not taken: {where}: {ident} {label} [{cite}]",
                           "  未覆盖:{where}:{ident} {label} [{cite}]"),
    "cli.test_condition_not_shown": ("  condition not shown to decide alone: {where}: {ident}: "
                                     "`{atom}` in `when {guard}` [{cite}]",
                                     "  条件未被证明能单独决定结果:{where}:{ident}:"
                                     "`when {guard}` 中的 `{atom}` [{cite}]"),
    "cli.suggest_heading": ("suggested cases for {policy} ({searched} candidate records "
                            "searched); work each expected value out from the text:",
                            "{policy} 的建议用例(搜索了 {searched} 个候选记录);"
                            "每个预期值请按政策原文手工推算:"),
    "cli.suggest_case": ("suggested {number}", "建议用例 {number}"),
    "cli.suggest_takes": ("takes {ident} ({where})", "走到 {ident}({where})"),
    "cli.suggest_shows": ("shows `{atom}` deciding `when {guard}` ({where})",
                          "证明 `{atom}` 能单独决定 `when {guard}`({where})"),
    "cli.suggest_fill": ("the expected outputs of this person, worked out by hand",
                         "此人的预期结果,请手工推算"),
    "cli.suggest_none": ("  no record among those searched takes {ident} ({where})",
                         "  搜索的记录中没有一个走到 {ident}({where})"),
    "cli.suggest_none_condition": ("  no record among those searched shows `{atom}` deciding "
                                   "`when {guard}` ({where})",
                                   "  搜索的记录中没有一个能证明 `{atom}` 单独决定 "
                                   "`when {guard}`({where})"),
    "cli.test_coverage_below": ("coverage of {policy}'s branches is {share:.1f}%, below "
                                "--coverage-min {minimum:g}%",
                                "{policy} 的分支覆盖率为 {share:.1f}%,低于 --coverage-min "
                                "{minimum:g}%"),
    "cli.test_updated": ("rewrote {count} expected value(s) with what came; review them in "
                         "git diff. {left} case(s) need a hand: the failures above",
                         "已用实得结果改写 {count} 个预期值,请在 git diff 中复核;{left} 个用例需手工处理:"
                         "见上方的失败"),
    "cli.test_fail": ("FAIL {file}:{line}: {name}", "失败 {file}:{line}:{name}"),
    "cli.test_expected": ("{name}: expected {expected}, got {got}", "{name}:预期 {expected},实得 {got}"),
    "cli.test_error": ("error {code}", "错误 {code}"),
    "cli.test_not_applicable_because": ("not applicable because \"{reason}\"",
                                        "不适用,理由 \"{reason}\""),
    "cli.test_not_applicable": ("not applicable", "不适用"),
    "cli.test_nothing": ("nothing", "无结果"),
    "cli.test_explanation": ("explanation:", "解释:"),
    "cli.run_rate": ("{count} rows in {seconds:.1f} s ({rate:,.0f} rows/s)",
                     "{count} 行,用时 {seconds:.1f} 秒(每秒 {rate:,.0f} 行)"),
    "cli.generate_done": ("{count} records for {policy} written to {path}",
                          "已为 {policy} 生成 {count} 条记录,写入 {path}"),
    # ---------------------------------------------------------------- a rendered diagnostic
    # `path:line:col: error[Y107]: ...` and `  = hint: ...`.
    "diag.error": ("error", "错误"),
    "diag.warning": ("warning", "警告"),
    "diag.hint": ("hint", "提示"),
}
