"""bounce-sink: the bounce mailbox host behind the Return-Path of bulk mailings."""

__version__ = "0.1.0"
