"""Stories in a store: placing a run's new articles among the stored stories, and a
user's merges and splits (kept by later runs)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from parallax.errors import ParallaxError
from parallax.model import Story
from parallax.store import Store
from parallax.stories.describe import describe_story, story_id_of
from parallax.stories.grouping import StoryGrouper
from parallax.stories.params import DescribeParams, GroupingParams
from parallax.stories.texts import StoryInput


@dataclass(frozen=True)
class Placement:
    """Where a grouping run put every article: ``story_of`` maps each article to its
    story's id; ``grouped`` counts the articles it placed, ``new_stories`` the stories it
    started."""

    story_of: dict[str, str]
    grouped: int
    new_stories: int


def place_articles(
    order: Sequence[str],
    stored: Mapping[str, str],
    copies: Mapping[str, str],
    input_of: Callable[[str], StoryInput],
    params: GroupingParams | None = None,
) -> Placement:
    """Place the articles of ``order`` (earliest first) that have no ``stored`` story (article
    id: story id) into stories, a copy (``copies``: copy id: original id) always into its
    original's; ``input_of`` gives what grouping reads about an article.

    Stored assignments are not re-decided: they are replayed into the grouper (earliest
    first) to rebuild its state, and only new articles are placed. A story the run starts
    is named after its earliest article, so the id does not depend on arrival counters.
    """
    grouper = StoryGrouper(params)
    for article_id in order:
        if article_id in stored:
            grouper.add(input_of(article_id), story_id=stored[article_id])
    # The grouper names the stories it starts by a counter ("s00042"); stored ids are
    # hashes of another length, so the two never collide.
    story_ids = {found: found for found in stored.values()}
    new = [article_id for article_id in order if article_id not in stored]
    for article_id in new:
        grouper.add(input_of(article_id))
    grouper.settle(copies)
    # Settling moves the batch's copies to their originals; one placed before its window
    # (the batch's latest ``settle_window`` articles) is written there all the same.
    story_of = dict(grouper.story_of)
    for article_id in new:
        if article_id in copies:
            story_of[article_id] = story_of[copies[article_id]]
    started = 0
    for article_id in new:
        key = story_of[article_id]
        if key not in story_ids:
            # Named after its earliest article, so the id does not depend on the counter.
            story_ids[key] = story_id_of(article_id)
            started += 1
    return Placement({a: story_ids[story_of[a]] for a in order}, len(new), started)


def merge_stories(
    store: Store, into: str, other: str, params: DescribeParams | None = None
) -> Story:
    """Move every article of story ``other`` into story ``into``, as a user's decision that
    later ``group_stories`` runs keep; returns the merged story."""
    first, second = stored_story(store, into), stored_story(store, other)
    if first.id == second.id:
        raise ParallaxError(f"{into!r} and {other!r} are the same story {first.id}")
    merged = describe_stored(store, first.id, {*first.articles, *second.articles}, params)
    store.write_stories([merged], pinned=second.articles)
    return merged


def split_story(
    store: Store,
    story_id: str,
    article_ids: Sequence[str],
    params: DescribeParams | None = None,
) -> tuple[Story, Story]:
    """Move ``article_ids`` (ids or unique prefixes) out of a story into a new one, as a
    user's decision that later ``group_stories`` runs keep; returns (rest, new story)."""
    found = stored_story(store, story_id)
    moved: set[str] = set()
    for wanted in article_ids:
        article = store.article(wanted)
        if article is None or article.id not in found.articles:
            raise ParallaxError(
                f"no article {wanted!r} in story {found.id}: 'parallax story {found.id}' "
                "lists its articles"
            )
        moved.add(article.id)
    if not moved or moved == set(found.articles):
        raise ParallaxError(
            f"a split must leave at least one article in story {found.id}: name some, not all"
        )
    new_id = story_id_of(*sorted(moved), salt="split")
    while store.story(new_id) is not None:  # the same articles split off before, then merged
        new_id = story_id_of(new_id, salt="split")
    rest = describe_stored(store, found.id, set(found.articles) - moved, params)
    new = describe_stored(store, new_id, moved, params)
    store.write_stories([rest, new], pinned=moved)
    return rest, new


def largest_story(store: Store) -> Story | None:
    """The story with the most articles (the most recent of equals); None without stories."""
    stories = store.stories()
    return max(stories, key=lambda s: len(s.articles)) if stories else None


def stored_story(store: Store, story_id: str) -> Story:
    """The stored story ``story_id`` (an id or a unique prefix), or a ParallaxError."""
    story = store.story(story_id)
    if story is None:
        raise ParallaxError(
            f"no story {story_id!r} in {store.name}: 'parallax stories' lists them "
            "(after 'parallax run' or 'parallax group')"
        )
    return story


def describe_stored(
    store: Store, story_id: str, article_ids: set[str], params: DescribeParams | None = None
) -> Story:
    """Story ``story_id`` described anew as made of ``article_ids`` (in stored order)."""
    members = [store.article(a) for a in store.article_order() if a in article_ids]
    found = [article for article in members if article is not None]
    analyses = {a.id: analysis for a in found if (analysis := store.analysis(a.id))}
    return describe_story(story_id, found, analyses, params)
