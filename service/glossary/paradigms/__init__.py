"""Building paradigms at load: every case form of a term, by dictionary lookup, analogy, rules."""
