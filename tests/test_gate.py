"""The gate in front of the model (ui/gate.py): bounded, first come first served, one computation per text, results
kept. Threads and a slow fake labeller that the test releases by hand; no timings."""
import os
import threading
import time

import pytest

from ui.gate import Gate, cores, waiting_note

WAIT = 10  # seconds: a limit on every wait of the test, never reached when the gate works


class SlowLabeller:
    """A fake labeller: each text's labelling starts, then blocks until the test releases it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.started: list[str] = []
        self.threads: set[threading.Thread] = set()
        self.running = self.most_at_once = 0
        self.release = {}  # text -> Event
        self.failing = set()

    def compute(self, text: str):
        def run():
            with self.lock:
                self.started.append(text)
                self.threads.add(threading.current_thread())
                self.running += 1
                self.most_at_once = max(self.most_at_once, self.running)
                event = self.release.setdefault(text, threading.Event())
            try:
                assert event.wait(WAIT), f"{text} was never released"
                if text in self.failing:
                    raise ValueError(f"cannot label {text}")
                return f"spans of {text}"
            finally:
                with self.lock:
                    self.running -= 1
        return run

    def let_go(self, *texts: str) -> None:
        with self.lock:
            for text in texts:
                self.release.setdefault(text, threading.Event()).set()

    def wait_started(self, count: int) -> None:
        until(lambda: len(self.started) >= count)


def until(condition) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.001)


class Student(threading.Thread):
    """Asks the gate for one text's labelling and keeps what it got and what it was told while waiting."""

    def __init__(self, gate: Gate, labeller: SlowLabeller, text: str, on_wait=None):
        super().__init__(daemon=True)
        self.gate, self.labeller, self.text = gate, labeller, text
        self.told: list[int | None] = []
        self.on_wait = on_wait or self.told.append
        self.got = self.error = None

    def run(self):
        try:
            self.got = self.gate.result(self.text, self.labeller.compute(self.text), self.on_wait, poll=0.01)
        except BaseException as err:  # noqa: BLE001 - the test reads it
            self.error = err


def arrive(gate, labeller, texts, on_wait=None) -> list[Student]:
    """Students asking for `texts` one after the other: each has been told its place before the next arrives."""
    students = []
    for text in texts:
        student = Student(gate, labeller, text, on_wait)
        student.start()
        until(lambda student=student: student.told or student.got or student.error)
        students.append(student)
    return students


def finish(students) -> None:
    for student in students:
        student.join(WAIT)
        assert not student.is_alive()


def test_never_more_labellings_at_once_than_slots_and_everyone_gets_their_own_result():
    gate, labeller = Gate(slots=2), SlowLabeller()
    texts = [f"article {i}" for i in range(8)]
    students = [Student(gate, labeller, text) for text in texts]
    for student in students:
        student.start()
    labeller.wait_started(2)
    until(lambda: gate.waiting() == 6)
    assert len(labeller.started) == 2
    for text in texts:
        labeller.let_go(text)
    finish(students)
    assert labeller.most_at_once == 2
    assert sorted(labeller.started) == sorted(texts)
    assert [s.got for s in students] == [f"spans of {t}" for t in texts]


def test_labelling_runs_on_the_gates_own_threads_not_on_each_sessions():
    gate, labeller = Gate(slots=2), SlowLabeller()
    texts = [f"article {i}" for i in range(6)]
    labeller.let_go(*texts)
    students = arrive(gate, labeller, texts)
    finish(students)
    assert len(labeller.threads) <= 2
    assert not labeller.threads & {threading.current_thread(), *students}


def test_first_come_first_served_and_each_told_how_many_are_ahead():
    gate, labeller = Gate(slots=1), SlowLabeller()
    first = arrive(gate, labeller, ["first"])
    labeller.wait_started(1)
    queued = arrive(gate, labeller, ["a", "b", "c"])
    assert [gate.ahead(t) for t in ("a", "b", "c")] == [0, 1, 2]
    for student in first + queued:
        until(lambda student=student: student.told[-1] is None)  # told that its own labelling has started
        labeller.let_go(student.text)
    finish(first + queued)
    assert labeller.started == ["first", "a", "b", "c"]
    told = [list(dict.fromkeys(s.told)) for s in queued]  # what each was told, once per change
    assert told[2][0] == 2 and told[1][0] == 1 and told[0][0] == 0
    for steps in told:
        numbers = [n for n in steps if n is not None]
        assert numbers == sorted(numbers, reverse=True)  # only ever closer to the front
        assert steps[-1] is None  # then its own labelling


def test_the_whole_class_pasting_one_article_gets_it_labelled_once():
    gate, labeller = Gate(slots=2), SlowLabeller()
    students = [Student(gate, labeller, "the same article") for _ in range(30)]
    for student in students:
        student.start()
    labeller.wait_started(1)
    until(lambda: all(s.told or s.got for s in students))
    labeller.let_go("the same article")
    finish(students)
    assert labeller.started == ["the same article"]
    assert {s.got for s in students} == {"spans of the same article"}
    assert gate.result("the same article", labeller.compute("the same article")) == "spans of the same article"
    assert labeller.started == ["the same article"]  # kept: not labelled again


def test_a_second_click_keeps_its_place_and_does_not_queue_the_text_twice():
    gate, labeller = Gate(slots=1), SlowLabeller()
    students = arrive(gate, labeller, ["first", "mine", "later"])
    second_click = Student(gate, labeller, "mine")
    second_click.start()
    until(lambda: second_click.told)
    assert gate.waiting() == 2
    assert gate.ahead("mine") == 0 and gate.ahead("later") == 1
    labeller.let_go("first", "mine", "later")
    finish([*students, second_click])
    assert labeller.started == ["first", "mine", "later"]
    assert students[1].got == second_click.got == "spans of mine"


class GaveUp(Exception):
    pass


def test_a_student_who_leaves_the_queue_loses_nothing_for_the_others():
    gate, labeller = Gate(slots=1), SlowLabeller()

    def leave(ahead):  # as Streamlit stops a script that waits when its user does something else
        raise GaveUp

    first = arrive(gate, labeller, ["first"])
    labeller.wait_started(1)
    gone = arrive(gate, labeller, ["abandoned", "shared"], on_wait=leave)
    finish(gone)
    assert all(isinstance(s.error, GaveUp) for s in gone)
    assert gate.waiting() == 0  # nobody waits for them: not counted ahead of anyone
    stays = arrive(gate, labeller, ["shared", "last"])  # a classmate with the same text takes its place
    assert gate.ahead("shared") == 0 and gate.ahead("last") == 1
    labeller.let_go("first", "abandoned", "shared", "last")
    finish(first + stays)
    assert labeller.started == ["first", "shared", "last"]  # the abandoned text is never labelled
    assert [s.got for s in stays] == ["spans of shared", "spans of last"]


def test_a_failed_labelling_reaches_everyone_waiting_for_it_and_is_not_kept():
    gate, labeller = Gate(slots=1), SlowLabeller()
    labeller.failing.add("broken")
    students = [Student(gate, labeller, "broken") for _ in range(3)]
    for student in students:
        student.start()
    labeller.wait_started(1)
    until(lambda: all(s.told for s in students))
    labeller.let_go("broken")
    finish(students)
    assert all(isinstance(s.error, ValueError) for s in students)
    labeller.failing.clear()
    assert gate.result("broken", labeller.compute("broken")) == "spans of broken"  # asked again: labelled again
    assert labeller.started == ["broken", "broken"]
    after = arrive(gate, labeller, ["next"])
    labeller.let_go("next")
    finish(after)
    assert after[0].got == "spans of next"  # its slot was given back


def test_results_are_kept_for_the_time_to_live_and_up_to_the_number_of_entries():
    now = [0.0]
    gate, labeller = Gate(slots=1, max_entries=2, ttl=3600, clock=lambda: now[0]), SlowLabeller()
    labeller.let_go("a", "b", "c")
    assert gate.result("a", labeller.compute("a")) == "spans of a"
    assert gate.result("b", labeller.compute("b")) == "spans of b"
    gate.result("a", labeller.compute("a"))  # kept; now the most recently used
    gate.result("c", labeller.compute("c"))  # the third: "b", the least recently used, goes
    gate.result("a", labeller.compute("a"))
    assert labeller.started == ["a", "b", "c"]
    gate.result("b", labeller.compute("b"))
    assert labeller.started == ["a", "b", "c", "b"]
    now[0] = 3601
    gate.result("b", labeller.compute("b"))  # older than an hour: labelled again
    assert labeller.started == ["a", "b", "c", "b", "b"]
    gate.clear()
    gate.result("b", labeller.compute("b"))
    assert labeller.started[-1] == "b" and len(labeller.started) == 6


def test_a_gate_needs_a_slot():
    with pytest.raises(ValueError, match="at least one slot"):
        Gate(slots=0)


def test_the_note_of_a_waiting_page_says_its_place_then_that_it_is_labelled():
    assert waiting_note(3).startswith("In the queue: 3 texts ahead of yours")
    assert waiting_note(1).startswith("In the queue: 1 text ahead of yours")
    assert waiting_note(0).startswith("In the queue: yours is next")
    assert waiting_note(None) == "Labelling…"


def test_one_slot_per_core_this_process_may_use():
    assert 1 <= cores() <= (os.cpu_count() or 1)
