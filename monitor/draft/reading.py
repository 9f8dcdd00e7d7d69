"""What a post says of itself that picks a reply's wording, beyond its label and topic: a
wish for something new, something liked that is gone, someone hurt, a question about the
customer's own thing (and whether it has a reference to give), an account they are locked
out of (whether they tried the way back in, whether they are back in) or that is not theirs
at all, words that keep a post from a thank-you alone (a problem, a request, shouting), and a
concern about what the brand allows rather than the customer's own case.

Each sign came from a blind reading of our drafts (the tune half, or held-back readings that
were then not reported for the code they changed); the comments say which. Pure
regular expressions over the post's opening (English; the other drafted languages' templates
do not read these): no I/O, no state. This module must not decide the label, the topic, the
template or the diagnostic question; the drafter turns its signs into template variables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from monitor.text import straight_quotes

# Words that keep a happy-sounding post from the thank-you alone: a problem the topic words
# missed ("having technical difficulties ... Thanks"), a customer leaving ("finally free of
# the chains", "I love it ... However, I am now considering uninstalling it", "enjoying my
# amazing burrito bowl and I find plastic in my food I'm disgusted", the power "out in my
# neighborhood" on the night of the game), or the
# upside-down face of "someone signed into my Gmail, so that's comforting 🙃"; readings marked
# the thank-you under each wrong.
_NOT_A_FAN = re.compile(
    r"(?i)\b(?:difficult\w*|problems?|issues?|trouble|broken|errors?|down|not working|"
    r"can'?t|won'?t|doesn'?t|didn'?t|don'?t (?:want|wanna|like|trust|recommend)|fail\w*|"
    r"free of|leaving|left|switch(?:ed|ing) (?:to|from)|going back to|"
    r"cancel\w*|good ?bye|bye|worst|never again|not|tho|though|however|uninstall\w*|"
    r"smh|ugh|disgust\w*|gross|(?:is|are|been|went) out (?:in|again|for|since|all)|"
    r"(?:found|find|there'?s|was) (?:an? |some )?(?:plastic|hair|bone|glass|metal|bug|mould|"
    r"mold) in)\b|[🤦🙄😒😤😡😠🙃😷🤢🤮]")
# A post that asks for something ("thanks in advance for any help you can provide", "can you
# fix it"): never the thank-you alone (a tune reading marked "thank you for sharing this, it
# is lovely to see" under a request for help wrong, and "glad to be part of it" under "where's
# my check lol" another). A question mark alone does not count
# ("Best costume ?" is chatter). Shouting is no fan's post either.
_ASKS = re.compile(r"(?i)\b(?:help|please|pls|plz|need|fix|advice|any ideas|thanks in advance|"
                   r"dm|sent (?:you|u)|messaged|where(?:'?s| is| are) (?:my|our)|"
                   r"what happened to (?:my|our))\b")
_SHOUTING = re.compile(r"\b[A-Z']{2,}(?:\W+[A-Z']{2,}){3,}\b")
# Venting about what the brand allows or how it treats others ("is allowing people to sell
# toilet paper at ridiculous prices", "refuse to close the lobbies to protect your
# employees"), not about the customer's own case: two tune readings marked "sorry, it is not
# the experience we want for you" there as misreading a concern for a bad experience, and
# later ones an error question under "shut the sellers down" or "stop enabling price gouging".
_CONCERN = re.compile(
    r"(?i)\b(?:allow(?:ing|s)? (?:people|sellers|them|these|this|price)|let(?:ting)? (?:people|"
    r"sellers) |price[- ]?goug\w*|goug(?:ing|ers?)|profiteer\w*|capitali[sz]\w* on|unethical|"
    r"immoral|should be ashamed|your (?:employees|staff|workers)|(?:people|ppl|sellers) "
    r"(?:\w+ )?selling|stop (?:enabling|allowing|letting)|"
    r"(?:shut|ban|block|remove|kick) (?:down |off |out )?(?:the |these |those |all )?(?:\w+ )?"
    r"(?:sellers|listings|scammers|resellers|bots)\b)")
# A wish for something new ("please add the album", "how about an out-of-office on my phone?"):
# passed on to the team, not deferred to a DM (a tune reading marked the DM under a feature
# wish pointless).
_SUGGESTION = re.compile(
    r"(?i)\b(?:(?:please|pls|plz|can (?:you|u)|could (?:you|u)|you should|y'?all should) "
    r"(?:please |pls )?(?:add|bring back|make (?:an?|it)|put (?:out|back)|release|start "
    r"(?:selling|making|doing))\b|how about (?:an? |adding|making|some)|"
    r"would (?:be|love it) (?:so |really )?(?:nice|great|awesome|cool|amazing)? ?if (?:you|u)\b|"
    r"will (?:you|u) (?:ever )?(?:add|bring back)\b|feature request|i wish (?:you|u)\b|"
    r"(?:you|u|y'?all) should (?:have|add|make|bring|offer|do|get rid of|remove|drop|lift|"
    r"extend|allow|let)\b|any plans? (?:to|for|on)\b|"
    r"(?:that'?d|that would|it'?d|it would) be (?:great|nice|awesome|cool|amazing)\b)")
# "It'd be nice if the book wasn't damaged", "would be great if you didn't lose my bags": a
# wish that something had not gone wrong is a complaint told sarcastically, not a suggestion
# (once curly apostrophes were read, the damaged book got "thanks for suggesting this").
_WISH_IT_HAD_NOT = re.compile(
    r"(?i)\b(?:would|it'?d|that'?d|it would|that would) be (?:so |really )?(?:nice|great|"
    r"awesome|cool|amazing)? ?if\b[^.!?]*?(?:\w+n'?t\b|\bnot\b|\bnever\b)")
# Something they liked that is gone ("no longer serving chorizo", "why have you discontinued
# the ravioli"): missed, not a fault to look into; tune readings marked "if you want us to take
# a look" under it as treating disappointment as a service fault.
_MISSED = re.compile(
    r"(?i)\b(?:no longer (?:serv|sell|mak|carr|stock|offer)\w*|discontinu\w+|"
    r"(?:stopped|stop) (?:serving|selling|making|carrying|stocking|offering)|"
    r"bring (?:it |them |\w+ )?back|got rid of|taken? (?:it |them )?off the menu|"
    r"not (?:serving|selling|making|carrying|stocking) (?:[\w']+ ){0,4}(?:anymore|any more))")
# Someone hurt or unsafe ("my driver crashed and I hit my head"): their wellbeing comes first,
# before any detail (a tune reading marked the plain hand-off there as ignoring the injury).
_HURT = re.compile(
    r"(?i)\b(?:injur\w*|hurt (?:my|me|him|her|us|them)|hit my head|bleeding|hospital|"
    r"ambulance|(?:car|road) accident|(?:driver|car|bus|we) crashed|assault\w*|harass\w*|"
    r"unsafe|felt in danger)\b")
# A wish about their own booking, order or account ("it would be awesome if you could issue
# separate vouchers for our group flight contract") asks for action on their case, not a
# feature: a reading marked "we will share it with the team" there as treating it as
# feedback.
_OWN_CASE = re.compile(r"(?i)\b(?:my|our) (?:\w+ ){0,2}(?:bookings?|orders?|accounts?|flights?|"
                       r"contracts?|reservations?|bills?|plans?|tickets?|trips?|"
                       r"subscriptions?)\b")
# A question about the customer's own account, order or device ("region change on my Apple
# ID", "upgrading my wife's iPhone") goes to a DM; a general one ("what time does the offer
# end?", "what are you doing about COVID?") is answered here: tune readings marked a DM
# under a general question needless, several times wrong.
_OWN_THING = re.compile(r"(?i)\b(?:my|mine|our|i (?:bought|ordered|booked|paid|purchased|"
                        r"have|had|got|received|recieved))\b")
# A booking or order of their own, so a reference to give ("my flight", "I'm booked in",
# "I'm flying JFK-MEX tomorrow"): a reading marked "what are you trying to book?" to someone
# already booked wrong, and asking a general question ("do you do group bookings?") for one.
_OWN_REFERENCE = re.compile(r"(?i)\b(?:my|our|mine|i booked|we booked|i ordered|we ordered|"
                            r"(?:i'?m|i am|we'?re|we are|i was|we were) "
                            r"(?:booked|flying|travell?ing))\b")
# Locked out of an account, with no sign of having tried the way back in yet: agents whose
# replies readers approved pointed to the account's own recovery ("did you try resetting your
# password?"), and tune readings called "send us the e-mail on your account" there an
# overpromise, so the draft starts at "Forgot password" (`recovery`); so did one under "the
# account got lock out ... he forgot his apple id and its password".
_LOCKED_OUT = re.compile(
    r"(?i)\b(?:hacked|hijacked|compromised|lock(?:ed)? out|lost (?:my |access to my )?account|"
    r"forgot(?:ten)? (?:my |his |her |their |our |the )?(?:\w+ )?(?:id|login|username|"
    r"password)\b|"
    r"(?:can'?t|cannot|couldn'?t|unable to) (?:get (?:back )?into|access|recover|get back) "
    r"(?:my|the) (?:\w+ )?account|(?:can'?t|cannot|couldn'?t|unable to|not able to) "
    r"(?:(?:sign|log) ?(?:in|into|on)|login)(?: to)? (?:my|the) (?:\w+ )?account|lost access)\b")
_TRIED_RECOVERY = re.compile(
    r"(?i)\b(?:recover\w*|reset\w*|forgot password|tried (?:everything|every\w*)|"
    r"(?:changed|change) (?:my |the )?password|got(?:ten)? back in\w*|back into? my account|"
    # A second step that fails (a code to an old number): a password reset does not reach it
    # (a tune reading marked "Forgot password" under a 2FA lock-out as missing the issue).
    r"2fa|two.?factor|(?:two|2).?step|verification|authenticat\w*|backup codes?)\b")
# An account that is not theirs: "I don't even have a Spotify account" under a login alert,
# "someone has signed up using my email address": readings marked "send us the e-mail on your
# account" there wrong (there is no account of theirs).
_NOT_THEIRS = re.compile(
    r"(?i)\b(?:(?:don'?t|do not|never) (?:even )?(?:have|had|made|created|opened|signed up for) "
    r"(?:an?|any) (?:\w+ )?account|(?:signed up|registered|created an? (?:\w+ )?account|opened "
    r"an? (?:\w+ )?account) (?:\w+ ){0,3}(?:using|with) my (?:e-?mail|email|phone|number))")
# Back in already ("I recovered it but my nickname was changed", "I've gotten back in but they
# changed everything"): no recovery steps to point to.
_BACK_IN = re.compile(r"(?i)\b(?:(?:got(?:ten)?|am|i'?m|we'?re) back in\w*|recovered it|"
                      r"i (?:have |'ve )?(?:changed|reset) (?:the|my) password)\b")
# How to change or reset a password: answered, not deferred (a reading preferred the agent's
# pointer to the reset steps over "send us a DM" under "I need help changing my password").
_PASSWORD_HOW = re.compile(r"(?i)\b(?:chang|reset|updat)(?:e|es|ed|ing)? (?:my |the |our |an? )?"
                           r"(?:account |\w+ )?password\b")
# A question about how to reach the brand ("what's the best way to contact a live person?",
# "do you have a customer service dept?", "is this where I report an outage?"): the answer is
# this channel, and saying so answers it (readings preferred the agents' "yes, send us a DM"
# to "we are checking this with the team").
_CONTACT = re.compile(
    r"(?i)\b(?:(?:best way|how (?:do|can|would) (?:i|we)|where (?:do|can) (?:i|we)|"
    r"is there (?:a|any) way) (?:to )?(?:contact|reach|speak (?:to|with)|talk (?:to|with)|"
    r"get (?:hold of|in touch))|"
    r"(?:live|real) (?:person|human|agent)|customer (?:service|support|care) "
    r"(?:dept|department|number|line|team)\b|is this (?:where|the place) (?:i|we|to))")


@dataclass(frozen=True, slots=True)
class Reading:
    """The signs one post holds (see the patterns above)."""

    suggestion: bool
    missed: bool
    hurt: bool
    own: bool
    own_reference: bool
    locked_out: bool
    tried_recovery: bool
    not_a_fan: bool
    asks: bool
    shouting: bool
    concern: bool
    password_how: bool
    contact: bool
    not_theirs: bool
    back_in: bool


# Pure and asked again for the same opening: once per case and wording by the drafter, and
# hundreds of times per sample by `templates check`, one sample a megabyte long.
@lru_cache(maxsize=512)
def read(head: str) -> Reading:
    """The signs in `head`, the opening of a post (its typographic apostrophes read as
    straight ones: the patterns say "can't", phones type "can’t")."""
    head = straight_quotes(head)
    own = bool(_OWN_THING.search(head))
    return Reading(suggestion=(bool(_SUGGESTION.search(head)) and not _OWN_CASE.search(head)
                               and not _WISH_IT_HAD_NOT.search(head)),
                   missed=bool(_MISSED.search(head)),
                   hurt=bool(_HURT.search(head)),
                   own=own,
                   own_reference=bool(_OWN_REFERENCE.search(head)),
                   locked_out=bool(_LOCKED_OUT.search(head)),
                   tried_recovery=bool(_TRIED_RECOVERY.search(head)),
                   not_a_fan=bool(_NOT_A_FAN.search(head)),
                   asks=bool(_ASKS.search(head)),
                   shouting=bool(_SHOUTING.search(head)),
                   concern=bool(_CONCERN.search(head)) and not own,
                   password_how=bool(_PASSWORD_HOW.search(head)),
                   contact=bool(_CONTACT.search(head)),
                   not_theirs=bool(_NOT_THEIRS.search(head)),
                   back_in=bool(_BACK_IN.search(head)))
