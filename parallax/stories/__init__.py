"""Stories: every report of one real-world event, and the copies among them.

``copies`` finds syndicated and re-posted copies (MinHash); ``grouping`` places
articles into stories one at a time (``StoryGrouper``), so a later run adds new
articles to the stories it finds without re-clustering the old ones. ``params`` holds
every tuned parameter (``GroupingParams``); ``describe`` and ``stored`` build, name, merge
and split the stories of a store.
"""

from parallax.stories.copies import copies_among, find_copies, signature, similarity
from parallax.stories.grouping import StoryGrouper, group_inputs
from parallax.stories.params import CopyParams, DescribeParams, GroupingParams, SplitParams
from parallax.stories.texts import StoryInput, lead_years, surface_names, terms_of, years_in

__all__ = [
    "CopyParams",
    "DescribeParams",
    "GroupingParams",
    "SplitParams",
    "StoryGrouper",
    "StoryInput",
    "copies_among",
    "find_copies",
    "group_inputs",
    "lead_years",
    "signature",
    "similarity",
    "surface_names",
    "terms_of",
    "years_in",
]
