"""Meeting minutes to ledger rows (任务分解): clean the published text, then draft areas, leaders and tasks.

``clean`` turns the text as it arrives (Traditional characters, tone-marked pinyin after many of
them, byte-level damage from a web rewriter that worked on GBK) into plain Simplified Chinese;
``draft`` finds the meeting's date and title, the focus-area clauses, their measures and the
people named; ``record`` writes a draft into the ledger.  Neither imports typer or rich.
"""
