"""Text helpers below the stages: sentences, figures and the test of "the same claim".

Several stages (cleaning, analysis, stories, the comparison) read the same things out
of plain text; they live here once and are passed in, so no stage reaches into
another's internals.
"""
