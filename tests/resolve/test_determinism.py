from __future__ import annotations

import os
import subprocess
import sys

# A name two countries share ("Murghab": Afghanistan's district, Tajikistan's town) once resolved by the order in
# which a set of country codes happened to iterate, which Python's hash seed changes from process to process.
_SCRIPT = """
from datetime import UTC, datetime
from eventwatch.model import Report
from eventwatch.pipeline import process_report
text = "On 2 March 2020, 1 commando was killed and 1 was wounded by a Taliban sniper in Murghab district, Badghis."
a = process_report(Report(text=text, language="en", published_at=datetime(2020, 3, 3, tzinfo=UTC)))
print([(e.location, e.country, e.admin1) for e in a.events])
"""


def test_same_text_resolves_the_same_in_every_process() -> None:
    outs = set()
    for seed in ("2", "5"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, check=True)
        outs.add(run.stdout.strip().splitlines()[-1])
    assert len(outs) == 1, outs
    assert "Afghanistan" in outs.pop()
