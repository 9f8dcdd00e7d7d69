"""The blind reading of ../shared/docs/judging-replies.md: prepare a sample, score verdicts.

    PYTHONPATH=. .venv/bin/python bench/replies_blind.py prepare --seed 7 [--n 100]
        [--split test] [--out bench/out/blind-7]
    PYTHONPATH=. .venv/bin/python bench/replies_blind.py score --dir bench/out/blind-7
        [--verdicts bench/out/blind-7/verdicts.jsonl]

`prepare` draws a seeded sample of customer posts that opened a thread, half from
twcs-reply-pairs.csv and half from the IBM care files, from one half of the other-brand hand
labels' id split (`test` by default: the IBM rows the shipped classifier never saw); drafts
each with `complaint-monitor draft --format json -- TEXT` under a config for that brand (its
own name and handle, no signature); replaces the customer's and the agent's leading handles by
@customer and scrubs e-mail addresses and phone numbers; and writes `items.jsonl` ({id, brand,
tweet, A, B}, ours and the agent's in random order) for the reader and `key.jsonl` (which is
ours, the label, the template, the hand label) to keep apart. Give the reader only
items.jsonl and the brief printed by `prepare`.

`score` joins the reader's verdicts ({id, A, B, prefer, reason} per line) with the key: the
shares approvable / edit / wrong for ours and the agents', preference, and the breakdown by
our label and template family, with the "wrong" reasons for ours. Writes nothing else.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
BRIEF = ("You manage a brand's social media. For each customer post read replies A and B. For "
         "each reply say: approvable (you would send it unchanged) / edit (needs an edit "
         "first) / wrong (misreads the customer or would make things worse); then which of "
         "the two you would rather send: A, B or equal. Judge by: does it address this "
         "customer's actual problem or question; does it apologise where it should and not "
         "where it should not; does it give a clear next step to someone who needs a fix; "
         "does it avoid promising or claiming what it cannot know; is it calm and human, not "
         "defensive. Ignore signatures. Answer with one JSON line per item: {\"id\": ..., "
         "\"A\": \"approvable|edit|wrong\", \"B\": \"approvable|edit|wrong\", \"prefer\": "
         "\"A|B|equal\", \"reason\": \"at most 20 words\"}.")
_HANDLE = re.compile(r"@\w+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"\+?\d[\d ()-]{7,}\d")
_LEADING = re.compile(r"^(?:\s*@\w+)+\s*")
_SUFFIX = re.compile(r"(?i)(care|help|support|cares|tweets|_uk|uk|_us|service|team)$")


def brand_name(handle: str) -> str:
    """A brand's name from its support handle: AmazonHelp -> Amazon, sprintcare -> Sprint."""
    name = handle.lstrip("@")
    for _ in range(2):
        name = _SUFFIX.sub("", name) or name
    return name[:1].upper() + name[1:]


def scrub(text: str) -> str:
    return _PHONE.sub("[phone]", _EMAIL.sub("[email]", text))


def agent_reply(text: str) -> str:
    return "@customer " + _LEADING.sub("", text).strip()


def split_of(source: str, post_id: str) -> str:
    digit = hashlib.sha256(f"split:{source}:{post_id}".encode()).hexdigest()[0]
    return "tune" if digit in "01234567" else "test"


def posts(split: str) -> list[dict[str, str]]:
    out = []
    with (DATA / "twcs-reply-pairs.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if split_of("twcs", r["customer_tweet_id"]) == split:
                out.append({"source": "twcs", "id": r["customer_tweet_id"],
                            "brand": r["brand"], "post": r["customer_text"],
                            "reply": r["reply_text"]})
    for part in ("dev", "test"):
        convs = json.loads((DATA / f"ibm-care-{part}.json").read_text(encoding="utf-8"))
        for n, conv in enumerate(convs):
            turns = conv.get("dialogContent") or []
            reply = (conv.get("agentURL") or {}).get("url_utterance", "")
            if turns and reply and split_of("ibm", f"{part}:{n}") == split:
                out.append({"source": "ibm", "id": f"{part}:{n}",
                            "brand": (conv.get("dialogHeader") or {}).get("company", "brand"),
                            "post": turns[0].get("message", ""), "reply": reply})
    return out


def hand_labels() -> dict[tuple[str, str], str]:
    with (ROOT / "tests" / "data" / "other_brands_labels.csv").open(
            encoding="utf-8", newline="") as fh:
        return {(r["source"], r["id"]): r["label"] for r in csv.DictReader(fh)}


def draft(post: str, brand: str, handle: str, workdir: Path) -> dict[str, object]:
    config = workdir / f"{re.sub(r'[^A-Za-z0-9]+', '-', handle)}.toml"
    if not config.exists():
        config.write_text(f'[brand]\nname = {json.dumps(brand)}\n'
                          f'handles = [{json.dumps("@" + handle.lstrip("@"))}]\n'
                          f'[replies]\nsignature = ""\n', encoding="utf-8")
    cmd = [sys.executable, "-m", "monitor", "--config", str(config), "draft", "--format",
           "json", "--author", "@customer", "--platform", "x", "--", post]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise SystemExit(f"draft failed ({done.returncode}): {done.stderr.strip()}")
    result: dict[str, object] = json.loads(done.stdout)
    return result


def prepare(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    pool = posts(args.split)
    twcs = [p for p in pool if p["source"] == "twcs"]
    ibm = [p for p in pool if p["source"] == "ibm"]
    sample = rng.sample(twcs, args.n // 2) + rng.sample(ibm, args.n - args.n // 2)
    rng.shuffle(sample)
    gold = hand_labels()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    items, keys = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k, p in enumerate(sample, 1):
            handle = p["brand"].replace(" ", "")
            name = brand_name(handle)
            own = handle.lower()
            post = scrub(_HANDLE.sub(
                lambda m, own=own: m.group(0) if m.group(0).lower().lstrip("@") == own
                else "@customer", p["post"]))
            ours = draft(post, name, handle, Path(tmp))
            text = str(ours.get("text") or ours.get("draft") or "")
            if not text:
                text = "(no draft)"
            agent = scrub(agent_reply(_HANDLE.sub("@customer", p["reply"])))
            ours_first = rng.random() < 0.5
            items.append({"id": k, "brand": name, "tweet": post,
                          "A": text if ours_first else agent,
                          "B": agent if ours_first else text})
            keys.append({"id": k, "ours": "A" if ours_first else "B", "source": p["source"],
                         "post_id": p["id"], "label": ours.get("label"),
                         "template": ours.get("template"), "confidence": ours.get("confidence"),
                         "gold": gold.get((p["source"], p["id"]))})
            print(f"{k}/{len(sample)}", end="\r", file=sys.stderr)
    (out / "items.jsonl").write_text("".join(json.dumps(i, ensure_ascii=False) + "\n"
                                             for i in items), encoding="utf-8")
    (out / "key.jsonl").write_text("".join(json.dumps(k) + "\n" for k in keys),
                                   encoding="utf-8")
    (out / "brief.txt").write_text(BRIEF + "\n", encoding="utf-8")
    print(f"wrote {len(items)} items to {out}/items.jsonl (for the reader), the key to "
          f"{out}/key.jsonl (keep it apart); brief in {out}/brief.txt")


def score(args: argparse.Namespace) -> None:
    folder = Path(args.dir)
    keys = {k["id"]: k for k in map(json.loads, (folder / "key.jsonl").read_text().splitlines())}
    path = Path(args.verdicts) if args.verdicts else folder / "verdicts.jsonl"
    verdicts = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    ours, theirs, prefer = Counter(), Counter(), Counter()
    by_label: dict[str, Counter[str]] = defaultdict(Counter)
    by_template: dict[str, Counter[str]] = defaultdict(Counter)
    wrong = []
    for v in verdicts:
        key = keys[int(v["id"])]
        mine, other = key["ours"], "B" if key["ours"] == "A" else "A"
        ours[v[mine]] += 1
        theirs[v[other]] += 1
        prefer["ours" if v["prefer"] == mine else "theirs" if v["prefer"] == other
               else "equal"] += 1
        by_label[str(key["label"])][v[mine]] += 1
        by_template[str(key["template"]).split("/")[0]][v[mine]] += 1
        if v[mine] == "wrong":
            wrong.append(f"  #{v['id']} [{key['label']}, gold {key['gold']}] {v.get('reason')}")
    n = len(verdicts)
    pct = lambda c, k: f"{100 * c[k] / n:.0f}%"  # noqa: E731
    print(f"{n} items read blind ({folder})")
    for name, c in (("ours", ours), ("agents", theirs)):
        print(f"  {name:7s} approvable {pct(c, 'approvable')}  edit {pct(c, 'edit')}  "
              f"wrong {pct(c, 'wrong')}")
    at_least = 100 * (prefer["ours"] + prefer["equal"]) / n
    print(f"  preferred: ours {prefer['ours']}, theirs {prefer['theirs']}, "
          f"equal {prefer['equal']} (ours or equal {at_least:.0f}%)")
    for title, table in (("by our label", by_label), ("by template", by_template)):
        print(f"  {title}:")
        for name, c in sorted(table.items()):
            print(f"    {name:14s} " + ", ".join(f"{k} {c[k]}" for k in
                                                   ("approvable", "edit", "wrong")))
    if wrong:
        print("  ours wrong:")
        print("\n".join(wrong))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--split", choices=["tune", "test"], default="test")
    p.add_argument("--out", default=None)
    s = sub.add_parser("score")
    s.add_argument("--dir", required=True)
    s.add_argument("--verdicts")
    args = ap.parse_args()
    if args.cmd == "prepare":
        args.out = args.out or str(ROOT / "bench" / "out" / f"blind-{args.seed}")
        prepare(args)
    else:
        score(args)


if __name__ == "__main__":
    main()
