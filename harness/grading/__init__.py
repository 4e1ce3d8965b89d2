"""Stage 4: what the model left, checked by the rule checker and the generated tests."""
