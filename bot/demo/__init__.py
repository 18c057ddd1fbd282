"""`checkin demo`: the real bot against the loopback Bot API emulator, chatted with in the terminal.

No token, no internet. You are the client "Sam"; `/as therapist` lets you type as "Dr. Demo", the
therapist, and `/as client` back. Everything the therapist receives is shown, clearly marked.
"""

from bot.demo.chat import DemoChat, run_demo

__all__ = ["DemoChat", "run_demo"]
