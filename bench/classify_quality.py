"""Reproduces the classifier's quality figures from ../shared/data (see the README).

    PYTHONPATH=. .venv/bin/python bench/classify_quality.py [--model PATH] [--semantic DIR]
                                                            [--search]

1. Airline tweets (text leak undone, duplicates removed, confidence 1.0), split by a hash of
   the tweet id into `tune` (rules were shaped on it) and `test` (reported): complaint vs
   not-complaint and praise / neutral / complaint macro-F1 for the rules classifier (and the
   learned one with --model), next to VADER-only baselines in the same run: the compound
   score at VADER's own +-0.05 cut-offs, and at the cut-offs that do best on `tune`.
2. Fix-request vs venting on the hand labels in tests/data/fix_vs_vent_labels.csv, scored on
   the held-back half (the same id-hash split; the tune half is the only one rules saw), and
   again on its rows of passes 1-3 only (read twice, disagreements settled by a third
   reading; passes 4 and 5 were read once). With --semantic DIR the semantic classifier
   (fine-tuned by scripts/train_semantic.py) joins this section only: it takes praise /
   neutral / complaint from the rules, so its airline figures would be the rules'.
3. Other brands and domains (twcs-reply-pairs: 70 brands; ibm-care: 25 brands): the label
   mix of customers' opening posts to a support account, and, on 300 of each read by hand
   (tests/data/other_brands_labels.csv, ids only), complaint vs not and fix-request vs
   venting among the complaints, for every classifier asked for. Nothing was tuned on them.

--search grid-searches RuleWeights on the tune split only and prints the best settings.
It reads the data in place and writes nothing.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _airline

from monitor.classify import Classifier, build_classifier
from monitor.classify import evaluate as E
from monitor.classify.learned import LearnedClassifier
from monitor.classify.rules import RulesClassifier, RuleWeights
from monitor.classify.semantic import SemanticClassifier
from monitor.config import ClassifierSettings, Settings

ROOT = Path(__file__).resolve().parent.parent
HAND_LABELS = _airline.HAND_LABELS


def _best_cuts(compounds: Sequence[float], gold: Sequence[str],
               collapse: Callable[[str], str]) -> tuple[float, float]:
    """VADER baseline cut-offs (low, high) that maximise macro-F1 on the given rows."""
    best = (-1.0, 0.0, 0.0)
    grid = [x / 20 for x in range(-16, 17)]
    for low, high in itertools.product(grid, grid):
        if high < low:
            continue
        pred = [collapse("complaint" if c <= low else "praise" if c >= high else "neutral")
                for c in compounds]
        m = E.score([collapse(g) for g in gold], pred).macro_f1
        if m > best[0]:
            best = (m, low, high)
    return best[1], best[2]


def _vader_pred(c: float, low: float, high: float) -> str:
    return "complaint" if c <= low else "praise" if c >= high else "neutral"


def airline_section(classifiers: Sequence[Classifier]) -> dict[str, object]:
    rows = _airline.load()
    tune, test = _airline.split(rows, "tune"), _airline.split(rows, "test")
    out: dict[str, object] = {"rows": len(rows), "tune_rows": len(tune), "test_rows": len(test)}
    rules = classifiers[0]
    tune_c = [rules.classify(t.text).sentiment.compound for t in tune]
    test_c = [rules.classify(t.text).sentiment.compound for t in test]
    cuts2 = _best_cuts(tune_c, [t.label for t in tune], E.complaint_or_not)
    cuts3 = _best_cuts(tune_c, [t.label for t in tune], E.three_way)
    for part, data, comps in (("tune", tune, tune_c), ("test", test, test_c)):
        gold3 = [t.label for t in data]
        gold2 = [E.complaint_or_not(g) for g in gold3]
        res: dict[str, object] = {}
        for name, (lo2, hi2), (lo3, hi3) in (
            ("vader_cut_0.05", (-0.05, 0.05), (-0.05, 0.05)),
            ("vader_cut_tuned", cuts2, cuts3),
        ):
            p2 = [E.complaint_or_not(_vader_pred(c, lo2, hi2)) for c in comps]
            p3 = [_vader_pred(c, lo3, hi3) for c in comps]
            res[name] = {"binary_macro_f1": round(E.score(gold2, p2).macro_f1, 4),
                         "three_way_macro_f1": round(E.score(gold3, p3).macro_f1, 4)}
        for clf in classifiers:
            labels = [clf.classify(t.text).label.value for t in data]
            r3 = E.score(gold3, [E.three_way(x) for x in labels])
            r2 = E.score(gold2, [E.complaint_or_not(x) for x in labels])
            res[clf.name] = {"binary_macro_f1": round(r2.macro_f1, 4),
                             "three_way_macro_f1": round(r3.macro_f1, 4),
                             "three_way_accuracy": round(r3.accuracy, 4),
                             "confusion": r3.as_dict()["confusion"]}
        out[part] = res
    out["vader_tuned_cuts"] = {"binary": cuts2, "three_way": cuts3}
    return out


# The parts of the hand labels scored: name -> (id-hash split, passes kept or None for all).
FIX_VENT_PARTS: dict[str, tuple[str, frozenset[str] | None]] = {
    "tune": ("tune", None),
    "test": ("test", None),
    "test_passes_1_3": ("test", frozenset(("1", "2", "3"))),
}


def _complaint_kinds(clf: Classifier, rules: RulesClassifier, texts: Sequence[str]
                     ) -> list[str]:
    """Among complaints: the label a complaint gets, whichever the classifier said. Every
    row is a complaint by the labels, so ask each classifier's own split (the same function
    its classify uses once it has judged a text a complaint)."""
    if isinstance(clf, SemanticClassifier):  # in batches: far cheaper than one by one
        return [k.value for k in clf.complaint_kinds(texts, [rules.analyse(t) for t in texts])]
    pred = []
    for text in texts:
        c = clf.classify(text)
        if c.label.is_complaint:
            pred.append(c.label.value)
        elif isinstance(clf, RulesClassifier):
            pred.append(clf.complaint_kind(clf.analyse(text).cues).value)
        else:
            assert isinstance(clf, LearnedClassifier)
            pred.append(clf.complaint_kind(text, rules.analyse(text)).value)
    return pred


def fix_vent_section(classifiers: Sequence[Classifier]) -> dict[str, object]:
    if not HAND_LABELS.is_file():
        return {"missing": str(HAND_LABELS)}
    rows = _airline.hand_labels()
    out: dict[str, object] = {"labelled": len(rows),
                              "mix": dict(Counter(r.label for r in rows))}
    labels = ("fix_request", "venting")
    rules = classifiers[0]
    assert isinstance(rules, RulesClassifier)
    for part, (half, kept) in FIX_VENT_PARTS.items():
        data = [r for r in rows if _airline.split_of(r.tweet_id) == half
                and (kept is None or r.labelling_pass in kept)]
        gold = [r.label for r in data]
        res: dict[str, object] = {"n": len(data)}
        for clf in classifiers:
            pred = _complaint_kinds(clf, rules, [r.text for r in data])
            score = E.score(gold, pred, labels=labels)
            res[clf.name] = {"macro_f1": round(score.macro_f1, 4),
                             "accuracy": round(score.accuracy, 4),
                             "confusion": score.as_dict()["confusion"]}
        res["always_fix_request_macro_f1"] = round(
            E.score(gold, ["fix_request"] * len(gold), labels=labels).macro_f1, 4)
        out[part] = res
    return out


OTHER_LABELS = ROOT / "tests" / "data" / "other_brands_labels.csv"
OTHER_SOURCES = {"twcs": "twcs-reply-pairs (70 brands)", "ibm": "ibm-care (25 brands)"}


def _other_by_id() -> dict[tuple[str, str], str]:
    """(source, id) -> a customer's opening post: twcs by customer tweet id, ibm-care by
    "dev:N" / "test:N" (the conversation's place in its file)."""
    data = _airline.DATA_DIR
    texts: dict[tuple[str, str], str] = {}
    with (data / "twcs-reply-pairs.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            texts[("twcs", r["customer_tweet_id"])] = r["customer_text"]
    for part in ("dev", "test"):
        convs = json.loads((data / f"ibm-care-{part}.json").read_text(encoding="utf-8"))
        for n, conv in enumerate(convs):
            turns = conv.get("dialogContent") or []
            if turns:
                texts[("ibm", f"{part}:{n}")] = turns[0].get("message", "")
    return texts


def _other_texts() -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {name: [] for name in OTHER_SOURCES.values()}
    for (source, _), text in _other_by_id().items():
        texts[OTHER_SOURCES[source]].append(text)
    return texts


def other_gold_section(classifiers: Sequence[Classifier],
                       fix_vent: Sequence[Classifier]) -> dict[str, object]:
    """Hand labels of 2,179 other brands' opening posts (tests/data/other_brands_labels.csv:
    five labels, ids only; both halves): complaint vs not for each classifier, and
    fix-request vs venting among the posts read as complaints. bench/triage_quality.py
    reports the held-back half alone, five labels included."""
    if not OTHER_LABELS.is_file():
        return {"missing": str(OTHER_LABELS)}
    texts = _other_by_id()
    with OTHER_LABELS.open(encoding="utf-8", newline="") as fh:
        rows = [(r["source"], texts[(r["source"], r["id"])], r["label"])
                for r in csv.DictReader(fh)]
    rules = classifiers[0]
    assert isinstance(rules, RulesClassifier)
    out: dict[str, object] = {}
    for source, name in OTHER_SOURCES.items():
        data = [(text, label) for s, text, label in rows if s == source]
        # not_complaint counts as neutral: complaint_or_not maps every non-complaint alike.
        gold2 = [E.complaint_or_not("neutral" if g == "not_complaint" else g) for _, g in data]
        res: dict[str, object] = {"n": len(data), "mix": dict(Counter(g for _, g in data))}
        for clf in classifiers:
            pred2 = [E.complaint_or_not(clf.classify(t).label.value) for t, _ in data]
            res[f"{clf.name}_complaint_or_not"] = round(E.score(gold2, pred2).macro_f1, 4)
        complaints = [(t, g) for t, g in data if g in ("fix_request", "venting")]
        res["complaints"] = len(complaints)
        for clf in fix_vent:
            pred = _complaint_kinds(clf, rules, [t for t, _ in complaints])
            res[f"{clf.name}_fix_vent"] = round(E.score(
                [g for _, g in complaints], pred, labels=("fix_request", "venting")).macro_f1, 4)
        out[name] = res
    return out


def domains_section(clf: Classifier) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, texts in _other_texts().items():
        mix = Counter(clf.classify(t).label.value for t in texts)
        out[name] = {"n": len(texts), "mix": dict(mix),
                     "complaint_share": round((mix["fix_request"] + mix["venting"])
                                              / max(1, len(texts)), 3),
                     "fix_share_of_complaints": round(
                         mix["fix_request"] / max(1, mix["fix_request"] + mix["venting"]), 3)}
    return out


def search(rules: RulesClassifier) -> None:
    tune = _airline.split(_airline.load(), "tune")
    analyses = [rules.analyse(t.text) for t in tune]
    gold3 = [t.label for t in tune]
    gold2 = [E.complaint_or_not(g) for g in gold3]
    grid = {"negativity": [2.0, 3.0, 4.0], "positivity": [0.7, 1.0, 1.5],
            "praise_damp": [0.5, 0.8], "sarcasm_ratio": [0.7, 1.0, 1.5],
            "request_to_complaint": [0.3], "complaint_threshold": [0.4, 0.5, 0.6],
            "praise_threshold": [0.7, 0.9, 1.1]}
    results = []
    for values in itertools.product(*grid.values()):
        w = RuleWeights(**dict(zip(grid, values, strict=True)))
        trial = rules.with_weights(w)
        pred = [E.three_way(trial.decide(a.cues, a.sentiment.compound)[0].value)
                for a in analyses]
        m3 = E.score(gold3, pred).macro_f1
        m2 = E.score(gold2, [E.complaint_or_not(p) for p in pred]).macro_f1
        results.append((m2 + m3, round(m2, 4), round(m3, 4), w))
    results.sort(key=lambda r: -r[0])
    for _, m2, m3, w in results[:5]:
        print(f"binary {m2}  three-way {m3}  {w}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", help="also score the learned classifier from this model file")
    ap.add_argument("--semantic", metavar="DIR",
                    help="also score the semantic classifier's fix / vent split from this "
                         "model folder")
    ap.add_argument("--search", action="store_true", help="grid-search RuleWeights on tune")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    rules = build_classifier(Settings(), kind="rules")
    assert isinstance(rules, RulesClassifier)
    if args.search:
        search(rules)
        return
    classifiers: list[Classifier] = [rules]
    if args.model:
        classifiers.append(build_classifier(Settings(classifier=ClassifierSettings(
            kind="learned", model_path=str(Path(args.model).resolve())))))
    fix_vent = list(classifiers)
    if args.semantic:
        fix_vent.append(build_classifier(Settings(classifier=ClassifierSettings(
            kind="semantic", model_path=str(Path(args.semantic).resolve())))))
    report = {"airline": airline_section(classifiers),
              "fix_vs_vent_hand_labels": fix_vent_section(fix_vent),
              "other_domains_rules": domains_section(rules),
              "other_domains_hand_labels": other_gold_section(classifiers, fix_vent)}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    _print(report, [c.name for c in classifiers], [c.name for c in fix_vent])


def _print(report: Mapping[str, Any], names: list[str], fix_vent_names: list[str]) -> None:
    a = report["airline"]
    assert isinstance(a, dict)
    print(f"airline-tweets.csv, confidence 1.0, de-duplicated, leak undone: "
          f"{a['rows']} rows (tune {a['tune_rows']}, test {a['test_rows']})")
    for part in ("tune", "test"):
        print(f"\n  [{part}]{'  <- reported' if part == 'test' else '  (rules shaped here)'}")
        print(f"  {'scorer':<18} {'complaint/not':>14} {'praise/neutral/complaint':>26}")
        for name in ("vader_cut_0.05", "vader_cut_tuned", *names):
            r = a[part][name]
            print(f"  {name:<18} {r['binary_macro_f1']:>14.3f} {r['three_way_macro_f1']:>26.3f}")
    print(f"  VADER cut-offs tuned on tune: {a['vader_tuned_cuts']}")
    f = report["fix_vs_vent_hand_labels"]
    assert isinstance(f, dict)
    print(f"\nfix-request vs venting, hand labels: {f.get('labelled')} {f.get('mix', '')}")
    for part in FIX_VENT_PARTS:
        if part in f:
            r = f[part]
            line = "  ".join(f"{n} macro-F1 {r[n]['macro_f1']:.3f}" for n in fix_vent_names)
            print(f"  [{part}] n={r['n']}  {line}  (always fix_request: "
                  f"{r['always_fix_request_macro_f1']:.3f})")
            for n in fix_vent_names:
                print(f"         {n} confusion (gold -> predicted): {r[n]['confusion']}")
    print("\nother brands and domains (rules; no gold labels):")
    d = report["other_domains_rules"]
    assert isinstance(d, dict)
    for name, r in d.items():
        print(f"  {name}: n={r['n']} complaints {r['complaint_share']:.0%} "
              f"(fix-requests {r['fix_share_of_complaints']:.0%} of them)  {r['mix']}")
    g = report["other_domains_hand_labels"]
    assert isinstance(g, dict)
    print("\nother brands and domains, hand-labelled opening posts (macro-F1):")
    for name, r in g.items():
        if name == "missing":
            print(f"  no labels: {r}")
            continue
        line = "  ".join(f"{k.replace('_', ' ')} {v:.3f}" for k, v in r.items()
                         if isinstance(v, float))
        print(f"  {name}: n={r['n']} {r['mix']}; complaints {r['complaints']}")
        print(f"    {line}")


if __name__ == "__main__":
    main()
