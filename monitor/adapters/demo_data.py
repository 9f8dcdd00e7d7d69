"""The bundled demo feed's content: mentions of the fictional brand Northwind Kettles.

Northwind Kettles (@northwindkettles) sells smart kettles and coffee gear, runs a mobile app
with account login, a "Descale Club" subscription for descaler and filters, ships orders with
the (equally fictional) courier Parcelly, and keeps a status page. Every post, person and
handle below was written for this project; none is copied from a dataset or a real account.

This module is data only: no I/O, no clock, no randomness. Times are minutes before the
newest post, so the adapter can place the whole feed relative to "now" while ids stay stable.
`intent`, `topic` and `tags` are the project's own labels, for tests and demos; the
classifier must never read them. Intents follow the five-label rubric
(tests/data/other_brands_rubric.md): a problem that is still open is a fix-request however
sarcastic or fed up the post ("great job losing my parcel AGAIN"), and praise around an open
problem is one too.
"""

from __future__ import annotations

from dataclasses import dataclass

NETWORKS: tuple[str, ...] = ("mastodon", "bluesky", "reddit", "x")
INTENTS: tuple[str, ...] = ("fix_request", "venting", "question", "praise", "neutral")
HARD_CASES: tuple[str, ...] = (
    "sarcasm",
    "no_question_mark",
    "mixed",
    "non_english",
    "long",
    "order_number",
    "third_party",
    "emoji",
    "brand_account",
    "follow_up",
)
"""Tags marking the posts that are hard on purpose; `tags` only ever uses these."""


@dataclass(frozen=True, slots=True)
class DemoPost:
    """One demo mention as written: the network it pretends to come from and its author."""

    id: str
    network: str
    handle: str
    name: str
    followers: int
    minutes_ago: int
    intent: str
    topic: str
    text: str
    lang: str = "en"
    tags: tuple[str, ...] = ()
    reply_to: str | None = None


_LONG_REDDIT_POST = (
    "Long post, sorry, but I've run out of ideas and I'm hoping someone from Northwind reads "
    "this sub. Back in June I bought the Northwind Aria smart kettle (the 1.7 L one in slate "
    "grey) after a friend raved about it. For about four months it was genuinely great: boils "
    "fast, the temperature presets are spot on for my oolong, and the app schedule meant the "
    "kettle was ready when I came downstairs. Then in October it started cutting out a few "
    "seconds after I pressed the button. Not every time, maybe one boil in five, then one in "
    "two, and now it barely manages a full boil without the ring flashing amber and the whole "
    "thing switching off. I descaled it with the Descale Club sachets (I'm a subscriber, so "
    "it's had the official stuff every month), reset it to factory settings, unpaired and "
    "re-paired it in the app, tried a different socket, tried it with the app deleted entirely. "
    "Same behaviour. So I went to book a repair. The repair page on the website asks for the "
    "serial number, which is printed on a sticker under the base that has partly worn off from "
    "sitting on a damp worktop, so the form rejects it. The app has a 'Get help' button that "
    "opens a chat which tells me an agent will be with me shortly and then, after forty "
    "minutes, closes itself. I emailed support on the 3rd and got an automatic reply with a "
    "case number (NW-C-77120) and nothing since. I rang the phone line twice; the first time I "
    "was cut off after twenty minutes on hold, the second time a very kind person said she "
    "would escalate it and someone would call me within two working days. That was nine days "
    "ago. I'm not after a refund or anything dramatic. The kettle is still under its two-year "
    "warranty and I'd honestly be happy with a repair or a replacement. I just need someone to "
    "tell me how to actually get the repair booked when the serial sticker is unreadable, "
    "whether the order number from my confirmation email (#NW-39804) is enough instead, and who "
    "I should be talking to now that the email and the phone line have both gone quiet. Has "
    "anyone here been through the warranty process with them and got anywhere? Any tips on "
    "who to contact would be really appreciated. Meanwhile I'm boiling water in a saucepan "
    "like it's 1850."
)

POSTS: tuple[DemoPost, ...] = (
    # id, network, handle, display name, followers, minutes before the newest post,
    # intent, topic, text, then language, hard-case tags and the post it answers.
    DemoPost(
        "nw-001", "x", "@danny_okafor", "Danny Okafor", 412, 4310, "fix_request", "delivery",
        "@northwindkettles ordered the Aria kettle on the 14th and tracking has said 'out for "
        "delivery' for three days. Order #NW-48213. Can someone check where it actually is?",
        tags=("order_number",),
    ),
    DemoPost(
        "nw-002", "mastodon", "@ruthwynn@mastodon.social", "Ruth Wynn", 890, 4275, "praise",
        "product",
        "Six months with my Northwind Aria and it still boils in under two minutes. The "
        "keep-warm at 80°C for green tea is the feature I didn't know I needed. Lovely bit of "
        "kit.",
    ),
    DemoPost(
        "nw-003", "bluesky", "marcoliveira.bsky.social", "Marco Oliveira", 233, 4230, "venting",
        "service",
        "Genuinely the worst customer experience I've had in years. Northwind Kettles, you "
        "should be embarrassed. Never again.",
    ),
    DemoPost(
        "nw-004", "reddit", "u/hardwater_harriet", "hardwater_harriet", 1204, 4190, "neutral",
        "product",
        "Anyone compared the Northwind Aria with the Fellow Stagg EKG? Thinking about upgrading "
        "from a basic gooseneck and I mostly brew pour-over.",
    ),
    DemoPost(
        "nw-005", "x", "@priya_makes_tea", "Priya Nair", 2310, 4120, "fix_request", "billing",
        "@northwindkettles I've been charged twice for order #NW-50977, £139.99 went out on "
        "Monday and again on Tuesday. Can one of them be refunded please?",
        tags=("order_number",),
    ),
    DemoPost(
        "nw-006", "mastodon", "@tomasz@fosstodon.org", "Tomasz Wójcik", 3420, 4065, "neutral",
        "other",
        "Still using the Northwind sample database to teach SQL joins in 2026. Some things "
        "never change, and honestly that's fine.",
    ),
    DemoPost(
        "nw-007", "bluesky", "lenaschulz.bsky.social", "Lena Schulz", 178, 4010, "fix_request",
        "product",
        "@northwindkettles Mein Aria-Wasserkocher schaltet sich nach zehn Sekunden ab und der "
        "Ring blinkt rot. Die Garantie läuft noch – wie bekomme ich einen Ersatz?",
        lang="de", tags=("non_english",),
    ),
    DemoPost(
        "nw-008", "x", "@kettlebellkev", "Kevin Doyle", 96, 3950, "fix_request", "delivery",
        "great job losing my parcel AGAIN @northwindkettles 👏👏 truly world class logistics",
        tags=("sarcasm", "emoji"),
    ),
    DemoPost(
        "nw-009", "reddit", "u/slow_drip_sam", "slow_drip_sam", 57, 3890, "fix_request",
        "account",
        "Northwind app keeps telling me my password is incorrect even straight after a reset. "
        "Need someone to sort my account out, I can't schedule anything",
        tags=("no_question_mark",),
    ),
    DemoPost(
        "nw-010", "mastodon", "@bea@hachyderm.io", "Bea Lindqvist", 5120, 3840, "praise",
        "service",
        "Shout-out to Priya on the Northwind Kettles support chat, who sorted my replacement "
        "lid in about ten minutes without making me jump through hoops. That's how it's done.",
    ),
    DemoPost(
        "nw-011", "x", "@jwhitfield", "James Whitfield", 1530, 3785, "fix_request", "delivery",
        "@ParcellyUK @northwindkettles your driver left my kettle in the recycling bin and "
        "marked it 'handed to resident'. Order #NW-51102. Who is sorting this out?",
        tags=("third_party", "order_number"),
    ),
    DemoPost(
        "nw-012", "bluesky", "ameliarose.bsky.social", "Amelia Rose", 4410, 3720, "praise",
        "product",
        "The Northwind app update finally lets me schedule the kettle for 6:45am. Mornings "
        "sorted ☕✨",
        tags=("emoji",),
    ),
    DemoPost(
        "nw-013", "reddit", "u/grindnerd", "grindnerd", 812, 3660, "fix_request", "product",
        "The lid hinge on my Northwind Aria snapped after three weeks of normal use. Is that "
        "covered by the warranty or am I looking at buying a whole new kettle?",
    ),
    DemoPost(
        "nw-014", "x", "@sophie_ng", "Sophie Ng", 288, 3610, "venting", "service",
        "3 emails, 0 replies. Brilliant work, Northwind Kettles. Really feeling valued here.",
        tags=("sarcasm",),
    ),
    DemoPost(
        "nw-015", "mastodon", "@news@kitchentechdaily.social", "Kitchen Tech Daily", 48200,
        3555, "neutral", "other",
        "UK smart kitchen appliance sales rose 12% this year, with Northwind Kettles among "
        "three brands leading the connected-kettle segment, according to a new retail survey.",
    ),
    DemoPost(
        "nw-016", "bluesky", "raj-patel.bsky.social", "Raj Patel", 610, 3500, "fix_request",
        "account",
        "Password reset emails from Northwind never arrive. Checked spam, checked promotions, "
        "tried twice today. Is there another way to get back into my account?",
    ),
    DemoPost(
        "nw-017", "x", "@lucia_bcn", "Lucía Fernández", 1875, 3440, "venting", "billing",
        "Tercera vez que Northwind me cobra dos veces el mismo pedido. Qué vergüenza de "
        "atención al cliente. #fail",
        lang="es", tags=("non_english",),
    ),
    DemoPost(
        "nw-018", "reddit", "u/brewing_in_bristol", "brewing_in_bristol", 143, 3380, "fix_request",
        "product",
        "Love my new Northwind Brewline grinder, best coffee I've made at home. Only gripe: the "
        "app still won't pair with it over Bluetooth so I set the grind by hand. Otherwise 10/10.",
        tags=("mixed",),
    ),
    DemoPost(
        "nw-019", "mastodon", "@ollie@mas.to", "Ollie Grant", 322, 3320, "fix_request",
        "outage",
        "Is the Northwind app down for anyone else? Can't start my kettle from my phone and "
        "the app just spins on the home screen.",
    ),
    DemoPost(
        "nw-020", "x", "@claire_b_mcr", "Claire Bennett", 764, 3270, "venting", "product",
        "£140 for a kettle that beeps at me like a smoke alarm every single morning. Who "
        "designed this, @northwindkettles? 🙄",
        tags=("emoji",),
    ),
    DemoPost(
        "nw-021", "bluesky", "deano.bsky.social", "Dean Matthews", 91, 3215, "neutral",
        "other",
        "My flatmate's Northwind kettle plays a little tune when it boils and I have so many "
        "questions about the people who live in this house.",
    ),
    DemoPost(
        "nw-022", "reddit", "u/descale_dave", "descale_dave", 2044, 3150, "fix_request",
        "billing",
        "My Descale Club subscription renewed on the 1st even though I cancelled it in the app "
        "in October (I have the confirmation email). How do I get that £18 back?",
    ),
    DemoPost(
        "nw-023", "x", "@northwindkettles", "Northwind Kettles", 28400, 3100, "neutral",
        "outage",
        "We're looking into reports that some of you can't log in to the Northwind app. "
        "Updates on status.northwind.example as we have them.",
        tags=("brand_account",),
    ),
    DemoPost(
        "nw-024", "mastodon", "@hana@mastodon.social", "Hana Kobayashi", 1411, 3060,
        "fix_request", "booking",
        "@northwindkettles@mastodon.social how do I book a repair for my Aria? The returns form "
        "on your site throws an error on the last step every time.",
    ),
    DemoPost(
        "nw-025", "bluesky", "gemmawrites.bsky.social", "Gemma Hart", 9820, 3010, "praise",
        "delivery",
        "Northwind parcel turned up a day early, beautifully packed, and the courier actually "
        "knocked. Who are these people.",
    ),
    DemoPost(
        "nw-026", "x", "@stu_lomax", "Stuart Lomax", 45, 2960, "venting", "service",
        "Waited 40 minutes on hold to be told to turn it off and on again. Absolute clowns "
        "@northwindkettles",
    ),
    DemoPost(
        "nw-027", "reddit", "u/teapot_tariq", "teapot_tariq", 377, 2905, "fix_request",
        "product",
        "Northwind Aria is leaking from the base onto the worktop, only when it's more than "
        "half full. Eleven months old. Has anyone had this fixed under warranty?",
    ),
    DemoPost(
        "nw-028", "mastodon", "@fionamc@glasgow.social", "Fiona McLeod", 256, 2850, "neutral",
        "other",
        "Anyone know a good bakery near Northwind Street? Visiting Leeds next weekend and I "
        "need cinnamon buns.",
    ),
    DemoPost(
        "nw-029", "x", "@alex_r_codes", "Alex Romero", 3302, 2790, "fix_request", "account",
        "@northwindkettles someone changed the email on my account and placed an order I "
        "didn't make. Please lock it and call me, this is urgent",
        tags=("no_question_mark",),
    ),
    DemoPost(
        "nw-030", "bluesky", "nina-k.bsky.social", "Nina Kowalski", 702, 2740, "venting",
        "outage",
        "I hate that my kettle needs an app update before it will boil water. What timeline "
        "is this. Thanks, Northwind.",
    ),
    DemoPost(
        "nw-031", "reddit", "u/mornings_are_hard", "mornings_are_hard", 19, 2680, "fix_request",
        "outage",
        "App has been down for over an hour and the Northwind status page says all systems "
        "operational. Can someone confirm whether there's an outage or if it's just me?",
    ),
    DemoPost(
        "nw-032", "mastodon", "@kai@social.coop", "Kai Moreno", 1120, 2620, "praise", "booking",
        "Returned my Northwind grinder with zero hassle: booked the collection in the app, "
        "courier came next morning, refund two days later. That's how it should work.",
    ),
    DemoPost(
        "nw-033", "x", "@wendy_h", "Wendy Harris", 133, 2570, "fix_request", "delivery",
        "@northwindkettles tracking says delivered but there's nothing here, neighbours "
        "haven't got it either. Order #NW-52240, what happens now?",
        tags=("order_number",),
    ),
    DemoPost(
        "nw-034", "bluesky", "theo.bsky.social", "Theo Adeyemi", 2890, 2505, "neutral", "other",
        "Northwind Kettles is hiring firmware engineers in Manchester, in case anyone's looking. "
        "Not affiliated, just saw the post.",
    ),
    DemoPost(
        "nw-035", "reddit", "u/cafe_corner_cath", "cafe_corner_cath", 640, 2450, "venting",
        "delivery",
        "Never again. Kettle arrived dented, replacement arrived dented. Going back to a £20 "
        "supermarket one that at least survives the trip. #fail",
    ),
    DemoPost(
        "nw-036", "x", "@dr_mira", "Dr Mira Shah", 15600, 2390, "praise", "service",
        "Came for the kettle, stayed for the customer service 🫶 thank you @northwindkettles "
        "for sorting my wrong-colour order so kindly.",
        tags=("emoji",),
    ),
    DemoPost(
        "nw-037", "mastodon", "@pete@mastodon.online", "Pete Sutherland", 74, 2330,
        "fix_request", "service",
        "Rang Northwind support twice today and got cut off both times after twenty minutes. "
        "Can somebody call me back about case NW-C-80417?",
    ),
    DemoPost(
        "nw-038", "bluesky", "jo-ellis.bsky.social", "Jo Ellis", 410, 2280, "fix_request",
        "product",
        "Descale Club sent the size 01 paper filters again when my subscription is for size 02 "
        "for the Northwind pour-over. Third month running. Can that be fixed?",
    ),
    DemoPost(
        "nw-039", "x", "@gav_on_tour", "Gavin Price", 5030, 2225, "venting", "outage",
        "honestly @northwindkettles your app is garbage. crashes every time I open it. "
        "a KETTLE app. crashing.",
    ),
    DemoPost(
        "nw-040", "reddit", "u/leafandbean", "leafandbean", 9210, 2170, "question", "product",
        "Is it worth descaling with citric acid instead of the Northwind sachets, or does it "
        "void anything? Hard water area, kettle is about a year old.",
    ),
    DemoPost(
        "nw-041", "mastodon", "@ines@mastodon.social", "Inês Carvalho", 1980, 2110, "praise",
        "billing",
        "The Northwind Descale Club is honestly a life hack if you live somewhere with hard "
        "water. Sachets and filters just turn up and I never think about it.",
    ),
    DemoPost(
        "nw-042", "x", "@danny_okafor", "Danny Okafor", 412, 2050, "fix_request", "delivery",
        "Day 5 and still nothing on #NW-48213. Thanks for nothing @northwindkettles",
        tags=("follow_up", "order_number"),
        reply_to="nw-001",
    ),
    DemoPost(
        "nw-043", "bluesky", "helen-b.bsky.social", "Helen Brooks", 355, 1990, "fix_request",
        "booking",
        "Need to arrange a return for the Brewline grinder, it grinds unevenly. Please let me "
        "know which days Parcelly can collect from a flat with no concierge",
        tags=("no_question_mark",),
    ),
    DemoPost(
        "nw-044", "reddit", "u/throwaway_kettle26", "throwaway_kettle26", 3,
        1930, "fix_request", "product",
        _LONG_REDDIT_POST,
        tags=("long", "order_number"),
    ),
    DemoPost(
        "nw-045", "x", "@marta_es", "Marta Gil", 640, 1870, "praise", "product",
        "La tetera Northwind es preciosa y calienta rapidísimo. El mejor regalo de cumpleaños "
        "☕💛",
        lang="es", tags=("non_english", "emoji"),
    ),
    DemoPost(
        "nw-046", "mastodon", "@sam@hachyderm.io", "Sam Okoye", 2740, 1810, "fix_request",
        "outage",
        "Northwind app: every login attempt since about 7am gives 'service unavailable (503)'. "
        "Is there an incident, and is there an ETA?",
    ),
    DemoPost(
        "nw-047", "bluesky", "lewis-t.bsky.social", "Lewis Turner", 128, 1750, "venting",
        "service",
        "Northwind Kettles customer service is a joke. Chatbot, then a form, then silence. "
        "#fail",
    ),
    DemoPost(
        "nw-048", "x", "@oatmilk_olivia", "Olivia Chen", 8900, 1690, "neutral", "other",
        "Made tea in my nan's 1970s kettle today, the kind that sounds like a steam train. No "
        "app, no Bluetooth, no Northwind subscription. Still works.",
    ),
    DemoPost(
        "nw-049", "reddit", "u/refund_pending", "refund_pending", 66, 1630, "fix_request",
        "billing",
        "Returned my Northwind kettle 14 days ago, Parcelly shows it delivered back to them, "
        "and the refund still isn't in my account. What's the hold-up?",
    ),
    DemoPost(
        "nw-050", "mastodon", "@yusuf@mastodon.social", "Yusuf Demir", 517, 1570, "fix_request",
        "account",
        "Since the last Northwind app update I'm stuck in a 'session expired, please log in' "
        "loop. Log in, it works for a second, then straight back out. Any fix?",
    ),
    DemoPost(
        "nw-051", "x", "@baristabecca", "Rebecca Lowe", 22100, 1510, "praise", "product",
        "Honest review after a month: the Northwind Aria holds temperature within a degree, "
        "which is better than kettles twice the price. Recommended for pour-over people.",
    ),
    DemoPost(
        "nw-052", "bluesky", "matt-h.bsky.social", "Matt Hughes", 240, 1450, "fix_request",
        "billing",
        "Charged me for a kettle, charged me again for the 'replacement' of the same kettle, "
        "and now wants me to prove it. Done with @northwindkettles.",
    ),
    DemoPost(
        "nw-053", "reddit", "u/popup_pilgrim", "popup_pilgrim", 431, 1390, "question", "other",
        "What time does the Northwind pop-up at Spitalfields open on Saturday? Want to see the "
        "new grinder before I decide.",
    ),
    DemoPost(
        "nw-054", "x", "@chris_v", "Chris Vance", 310, 1320, "fix_request", "service",
        "@northwindkettles your driver was rude to my elderly dad and refused to carry the box "
        "to the door. He's 84. Who do I speak to about this?",
    ),
    DemoPost(
        "nw-055", "mastodon", "@anouk@mastodon.nl", "Anouk de Vries", 890, 1250, "praise",
        "delivery",
        "Mijn Northwind-waterkoker was binnen een dag in Utrecht, keurig verpakt. Top service!",
        lang="nl", tags=("non_english",),
    ),
    DemoPost(
        "nw-056", "bluesky", "ellie-mae.bsky.social", "Ellie-Mae Ward", 67, 1180, "venting",
        "product",
        "Third Northwind kettle in a year. THIRD. I'm not even angry any more, just tired 😩",
        tags=("emoji",),
    ),
    DemoPost(
        "nw-057", "reddit", "u/quiet_brewer", "quiet_brewer", 28, 1110, "question", "product",
        "Does the Northwind Aria work on 120V? Moving to Toronto next year and deciding "
        "whether to sell it or take it with me.",
    ),
    DemoPost(
        "nw-058", "x", "@ben_o", "Ben Osei", 1260, 1030, "fix_request", "billing",
        "@northwindkettles I was charged twice for my Descale Club renewal this month. Please "
        "refund the duplicate payment",
        tags=("no_question_mark",),
    ),
    DemoPost(
        "nw-059", "mastodon", "@carla@mastodon.scot", "Carla Innes", 402, 950, "praise",
        "delivery",
        "Kettle is gorgeous and boils beautifully, well done Northwind. Shame it sat in a "
        "Parcelly depot for a week before anyone told me it existed, but worth the wait.",
        tags=("mixed",),
    ),
    DemoPost(
        "nw-060", "bluesky", "zoe-f.bsky.social", "Zoe Fraser", 1890, 870, "neutral", "other",
        "Northwind Kettles has just launched a gooseneck in sage green and the group chat has "
        "opinions.",
    ),
    DemoPost(
        "nw-061", "x", "@tired_tom", "Tom Reilly", 77, 780, "fix_request", "outage",
        "@northwindkettles app AND website both down for me 🔥 can't even see my orders. "
        "What's going on?",
        tags=("emoji",),
    ),
    DemoPost(
        "nw-062", "reddit", "u/mila_makes", "mila_makes", 505, 690, "venting", "account",
        "Locked out of my own kettle because of a 'security update'. I just want a cup of tea, "
        "not a two-factor code. Worst smart-home purchase I've made.",
    ),
    DemoPost(
        "nw-063", "mastodon", "@jonas@chaos.social", "Jonas Weber", 3100, 590, "venting",
        "service",
        "Drei Wochen auf eine Antwort vom Northwind-Support gewartet. Nie wieder.",
        lang="de", tags=("non_english",),
    ),
    DemoPost(
        "nw-064", "bluesky", "aisha-m.bsky.social", "Aisha Malik", 1340, 480, "fix_request",
        "booking",
        "Booked a Northwind repair collection for Thursday and nobody turned up. Can I get it "
        "rebooked for the weekend? Booking ref NW-R-2291.",
    ),
    DemoPost(
        "nw-065", "x", "@grumpy_greg", "Greg Doyle", 12, 400, "fix_request", "delivery",
        "Oh fantastic, @northwindkettles has 'delivered' my kettle to an address in a "
        "different city. Love that for me.",
        tags=("sarcasm",),
    ),
    DemoPost(
        "nw-066", "mastodon", "@lotte@mastodon.social", "Lotte Jansen", 660, 300, "praise",
        "service",
        "Northwind support phoned me back exactly when they said they would and posted a new "
        "base unit the same day. Genuinely impressed.",
    ),
    DemoPost(
        "nw-067", "reddit", "u/data_dan", "data_dan", 212, 210, "neutral", "other",
        "Podcast rec: this week's episode on hardware startups has a good segment on how "
        "Northwind got its kettles certified for the EU. Worth a listen.",
    ),
    DemoPost(
        "nw-068", "bluesky", "kim-lee.bsky.social", "Kim Lee", 930, 130, "fix_request",
        "delivery",
        "Northwind order #NW-53318 says 'label created' for six days now. Has it actually been "
        "sent? I need it before my mum's birthday on Friday.",
        tags=("order_number",),
    ),
    DemoPost(
        "nw-069", "x", "@hannah_j", "Hannah Jones", 2050, 60, "praise", "product",
        "The Northwind Aria's tea presets are a game changer for someone who has been "
        "scalding green tea for 15 years. Thank you @northwindkettles ✨",
        tags=("emoji",),
    ),
    DemoPost(
        "nw-070", "mastodon", "@rob@mas.to", "Rob Ahmed", 188, 0, "fix_request", "account",
        "Can't add my second Northwind kettle to my account, app says 'device already "
        "registered' but it's brand new out of the box. Who can reset that?",
    ),
)
