"""Infrastructure every feature builds on: the database and its one commit per request, web
helpers and error pages, languages, security headers, tokens and passwords, user text, time,
the one ``RuleError``, the signals features talk through, and the audience (who the viewer is,
and which groups they are in). Nothing here knows about a feature above it."""
