"""The one diagnostic question a fix-request still needs, from what kind of thing the post is
about: a console game, streaming, a computer, a phone, a home connection, mobile signal, a
website, a sign-in, a charge.

Blind readings of our drafts kept saying the same thing of "send us a DM and we will look into
it": generic. The agents' replies that readers approved asked the one question that moves a
fault forward ("which platform are you playing on?", "which model and operating system?",
"what do the router lights show?"), and asking for an *app version* about a keyboard, a TV
picture or a home connection was read as an edit or wrong. So the kind of thing comes first,
and the question is skipped when the post already answers it.

English only: posts in the other drafted languages keep `grounding.need_for`'s details. Pure
tables and functions: no I/O, no state. This module must not decide the label, the topic or
the template; it only picks a question whose words come from its own table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.text import straight_quotes

SCAN_CHARS = 2_000
"""Only a post's first this many characters are read: a question is picked from the opening."""


@dataclass(frozen=True, slots=True)
class Ask:
    """A diagnostic question: `kind` names it (shown in tests and the draft's context), `text`
    is the sentence a template puts before its invitation to DM."""

    kind: str
    text: str
    private: bool = False
    """The answer belongs in a DM (an amount, a date of a charge), never in a public reply."""

    @property
    def beats_app_version(self) -> bool:
        """Whether this question fits better than "which device and app version?" where the
        post also has software words: yes for consoles, TVs, computers, accessories and home
        lines (readings marked an app version asked of them as an edit or wrong); no for a
        phone, a website the post reaches through an app, a sign-in or a charge, where an
        app's version is the right ask (a website with no app: the browser; a reading marked
        "device and app version" asked of "website impossible to navigate" wrong)."""
        return self.kind in _BEATS_APP_VERSION


_BEATS_APP_VERSION = frozenset({"accessory_model", "game_platform", "game_error", "watch_device",
                                "stream_error", "computer_model", "computer_since",
                                "signal_area", "line_check", "site_browser", "battery_device",
                                "battery_since", "symptom"})


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?i)(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")


# Each kind: the words that say the post is about it, the words that say it already gave what
# the question asks, and the question. Checked in this order: the first kind whose words the
# post holds wins, so the narrower kinds come first (a game on a console is a game, not a TV
# problem; Windows on a laptop is a computer, not an app).
_LOST = _words(r"lost", r"left (?:my|a|it)", r"forgot (?:my|a)", "stolen", "theft",
               # Something bought or won that is not there: no error shows, and no device
               # or platform moves it (a reading marked "do you see an error code?" under a
               # game vehicle missing from a garage as wrong).
               r"(?:is|it'?s|its|are|they'?re) (?:not|no longer) (?:in|on|there)",
               r"not in (?:the )?game", r"missing", r"disappeared", r"vanished",
               r"gone from", r"not showing up")
# A process, not a fault to diagnose: a warranty, a repair, a return, a code to redeem. A
# reading marked a model-and-system question under a warranty complaint as a misreading.
_PROCESS = _words("warranty", r"repairs?", "repaired", r"returns?", "returned", "replacement",
                  r"redeem\w*", r"vouchers?", "gift card", r"promo code", r"won (?:a|the)",
                  # A licence to activate: no model or system moves it (a tune reading marked
                  # "which model and operating system?" under an Office key irrelevant).
                  r"(?:activation|product|licen[cs]e) keys?", r"activation codes?",
                  # A refund, another edition, a new machine to install on, goods that came
                  # broken in the box: readings marked "do you see an error code?" and "which
                  # platform?" under each of these wrong.
                  r"refunds?", r"(?:java|bedrock|windows 10|other|another|different) edition",
                  r"(?:on|to) (?:my |this |the |a )?new "
                  r"(?:pc|computer|laptop|phone|console|device|one)",
                  "packaging", r"(?:came|arrived) (?:\w+ )?(?:broken|damaged|cracked|smashed|"
                  r"rattling|open)",
                  # A pre-order not shipped yet ("no label created for my iPhone X yet"): a
                  # reading marked "when did it start ... an update?" there wrong.
                  r"(?:shipping )?label created", r"shipping label", r"pre-?order\w*",
                  r"not (?:been )?shipped",
                  # A journey held up ("stuck on flight 609 ... a computer card tech issue"):
                  # the aircraft's computer is no device of theirs to ask about.
                  "pilot", "boarded", "tarmac", "runway",
                  r"stuck on (?:the |our |a |my )?(?:flight|plane|train)")
_PERIPHERAL = _words("mouse", "headset", r"headphones?", "earbuds", "gamepad", "webcam",
                     r"speakers?", "soundbar", r"controllers?", r"joy-?cons?")
_GAME = _words(r"xbox\w*", "playstation", r"ps[345]", "psn", "nintendo", "switch online",
               "steam", "gamertag", "console", r"games?", "dlc", "gta", "fortnite",
               "minecraft", "realms?", r"cod", "warzone", "fifa", "online play", "multiplayer",
               "season pass", "skins?", r"v-?bucks", "rdr2", "red dead", r"gta ?(?:v|5|online)",
               "shark cards?", "call of duty", "apex", "overwatch", "roblox")
_PLATFORM = _words(r"xbox\w*", "playstation", r"ps[345]", "psn", r"nintendo(?: ?switch)?",
                   "switch", "pc",
                   "steam", "mac", "ios", "android", "iphone", "ipad", "mobile",
                   r"windows(?: ?1[01])?", "java edition", "bedrock", "vita")
# A post to a console maker's own account (@AskPlayStation, @XboxSupport) has named its
# platform: a reading called "which platform are you playing on?" there obvious.
_PLATFORM_HANDLE = re.compile(r"(?i)@\w*(?:xbox|playstation|nintendo|steam)\w*")
_ON_SCREEN = (r"episodes?", r"movies?", r"films?", r"subtitles?", r"captions?", "watching")
_STREAM = _words(r"stream\w*", r"buffer\w*", "playback", *_ON_SCREEN,
                 "smart ?tv", "roku", r"fire ?(?:tv|stick)", "chromecast",
                 "apple tv", "live tv",
                 # Not "my watch" (a reading: "which device are you watching on?" asked of
                 # an Apple Watch was wrong).
                 r"watch (?:a|the|any|this|it|tv|live|anything|shows?|films?|movies?|"
                 r"videos?|episodes?|series)")
# Songs are listened to, and a video editor's playback is not something watched: readings
# marked "which device are you watching on?" under a song download and a multi-cam edit wrong.
_MUSIC = _words(r"songs?", "music", r"playlists?", r"albums?", r"podcasts?", "lyrics")
_EDITING = _words(r"multi-?cam", "timeline", r"sequences?", r"seq'?s", r"render\w*", "editing",
                  "premiere", "final cut", "after effects", "davinci", r"export\w*")
_VIDEO = _words(*_ON_SCREEN, r"shows?", r"videos?", "tv")
_WATCH_DEVICE = _words("roku", r"fire ?(?:tv|stick)", "chromecast", "apple tv", "smart ?tv",
                       r"tv", "iphone", "ipad", "android", "ios", "laptop", "browser", "chrome",
                       "safari", "firefox", "xbox", "playstation", r"ps[345]")
_COMPUTER = _words("laptop", "notebook", r"pc", "computer", "desktop", "macbook", "imac",
                   "keyboard", "touchpad", "trackpad", "touch ?screen", "printer", "monitor",
                   r"windows(?: ?\d+)?", "macos", "chromebook", "bios",
                   # A device driver, not the driver of a car ("my driver broke down, any
                   # tips on a refund?" drew "which model and operating system?").
                   r"(?:graphics|video|audio|sound|printer|usb|wi-?fi|network|display|"
                   r"bluetooth|device|nvidia|amd|intel) drivers?", r"drivers? (?:update|issue)",
                   r"fans?", "hard drive", "ssd")
# An iPhone or iPad keyboard is a phone's (the phone questions), and a post that names its
# system (Windows, iOS 11.1) has given what "which operating system?" asks: the check on
# every draft flagged both as asking again.
_APPLE_MOBILE = _words(r"ios(?: ?\d+(?:\.\d+)*)?", r"ipad ?\w*", r"iphone ?\w*")
_COMPUTER_GIVEN = _words(r"windows(?: ?(?:7|8|10|11|xp))?", r"macos \w+", r"os ?x",
                         r"(?:big sur|monterey|ventura|sonoma|sequoia|catalina|mojave)",
                         r"model", r"serial", r"s/n", r"[a-z]{1,3}\d{2,}[a-z\d-]*",
                         # A named series and number ("OfficeJet 3831", "deskjet 2652"): a tune
                         # reading marked "which model is it?" there as asking again.
                         r"(?:officejet|deskjet|laserjet|envy|pavilion|spectre|omen|elitebook|"
                         r"probook|inspiron|latitude|xps|thinkpad|ideapad|yoga|surface|aspire|"
                         r"zenbook|vivobook|chromebook|macbook (?:air|pro)) ?\w*\d\w*")
# "phone" alone is often a phone *number* (a code sent to it): only "my phone" and the like.
# Not the phone as a way to call ("I can't get through on the phone": a reading marked "which
# phone model is it?" there wrong).
_PHONE = _words("iphone", r"(?<!on )(?<!over )(?<!by )(?:my|the|new|this) phone"
                r"(?! ?(?:number|no|lines?|calls?|support|queue)\b)", "smartphone",
                "android", r"ios ?\d*", "face ?id", "touch ?id", "galaxy", "pixel", "handset")
_MAC = _words("mac", "macbook", r"macbook ?(?:air|pro)", "imac", "mac mini", "macos")
_PHONE_GIVEN = _words(r"iphone ?(?:\d+|x[rs]?|se)(?: ?(?:pro|max|plus|mini))*",
                      r"galaxy ?\w+", r"pixel ?\d\w*", r"ios ?\d+(?:\.\d+)*",
                      r"android ?\d+")
# Only words that mean the mobile network: "text layers", "data" and "calls" in an app's bug
# report drew "roughly where are you?", which a reading called irrelevant.
_MOBILE_SIGNAL = _words("signal", r"[345]g", "lte", "mobile data", "no service", "reception",
                        "coverage", "mast", "dropped calls", "can'?t make calls")
# The line itself; a home connection also by the words any connection's trouble uses.
_LINE_WORDS = (r"internet(?! (?:browser|explorer))", "wifi", "wi-fi", "broadband", "router",
               "modem", "fibre", "fiber", "outage", "ethernet", "landline")
_HOME_LINE = _words(*_LINE_WORDS, "cable", "connection", "download speeds?", "upload speeds?",
                    "speeds?")
# Case matters here: a place is a capitalised word after "in" ("in Croydon", not "at all").
_PLACE_GIVEN = re.compile(r"\b(?:[Ii]n|[Aa]t|[Nn]ear|[Aa]round) [A-Z][a-z]+|\b\d{5}\b|"
                          r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
_WEBSITE = _words("website", "site", "web ?page", "page", "checkout", "browser", "chrome",
                  r"forums?", "cookies", "cache",
                  "safari", "firefox", "edge")
_APP = _words(r"apps?", "application")
# Someone else in the account: not a sign-in fault to diagnose ("I changed the password, will
# that log them out?" got "what message do you see when you try to get in?", marked wrong);
# the account's e-mail by DM is the next step.
_COMPROMISED = _words("hacked", "compromised", r"unauthori[sz]ed",
                      r"someone (?:else )?(?:is |has )?(?:using|used|been using|logged into|"
                      r"accessed|got into|playing on)",
                      r"kick (?:them|him|her|someone|people) out",
                      # Others signing in ("emails about people in the USA logging into my
                      # account"): a tune reading marked "what message do you see when you try
                      # to get in?" there as asking about a sign-in the customer never had.
                      r"(?:someone|somebody|people|strangers|others|\w+s)(?: [\w.]+){0,3} "
                      r"(?:logging|logged|signing|signed) (?:in(?:to)?|on to) my account",
                      # Someone trying to get in, not the customer locked out ("someone from
                      # vietnam is trying to log in", "my account was attempted to signing in"):
                      # a reading marked "what message do you see?" there as a misreading.
                      r"(?:trying|tried|attempt\w*) to (?:log|sign)\w* ?(?:in|on)",
                      r"(?:log|sign)-?in attempts?")
_SIGNING_IN = (r"log ?in", r"logg?ing in", r"sign ?in", r"sign(?:ed|ing) in(?:to)?")
_SAYS_SIGN_IN = _words(*_SIGNING_IN, "login", r"passwords?", "locked out", r"log ?on")
_SIGN_IN = _words(*_SIGNING_IN, "password", "locked out", r"2fa", r"(?:two|2).?step",
                  r"verification", "hacked", r"recover\w*",
                  r"can'?t (?:access|get into|get back into)", "authenticat\\w*")
# The message is given when the post quotes it, names an error ("network error", "BSOD"), or
# says what the screen says ("it just says rockstar services are unavailable"): a reading
# marked "do you see an error code?" after those as asking for what the customer gave.
_ERROR_GIVEN = re.compile(r"(?i)(?:error|code)\s*:?\s*[\w-]*\d|\"[^\"]{6,}\"|“[^”]{6,}”|"
                          r"‘[^’]{6,}’|says\s+\"|says\s+'|https?://|"
                          r"\b(?:says|saying|said|reads|shows|showing|displays|pops up with)\s+"
                          r"(?!(?:that|it|i|you|we|he|she|they|me|so|nothing)\b)[\w'‘“\"$£€]|"
                          r"\b(?:network|server|connection|fatal|unknown|critical|system)"
                          r" errors?\b|\bbsod\b|blue screen|stop ?code|"
                          # What the screen said, in the post's words: "it says it's not
                          # found", "says $59.99" (a reading: "what message do you see?" after
                          # those asks for what the customer gave).
                          r"\b(?:not found|doesn'?t exist|does not exist|invalid|not valid|"
                          r"not recogni[sz]ed)\b|"
                          # What it tells them, reported: "your authentication protocol is
                          # telling me that my password is incorrect", "being told that you
                          # don't recognize my device", "I am told am not providing enough
                          # info" (readings: asked for what was given).
                          r"\b(?:telling me|tells me|being told|told me that|keeps? saying|"
                          r"(?:am|was|were|i'?m|i was|we were|got) told (?:that |i |we |my |"
                          r"it |am )?)\b|"
                          # "it says that wrong email or password": a tune reading marked "do
                          # you see an error code or message?" after it as asking for what the
                          # customer gave. ("I keep getting this message" counts only with its
                          # screenshot's link: without one, readings approved asking for it.)
                          r"\bsays? that (?:the |my |your )?(?:wrong|"
                          r"incorrect|error|unable|failed|denied|expired|unavailable)\b")
# A report of abuse (a phishing page, a scam seller): nothing of the reporter's to diagnose;
# a reading marked "which browser and device?" under a phishing report as a misreading.
_REPORT = _words(r"phishing", r"scam (?:site|page|seller|listing|account)s?", r"malware",
                 r"fake (?:site|page|account|listing)s?", r"impersonat\w*")
# A forgotten password or security answer: there is no message to read, the way back in starts
# from the account's address (a reading called "what message do you see?" irrelevant there).
_FORGOTTEN = _words(r"forgott?(?:en)?", r"(?:don'?t|do not|can'?t|cannot) remember",
                    r"reset (?:my |the )?password")
# A payment that will not go through (a renewal, a card declined): the message it shows says
# why, and card details stay out of a public reply.
_PAYMENT_FAILED = re.compile(
    r"(?i)\b(?:payments?|renewal|card|checkout|subscription|transaction)\b[^.!?\n]{0,40}?"
    r"\b(?:failed|fails|failing|declined|rejected|won'?t go through|didn'?t go through|"
    r"not going through|keeps? failing)\b|"
    r"\b(?:can'?t|cannot|unable to) (?:pay|renew|update my (?:card|payment))\b")
# A reset e-mail or a code that never comes: what they see is nothing, so the account's
# address (by DM) is the next step, not the sign-in message.
_NOT_ARRIVING = _words(r"never (?:arrives?|came|comes)", r"(?:doesn'?t|didn'?t|not|isn'?t) "
                       r"(?:arrive|arriving|come|coming)", r"not (?:receiving|getting)",
                       r"never (?:received|got)",
                       # "i didnt receive any email to restart my password", "there was no
                       # email sent to me" (readings: asked for a message after these).
                       r"(?:didn'?t|did not|haven'?t|have not) (?:receive|get|got)d?",
                       r"no (?:e-?mail|code|text|sms|link) (?:was )?(?:sent|came|arrived)")
# Money taken, not a battery: "the charger case drains" drew "when did the charge go out, and
# for how much?", which a reading marked an edit.
_CHARGE = _words(r"charged", r"charges?", r"charging (?:me|us|my|our|people|customers|for)",
                 r"billed", r"overcharg\w*", r"double.?charg\w*", r"debited", r"deducted")
# A battery's charge ("have to charge it 3 times a day", "even though it's charged").
_BATTERY = _words(r"batter(?:y|ies)", r"chargers?", r"airpods?", "earbuds", r"dies", r"died",
                  r"drains?", r"charge it", r"(?:fully|it'?s|is) charged")
# Software that misbehaves, where the post names no device, system or website to ask about
# ("Premiere has crashed eight times", "every time after closing the settings it goes right
# back", "my only Halloween song won't play"): the agents whose replies readers approved asked
# which device and which version; our drafts invited a DM with nothing to send, which
# readings called generic.
_SOFTWARE_FAULT = _words(r"crash(?:es|ed|ing)?", "froze", r"freez(?:es|ing)", r"stuck",
                         r"won'?t (?:open|load|play|start|launch|work|update|sync)",
                         r"(?:doesn'?t|does not|isn'?t|is not|not) (?:opening|loading|"
                         r"playing|starting|launching|syncing|updating)",
                         r"(?:can'?t|cannot|unable to) (?:open|play|load|launch)",
                         r"goes (?:right )?back to", r"keeps? (?:closing|quitting|restarting|"
                         r"resetting|skipping|pausing|buffering|logging me out)")
# A device's battery, not an accessory's charging case (the AirPods name their device).
_BATTERY_ITSELF = _words(r"batter(?:y|ies)", r"(?:won'?t|doesn'?t) (?:hold a )?charge")
_ACCESSORY_CHARGE = _words(r"air ?pods?", "earbuds", r"(?:charg\w+ )?case", r"chargers?")
# A device named with no fault ("I'm having issues with my phone so can you @ me"): a tune
# reading marked "which phone model and software version?" there as asking before knowing the
# problem; what is happening comes first.
_VAGUE = _words(r"(?:issues?|problems?|trouble|something wrong) with (?:my|the|this) "
                r"(?:new |old )?(?:phone|iphone|ipad|tablet|laptop|computer|pc|mac|macbook|"
                r"device)")
_SYMPTOM = _words(r"\w+n'?t", "not", "never", r"broke\w*", r"crack\w*", r"screens?", r"keeps?",
                  r"stopp?\w*", "dead", "slow", r"overheat\w*", r"charg\w*", r"batter\w*",
                  r"sound", r"camera", r"button", r"update\w*", r"error", r"crash\w*", r"freez\w*",
                  r"froze", "stuck", "black", "blank", "no", "loud", r"nois\w*", "hot",
                  r"fans?", r"heat\w*", "wifi", "bluetooth", r"speakers?", r"mic\w*")
# A creator's own channel or stream: nothing is being watched on a device ("emails saying
# 'now live on your channel' when I'm not streaming" drew "which device are you watching on?",
# marked wrong by a tune reading).
_CREATOR = _words(r"my (?:channel|videos?|uploads?|streams?|subscribers|viewers|content)",
                  r"i'?m not streaming")
# The line itself, not an app's connection error ("installer stuck at 3%, 'network connection
# failed', error code #1006" drew the router-lights question, marked wrong by a tune reading).
_LINE_ITSELF = _words(*_LINE_WORDS)
# The address on the account is what they lost ("I have forgotten the email and password"):
# asking them to DM it asks for what they said they do not have (a tune reading).
_EMAIL_UNKNOWN = _words(r"(?:forgott?(?:en)?|(?:don'?t|do not) (?:know|remember)|can'?t remember"
                        r"|lost access to)(?:[\s.,:]+(?!passwords?\b)[\w']+){0,8}?[\s.,:]+e-?mail"
                        r"(?! (?:address )?(?:is|was)\b)",
                        r"(?:which|what) e-?mail (?:\w+ ){0,3}(?:used|is it|it was)",
                        # "no idea what the login/email is for it"
                        r"no idea (?:what|which) (?:the |my )?(?:login|username|e-?mail)")
_VERSION_GIVEN = re.compile(r"(?i)\bv?\d+\.\d+(?:\.\d+)*\b|\bversion\b|\blatest update\b")
_CHARGE_GIVEN = re.compile(r"[$£€₹]\s?\d|\d\s?(?:usd|eur|gbp|dollars|pounds|euros|rs|inr|"
                           r"ksh)\b", re.IGNORECASE)


# An update the post already names ("since the iOS 11.1 update", "after updating"), or when it
# began ("since 2015", "for three days"): a tune reading marked "when did it start, and did
# anything change just before, such as an update?" as asking what the customer said, four
# times in 100.
_UPDATE_SAID = _words(r"updat(?:e|es|ed|ing)", r"upgrad(?:e|es|ed|ing)", r"new (?:ios|version)",
                      r"reinstall\w*", r"restor(?:e|ed|ing)")
_START_SAID = _words(r"since (?:\d+|yesterday|last \w+|this \w+|then|the \w+|my \w+)",
                     r"for (?:\d+|a|an|two|three|four|five|several|a few|the past|the last) "
                     r"(?:\w+ )?(?:days?|weeks?|months?|hours?|years?)", "yesterday",
                     "this morning", "last night", r"\w+ ago", r"all (?:day|week)")


def _since(kind: str, head: str) -> Ask | None:
    """When it started and what changed before it, minus what the post already says."""
    if _UPDATE_SAID.search(head):
        return None
    if _START_SAID.search(head):
        return Ask(kind, "Did anything change just before it started, such as an update?")
    return Ask(kind, "When did it start, and did anything change just before, such as an "
                     "update?")


def error_given(text: str) -> bool:
    """Whether the post quotes or shows the message it gets ("it says files required to play
    could not be downloaded"): then the fault is that message, not a lost password."""
    return bool(_ERROR_GIVEN.search(straight_quotes(text[:SCAN_CHARS])))


def nothing_to_diagnose(text: str) -> bool:
    """Lost property, a process (warranty, return, a code) or a report of abuse: no device,
    version or message moves it (a tune reading marked "which app version?" under a lost phone
    wrong)."""
    head = straight_quotes(text[:SCAN_CHARS])
    return bool(_LOST.search(head) or _PROCESS.search(head) or _REPORT.search(head))


def ask_for(text: str, *, device: str | None = None) -> Ask | None:
    """The one question this fix-request's post still needs answered, or None when it names
    nothing we have a question for (the template then invites a DM without one). `device` is
    the device the post already names (`details.find_details`), never asked for again."""
    head = straight_quotes(text[:SCAN_CHARS])
    if nothing_to_diagnose(head):
        return None  # lost property, a warranty, a code: a model or an error moves nothing
    if _PERIPHERAL.search(head) and not _PLATFORM.search(head):
        return Ask("accessory_model", "Which model is it?")
    if _GAME.search(head):
        if _PLATFORM.search(head) or _PLATFORM_HANDLE.search(head):
            if _ERROR_GIVEN.search(head):
                return None
            return Ask("game_error", "Do you see an error code or message when it happens?")
        return Ask("game_platform", "Which platform are you playing on?")
    if _STREAM.search(head) and not _CREATOR.search(head) and not _EDITING.search(head):
        if _WATCH_DEVICE.search(head):
            if _ERROR_GIVEN.search(head):
                return None
            return Ask("stream_error", "Do you see an error code or message when it happens?")
        if _MUSIC.search(head) and not _VIDEO.search(head):
            return Ask("listen_device", "Which device are you listening on?")
        return Ask("watch_device", "Which device are you watching on?")
    if ((_COMPUTER.search(head) or _PHONE.search(head)) and _VAGUE.search(head)
            and not _SYMPTOM.search(head)):
        return Ask("symptom", "What is happening with it, exactly?")
    if _COMPUTER.search(head) and not _APPLE_MOBILE.search(head):
        if _COMPUTER_GIVEN.search(head):
            return _since("computer_since", head)
        if _MAC.search(head):
            return Ask("computer_model", "Which Mac is it, and which version of macOS is it "
                                         "running?")
        return Ask("computer_model", "Which model is it, and which operating system is it "
                                     "running?")
    if _PHONE.search(head):
        if device or _PHONE_GIVEN.search(head):
            return _since("phone_since", head)
        return Ask("phone_model", "Which phone model is it, and which software version is it "
                                  "on?")
    if _BATTERY_ITSELF.search(head) and not _ACCESSORY_CHARGE.search(head):
        # A battery on no named device: which device first (an app version asked about a
        # battery was marked irrelevant by a tune reading).
        if device:
            return _since("battery_since", head)
        if _VERSION_GIVEN.search(head) or _UPDATE_SAID.search(head):
            return Ask("battery_device", "Which device is it?")
        return Ask("battery_device", "Which device is it, and which software version is it "
                                     "on?")
    if _COMPROMISED.search(head):
        return None
    if _EMAIL_UNKNOWN.search(head) and _SIGN_IN.search(head):
        return Ask("account_username", "Which username was on the account, and roughly when "
                                       "did you last get in?")
    if _SIGN_IN.search(head):
        if _ERROR_GIVEN.search(head) or _NOT_ARRIVING.search(head) or _FORGOTTEN.search(head):
            # The message, the e-mail that never comes, or a forgotten password: the account
            # is next.
            return None
        # The password warning only where the post speaks of signing in: elsewhere
        # ("recover my email") the never-invent check reads "password" as a new problem.
        warning = " Please never share your password." if _SAYS_SIGN_IN.search(head) else ""
        return Ask("sign_in_message", "What message do you see when you try to get in?"
                   + warning)
    if _MOBILE_SIGNAL.search(head) and not _HOME_LINE.search(head):
        if _PLACE_GIVEN.search(head):
            return None
        return Ask("signal_area", "Roughly where are you? A town or area is enough for us to "
                                  "check the network there.")
    if _HOME_LINE.search(head):
        if _ERROR_GIVEN.search(head) and not _LINE_ITSELF.search(head):
            return None  # an app's own connection error, quoted: nothing about the line
        return Ask("line_check", "Is it every device or just one, and what do the lights on "
                                 "the router show?")
    if _WEBSITE.search(head):
        return Ask("browser" if _APP.search(head) else "site_browser",
                   "Which browser and device are you using, and what do you see on the screen?")
    if _PAYMENT_FAILED.search(head):
        if _ERROR_GIVEN.search(head):
            return None
        return Ask("payment_message", "What message do you see when it fails? Please keep card "
                                      "details out of it.")
    if _CHARGE.search(head) and not _BATTERY.search(head):
        if _CHARGE_GIVEN.search(head):
            return Ask("charge_date", "When did the charge go out?", private=True)
        return Ask("charge_amount", "When did the charge go out, and for how much?",
                   private=True)
    if _SOFTWARE_FAULT.search(head) and not _ERROR_GIVEN.search(head):
        if device or _VERSION_GIVEN.search(head):
            return _since("software_since", head)
        return Ask("software_device", "Which device is it happening on, and which version "
                                      "are you running?")
    return None
