"""The Qt bindings keep Python's reference counts: a session of many clicks must not end in a crash.

PySide6 6.12.0 dropped a reference to None at every signal delivered to a Python slot. On
Python 3.11, where None and True are ordinary objects, their counts fell with every click,
timer tick and list refresh until the interpreter stopped with "deallocating None"
(test workers did, at exit). Python 3.12 made them immortal, which hides the fault.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

DELIVERIES = 2000


class _Emitter(QObject):
    fired = Signal()


def test_signals_delivered_to_python_slots_keep_the_count_of_none_and_true(qtbot: QtBot) -> None:
    button = QPushButton()
    qtbot.addWidget(button)
    calls: list[None] = []
    button.clicked.connect(lambda: calls.append(None))
    emitter = _Emitter()
    emitter.fired.connect(lambda: calls.append(None))
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(DELIVERIES):
        button.click()
        emitter.fired.emit()
    none_lost = none_before - sys.getrefcount(None) + len(calls)  # the list holds one per call
    true_lost = true_before - sys.getrefcount(True)
    assert len(calls) == 2 * DELIVERIES
    assert none_lost < DELIVERIES // 10, f"{none_lost} references to None lost"
    assert true_lost < DELIVERIES // 10, f"{true_lost} references to True lost"
