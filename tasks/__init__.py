"""One module per stage: intent -> validate -> render -> diff -> push -> verify -> report."""
