"""Review: the pure state machine (`state`), the actions that apply it (`actions`) and the
queue's read model (`queries`)."""
