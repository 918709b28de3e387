"""Google Groups' refusal of a post is read by its list of four causes.

The notice is Google's own wording; the bullets change per case. All four
causes listed: the group refused the post (rejected); any other list is a
notice the words alone do not place (on_hold).
"""

from __future__ import annotations

import pytest

from bounce_sink.parse.pipeline import parse_bytes

_GROUPS = """\
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: sender@example.org
Subject: Delivery Status Notification (Failure)
Date: Thu, 29 Apr 2021 23:34:45 -0700
X-Failed-Recipients: somegroup@example.com
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"

Hello sender@example.org,

We're writing to let you know that the group you tried to contact (somegroup) \
may not exist, or you may not have permission to post messages to the group. \
A few more details on why you weren't able to post:

{bullets}
If you have questions related to this or any other Google Group, visit the \
Help Center at https://groups.google.com/support/.

Thanks,

Google Groups

----- Original message -----

From: sender@example.org
To: somegroup@example.com
Subject: monthly news
"""

_CAUSES = (
    " * You might have spelled or formatted the group name incorrectly.\n"
    " * The owner of the group may have removed this group.\n"
    " * You may need to join the group before receiving permission to post.\n"
    " * This group may not be open to posting.\n"
)


@pytest.mark.parametrize(
    ("bullets", "hint"),
    [
        (_CAUSES, "rejected"),
        (" * You might have spelled or formatted the group name incorrectly.\n", "on_hold"),
        ("", "on_hold"),
    ],
)
def test_groups_refusal_is_read_by_its_four_causes(bullets: str, hint: str) -> None:
    report = parse_bytes(_GROUPS.format(bullets=bullets).encode())
    assert report.format == "googlegroups"
    assert [(r.address, r.reason_hint) for r in report.recipients] == [
        ("somegroup@example.com", hint)
    ]
