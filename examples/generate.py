#!/usr/bin/env python3
"""Writes the small example inputs used by the README's run command (deterministic: seed 7).

3,000 users; about 85% carry an Adestra contact ID (alias tag "adestra"), the rest do not and
show up in the run report as users without a contact ID. Memberships cover the three activated
cohorts (1001, 1002, 1003) and one that is not activated (2001). Re-run to regenerate:
    python3 examples/generate.py
"""
import json
import random
from pathlib import Path

random.seed(7)
here = Path(__file__).parent
users = [f"u-{i:05d}" for i in range(1, 3001)]

with open(here / "identities.jsonl", "w") as f:
    for i, user in enumerate(users):
        aliases = [{"tag": "email_sha256", "id": f"{random.getrandbits(64):016x}", "priority": 2}]
        if random.random() < 0.85:
            aliases.insert(0, {"tag": "adestra", "id": str(100000 + i), "priority": 1})
        f.write(json.dumps({"user_id": user, "aliases": aliases, "time": "2026-11-26T23:00:00Z"}) + "\n")

with open(here / "memberships.csv", "w") as f:
    f.write("user_id,cohort\n")
    for user in users:
        for cohort, share in (("1001", 0.5), ("1002", 0.3), ("1003", 0.15), ("2001", 0.2)):
            if random.random() < share:
                f.write(f"{user},{cohort}\n")

segments = [
    {"code": "1001", "name": "Sports fans", "description": "Read three or more sports articles this month", "cpm": 1.5, "categories": ["sports"]},
    {"code": "1002", "name": "Commuters", "description": "Active on weekdays 7-9am and 5-7pm", "cpm": 1.2, "categories": ["lifestyle"]},
    {"code": "1003", "name": "Newsletter readers", "cpm": 2.0},
    {"code": "2001", "name": "Recipe browsers", "categories": ["food", "lifestyle"]},
    {"code": "2002", "name": "Car buyers", "description": "Compared car models in the last 30 days", "cpm": 3.75, "categories": ["auto"]},
]
with open(here / "segments.jsonl", "w") as f:
    for s in segments:
        f.write(json.dumps(s) + "\n")
