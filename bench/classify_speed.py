"""Throughput of `classify --input` against bare VADER, measured in one run.

    PYTHONPATH=. .venv/bin/python bench/classify_speed.py [--n 20000] [--repeat 3]

Takes N airline tweets from ../shared/data (cycled if N is larger than the file), then times,
best of --repeat interleaved rounds:
  * bare VADER: `SentimentIntensityAnalyzer().polarity_scores` over the texts, in-process
    (the library's own code: the reference every ratio here is measured against);
  * the product's `VaderScorer.score` over the same texts (its exact re-implementation of
    `polarity_scores`, same floats), in-process;
  * the rules classifier's `classify` over the same texts, in-process;
  * the real command `python -m monitor classify --input FILE --format jsonl` in a
    subprocess, wall-clock end to end (interpreter start, imports, JSON in and out included);
  * for context: the command's start-up alone (one text), and a bare-VADER process doing
    the same job on the same file (start-up, JSON lines in, scores out).
The target is command throughput >= 0.5 x bare VADER. Ratios, not absolute times, are the
result: they hold across machines. Writes only a temporary input file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _airline
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from monitor.classify import build_classifier
from monitor.classify.vader import VaderScorer
from monitor.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def interleaved_best(repeat: int, *fns: Callable[[], None]) -> list[float]:
    """Best time of each function over `repeat` rounds, the functions taking turns within
    each round, so that load from other processes falls on all of them alike."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    texts = list(_airline.texts(args.n))

    analyser = SentimentIntensityAnalyzer()
    polarity = analyser.polarity_scores

    def vader() -> None:
        for t in texts:
            polarity(t)

    scorer = VaderScorer().score

    def product_vader() -> None:
        for t in texts:
            scorer(t)

    classify = build_classifier(Settings(), kind="rules").classify

    def rules() -> None:
        for t in texts:
            classify(t)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "texts.jsonl"
        path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n"
                                for i, t in enumerate(texts)), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        cmd = [sys.executable, "-m", "monitor", "classify", "--input", str(path),
               "--format", "jsonl"]

        def command() -> None:
            done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  env=env, cwd=tmp, check=False)
            if done.returncode != 0:
                raise SystemExit(f"classify failed: {done.stderr.decode()[-500:]}")

        # The same job as a bare-VADER process (start-up, JSON lines in, scores out), for a
        # like-for-like view of the command's fixed costs.
        vader_script = (
            "import json,sys\n"
            "from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer\n"
            "p=SentimentIntensityAnalyzer().polarity_scores\n"
            "out=[json.dumps(p(json.loads(l)['text'])) for l in open(sys.argv[1])]\n"
            "sys.stdout.write('\\n'.join(out))\n")

        def vader_process() -> None:
            subprocess.run([sys.executable, "-c", vader_script, str(path)],
                           stdout=subprocess.DEVNULL, check=True, cwd=tmp)

        startup_cmd = [sys.executable, "-m", "monitor", "classify", "ok"]

        def startup() -> None:
            subprocess.run(startup_cmd, stdout=subprocess.DEVNULL, env=env, cwd=tmp,
                           check=True)

        t_vader, t_scorer, t_rules, t_cmd, t_vproc, t_start = interleaved_best(
            args.repeat, vader, product_vader, rules, command, vader_process, startup)

    n = len(texts)
    print(f"{n} texts, best of {args.repeat}")
    print(f"  bare VADER polarity_scores  {n / t_vader:9.0f} texts/s  ({t_vader:.2f} s)")
    print(f"  product VaderScorer.score   {n / t_scorer:9.0f} texts/s  ({t_scorer:.2f} s)  "
          f"ratio {t_vader / t_scorer:.2f}  ({1e6 * t_vader / n:.1f} vs "
          f"{1e6 * t_scorer / n:.1f} µs/text)")
    print(f"  rules classify, in-process  {n / t_rules:9.0f} texts/s  ({t_rules:.2f} s)  "
          f"ratio {t_vader / t_rules:.2f}")
    print(f"  `classify --input` command  {n / t_cmd:9.0f} texts/s  ({t_cmd:.2f} s)  "
          f"ratio {t_vader / t_cmd:.2f}  (target >= 0.50, start-up included)")
    print(f"    of which start-up (`classify ok`, one text): {t_start:.2f} s; without it "
          f"{n / (t_cmd - t_start):.0f} texts/s, ratio {t_vader / (t_cmd - t_start):.2f}")
    print(f"  bare-VADER process, same file {n / t_vproc:8.0f} texts/s  ({t_vproc:.2f} s)  "
          f"command vs it: ratio {t_vproc / t_cmd:.2f}")


if __name__ == "__main__":
    main()
