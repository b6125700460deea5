"""Messages of the interface itself: Click's own words, metavars, log fields and actions, headers."""

ZH: dict[str, str] = {
    "col.leader_title": "职务",
}

EN: dict[str, str] = {
    "col.leader_title": "Title",
}
