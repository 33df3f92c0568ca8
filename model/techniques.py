"""The three techniques Slant shows, and what each one means (shown in the app, the handouts and the CLI help)."""

TECHNIQUES = ("loaded_language", "name_calling", "foreign_hand")
TOKEN_TECHNIQUES = ("loaded_language", "name_calling")  # labelled token by token by the CRF; foreign_hand by sentence
HEAD_TECHNIQUES = ("loaded_language", "name_calling", "foreign_hand")  # the encoder's token head, in its output order

TITLES = {
    "loaded_language": "Loaded language",
    "name_calling": "Name calling",
    "foreign_hand": "Foreign hand",
}

DEFINITIONS = {
    "loaded_language": "Words or phrases chosen for their emotional charge beyond what the facts need "
    "(\"pogroms\", \"bloodbath\", \"brutal murders\").",
    "name_calling": "A label that makes a person or group an object of fear, hatred or ridicule "
    "(\"Russophobes\", \"puppet\", \"ruling gang\", \"bandits\").",
    "foreign_hand": "A claim that events inside a country are instigated, organised, financed or steered by a "
    "foreign power or by vague outside forces (\"inspired from the outside\", \"the West, which uses its puppets\").",
}
