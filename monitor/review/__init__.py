"""Review: the pure state machine (`state`) and the actions that apply it (`actions`)."""
