"""`amend` may add an exception to an inherited rule, or replace one by name with
`override exception`, without copying the rule: the province's cases are cited from its own
document and the template's other cases stay as they were."""
import datetime as dt

import pytest

from yibao.interpreter.api import check_paths, evaluate, load_policy
from yibao.interpreter.diagnostics import DiagnosticError
from yibao.interpreter.render_diagnostics import message

TEMPLATE = """policy base-x {
  title "模板"
  document "国〔2024〕1号"
  status template
}

input person {
  id: text
  birth_date: date
}

output wait: int {
  cite "第三条"
  = 3
  exception newborn {
    cite "第三条但书"
    when year(birth_date) == benefit_year
    = 0
    exception premature {
      when year(birth_date) == benefit_year and month(birth_date) == 12
      = 0
    }
  }
}

rule cap: money {
  required
}
"""

PROVINCE = """policy prov-x extends base-x {
  title "省级"
  document "省〔2025〕1号"
  status %s
}

%s
"""

ON = dt.date(2027, 3, 1)


def chain(tmp_path, amend: str, status: str = "template"):
    (tmp_path / "base-x.policy").write_text(TEMPLATE, encoding="utf-8")
    path = tmp_path / "prov-x.policy"
    path.write_text(PROVINCE % (status, amend), encoding="utf-8")
    return path


def wait_for(policy, birth):
    result = evaluate(policy, {"id": "p", "birth_date": birth}, ON, explain=True)
    return result.values["wait"], result.trees["wait"]


ADD_AND_REPLACE = """
amend wait {
  exception elderly {
    label "高龄老人"
    cite "二(五)"
    when year(birth_date) < 1940
    = 1
  }
  override exception newborn {
    cite "二(四)但书"
    when year(birth_date) >= benefit_year - 1
    = 0
  }
}
"""


def test_an_amend_adds_an_exception_and_replaces_another(tmp_path):
    policy = load_policy(chain(tmp_path, ADD_AND_REPLACE))
    # the added case: born 1930 -> 1; the base case still gives 3 to everyone else
    assert wait_for(policy, dt.date(1930, 1, 1))[0] == 1
    assert wait_for(policy, dt.date(1980, 5, 1))[0] == 3
    # the replaced newborn now covers the year after birth too (2026 for 2027) ...
    value, tree = wait_for(policy, dt.date(2026, 5, 1))
    assert value == 0
    # ... and its children went with it: the replacement has none
    cases = {c.ident: c for c in tree.cases}
    assert "wait#newborn/premature" not in cases
    # new cases cite the province's document; the base case keeps the template's
    assert cases["wait#newborn"].cite == "省〔2025〕1号 二(四)但书"
    assert cases["wait#elderly"].cite == "省〔2025〕1号 二(五)"
    assert cases["wait"].cite == "国〔2024〕1号 第三条"


def test_an_exception_can_be_added_under_an_inherited_one(tmp_path):
    policy = load_policy(chain(tmp_path, """
amend wait {
  exception newborn {
    exception twins {
      when year(birth_date) == benefit_year and day(birth_date) == 1
      = 1
    }
  }
}
"""))
    value, tree = wait_for(policy, dt.date(2027, 2, 1))
    assert value == 1
    assert "wait#newborn/twins" in {c.ident for c in tree.cases}
    assert "wait#newborn/premature" in {c.ident for c in tree.cases}
    # born 2027-12-05: premature and newborn agree on 0; twins does not apply
    assert wait_for(policy, dt.date(2027, 12, 5))[0] == 0


@pytest.mark.parametrize("amend, code", [
    ("amend wait {\n  exception newborn {\n    when year(birth_date) < 1900\n    = 9\n  }\n}",
     "Y319"),
    ("amend wait {\n  override exception elderly {\n    when year(birth_date) < 1900\n"
     "    = 9\n  }\n}", "Y314"),
    ("amend cap {\n  exception small {\n    when year(birth_date) < 1950\n    = 0 元\n  }\n}",
     "Y320"),
])
def test_an_amend_that_cannot_apply_is_refused(tmp_path, amend, code):
    path = chain(tmp_path, amend)
    with pytest.raises(DiagnosticError) as caught:
        load_policy(path)
    found = [d for d in caught.value.diagnostics if d.code == code]
    assert found, [d.code for d in caught.value.diagnostics]
    for lang in ("en", "zh"):
        assert message(found[0], lang)


def test_the_y320_message_in_both_languages(tmp_path):
    path = chain(tmp_path, "amend cap {\n  exception small {\n    when year(birth_date) < 1950\n"
                           "    = 0 元\n  }\n}")
    diags, _, _ = check_paths([path])
    (y320,) = [d for d in diags if d.code == "Y320"]
    assert "override rule" in message(y320, "en")
    assert "override rule" in message(y320, "zh") and "required" in message(y320, "zh")
