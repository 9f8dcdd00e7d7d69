"""The cue lexicon: which words and phrases signal a request, a concrete problem, venting,
praise, a resolution, urgency, a question, or that a problem is still open or over.

Data only, built once at import into read-only tables that `cues.py` scans. Entries stay
domain-general (shops, telecoms, software, food, travel) and name no brand; the weights were
shaped on the airline tune split and the tune half of the hand labels (see the bench
scripts). Nothing here reads text or decides a label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

# Cue kinds (indexes into Cues.weights).
# Cue kinds (indexes into Cues.counts).
REQUEST = 0  # asks for something: help, refund, DM, "where is my", "can you"
PROBLEM = 1  # a concrete problem: missing, broken, charged twice, cannot log in, delayed
VENT = 2  # frustration with nothing asked: insults, "never again", "worst", #fail
PRAISE = 3  # thanks, love, great
RESOLVED = 4  # the problem is over: fixed, sorted, finally, got it back
URGENT = 5  # urgency: asap, urgent, stranded, tonight
QUESTION = 6  # a question, with or without "?"
SARCASM = 7  # praise words next to a problem ("great job losing my bag")
INFO = 8  # neutral chatter markers: "just wondering", "fyi", "is there"
OPEN = 9  # the problem is still going on: still, now, trying, on hold, stuck, stranded
CLOSED = 10  # it is over: was, yesterday, last time, gave up
KINDS = 11
CONCRETE_WEIGHT = 2.0  # problem phrases at least this heavy are concrete faults

TOKEN = re.compile(r"[@#]?[\w'’-]+|[.!?]+")
"""A token: a word (with its @ or #), or a run of sentence-ending punctuation."""


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


NEGATORS = _set(
    "not no never dont don't don’t didnt didn't didn’t isnt isn't isn’t wasnt wasn't wasn’t "
    "arent aren't werent weren't wont won't cant can't cannot hardly nothing nobody none "
    "without doesnt doesn't doesn’t havent haven't hasnt hasn't"
)
QUESTION_STARTS = _set(
    "how when where why what which who whats what's wheres where's whens hows "
    "is are can could will would do does did should may any anyone anybody"
)
IMPERATIVE_STARTS = _set(
    "fix send refund help call give let tell check reply respond answer explain get stop "
    "please pls plz dm email contact cancel rebook reset restore unlock return replace "
    "reimburse compensate sort escalate update open locate find bring"
)
GREETINGS = _set("hi hey hello hiya dear")
"""Openers that do not end a sentence's start: "hey, let us off the plane" is an imperative."""


@dataclass(frozen=True, slots=True)
class Cue:
    kind: int
    reason: str
    weight: float = 1.0
    # A preceding negator ("not great", "wasn't delayed") turns this cue into `negated`.
    negated: Cue | None = None


def _lex(kind: int, reason: str, words: str, weight: float = 1.0,
         negated: Cue | None = None) -> dict[str, Cue]:
    cue = Cue(kind, reason, weight, negated)
    return dict.fromkeys(words.split("|"), cue)


_NEG_PRAISE = Cue(VENT, "negated praise", 1.0)

# Single words. Several spellings share one Cue object so the reason reads the same.
_words: dict[str, Cue] = {}
for table in (
    _lex(REQUEST, "asks for help", "help|assist|assistance|helpline|ayuda|aide|hilfe|ajuda"),
    _lex(REQUEST, "asks for a refund", "refund|refunded|refunds|reimburse|reimbursement|"
         "compensation|compensate|voucher|reembolso|remboursement|erstattung|rembourser"),
    _lex(REQUEST, "asks for a DM", "dm|dms|pm", 1.0),
    _lex(REQUEST, "asks to rebook or change", "rebook|rebooked|reschedule|rebooking"),
    _lex(REQUEST, "asks to waive or restore", "waive|waived|reinstate|resend|reissue|"
         "reactivate|unblock|unlock"),
    _lex(REQUEST, "asks for contact", "callback|contact|respond|response|reply|answer|"
         "answers|update|updates", 0.5),
    _lex(REQUEST, "asks for a fix", "fix|resolve|sort|investigate", 0.7),
    _lex(PROBLEM, "something is missing", "missing|lost|losing|misplaced|disappeared|"
         "stolen|forgot|forgotten|perdido|perdu|verloren", 1.0),
    _lex(PROBLEM, "something is broken", "broken|broke|damaged|faulty|defective|cracked|"
         "leaking|leaks|smashed|ruined|torn|dead|kaputt|roto|cassé", 1.0),
    _lex(PROBLEM, "something is not working", "crash|crashes|crashing|crashed|error|errors|"
         "bug|bugs|buggy|glitch|glitches|frozen|freezes|freezing|unusable|unresponsive|"
         "fails|failing|failed", 1.0),
    _lex(PROBLEM, "service is down", "down|outage|outages|offline|disconnected|"
         "disconnects|dropping|dropped|lagging|slow", 1.0),
    _lex(PROBLEM, "cancelled", "cancelled|canceled|cancel|cancellation|cancellations|"
         "cancelado|annulé|storniert", 1.0),
    _lex(PROBLEM, "delayed", "delayed|delay|delays|late|overdue|stuck|stranded|"
         "retraso|retard|verspätet", 1.0),
    _lex(PROBLEM, "missed connection", "missed|misconnect", 0.8),
    _lex(PROBLEM, "charged wrongly", "overcharged|overcharge|overcharging|charged|charge|"
         "charges|fee|fees|billed|debited|scam|scammed|fraud|fraudulent", 0.8),
    _lex(PROBLEM, "account locked", "locked|suspended|hacked|banned|blocked|deactivated", 1.0),
    _lex(PROBLEM, "waiting", "waiting|waited|wait|hold|holding|queue|hour|hours|hrs|hr|days|"
         "weeks|minutes|mins|min|longer|still|yet", 0.6),
    _lex(PROBLEM, "wrong item or info", "wrong|wrongly|incorrect|incorrectly|mistake|mistakes|"
         "mixup|incomplete|misinformation|misinformed|misled|mislead|confusing|confused", 0.8),
    _lex(PROBLEM, "reports a problem", "problem|problems|issue|issues|trouble|troubles|"
         "inconvenience|inconvenienced|hassle|mess|messed|chaos|chaotic|dirty|filthy|"
         "lazy|inefficient|disorganized|disorganised|unhelpful|unreliable|uncomfortable|"
         "cramped|nickel|nickeled|wasted|waste|wasting|lied|misleading|false|zero|"
         "nothing|nowhere|worse|bumped|overbooked|oversold|diverted|stranding|strand|"
         "sitting|sat|tarmac|runway|timing|timed|keeps|kept|forced|supposed|"
         "unavailable|nope|wtf", 0.7),
    _lex(PROBLEM, "nothing offered", "no", 0.6),
    _lex(PROBLEM, "reports a problem", "snag|snags|difficult|difficulty|impossible", 0.8),
    # A negated verb ("wouldn't let us on", "didn't work") often states a problem VADER
    # cannot see, because the verb itself carries no sentiment.
    _lex(PROBLEM, "", "not|wouldn't|wouldnt|couldn't|couldnt|didn't|didnt|can't|cant|cannot|"
         "won't|wont|don't|dont|doesn't|doesnt|isn't|isnt|wasn't|wasnt|weren't|werent|"
         "haven't|havent|hasn't|hasnt|aren't|arent", 0.5),
    _lex(PROBLEM, "reports a problem", "hung|unserviceable|irritating|irritated|"
         "stuck|left|turned|worried|worry|concerned|confusion|disorganization", 0.6),
    _lex(PROBLEM, "never", "never", 0.6),
    _lex(PROBLEM, "refused or denied", "refused|denied|declined|rejected|ignored|ignoring|"
         "unanswered|unable", 0.8),
    _lex(PROBLEM, "cold or spoiled food", "spoiled|stale|raw|undercooked|moldy|mouldy|"
         "expired|inedible", 0.8),
    _lex(VENT, "insult", "idiot|idiots|idiotic|stupid|morons|moron|clowns|clown|pathetic|"
         "incompetent|incompetence|useless|worthless|disgrace|disgraceful|garbage|trash|"
         "crap|crappy|shit|shitty|bullshit|bs|fuck|fucking|fucked|wtf|screw|sucks|suck|"
         "sucked|joke|laughable|clueless|liars|lying|lie|lies|thieves|greedy|shameful|"
         "shame|embarrassing|scumbags|dumb", 1.3),
    _lex(VENT, "strong frustration", "worst|terrible|horrible|awful|horrendous|atrocious|"
         "disgusting|unacceptable|ridiculous|absurd|outrageous|unbelievable|"
         "unprofessional|rude|nightmare|disaster|hate|hated|furious|livid|disappointed|"
         "disappointing|disappointment|frustrated|frustrating|frustration|annoyed|annoying|"
         "angry|mad|upset|fed|sick|tired|poor|bad|miserable|painful|insane|"
         "smh|ugh|seriously|smdh|sigh|grr|argh|lame|meh|fail|failure|epicfail|unhappy|"
         "inadequate|tanked|damn|dammit|freaking|pissed|shocking|appalling|dreadful|"
         "abysmal|subpar|mediocre|careless|negligent|ripoff|overpriced|unfair", 1.0),
    _lex(VENT, "", "complain|complaint|complaints|again|always|every|"
         "typical|usual|anymore|nobody|noone|ever|even|really|why|whatever|wow|"
         "apparently|supposedly|excuse|excuses|sorry|apology|apologize", 0.5),
    _lex(PRAISE, "thanks", "thanks|thank|thx|ty|tysm|thankyou|grateful|gracias|merci|danke|"
         "obrigado", 1.0, _NEG_PRAISE),
    _lex(PRAISE, "praise", "love|loved|loving|great|awesome|amazing|best|excellent|"
         "fantastic|wonderful|perfect|brilliant|superb|outstanding|incredible|impressed|"
         "kudos|props|shoutout|appreciate|appreciated|helpful|friendly|nice|cool|"
         "happy|glad|pleasant|enjoyed|enjoy|smooth|quick|fast|easy|good|beautiful|favorite|"
         "favourite|stellar|rock|rocks|hero|heroes|lovely|sweet|delicious|yum|fab|"
         "shout-out|recommend|recommended|gorgeous|genial|génial|excelente|mejor|toll|"
         "super|prima|geweldig|ótimo|otimo",
         1.0, _NEG_PRAISE),
    _lex(RESOLVED, "problem resolved", "fixed|resolved|sorted|solved|finally|found|"
         "recovered|restored|refunded|replaced|fixing|corrected|helping|rebooked", 1.0),
    _lex(URGENT, "urgent", "urgent|urgently|asap|emergency|immediately|now|tonight|today|"
         "tomorrow|stranded|desperate|critical", 1.0),
    _lex(INFO, "", "wondering|curious|fyi|info|information|policy|allowed|"
         "possible|hours|schedule|available|availability", 1.0),
):
    _words.update(table)
WORDS: Mapping[str, Cue] = MappingProxyType(_words)
del _words, table

# Problem words that are not a problem when negated; praise words flip to negated praise.
NEGATABLE = frozenset((PROBLEM, PRAISE))

# Multi-word phrases, keyed by first word: (rest of the words, cue). Longest first.
PHRASE_LIST: tuple[tuple[str, int, str, float], ...] = (
    ("can you", REQUEST, "asks 'can you'", 1.2),
    ("could you", REQUEST, "asks 'can you'", 1.2),
    ("can u", REQUEST, "asks 'can you'", 1.2),
    ("would you", REQUEST, "asks 'can you'", 1.0),
    ("can someone", REQUEST, "asks for help", 1.5),
    ("can anyone", REQUEST, "asks for help", 1.5),
    ("can somebody", REQUEST, "asks for help", 1.5),
    ("can i", QUESTION, "asks a question", 1.0),
    ("how do i", QUESTION, "asks how to", 1.2),
    ("how can i", QUESTION, "asks how to", 1.2),
    ("how long", QUESTION, "asks how long", 1.0),
    ("when will", REQUEST, "asks when", 1.2),
    ("when can", REQUEST, "asks when", 1.0),
    ("when is", QUESTION, "asks when", 0.8),
    ("what happened", REQUEST, "asks what happened", 1.0),
    ("what is going on", REQUEST, "asks what happened", 1.0),
    ("what's going on", REQUEST, "asks what happened", 1.0),
    ("whats going on", REQUEST, "asks what happened", 1.0),
    ("where is my", REQUEST, "asks 'where is my'", 2.0),
    ("where's my", REQUEST, "asks 'where is my'", 2.0),
    ("wheres my", REQUEST, "asks 'where is my'", 2.0),
    ("where are my", REQUEST, "asks 'where is my'", 2.0),
    ("still waiting", REQUEST, "still waiting", 2.0),
    ("still no", REQUEST, "still waiting", 1.5),
    ("still not", PROBLEM, "still not resolved", 1.5),
    ("still haven't", PROBLEM, "still not resolved", 1.5),
    ("still havent", PROBLEM, "still not resolved", 1.5),
    ("still have not", PROBLEM, "still not resolved", 1.5),
    ("any update", REQUEST, "asks for an update", 1.5),
    ("any updates", REQUEST, "asks for an update", 1.5),
    ("any news", REQUEST, "asks for an update", 1.5),
    ("any word", REQUEST, "asks for an update", 1.5),
    ("need help", REQUEST, "asks for help", 1.5),
    ("need to", REQUEST, "states a need", 0.8),
    ("no need", INFO, "", 0.0),  # consumes "need to": "no need to be loyal" asks nothing
    ("i need", REQUEST, "states a need", 1.0),
    ("we need", REQUEST, "states a need", 1.0),
    ("i want", REQUEST, "states a want", 0.8),
    ("i'd like", REQUEST, "states a want", 0.8),
    ("i would like", REQUEST, "states a want", 0.8),
    ("please help", REQUEST, "asks for help", 2.0),
    ("pls help", REQUEST, "asks for help", 2.0),
    ("help me", REQUEST, "asks for help", 1.5),
    ("help us", REQUEST, "asks for help", 1.5),
    ("let me know", REQUEST, "asks to be told", 1.0),
    ("let us know", REQUEST, "asks to be told", 1.0),
    ("get back to me", REQUEST, "asks for contact", 1.0),
    ("call me", REQUEST, "asks for contact", 1.0),
    ("direct message", REQUEST, "asks for a DM", 1.0),
    ("is there", QUESTION, "asks a question", 0.6),
    ("is there any", QUESTION, "asks a question", 0.8),
    ("money back", REQUEST, "asks for a refund", 1.5),
    ("want my money", REQUEST, "asks for a refund", 1.5),
    ("no response", PROBLEM, "no response", 1.2),
    ("no reply", PROBLEM, "no response", 1.2),
    ("no answer", PROBLEM, "no response", 1.2),
    ("no one", PROBLEM, "no response", 1.0),
    ("no problem", INFO, "", 1.0),
    ("no worries", INFO, "", 1.0),
    ("no doubt", INFO, "", 1.0),
    ("had to", PROBLEM, "reports a problem", 0.6),
    ("have to", PROBLEM, "reports a problem", 0.4),
    ("gave up", VENT, "gave up", 1.5),
    ("give up", VENT, "gave up", 1.0),
    ("should have", PROBLEM, "reports a problem", 0.8),
    ("shouldn't", PROBLEM, "reports a problem", 0.8),
    ("why is", VENT, "rhetorical why", 0.6),
    ("why are", VENT, "rhetorical why", 0.6),
    ("why do", VENT, "rhetorical why", 0.6),
    ("why does", VENT, "rhetorical why", 0.6),
    ("why did", VENT, "rhetorical why", 0.6),
    ("why can't", VENT, "rhetorical why", 0.8),
    ("why cant", VENT, "rhetorical why", 0.8),
    ("why don't", VENT, "rhetorical why", 0.8),
    ("why dont", VENT, "rhetorical why", 0.8),
    ("why haven't", VENT, "rhetorical why", 0.8),
    ("why wouldn't", VENT, "rhetorical why", 0.8),
    ("why would", VENT, "rhetorical why", 0.6),
    ("not responding", PROBLEM, "no response", 1.5),
    ("would appreciate", REQUEST, "asks for something", 1.5),
    ("contact me", REQUEST, "asks for contact", 1.5),
    # Not reaching anyone is a still-open problem (contact is still needed): the rubric's
    # "can't get through" is a fix-request, in any business with a phone line or inbox.
    ("get through", PROBLEM, "cannot reach anyone", 2.0),
    ("heard back", PROBLEM, "no response", 2.0),
    ("hear back", PROBLEM, "no response", 2.0),
    ("answer the phone", REQUEST, "asks for contact", 1.5),
    ("answer your phone", REQUEST, "asks for contact", 1.5),
    ("answer their phone", REQUEST, "asks for contact", 1.5),
    ("answer the phones", REQUEST, "asks for contact", 1.5),
    ("answer your phones", REQUEST, "asks for contact", 1.5),
    ("answer their phones", REQUEST, "asks for contact", 1.5),
    ("pick up the phone", REQUEST, "asks for contact", 1.5),
    ("get a hold", PROBLEM, "cannot reach anyone", 1.0),
    ("expect a response", REQUEST, "asks for a response", 1.5),
    ("i'd appreciate", REQUEST, "asks for something", 1.5),
    ("something wrong", PROBLEM, "something is not working", 1.5),
    ("keep my money", VENT, "gave up", 2.0),
    ("hung up", PROBLEM, "call cut off", 1.2),
    ("hangs up", PROBLEM, "call cut off", 1.2),
    ("hanging up", PROBLEM, "call cut off", 1.2),
    ("call back", PROBLEM, "no response", 0.8),
    ("no apology", VENT, "strong frustration", 1.5),
    ("speak to a human", REQUEST, "asks for a person", 1.5),
    ("talk to a human", REQUEST, "asks for a person", 1.5),
    ("speak to someone", REQUEST, "asks for a person", 1.5),
    ("talk to someone", REQUEST, "asks for a person", 1.5),
    ("without my", PROBLEM, "something is missing", 1.5),
    ("w/o my", PROBLEM, "something is missing", 1.5),
    ("timing out", PROBLEM, "not working", 1.5),
    ("times out", PROBLEM, "not working", 1.5),
    ("never arrived", PROBLEM, "never arrived", 2.0),
    ("never received", PROBLEM, "never arrived", 2.0),
    ("never got", PROBLEM, "never arrived", 1.5),
    ("never showed", PROBLEM, "never arrived", 1.5),
    ("hasn't arrived", PROBLEM, "never arrived", 2.0),
    ("hasnt arrived", PROBLEM, "never arrived", 2.0),
    ("has not arrived", PROBLEM, "never arrived", 2.0),
    ("haven't received", PROBLEM, "never arrived", 2.0),
    ("havent received", PROBLEM, "never arrived", 2.0),
    ("have not received", PROBLEM, "never arrived", 2.0),
    ("not received", PROBLEM, "never arrived", 2.0),
    ("didn't receive", PROBLEM, "never arrived", 2.0),
    ("didnt receive", PROBLEM, "never arrived", 2.0),
    ("didn't arrive", PROBLEM, "never arrived", 2.0),
    ("didnt arrive", PROBLEM, "never arrived", 2.0),
    ("not delivered", PROBLEM, "never arrived", 2.0),
    ("not working", PROBLEM, "not working", 2.0),
    ("not getting", PROBLEM, "never arrived", 2.0),
    ("isn't loading", PROBLEM, "not working", 2.0),
    ("aren't working", PROBLEM, "not working", 2.0),
    ("arent working", PROBLEM, "not working", 2.0),
    ("are not working", PROBLEM, "not working", 2.0),
    ("wasn't working", PROBLEM, "not working", 2.0),
    ("wasnt working", PROBLEM, "not working", 2.0),
    ("won't connect", PROBLEM, "not working", 2.0),
    ("wont connect", PROBLEM, "not working", 2.0),
    ("can't connect", PROBLEM, "not working", 2.0),
    ("cant connect", PROBLEM, "not working", 2.0),
    ("not connecting", PROBLEM, "not working", 2.0),
    ("won't turn on", PROBLEM, "not working", 2.0),
    ("wont turn on", PROBLEM, "not working", 2.0),
    # A missing service, said the short way: "no internet since this morning".
    ("no internet", PROBLEM, "service is down", 2.0),
    ("out of service", PROBLEM, "service is down", 2.0),
    ("barely works", PROBLEM, "not working", 2.0),
    ("barely working", PROBLEM, "not working", 2.0),
    ("no wifi", PROBLEM, "service is down", 2.0),
    ("no wi-fi", PROBLEM, "service is down", 2.0),
    ("no signal", PROBLEM, "service is down", 2.0),
    ("no connection", PROBLEM, "service is down", 2.0),
    ("no power", PROBLEM, "service is down", 2.0),
    ("no network", PROBLEM, "service is down", 2.0),
    ("no hot water", PROBLEM, "service is down", 2.0),
    ("no heating", PROBLEM, "service is down", 2.0),
    ("no heat", PROBLEM, "service is down", 2.0),
    ("is broken", PROBLEM, "something is broken", 2.0),
    ("are broken", PROBLEM, "something is broken", 2.0),
    # Damaged on arrival: the item needs replacing or refunding ("my kettle arrived broken"
    # read as chatter with the single word's weight alone).
    *((f"{came} {state}", PROBLEM, "arrived damaged", 2.0)
      for came in ("arrived", "came", "delivered", "turned up", "showed up")
      for state in ("broken", "damaged", "cracked", "smashed", "shattered", "dented", "faulty",
                    "defective", "leaking", "torn", "crushed", "dead")),
    ("dead on arrival", PROBLEM, "arrived damaged", 2.0),
    # Faults said as a verb ("my kettle is leaking everywhere" and "the handle snapped off"
    # were chatter to the head; the single words stay weak: "leaks" is also news).
    *((phrase, PROBLEM, "something is broken", 2.0) for phrase in (
        "is leaking", "are leaking", "it leaks", "still leaks", "still leaking",
        "leaks everywhere", "leaking everywhere", "leaks water", "leaking water",
        "snapped off", "broke off", "fell off", "came apart")),
    *((phrase, PROBLEM, "something is missing", 2.0) for phrase in (
        "was stolen", "were stolen", "got stolen", "been stolen")),
    ("doesn't work", PROBLEM, "not working", 2.0),
    ("doesnt work", PROBLEM, "not working", 2.0),
    ("does not work", PROBLEM, "not working", 2.0),
    ("isn't working", PROBLEM, "not working", 2.0),
    ("isnt working", PROBLEM, "not working", 2.0),
    ("won't work", PROBLEM, "not working", 2.0),
    ("wont work", PROBLEM, "not working", 2.0),
    ("stopped working", PROBLEM, "not working", 2.0),
    ("keeps crashing", PROBLEM, "not working", 2.0),
    ("won't load", PROBLEM, "not working", 2.0),
    ("wont load", PROBLEM, "not working", 2.0),
    ("not loading", PROBLEM, "not working", 2.0),
    ("no funciona", PROBLEM, "not working", 2.0),
    ("ne marche pas", PROBLEM, "not working", 2.0),
    ("ne fonctionne pas", PROBLEM, "not working", 2.0),
    ("funktioniert nicht", PROBLEM, "not working", 2.0),
    ("não funciona", PROBLEM, "not working", 2.0),
    ("no ha llegado", PROBLEM, "never arrived", 2.0),
    ("toujours pas", PROBLEM, "still not resolved", 1.5),
    ("can't log", PROBLEM, "cannot log in", 2.0),
    ("cant log", PROBLEM, "cannot log in", 2.0),
    ("cannot log", PROBLEM, "cannot log in", 2.0),
    ("can't sign", PROBLEM, "cannot log in", 2.0),
    ("cant sign", PROBLEM, "cannot log in", 2.0),
    ("cannot sign", PROBLEM, "cannot log in", 2.0),
    ("can't login", PROBLEM, "cannot log in", 2.0),
    ("cant login", PROBLEM, "cannot log in", 2.0),
    ("cannot login", PROBLEM, "cannot log in", 2.0),
    ("unable to", PROBLEM, "cannot do something", 1.2),
    ("locked out", PROBLEM, "account locked", 2.0),
    ("can't get", PROBLEM, "cannot do something", 1.0),
    ("cant get", PROBLEM, "cannot do something", 1.0),
    ("can't access", PROBLEM, "cannot do something", 1.5),
    ("cant access", PROBLEM, "cannot do something", 1.5),
    ("can't find", PROBLEM, "cannot find something", 1.2),
    ("cant find", PROBLEM, "cannot find something", 1.2),
    ("charged twice", PROBLEM, "charged twice", 2.5),
    ("double charged", PROBLEM, "charged twice", 2.5),
    ("charged me twice", PROBLEM, "charged twice", 2.5),
    ("on hold", PROBLEM, "kept on hold", 1.2),
    ("customer service", INFO, "", 0.5),
    ("thanks for nothing", VENT, "thanks for nothing", 3.0),
    ("thank you for nothing", VENT, "thanks for nothing", 3.0),
    ("never again", VENT, "never again", 2.5),
    ("never fly", VENT, "never again", 2.5),
    ("never flying", VENT, "never again", 2.5),
    ("never use", VENT, "never again", 2.0),
    ("never buy", VENT, "never again", 2.0),
    ("never order", VENT, "never again", 2.0),
    ("last time", VENT, "never again", 1.0),
    ("will not fly", VENT, "never again", 2.0),
    ("won't fly", VENT, "never again", 2.0),
    ("wont fly", VENT, "never again", 2.0),
    ("no excuse", VENT, "strong frustration", 1.5),
    # Judgements that close the matter: a wish about how it should have gone, disbelief,
    # taking one's custom elsewhere (any shop, telecom, app or airline says these).
    ("would be nice", VENT, "wish, nothing asked", 1.5),
    ("would have been nice", VENT, "wish, nothing asked", 1.5),
    ("would've been nice", VENT, "wish, nothing asked", 1.5),
    ("can't believe", VENT, "strong frustration", 1.0),
    ("cant believe", VENT, "strong frustration", 1.0),
    ("no wonder", VENT, "strong frustration", 1.0),
    ("lost a customer", VENT, "never again", 2.0),
    ("learned my lesson", VENT, "never again", 2.0),
    ("lesson learned", VENT, "never again", 2.0),
    ("lost my business", VENT, "never again", 2.0),
    ("lose my business", VENT, "never again", 2.0),
    ("take my business", VENT, "never again", 2.0),
    # Eagerness, not a wait: "can't wait to fly with you again", "looking forward to it".
    ("can't wait", PRAISE, "looking forward", 1.0),
    ("cant wait", PRAISE, "looking forward", 1.0),
    ("cannot wait", PRAISE, "looking forward", 1.0),
    ("looking forward", PRAISE, "looking forward", 1.0),
    ("shout out", PRAISE, "praise", 1.0),
    # "Nothing" as a problem word, but not in a compliment or a toast: "nothing but the most
    # respect for this $3 BOOrito", "nothing says Halloween like $3 burritos" (tune readings:
    # both drafted an apology).
    ("nothing but love", PRAISE, "praise", 1.0),
    ("nothing but respect", PRAISE, "praise", 1.0),
    ("nothing but the most respect", PRAISE, "praise", 1.0),
    ("nothing but good things", PRAISE, "praise", 1.0),
    ("nothing says", INFO, "", 0.0),
    # A problem word denied: "returned it with zero hassle", "no problems at all".
    ("zero hassle", PRAISE, "praise", 1.0),
    ("no hassle", PRAISE, "praise", 1.0),
    ("hassle free", PRAISE, "praise", 1.0),
    ("without any hassle", PRAISE, "praise", 1.0),
    ("without a hassle", PRAISE, "praise", 1.0),
    ("life hack", PRAISE, "praise", 1.0),
    ("lifesaver", PRAISE, "praise", 1.0),
    ("life saver", PRAISE, "praise", 1.0),
    ("nothing beats", PRAISE, "praise", 1.0),
    ("nothing better than", PRAISE, "praise", 1.0),
    ("way to go", SARCASM, "sarcasm", 1.0),
    ("great job", SARCASM, "sarcasm", 0.5),
    ("good job", SARCASM, "sarcasm", 0.5),
    ("nice job", SARCASM, "sarcasm", 0.5),
    ("thanks a lot", SARCASM, "sarcasm", 0.5),
    ("yeah right", SARCASM, "sarcasm", 1.5),
    ("oh fantastic", SARCASM, "sarcasm", 1.5),
    ("oh wonderful", SARCASM, "sarcasm", 1.5),
    ("oh brilliant", SARCASM, "sarcasm", 1.5),
    ("oh perfect", SARCASM, "sarcasm", 1.5),
    ("oh joy", SARCASM, "sarcasm", 1.5),
    ("love that for me", SARCASM, "sarcasm", 2.0),
    ("feeling valued", SARCASM, "sarcasm", 1.5),
    # Thanks for a harm: "Thank you for ruining my phone 😤".
    ("thanks for ruining", SARCASM, "sarcasm", 2.0),
    ("thanks for breaking", SARCASM, "sarcasm", 2.0),
    ("thanks for wasting", SARCASM, "sarcasm", 2.0),
    ("thanks for losing", SARCASM, "sarcasm", 2.0),
    ("thanks for ignoring", SARCASM, "sarcasm", 2.0),
    ("thank you for ruining", SARCASM, "sarcasm", 2.0),
    ("thank you for breaking", SARCASM, "sarcasm", 2.0),
    ("thank you for wasting", SARCASM, "sarcasm", 2.0),
    ("thank you for losing", SARCASM, "sarcasm", 2.0),
    ("thank you for ignoring", SARCASM, "sarcasm", 2.0),
    ("nie wieder", VENT, "never again", 2.5),
    ("nunca más", VENT, "never again", 2.5),
    ("nunca mais", VENT, "never again", 2.5),
    ("plus jamais", VENT, "never again", 2.5),
    ("who do i", REQUEST, "asks who can help", 1.5),
    ("speak to", REQUEST, "asks for a person", 1.0),
    ("talk to", REQUEST, "asks for a person", 1.0),
    ("oh great", SARCASM, "sarcasm", 1.5),
    ("just great", SARCASM, "sarcasm", 1.5),
    ("love how", SARCASM, "sarcasm", 1.0),
    ("love that", SARCASM, "sarcasm", 0.5),
    ("love it when", SARCASM, "sarcasm", 1.0),
    ("not happy", VENT, "negated praise", 1.5),
    ("not impressed", VENT, "negated praise", 1.5),
    ("no thanks", VENT, "negated praise", 1.0),
    ("just wondering", INFO, "general question", 1.0),
    ("do you", QUESTION, "asks a question", 0.5),
    ("does anyone", QUESTION, "asks a question", 0.5),
    ("got it back", RESOLVED, "problem resolved", 1.5),
    ("all good", RESOLVED, "problem resolved", 1.0),
    ("back up", RESOLVED, "problem resolved", 0.5),
    ("made it", RESOLVED, "problem resolved", 1.0),
)


PhraseTable = Mapping[str, tuple[tuple[tuple[str, ...], Cue], ...]]


def _phrases(rows: Iterable[tuple[str, int, str, float]]) -> PhraseTable:
    grouped: dict[str, list[tuple[tuple[str, ...], Cue]]] = {}
    for phrase, kind, reason, weight in rows:
        first, *rest = TOKEN.findall(phrase)
        grouped.setdefault(first, []).append((tuple(rest), Cue(kind, reason, weight)))
    # Longest first, so "is there any" wins over "is there".
    return MappingProxyType({k: tuple(sorted(v, key=lambda item: -len(item[0])))
                             for k, v in grouped.items()})


PHRASES = _phrases(PHRASE_LIST)
REFERENCE_CUE = Cue(REQUEST, "order or booking number", 1.5)
QUESTION_CUE = Cue(QUESTION, "asks a question", 1.0)
IMPERATIVE_CUE = Cue(REQUEST, "asks for action", 1.0)
HASHTAG_VENT = Cue(VENT, "#fail hashtag", 1.5)
# Emoji that carry a post's mood, which the word tokens never see (nor VADER, for most, nor
# the encoder, whose vocabulary reads each emoji as one unknown word piece): "Just got my $3
# bowl ❤️❤️❤️". Counted once per kind. Left out on purpose: 👏 and 🙏 (as often sarcastic or
# pleading as glad), 😭 and 😂 (tears of either kind).
PRAISE_EMOJI = "❤♥😍🥰😊😀😃😄🤩💕💖💗💙💚💜🌟😋🙌💯👍🥳"
VENT_EMOJI = "😡🤬😤👎💩🙄😠😒🤮🖕"
EMOJI_PRAISE = Cue(PRAISE, "happy emoji", 1.0)
EMOJI_VENT = Cue(VENT, "angry emoji", 1.0)
HASHTAG_VENT_WORDS = ("fail", "worst", "never", "suck", "hate", "shame", "disappoint",
                       "nothanks", "boycott", "ripoff", "unacceptable", "awful", "terrible",
                       "bad", "angry", "furious", "peeve", "annoy", "frustrat", "ridiculous",
                       "horrible", "dont", "poor", "delay", "cancel", "stuck",
                       "strand", "onhold", "notcool", "wtf", "smh", "ugh", "joke",
                       "fml", "broken", "wasted")


REFERENCE_KEYS = frozenset(
    ("order", "booking", "ticket", "confirmation", "conf", "reference", "ref", "case", "claim",
     "tracking", "reservation", "pnr", "record", "file"))
# Tense markers, counted beside any cue the same token carries: they tell a problem that
# is still open (a fix-request) from one that is over (venting), and carry no reason.
TENSE: Mapping[str, tuple[int, float]] = MappingProxyType({
    **dict.fromkeys(("still", "now", "currently", "trying", "been", "waiting", "hold",
                     "holding", "stuck", "stranded", "missing", "lost", "yet", "today",
                     "tonight", "tomorrow", "right", "anyone", "somebody", "someone",
                     "need", "needs", "am", "is", "are", "can't", "cant", "cannot",
                     "won't", "wont", "haven't", "havent", "hasn't", "hasnt", "keeps",
                     "keep", "since", "disconnected", "disconnects", "hung", "hangs", "hanging"),
                    (OPEN, 1.0)),
    **dict.fromkeys(("was", "were", "had", "did", "yesterday", "last", "ago", "ever",
                     "never", "again", "experience", "worst", "always", "every",
                     "done", "ruined", "lesson"), (CLOSED, 1.0)),
})
