"""Review: the pure state machine (`state`), the actions that apply it (`actions`, `memory`),
and what the faces read and change through the App: the queue's read model (`queries`), the
people who review (`accounts`), the numbers behind /stats (`insights`) and the brand's own
replies (`replies`)."""
