"""Message texts (English, Chinese) for evaluation (E codes)."""

EVAL_MESSAGES: dict[str, tuple[str, str]] = {
    # ---------------------------------------------------------------- evaluation
    "E501": ("{rule}: parameter {name} is not in force on {date} (its first value is from {first})",
             "{rule}:参数 {name} 在 {date} 尚未生效(最早取值自 {first} 起)"),
    "E502": ("{rule}: parameter {name} has no value", "{rule}:参数 {name} 没有取值"),
    "E510": ("{name} = {value} 元 is not a whole number of cents", "{name} = {value} 元 不是整分金额"),
    "E520": ("{rule}: the record has no {field} entry for {year}", "{rule}:记录中没有 {year} 年的 {field}"),
    "E521": ("{rule}: the record has {count} {field} entries for {year}; expected one",
             "{rule}:记录中 {year} 年的 {field} 有 {count} 条,应为一条"),
    "E522": ("{rule}: {path} is none, so it has no field {field}", "{rule}:{path} 为空,没有字段 {field}"),
    "E523": ("{rule}: the record lacks field `{field}`", "{rule}:记录缺少字段 `{field}`"),
    "E531": ("{rule}: region parameter {name} is needed for {region} on {date}, but no region file was given",
             "{rule}:需要 {region} 在 {date} 的地区参数 {name},但未提供地区参数文件"),
    "E540": ("{rule}: two cases apply with different values: {first} ({first_cite}) gives {first_value}, {second} ({second_cite}) gives {second_value}",
             "{rule}:两个情形同时适用且取值不同:{first}({first_cite})为 {first_value},{second}({second_cite})为 {second_value}"),
    "E541": ("{rule}: no case applies to this record: `{condition}` is false and no exception applies",
             "{rule}:本记录不适用任何情形:`{condition}` 不成立,也没有适用的例外"),
    "E543": ("{rule}: no row of the table matches {inputs}", "{rule}:决策表没有与 {inputs} 匹配的行"),
    "E542": ("{rule}: {name} is required but has no definition", "{rule}:{name} 必须设定但没有定义"),
    "E550": ("{rule}: {name}({param} = {value}) is below its first year {bound}",
             "{rule}:{name}({param} = {value})早于其起始年度 {bound}"),
    "E551": ("{rule}: {name}({param} = {value}) would recurse {limit}+ years down to {bound}",
             "{rule}:{name}({param} = {value})递归到 {bound} 将超过 {limit} 年"),
    "E560": ("{rule}: {detail}", "{rule}:{detail}"),
    "E561": ("{rule}: {year}-{month}-{day} is not a date", "{rule}:{year}-{month}-{day} 不是有效日期"),
    "E562": ("{rule}: division by zero", "{rule}:除数为零"),
    "E563": ("{rule}: {operation} overflows: its result is beyond 10^{limit}, the largest decimal "
             "yibao computes with",
             "{rule}:{operation} 溢出:结果超过 yibao 计算所用的最大小数 10^{limit}"),
    "E564": ("{rule}: the exact result of {operation} needs more than {digits} significant digits, "
             "and yibao never rounds silently",
             "{rule}:{operation} 的精确结果超过 {digits} 位有效数字,yibao 不会悄悄舍入"),
    "E565": ("{rule}: {operation} gives {value}, outside the int range {low} .. {high}",
             "{rule}:{operation} 的结果 {value} 超出整数范围 {low} .. {high}"),
    "E566": ("{rule}: the evaluation nests too deeply here: more than the {limit} nested calls "
             "Python allows",
             "{rule}:求值在此嵌套过深,超过 Python 允许的 {limit} 层调用"),
    "E567": ("{rule}: {operation} is not a valid decimal operation ({signal})",
             "{rule}:{operation} 不是有效的小数运算({signal})"),
    "E568": ("{rule}: the result of {operation} is smaller than 10^-{limit}, the smallest decimal "
             "yibao computes with, and would be lost to rounding",
             "{rule}:{operation} 的结果小于 yibao 计算所用的最小小数 10^-{limit},会在舍入中丢失"),
    "E570": ("{rule}: the year range {low} .. {high} is longer than {limit} years",
             "{rule}:年份区间 {low} .. {high} 超过 {limit} 年"),
    "E590": ("{rule}: rows {first} ({first_cite}) and {second} ({second_cite}) both match under `hit unique`",
             "{rule}:在 `hit unique` 下行 {first}({first_cite})与 {second}({second_cite})同时匹配"),
    "E583": ("{policy} has no outputs about {kind} records (it answers for: {kinds})",
             "{policy} 没有关于 {kind} 记录的输出(可回答:{kinds})"),
    "E580": ("unknown output `{name}` (outputs: {outputs})", "未知输出 `{name}`(可用输出:{outputs})"),
    "E581": ("output {name} is about {kind} records, and this record is a {here}",
             "输出 {name} 针对 {kind} 记录,而本记录是 {here}"),
    "E582": ("this policy reads no `{kind}` records (it reads: {kinds})", "本政策不读取 `{kind}` 记录(可读取:{kinds})"),
    # ---------------------------------------------------------------- hints
    "hint.E510": ("round explicitly with round(...) where the text says how", "请按原文规定用 round(...) 显式取整"),
    "hint.E523": ("add `{field}` to the record", "请在记录中补充 `{field}`"),
    "hint.E563": ("check the inputs for an absurd amount, and the rule for a value that grows "
                  "without bound (a recursion over years that multiplies, for example)",
                  "请检查输入中是否有离谱的金额,以及规则中是否有无限增长的值(例如逐年相乘的递归)"),
    "hint.E564": ("round intermediate amounts with round(...) where the text says how, or check "
                  "the inputs for absurd values",
                  "请按原文规定用 round(...) 对中间金额取整,或检查输入中是否有离谱的数值"),
    "hint.E565": ("check the inputs for an absurd number, and the rule for a value that grows "
                  "without bound (a recursion over years that multiplies, for example)",
                  "请检查输入中是否有离谱的数值,以及规则中是否有无限增长的值(例如逐年相乘的递归)"),
    "hint.E566": ("shorten the chain of rules that use each other, or replace a year-by-year "
                  "recursion with an aggregate over a year range (streak, count, sum)",
                  "请缩短规则相互引用的链条,或用年份区间上的聚合(streak、count、sum)代替逐年递归"),
    "hint.E568": ("check the inputs and the rule: a value this small is not an amount, a share or "
                  "a rate",
                  "请检查输入与规则:如此小的值不可能是金额、比例或费率"),
    "hint.E531": ("pass --regions FILE with this region's values", "请用 --regions 文件 提供该地区的参数"),
}
