"""A QEMU guest whose power can be cut: the test that a 250 means the message is on disk."""
