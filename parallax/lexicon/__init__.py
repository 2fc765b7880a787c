"""What several stages know, below them all: countries, demonyms and places; roles
and titles; how names are normalised and matched; the knowledge base of known people,
organisations and places. Stages receive these (the knowledge base as a parameter);
none reaches into another stage for them."""
