"""Re-filling a remembered reply for a new post: details re-filled or their sentence dropped."""

from __future__ import annotations

from monitor.draft.refill import Post, refill, strip_frame

REPLY = ("@jo_smith Hi Jo, sorry your order #NW-48213 is late. Could you DM us your address? "
         "We refunded $45 already. ^JH")
OLD = Post("my order #NW-48213 never came", "@jo_smith", "Jo Smith")


def test_the_frame_goes_handles_first_and_the_agents_sign_off_last() -> None:
    assert strip_frame("@a @b Thanks for waiting. *TMT") == "Thanks for waiting."
    assert strip_frame("@a Sorry about that -Sam") == "Sorry about that"
    assert strip_frame("@a We are on it. ^NK", ("^NK",)) == "We are on it."
    assert strip_frame("Text with no frame at all.") == "Text with no frame at all."


def test_order_number_and_name_come_from_the_new_post_and_an_old_amount_goes() -> None:
    new = Post("order 99812 still not here??", "@sam", "Sam Lee")
    assert refill(REPLY, OLD, new) == ("Hi Sam, sorry your order #99812 is late. "
                                       "Could you DM us your address?")


def test_what_the_new_post_lacks_is_dropped_with_its_sentence() -> None:
    new = Post("my parcel still not here??", "@x", None)
    assert refill(REPLY, OLD, new) == "Could you DM us your address?"


def test_numbers_refill_by_their_word_or_shape_else_the_sentence_goes() -> None:
    old = Post("flight 1403 to Denver delayed 3 hours")
    reply = "@c I am sorry about the delay on flight 1403. Please DM your confirmation number."
    assert refill(reply, old, Post("my flight 2210 delayed again")) == (
        "I am sorry about the delay on flight 2210. Please DM your confirmation number.")
    # Two numbers in the new post: flight 2210 is still the one that follows "flight".
    assert refill(reply, old, Post("flight 2210 delayed 4 hours")) == (
        "I am sorry about the delay on flight 2210. Please DM your confirmation number.")
    # No number at all: that sentence cannot be said.
    assert refill(reply, old, Post("my flight is late again")) == (
        "Please DM your confirmation number.")


def test_places_and_people_from_the_old_post_stay_only_if_the_new_post_names_them() -> None:
    old = Post("stuck in Denver, gate agent Maria was great though")
    reply = "@c So sorry you are stuck in Denver. We will pass your thanks to Maria. Please DM us."
    assert refill(reply, old, Post("stuck at the airport for hours")) == "Please DM us."
    assert refill(reply, old, Post("stuck in Denver for hours")) == (
        "So sorry you are stuck in Denver. Please DM us.")


def test_the_brands_own_words_and_other_tags() -> None:
    old = Post("my Aurora kettle leaks")
    reply = "@c Sorry your Aurora leaks. Our team @northwind_help can look. Please DM us."
    assert refill(reply, old, Post("my Brewmate kettle leaks"),
                  products=("Aurora", "Brewmate")) == "Sorry your Brewmate leaks. Please DM us."
    # A brand word the old post had stays although the new post lacks it.
    assert refill("@c Northwind Care is here for you, DM us.", Post("Northwind help?"),
                  Post("help please"), keep_words=("Northwind",)) == (
        "Northwind Care is here for you, DM us.")


def test_too_little_left_is_none() -> None:
    assert refill("@c Order #A12345 refunded. ^JH", Post("order #A12345 wrong"),
                  Post("wrong item")) is None
    assert refill("@c ^JH", Post("x"), Post("y")) is None


def test_whoever_the_old_reply_addressed_by_name_is_not_addressed_again() -> None:
    old, new = Post("love the safety video"), Post("great safety video")
    assert refill("@c Thanks, William! Glad you enjoyed the video. ^Hel", old, new) == (
        "Thanks! Glad you enjoyed the video.")
    assert refill("@c Hi Katrien, glad you enjoyed the video.", old, new) == (
        "Hi, glad you enjoyed the video.")
    assert refill("@c We're sorry to hear this David, is there something we can do?", old,
                  new) == "We're sorry to hear this, is there something we can do?"
    assert refill("@c April. I am sorry you did not like the video.", old, new) == (
        "I am sorry you did not like the video.")
    assert refill("@c Thanks, William! Glad you enjoyed the video.", old,
                  Post("great safety video", author_name="Ana Lima")) == (
        "Thanks, Ana! Glad you enjoyed the video.")


def test_a_reply_cut_off_mid_sentence_loses_the_fragment() -> None:
    old, new = Post("boarding was a mess"), Post("boarding was a mess again")
    assert refill("@c Sorry about boarding. We'll pass on your comments and", old, new) == (
        "Sorry about boarding.")
    assert refill("@c Sorry about boarding. Let us know if we can help in some way,", old,
                  new) == "Sorry about boarding. Let us know if we can help in some way."


def test_a_sentence_about_something_only_the_old_post_had_goes() -> None:
    old = Post("thanks for letting me change seats")
    new = Post("thanks for sorting it out so quickly")
    assert refill("@c Glad we could help. Enjoy your new seats!", old, new) == (
        "Glad we could help.")


def test_numbers_the_old_post_never_gave_go_unless_everyone_gets_them() -> None:
    old, new = Post("flying for our anniversary"), Post("flying for our anniversary!")
    assert refill("@c Congrats on your 10th anniversary. Enjoy the flight.", old, new) == (
        "Enjoy the flight.")
    assert refill("@c Call us on 1-800-433-7300 any time.", old, new) == (
        "Call us on 1-800-433-7300 any time.")
    assert refill("@c How can I help Sara?", old, new) == "How can I help?"
    assert refill("@c Have a great time in Denver.", Post("flying to Denver"),
                  Post("off to Denver today")) == "Have a great time in Denver."


def test_more_sign_offs_and_names_and_a_reply_that_went_on_in_a_second_tweet() -> None:
    old, new = Post("great safety video"), Post("love the safety video")
    assert refill("@c That's great to hear, Liz! We love it too. ^Alex C", old, new) == (
        "That's great to hear! We love it too.")
    assert refill("@c Thank Rohin. We love it too. ^Amy", old, new) == (
        "Thanks. We love it too.")
    assert refill("@c Thanks for the Love! We love it too.", old, new) == (
        "Thanks for the Love! We love it too.")
    assert refill("@c Glad you like the video. We are working on a new one and 1/2", old,
                  new) == "Glad you like the video."


def test_another_moments_facts_fragments_and_bare_pleasantries_are_not_sent() -> None:
    # From a blind reading of memory drafts, each marked wrong: the weather of another day, a
    # status "at this time", a sentence leaning on one that went, and a reply that is only a
    # greeting once its particulars went.
    old = Post("where is flight 123? stuck at the gate", author="@a")
    new = Post("any news on my flight? still at the gate", author="@b")
    assert refill("@a Our operation has been affected today by the weather in London.",
                  old, new) is None
    assert refill("@a It should be working again at this time.", old, new) is None
    assert refill("@a Flight 123 is boarding now. But all rules apply after that.",
                  old, new) is None
    assert refill("@a Hi, thanks for contacting us. Flight 123 leaves at 6. ^AB",
                  old, new) is None
    assert refill("@a You're welcome.", old, new) is None
    # What is not about the moment stays, and "so sorry" is not a fragment.
    assert refill("@a So sorry for the wait at the gate. Please DM us.", old, new) == \
        "So sorry for the wait at the gate. Please DM us."
