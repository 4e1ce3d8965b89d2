"""The box every piece of untrusted code runs in: bubblewrap, limits, the API relay, the grading database."""
