"""The indexes the network-health figures need (no tables of their own).

The figures read replies, marks and dilemmas by the time they were made. Without these, every
figure scanned the whole reply and mark tables, whose rows are wide (the text): 1–11 s per
figure at 100,000 items (bench/health.py). Each index holds every column its figures read, so
the big rows are not touched at all ("covering")."""

from sqlalchemy import Index

from alliance.knowledge.models import Item, ItemMark, Reply

REPLY_BY_TIME = Index(
    "ix_reply_created_figures",
    Reply.created_at,
    Reply.item_id,
    Reply.author_id,
    Reply.perspective,
    Reply.hidden_at,
)
MARK_BY_TIME = Index(
    "ix_item_mark_created_figures", ItemMark.created_at, ItemMark.member_id, ItemMark.item_id
)
ITEM_BY_KIND_AND_TIME = Index(
    "ix_item_kind_created_figures",
    Item.kind,
    Item.created_at,
    Item.visibility,
    Item.hidden_at,
    Item.author_id,
    Item.status,
    Item.decided_at,
    Item.evaluated_at,
    Item.answered_perspectives,
)
#: Whether an item counts (``figures.counted_items``) and whose it is, by id: a reply's item
#: without reading the item's row.
ITEM_COUNTED = Index(
    "ix_item_counted_figures", Item.id, Item.visibility, Item.hidden_at, Item.author_id
)
