"""The default classifier ("model"): rules + the packaged int8 encoder + the numpy head."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from monitor.adapters.demo_data import POSTS
from monitor.classify import BatchClassifier, build_classifier, head
from monitor.classify.encoder import MODELS, Encoder
from monitor.classify.language import LanguageDetector
from monitor.classify.learn import LABELS
from monitor.classify.learn import _same as same_post
from monitor.classify.rules import RulesClassifier
from monitor.classify.tuned import ModelClassifier, decide, load_model
from monitor.config import BrandSettings, ClassifierSettings, Settings, demo_settings
from monitor.errors import ConfigError
from monitor.model import CHECK_LABEL_BELOW, Label


@pytest.fixture(scope="module")
def model() -> ModelClassifier:
    clf = build_classifier(Settings())
    assert isinstance(clf, ModelClassifier)
    return clf


def test_it_is_the_default_and_a_batch_classifier(model: ModelClassifier) -> None:
    assert Settings().classifier.kind == "model"
    assert isinstance(model, BatchClassifier) and model.name == "model"


# The demo queue's posts that the rules got wrong when a new user first tried the product.
@pytest.mark.parametrize(("text", "label"), [
    ("Oh fantastic, @northwindkettles has 'delivered' my kettle to an address in a different "
     "city. Love that for me.", Label.FIX_REQUEST),
    ("need someone to fix my login, the app keeps saying my password is wrong",
     Label.FIX_REQUEST),
    ("@northwindkettles Mein Aria-Wasserkocher schaltet sich nach zehn Sekunden ab und der "
     "Ring blinkt rot. Die Garantie läuft noch – wie bekomme ich einen Ersatz?",
     Label.FIX_REQUEST),
    ("@northwindkettles Quiero un reembolso, el pedido nunca llegó y nadie me contesta",
     Label.FIX_REQUEST),
    ("does the offer apply to bowls?", Label.QUESTION),
    ("what time do you open on Sunday?", Label.QUESTION),
    ("Six months with my Northwind Aria and it still boils in under two minutes. Lovely bit "
     "of kit.", Label.PRAISE),
])
def test_the_mislabelled_demo_cases(model: ModelClassifier, text: str, label: Label) -> None:
    assert model.classify(text).label is label


def test_the_rules_praise_stands_over_the_models_chatter(model: ModelClassifier) -> None:
    # The head calls this chatter (73 %) and the rules praise: a happy post gets a thank-you,
    # not the neutral "if anything needs sorting out" (a reading marked apologies under such
    # posts wrong).
    happy = model.classify("🎃Thanks @northwindkettles for my half-price kettle 👻 tonight! "
                           "https://t.co/x1")
    assert happy.label is Label.PRAISE and happy.confidence < CHECK_LABEL_BELOW
    assert model.classify("Anyone know a good bakery near Northwind Street?").label \
        is not Label.PRAISE


def test_sarcastic_praise_for_an_open_problem_is_never_thanked(model: ModelClassifier) -> None:
    # The head reads this as praise (85 %): the drafter would thank a customer for a lost parcel.
    lost = model.classify("great job losing my parcel AGAIN @northwindkettles 👏👏 truly world "
                          "class logistics")
    # Sarcasm about a problem still open is the rubric's fix-request, marked "check the label".
    assert lost.label is Label.FIX_REQUEST and lost.confidence < CHECK_LABEL_BELOW
    # Praise for a problem that was put right stays praise.
    fixed = model.classify("great job fixing my broken kettle so fast, thanks Northwind")
    assert fixed.label is Label.PRAISE


def test_the_demo_feed_is_labelled_as_its_authors_meant() -> None:
    # As a new user's first poll sees it: the built-in config, whose exclude terms (like
    # config.example.toml's) say Microsoft's Northwind sample database is not the brand. The
    # brand's own posts never reach the classifier (the pipeline drops them).
    model = build_classifier(demo_settings())
    assert isinstance(model, BatchClassifier)
    posts = [p for p in POSTS if "brand_account" not in p.tags]
    out = model.classify_many([p.text for p in posts])
    wrong = [(p.id, p.intent, c.label.value) for p, c in zip(posts, out, strict=True)
             if c.label.value != p.intent]
    # Measured: 65 of 69 right. The misses (README, "The default classifier"): a community
    # question read as a question to the brand, a podcast tip ("a good segment... worth a
    # listen") read as praise, a hassle-free return read as a fix-request, and a sarcastic
    # complaint about an app update read as a question. The demo feed is not in the training
    # data, so this is a measurement, not a memory.
    assert len(wrong) <= 4, wrong


def test_confidence_language_and_evidence(model: ModelClassifier) -> None:
    texts = ["my parcel never arrived, order #4521, where is it?", "lol",
             "Ma commande n'est jamais arrivée, je veux un remboursement",
             "Meu pedido não chegou ainda, preciso de ajuda", "x" * 100_000, ""]
    out = model.classify_many(texts)
    assert all(0.0 <= c.confidence <= 1.0 for c in out)
    assert [c.language for c in out[:4]] == ["en", "en", "fr", "pt"]
    assert out[0].label is Label.FIX_REQUEST and out[0].topic == "delivery"
    assert "parcel" in out[0].evidence
    assert any(r.startswith("language model") for r in out[0].reasons)


def test_short_form_problems_harms_thanked_and_shout_outs(model: ModelClassifier) -> None:
    # The head reads these as chatter or praise (83 % neutral for "I have no internet"); said
    # the short way they are concrete problems, so neither chatter nor praise.
    for text in ["I have no internet and I work from home", "my airpods aren't working",
                 "out of service again. Thank goodness for my neighbour's wifi",
                 "Thank you @northwindkettles, the new lid barely works. Thank you for "
                 "ruining my kettle 😤"]:
        assert model.classify(text).label not in (Label.NEUTRAL, Label.PRAISE), text
    # A shout-out is praise, not venting (the head called the first one venting).
    for text in ["Double everything for $3! Shout out the homies at @northwindkettles",
                 "Shout out to @northwindkettles for a kettle that boils in a minute"]:
        assert model.classify(text).label is Label.PRAISE, text
    # "Nothing" in a compliment is no problem word (the head called this venting, beside the
    # cue "reports a problem").
    respect = model.classify("nothing but the most respect for @northwindkettles and this $3 "
                             "descaler")
    assert respect.label is Label.PRAISE and "reports a problem" not in respect.reasons
    # Nor is a problem word denied ("zero hassle") or a "life hack".
    for text in ("Returned my kettle with zero hassle, refund two days later",
                 "The Descale Club is honestly a life hack if you live somewhere with hard water"):
        assert "reports a problem" not in model.classify(text).reasons, text


def test_a_problem_cue_is_never_praise(model: ModelClassifier) -> None:
    # Praise words everywhere, and a broken product: the head may lean to praise, the guard
    # does not let it.
    for text in ["love love love the new kettle, it's amazing, the lid is broken though",
                 "thanks so much, great team, wonderful, my order never arrived"]:
        assert model.classify(text).label is not Label.PRAISE


def test_batch_equals_one_at_a_time(model: ModelClassifier) -> None:
    texts = [p.text for p in POSTS[:20]]
    batch = model.classify_many(texts)
    single = [model.classify(t) for t in texts]
    assert [c.label for c in batch] == [c.label for c in single]
    assert [c.confidence for c in batch] == pytest.approx([c.confidence for c in single],
                                                          abs=1e-3)


def test_a_failing_model_falls_back_to_the_rules(model: ModelClassifier) -> None:
    class Broken(Encoder):
        def __init__(self) -> None:
            pass

        def embed(self, texts):  # type: ignore[no-untyped-def]
            raise RuntimeError("onnxruntime fell over")

    broken = ModelClassifier(model._rules, Broken(), model.head, LanguageDetector())
    out = broken.classify("my order never arrived, where is it?")
    assert out.label is Label.FIX_REQUEST and out.classifier == "rules"
    assert out.confidence == 0.5


def test_head_fit_save_load_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    emb = rng.standard_normal((60, 8)).astype(np.float32)
    feats = rng.standard_normal((60, 3)).astype(np.float32)
    labels = ["a" if e[0] > 0 else "b" for e in emb]
    fitted = head.fit(emb, feats, labels, ("a", "b"), steps=300)
    acc = np.mean(np.array(fitted.labels)[fitted.proba(emb, feats).argmax(1)] == labels)
    assert acc > 0.9
    fitted.save(tmp_path / "h.npz", {"rows": 60})
    again = head.load(tmp_path / "h.npz")
    assert again.labels == ("a", "b") and head.meta_of(tmp_path / "h.npz")["rows"] == 60
    assert np.allclose(again.proba(emb, feats), fitted.proba(emb, feats))
    with pytest.raises(ValueError, match="unknown labels"):
        head.fit(emb, feats, ["c"] * 60, ("a", "b"))


def test_a_bad_head_file_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "head.npz"
    bad.write_bytes(b"not a head")
    with pytest.raises(ConfigError, match=r"classifier\.model_path"):
        build_classifier(Settings(classifier=ClassifierSettings(kind="model",
                                                                model_path=str(bad))))


def test_the_packaged_model_is_small_and_says_what_it_saw() -> None:
    assert (MODELS / "encoder.onnx").stat().st_size < 25_000_000
    meta = head.meta_of(MODELS / "head.npz")
    # Only the project's own posts and the Apache-2.0 IBM care posts (tune half), never the
    # CC BY-NC-SA sets, which are for measuring only.
    shipped = {p.name for p in (MODELS.parent / "trainset").glob("*.jsonl")}
    assert set(meta["trained_on"]) <= shipped | {"ibm-care tune half"}  # type: ignore[arg-type]
    assert not any("twcs" in k or "airline" in k or "twacs" in k
                   for k in meta["trained_on"])  # type: ignore[union-attr]


def test_language_detector_defaults_on_short_or_unclear_text() -> None:
    det = LanguageDetector()
    assert det.detect("UK plug?") == "en"
    assert det.detect("Mi pedido no ha llegado, quiero un reembolso") == "es"
    assert det.detect("Hallo, mijn bestelling is niet aangekomen, wat nu?") == "nl"
    assert det.detect("\ud800" * 50) == "en"


def test_the_shipped_encoder_gives_the_same_embeddings_on_every_cpu() -> None:
    # int8 weights against uint8 activations saturate on CPUs without VNNI (VPMADDUBSW sums
    # pairs into 16 bits): the demo feed lost two labels on such a machine. Stored as uint8
    # with zero point 128 (scripts/train_model.py, unsigned_weights) they never do.
    onnx = pytest.importorskip("onnx")
    from onnx import numpy_helper

    model = onnx.load(str(MODELS / "encoder.onnx"))
    inits = {i.name: i for i in model.graph.initializer}
    weights = [numpy_helper.to_array(inits[n.input[3]]) for n in model.graph.node
               if n.op_type == "QLinearMatMul" and n.input[3] in inits]
    assert len(weights) == 36  # six layers: Q, K, V, output, and the two feed-forward ones
    assert all(w.dtype == np.uint8 for w in weights), {str(w.dtype) for w in weights}


def test_happy_words_with_no_problem_are_not_venting(model: ModelClassifier) -> None:
    # decide() with the head's venting reading for a post that is clearly happy and names no
    # problem (none of these was venting on the tune half); with a problem cue, venting stands.
    labels = model.head.labels
    probs = np.array([0.05 if lab != "venting" else 0.8 for lab in labels], np.float32)
    probs[labels.index("praise")] = 0.1
    happy = model._rules.analyse("Idk what Northwind puts in their chai but holy moly it is "
                                 "delicious")
    assert happy.sentiment.compound >= 0.5
    assert decide(probs, labels, happy)[0] is Label.PRAISE
    sour = model._rules.analyse("Love the kettle, but it arrived broken and nobody answers")
    assert decide(probs, labels, sour)[0] is Label.VENTING


def test_signals_that_a_post_needs_the_brand() -> None:
    from monitor.classify.cues import find_signals

    assert find_signals("@AskPlayStation my redeem code DOSENT work").to_support
    assert find_signals("Cupertino, we have a problem .@AppleSupport").to_support
    assert find_signals("@comcastcares down again").to_support
    assert not find_signals("@northwindkettles my kettle is broken").to_support
    assert not find_signals("mail bob@applesupport.com about it").to_support
    assert find_signals("internet has been down for almost 30 mins now").ongoing
    assert find_signals("on hold for 11 minutes and counting").ongoing
    assert find_signals("It's been about a week now").ongoing
    # Over, not ongoing: a bare duration in the past.
    assert not find_signals("I waited on the phone for 40 minutes, then gave up").ongoing
    assert find_signals("fuck you fix my connection").asks_help
    assert find_signals("Y'all need to fix this now").asks_help
    # A failure reported is not an ask.
    assert not find_signals("they couldn't fix it and you're not gonna help me").asks_help


def _probs(labels: tuple[str, ...], **given: float) -> np.ndarray:
    rest = (1.0 - sum(given.values())) / (len(labels) - len(given))
    return np.array([given.get(lab, rest) for lab in labels], np.float32)


def test_a_post_that_needs_the_brand_is_a_fix_request(model: ModelClassifier) -> None:
    from monitor.classify.cues import find_signals

    labels = model.head.labels
    a = model._rules.analyse

    def label(text: str, **probs: float) -> Label:
        return decide(_probs(labels, **probs), labels, a(text), None, find_signals(text))[0]

    # An explicit ask, however rude: fix-request over the head's venting (not over a
    # question: "anyone I can contact to help me with a presentation" asks for information).
    assert label("This shit annoying yo @brand fix this shit", venting=0.83,
                 fix_request=0.06) is Label.FIX_REQUEST
    text = "Is there anyone I can contact to help me with a presentation?"
    assert label(text, question=0.9) is Label.QUESTION
    # Still going on after a stated time: over venting and over a question.
    assert label("@brand being on hold for 11 minutes and counting is poor service",
                 venting=0.85, fix_request=0.06) is Label.FIX_REQUEST
    assert label("how long does account recovery take? It's been about a week now.",
                 question=0.5, fix_request=0.45) is Label.FIX_REQUEST
    # A finished bad experience with a bare duration stays venting.
    assert label("I waited on the phone for 40 minutes just to be told to pay. Never again",
                 venting=0.8, fix_request=0.15) is Label.VENTING
    # Written to a support account: chatter becomes a fix-request ...
    assert label("@AskPlayStation my redeem code DOSENT work 😭", neutral=0.56,
                 fix_request=0.1) is Label.FIX_REQUEST
    # ... and venting too, when the head gives a fix-request a fifth of the complaint
    # readings, but not when it is sure it is venting.
    assert label("@AppleSupport my laptop keeps shutting off, kind of ridiculous",
                 venting=0.54, fix_request=0.45) is Label.FIX_REQUEST
    assert label("@AskAmex you got really bad reps on the customer service", venting=0.95,
                 fix_request=0.01) is Label.VENTING
    # The same post to the brand's own account is the head's call.
    assert label("@northwindkettles my redeem code DOSENT work 😭", neutral=0.56,
                 fix_request=0.1) is Label.NEUTRAL
    # Without signals (callers that have no raw text) nothing moves.
    text = "fuck you fix my connection"
    assert decide(_probs(labels, venting=0.8), labels, a(text))[0] is Label.VENTING


def test_a_support_account_post_says_why_it_is_a_fix_request(model: ModelClassifier) -> None:
    out = model.classify("@AskPlayStation my redeem code DOSENT work 😭")
    assert out.label is Label.FIX_REQUEST
    assert "to a support account" in out.reasons
    # A fix-request the head gave by itself keeps the cues' reasons alone.
    plain = model.classify("@AmazonHelp my parcel never arrived, order #4521, where is it?")
    assert plain.label is Label.FIX_REQUEST
    assert "to a support account" not in plain.reasons


def test_every_training_file_is_well_formed() -> None:
    # The shipped posts and the measured candidates alike: one JSON object a line, a text, one
    # of the five labels, a language, no post twice (a copy would count double in training)
    # and nothing that identifies a person (no e-mail address); a candidate may be moved into
    # the shipped set at any time. Copies are told apart as `learn` tells them apart.
    email = re.compile(r"[\w.+-]+@[\w-]+\.[a-z]{2,}", re.IGNORECASE)
    files = sorted((MODELS.parent / "trainset").rglob("*.jsonl"))
    assert any(p.parent.name == "candidates" for p in files), files
    for path in files:
        texts = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            row = json.loads(line)
            where = f"{path.name}:{n}"
            assert isinstance(row["text"], str) and row["text"].strip(), where
            assert row["label"] in LABELS, where
            assert re.fullmatch(r"[a-z]{2}", row.get("lang", "en")), where
            assert not email.search(row["text"]), where
            texts.append(same_post(row["text"]))
        assert len(texts) > 30, path.name
        assert len(set(texts)) == len(texts), f"{path.name}: a post is there twice"


def test_griping_that_names_no_brand_is_chatter(model: ModelClassifier) -> None:
    # Everyday griping (the ordinary tweets' kind: the head reads it as venting, which would
    # put it in the queue with an apology) is chatter when nothing names or addresses anyone.
    gripe = model.classify("UGH!! I HATE getting blood drawn!!")
    assert gripe.label is Label.NEUTRAL
    assert gripe.reasons[0].startswith("addressed to no brand: everyday chatter")
    assert gripe.confidence >= 0.5
    # Not when it names the brand (its name, keywords or handle from the config), a product,
    # or any @handle, and not beside a concrete problem or for a real complaint.
    for text in ("UGH!! I HATE Northwind kettles!!", "UGH!! I HATE @northwindkettles!!",
                 "@pal UGH!! I HATE getting blood drawn!!",
                 "Stupid rain. My kettle is broken again.",
                 "Worst customer service ever, three emails and no answer. Never again."):
        assert not model.classify(text).reasons[0].startswith("addressed to no brand"), text
    assert model.classify("UGH!! I HATE Northwind kettles!!").label is Label.VENTING
    products = build_classifier(Settings(brand=BrandSettings(products=("Brewline",))))
    assert products.classify("UGH!! I HATE my Brewline!!").label is Label.VENTING


def test_the_gate_is_optional_and_only_reads_venting(model: ModelClassifier,
                                                     tmp_path: Path) -> None:
    # A model folder from before the gate (no gate.npz) classifies as before: venting.
    for name in ("encoder.onnx", "tokenizer.json", "head.npz"):
        (tmp_path / name).symlink_to(MODELS / name)
    old = load_model(model._rules, folder=tmp_path)
    assert old.classify("UGH!! I HATE getting blood drawn!!").label is Label.VENTING
    # The gate only turns venting into chatter: a happy or asking post is left as it is.
    assert model.classify("what time do you open on Sunday?").label is Label.QUESTION
    # A brand's own head keeps the packaged gate.
    assert model.with_head(model.head).classify(
        "DAMN!!! running late SUCKS!!!").label is Label.NEUTRAL


def test_names_brand_is_the_configs_name_keywords_handles_and_products() -> None:
    rules = build_classifier(Settings(brand=BrandSettings(products=("Aria",))), kind="rules")
    assert isinstance(rules, RulesClassifier)
    assert rules.names_brand("my Northwind kettle")
    assert rules.names_brand("hey @northwindkettles")
    assert rules.names_brand("the Aria is lovely")
    assert not rules.names_brand("Ariadne sang beautifully")  # whole words only
    assert not rules.names_brand("running late again")


def test_the_gate_saw_only_tune_halves_and_no_measuring_only_set() -> None:
    import sys

    sys.path.insert(0, str(MODELS.parents[2] / "scripts"))
    import train_model

    meta = head.meta_of(MODELS / "gate.npz")
    assert set(meta["trained_on"]) == {  # type: ignore[arg-type]
        "complaints of the training rows", "ordinary tweets, tune half, neutral"}
    texts, labels = train_model.gate_rows([("my parcel is lost", "fix_request", "x"),
                                           ("lovely kettle", "praise", "x")])
    assert labels.count("brand") == 1 and "lovely kettle" not in texts
    held_back = {json.loads(line)["text"] for line in (
        MODELS.parents[2] / "tests" / "data" / "ordinary_tweets.jsonl").read_text(
            encoding="utf-8").splitlines() if json.loads(line)["split"] == "test"}
    assert labels.count("none") > 1500 and not held_back & set(texts)


def test_emoji_carry_the_mood() -> None:
    from monitor.classify.cues import PRAISE, VENT, find_cues, normalise, tokenize

    def cues(text: str) -> tuple[float, float, tuple[str, ...]]:
        lowered = normalise(text)
        c = find_cues(tokenize(lowered), lowered)
        return c.weights[PRAISE], c.weights[VENT], tuple(r for _, r in c.hits)

    assert cues("Just got my $3 bowl ❤️❤️❤️") == (1.0, 0.0, ("happy emoji",))  # counted once
    assert cues("my parcel is lost 😡")[1:] == (1.0, ("something is missing", "angry emoji"))
    # Applause and pleading are left out: "great job losing my parcel AGAIN 👏👏".
    assert "happy emoji" not in cues("great job losing my parcel AGAIN 👏👏 🙏")[2]
    assert cues("plain ascii text")[:2] == (0.0, 0.0)
    rules = build_classifier(Settings(), kind="rules")
    assert rules.classify("Just got my $3 bowl ❤️❤️❤️").label is Label.PRAISE


def test_the_gate_can_be_turned_off_in_the_config(tmp_path: Path) -> None:
    from monitor.config import load

    cfg = tmp_path / "c.toml"
    cfg.write_text("[classifier]\neveryday_gate = false\n", encoding="utf-8")
    settings = load(str(cfg))
    assert settings.classifier.everyday_gate is False
    assert build_classifier(settings).classify(
        "UGH!! I HATE getting blood drawn!!").label is Label.VENTING
    cfg.write_text('[classifier]\neveryday_gate = "no"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="everyday_gate"):
        load(str(cfg))


def test_damage_on_arrival_and_faults_said_as_verbs_are_problems(
        model: ModelClassifier) -> None:
    # The head read each of these as chatter (93 to 95 %): a concrete problem cue keeps them
    # out of praise and chatter, so they reach the queue (marked "check the label").
    for text in ("my kettle arrived broken", "the mug turned up cracked",
                 "my kettle is leaking everywhere", "the handle snapped off after a week",
                 "package was stolen from my porch"):
        out = model.classify(text)
        assert out.label in (Label.FIX_REQUEST, Label.VENTING), text
    assert "arrived damaged" in model.classify("my kettle arrived broken").reasons
    # Thanks for a problem put right stays praise: the guard yields to a resolution cue.
    for text in ("the kettle arrived broken but you replaced it fast, thanks!",
                 "my kettle is broken but you fixed it fast, thanks!"):
        assert model.classify(text).label is Label.PRAISE, text
    # An everyday idiom is not a fault.
    assert model.classify("my old sofa is falling apart lol").label is not Label.FIX_REQUEST


def test_short_fault_posts_mostly_reach_the_queue() -> None:
    # tests/data/short_posts.jsonl: 100 short plain faults written for the project. Measured
    # with the shipped model: 20 read as chatter or praise (README, "Short posts"); a change
    # that loses more of them to chatter should be seen.
    import sys

    sys.path.insert(0, str(MODELS.parents[2] / "bench"))
    import short_posts as SP  # type: ignore[import-not-found,unused-ignore]

    posts = SP.posts()
    out = build_classifier(Settings()).classify_many([t for t, _ in posts])  # type: ignore[union-attr]
    f = SP.figures([g for _, g in posts], [c.label.value for c in out])
    assert f["faults_read_as_chatter_or_praise"] <= 20
