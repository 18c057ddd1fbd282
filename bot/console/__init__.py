"""The therapist console: a small server-rendered web app served by `checkin run`.

A second transport next to Telegram (shared/DESIGN.md): it reads and changes state only through
the service layer and storage functions the bot uses, and audits every read and change.
"""
