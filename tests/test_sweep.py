"""`yibao sweep`: one record over every combination of varied fields."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from yibao import cli

ROOT = Path(__file__).resolve().parent.parent
JIANGXI = str(ROOT / "policies" / "jiangxi-2024-34.policy")
QINGDAO = str(ROOT / "examples" / "jiangxi" / "qingdao-case.yaml")
REGIONS = str(ROOT / "examples" / "regions.yaml")


def sweep(*args):
    return CliRunner().invoke(cli.main, ["sweep", JIANGXI, QINGDAO, "--on", "2027-06-01",
                                         "--regions", REGIONS, *args])


def test_repaid_years_times_payment_month(tmp_path):
    # the Qingdao case: no entries 2025 and 2026 (break 2), 2027 paid late (not in the
    # concentrated period): wait = 3 + max(0, 2 - 1 - repaid) -> repaid 0: 4, 1 or 2: 3;
    # start = the later of January and the payment month, + wait, on the 1st
    done = sweep("--vary", "repaid_years=0..2",
                 "--vary", "enrollment[2027].paid_on=2027-01-15..2027-03-15",
                 "--vary", "enrollment[2027].concentrated=false",
                 "--outputs", "waiting_period_months,benefit_start_date", "--format", "json")
    assert done.exit_code == 0, done.output
    rows = json.loads(done.stdout)
    assert len(rows) == 3 * 3
    got = {(r["repaid_years"], r["enrollment[2027].paid_on"]):
           (r["waiting_period_months"], r["benefit_start_date"]) for r in rows}
    assert got[(0, "2027-01-15")] == (4, "2027-05-01")     # January + 4
    assert got[(0, "2027-03-15")] == (4, "2027-07-01")     # March + 4
    assert got[(1, "2027-02-15")] == (3, "2027-05-01")     # February + 3
    assert got[(2, "2027-01-15")] == (3, "2027-04-01")     # the variable wait is 0 from 1


def test_csv_and_table_forms():
    done = sweep("--vary", "repaid_years=0,1", "--outputs", "waiting_period_months",
                 "--format", "csv")
    # paid 2026-11-20 in the concentrated period, break 2: 3 + (2 - 1 - repaid)
    assert done.stdout.splitlines() == ["repaid_years,waiting_period_months", "0,4", "1,3"]
    table = sweep("--vary", "repaid_years=0,1", "--outputs", "waiting_period_months")
    assert table.stdout.splitlines()[0].split() == ["repaid_years", "waiting_period_months"]


def test_a_plot_is_drawn(tmp_path):
    pytest.importorskip("matplotlib")
    done = sweep("--vary", "repaid_years=0..3", "--outputs", "waiting_period_months",
                 "--plot", str(tmp_path / "w.png"))
    assert done.exit_code == 0, done.output
    assert (tmp_path / "w.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("vary, code", [
    ("repaid_years", "C628"),                          # no values
    ("repaid_years=3..1", "C628"),                     # a reversed range
    ("enrollment[2030].paid_on=2030-01-01", "C629"),   # no entry for 2030
    ("repaid_years=0..200000", "C630"),                # too many
])
def test_bad_variations_are_refused(vary, code):
    done = sweep("--vary", vary)
    assert done.exit_code == 2, done.output
    assert code in done.output and "Traceback" not in done.output


def test_a_combination_the_policy_refuses_is_reported_at_its_field():
    done = sweep("--vary", "repaid_years=0,abc")
    assert done.exit_code == 2
    assert "repaid_years" in done.output and "Traceback" not in done.output
