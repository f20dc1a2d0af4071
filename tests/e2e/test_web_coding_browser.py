"""End to end in Chromium: coding a selected span (mouse and keyboard), seeing it again
after a reload, and accepting a machine suggestion made by a model trained in the seed."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from web_live import login, playwright_expect, start_server, stop_server

from effektspor.services.project import create_project
from effektspor.store.tables_coding import Coding, Suggestion
from web_seed import seed_cases, seed_users
from web_seed_coding import seed_trained_suggestions

expect = playwright_expect()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A server-mode app on a synthetic SQLite project with a trained suggestion model."""
    folder = tmp_path_factory.mktemp("e2e-kodning") / "projekt"
    project = create_project(folder, "Kodning i browseren", actor="test")
    case_ids = seed_cases(project, cases=2)
    seed_users(project)
    fresh_notes = seed_trained_suggestions(project)
    process, url = start_server(folder)
    yield {"url": url, "project": project, "case_ids": case_ids, "fresh_notes": fresh_notes}
    stop_server(process)
    project.close()



def _codings(project, coder: str) -> list[Coding]:
    with project.sessions() as session:
        return list(session.scalars(select(Coding).where(Coding.coder == coder)
                                    .order_by(Coding.id)))


def _select_word(page, note_id: int, word: str) -> None:
    """Select ``word`` in the note by pressing the mouse at its first letter and
    releasing it after its last (a real drag with the mouse)."""
    box = page.locator(f'.note-text[data-note-id="{note_id}"]')
    rects = box.evaluate("""(el, word) => {
        const node = Array.from(el.childNodes).find(n => n.textContent.includes(word));
        const text = node.nodeType === 3 ? node : node.firstChild;
        const at = text.textContent.indexOf(word);
        const range = document.createRange();
        range.setStart(text, at); range.setEnd(text, at + 1);
        const first = range.getBoundingClientRect();
        range.setStart(text, at + word.length - 1); range.setEnd(text, at + word.length);
        const last = range.getBoundingClientRect();
        return [first.left + 1, first.top + first.height / 2, last.right - 1,
                last.top + last.height / 2];
    }""", word)
    page.mouse.move(rects[0], rects[1])
    page.mouse.down()
    page.mouse.move(rects[2], rects[3], steps=5)
    page.mouse.up()


def test_coder_codes_a_selected_span_and_sees_it_after_reload(live, page):
    url, project = live["url"], live["project"]
    login(page, url, "koder1")
    page.goto(f"{url}/sager/{live['case_ids'][0]}")
    note_id = int(page.locator(".note-text.codable").first.get_attribute("data-note-id"))
    _select_word(page, note_id, "fortæller")
    panel = page.locator("#kodepanel")
    expect(panel).to_be_visible()
    expect(panel.locator(".selected-quote")).to_have_text("»fortæller«")
    page.keyboard.type("relations")  # the type-ahead filter has the focus
    expect(page.locator("#kodeliste li[aria-selected=true]")).to_have_text("Relationsarbejde")
    page.fill("#kodememo", "Mor fortæller selv")
    page.press("#kodememo", "Enter")
    expect(panel).to_be_hidden()
    mark = page.locator(f'.note-text[data-note-id="{note_id}"] mark.coded')
    expect(mark).to_have_text("fortæller")
    (coding,) = _codings(project, "koder1")
    assert (coding.quote, coding.code_key, coding.memo) == ("fortæller", "relationsarbejde",
                                                            "Mor fortæller selv")
    page.reload()
    mark = page.locator(f'.note-text[data-note-id="{note_id}"] mark.coded')
    expect(mark).to_have_text("fortæller")
    assert mark.get_attribute("title") == "Relationsarbejde – koder1: Mor fortæller selv"
    colour = mark.evaluate("el => getComputedStyle(el).getPropertyValue('--code-colour')")
    assert colour.strip() == "#2980b9"  # the code's colour from the codebook

    # Keyboard: a selection, "c" opens the panel, "1" picks the most recent code, Enter.
    page.locator(f'.note-text[data-note-id="{note_id}"]').evaluate("""el => {
        const text = Array.from(el.childNodes).find(n => n.nodeType === 3 && n.textContent.includes('ugen'));
        const at = text.textContent.indexOf('ugen');
        const range = document.createRange();
        range.setStart(text, at); range.setEnd(text, at + 'ugen'.length);
        getSelection().removeAllRanges(); getSelection().addRange(range);
    }""")
    page.keyboard.press("c")
    expect(panel).to_be_visible()
    expect(panel.locator("ol.recent li").first).to_have_text("1 Relationsarbejde")
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(page.locator(f'.note-text[data-note-id="{note_id}"] mark.coded')).to_have_count(2)
    assert [c.quote for c in _codings(project, "koder1")] == ["fortæller", "ugen"]
    # "Fortryd" right after adding removes the new coding again.
    page.locator(".note-work button[data-undo]").click()
    expect(page.locator(f'.note-text[data-note-id="{note_id}"] mark.coded')).to_have_count(1)
    assert [c.quote for c in _codings(project, "koder1")] == ["fortæller"]


def test_escape_cancels_without_saving(live, page):
    url, project = live["url"], live["project"]
    login(page, url, "analytiker1")
    page.goto(f"{url}/sager/{live['case_ids'][1]}")
    note_id = int(page.locator(".note-text.codable").first.get_attribute("data-note-id"))
    text = page.locator(f'.note-text[data-note-id="{note_id}"]').inner_text()
    _select_word(page, note_id, text.split()[1])
    expect(page.locator("#kodepanel")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#kodepanel")).to_be_hidden()
    assert _codings(project, "analytiker1") == []


def test_accepting_a_suggestion_on_the_suggestion_page_makes_a_coding(live, page):
    url, project = live["url"], live["project"]
    with project.sessions() as session:
        suggestion = session.scalar(
            select(Suggestion).where(Suggestion.note_id == live["fresh_notes"][0],
                                     Suggestion.code_key == "professionel_tvivl"))
    assert suggestion is not None and suggestion.model_id is not None
    login(page, url, "koder1")
    page.click("nav >> text=Forslag")
    page.fill("input[name=sag]", "F-1")
    page.click("form.filters button")
    row = page.locator(f"#forslag-{suggestion.id}")
    expect(row).to_contain_text("Professionel tvivl")
    expect(row.locator("q.support")).to_contain_text("tvivl")
    row.locator("text=Acceptér").click()
    expect(page.locator(f"#forslag-{suggestion.id}")).to_contain_text("Forslaget er accepteret")
    with project.sessions() as session:
        coding = session.scalar(select(Coding).where(Coding.suggestion_id == suggestion.id))
    assert coding is not None and coding.coder == "koder1"
    page.goto(f"{url}/sager/{coding_case(project, coding.note_id)}")
    expect(page.locator(f'.note-text[data-note-id="{coding.note_id}"] mark.coded')
           .first).to_have_attribute("title", "Professionel tvivl – koder1: Accepteret "
                                     f"maskinforslag ({suggestion.confidence:.2f})")


def coding_case(project, note_id: int) -> int:
    """The case id of a note."""
    from effektspor.store.tables import Note

    with project.sessions() as session:
        return session.scalar(select(Note.case_id).where(Note.id == note_id))


def test_inline_suggestions_in_the_case_view_and_a_conflict_message(live, page):
    url, project = live["url"], live["project"]
    from effektspor.services.authorization import Actor, Role
    from effektspor.services.coding.suggestions import decide_suggestions
    from effektspor.services.contract import unit_of_work
    from effektspor.store.tables import Note

    case_id = live["case_ids"][1]
    with project.sessions() as session:
        open_ids = list(session.scalars(
            select(Suggestion.id).join(Note, Note.id == Suggestion.note_id)
            .where(Note.case_id == case_id, Suggestion.status == "foreslået")
            .order_by(Suggestion.id)))
    assert len(open_ids) >= 2, open_ids  # the trained model suggests codes for the seed notes
    login(page, url, "analytiker1")
    page.goto(f"{url}/sager/{case_id}")
    first, second = open_ids[0], open_ids[1]
    expect(page.locator(f"#forslag-{first}")).to_be_visible()
    # Someone else rejects the first suggestion while the page is open.
    with unit_of_work(project) as session:
        decide_suggestions(session=session, actor=Actor("koder.kollega", Role.CODER),
                           project_id=project.project_id, suggestion_ids=[first], accept=False)
    page.locator(f"#forslag-{first} >> text=Acceptér").click()
    message = page.locator(".note-work .message.error")
    expect(message).to_contain_text("allerede afvist af koder.kollega")
    expect(page.locator(f"#forslag-{first}")).to_have_count(0)  # the fresh note is shown
    page.locator(f"#forslag-{second} >> text=Acceptér").click()
    expect(page.locator(".note-work .message.ok").first).to_contain_text("accepteret")
    with project.sessions() as session:
        coding = session.scalar(select(Coding).where(Coding.suggestion_id == second))
    assert coding is not None and coding.coder == "analytiker1"
    expect(page.locator(f'.note-text[data-note-id="{coding.note_id}"] mark.coded')
           .first).to_be_visible()
