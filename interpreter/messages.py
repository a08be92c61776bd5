"""Message texts for every diagnostic code, in English and Chinese.

Codes are stable: tools and tests match on them.  Ranges:
  Y0xx  syntax (parser)          Y1xx  names and declarations (checker)
  Y2xx  types (checker)          Y3xx  structure: cycles, recursion, inheritance
  R4xx  records and region files (records.py, regions.py; texts in messages_records.py)
  E5xx  evaluation (messages_eval.py)   C6xx  command line
"""
from __future__ import annotations

from .messages_cli import CLI_MESSAGES
from .messages_eval import EVAL_MESSAGES
from .messages_policy import POLICY_MESSAGES
from .messages_records import RECORD_MESSAGES

MESSAGES: dict[str, tuple[str, str]] = {}
MESSAGES.update(POLICY_MESSAGES)
MESSAGES.update(EVAL_MESSAGES)
MESSAGES.update(RECORD_MESSAGES)
MESSAGES.update(CLI_MESSAGES)


def text_for(code: str, lang: str, args: dict) -> str:
    en, zh = MESSAGES.get(code, ("{code}", "{code}"))
    template = zh if lang == "zh" else en
    try:
        return template.format(code=code, **args)
    except (KeyError, IndexError):
        return f"{template} {args}"
