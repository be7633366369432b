"""Replay: the whole dashboard as it was at a past moment of the campaign. The Overview has
the time slider and a play button that steps hour by hour; a shareable ``?as_of=`` opens
any dashboard page at a moment.

The chosen moment lives in the session (``AS_OF_KEY``, an aware UTC datetime) and in the
address bar (``?as_of=2026-11-24T18:00``, shop time), so a copied link replays the same
moment and the moment carries across the pages. The header reads it once per run
(``as_of``) into the ``Selection``; ``header.resolve`` turns it into a ViewContext whose
"now" is the moment and whose store is a copy as of then (``campaign_core.store.replay``).
Pages without the header (Portfolio, Import, Campaigns, Alerts) read through ``reading``.
Every page but the Overview shows ``bar`` ("Replaying ... back to live"), and editors are
hidden while replaying (``editing_off`` says why in one line).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import streamlit as st

from campaign_core.store.replay import (
    STEP_SECONDS,
    ReplayError,
    as_of_text,
    parse_as_of,
    replay_bounds,
    replay_store,
)
from ui import settings
from ui.formatting import plain

if TYPE_CHECKING:  # the header uses this module: no import of it at run time
    from ui.header import Selection

PARAM = "as_of"
AS_OF_KEY = "replay_as_of"
_SLIDER_KEY, _PENDING_KEY, _PLAYING_KEY = "replay_slider", "replay_pending", "replay_playing"
_ARMED_KEY = "replay_timer_armed"
_APPLIED_KEY = "replay_param_applied"  # the ?as_of= already read, so a later run keeps it
_ZONE_KEY = "replay_timezone"  # the replayed campaign's timezone: the bar's label
OVERVIEW = ""  # the Overview's url_path (the default page): it draws the slider instead
EDITING_OFF = ("Editing is off while replaying a past moment (a replay is read only): "
               "go back to live to change anything.")
PLAY_STEP_SECONDS = 1.5


def _label(instant: int, timezone: str) -> str:
    """"Nov 22, 6 PM" (no colon: option labels go through ``plain``, which marks colons)."""
    local = datetime.fromtimestamp(instant, ZoneInfo(timezone))
    text = f"{local:%b %d}, {local:%I}".replace(" 0", " ") + f" {local:%p}"
    return text if local.minute == 0 else text.replace(" AM", f".{local:%M} AM").replace(
        " PM", f".{local:%M} PM")


def _hours(selection: Selection) -> list[int]:
    """The slider's stops: every whole hour of the campaign so far, and now."""
    first, last = replay_bounds(selection.campaign, settings.now())
    stops = list(range(first, last + 1, STEP_SECONDS))
    if stops[-1] != last:
        stops.append(last)
    return stops


def as_of(selection: Selection) -> datetime | None:
    """The moment this run replays, or None (live). Reads ``?as_of=`` once when it
    changes; a value that cannot be replayed is reported and dropped."""
    state = st.session_state
    text = st.query_params.get(PARAM)
    if text is not None and text != state.get(_APPLIED_KEY):
        state[_APPLIED_KEY] = text
        try:
            state[AS_OF_KEY] = parse_as_of(text, selection.campaign, settings.now())
        except ReplayError as error:
            st.warning(f"Replay: {plain(error)}. Showing the live view.",
                       icon=":material/history:")
            state.pop(AS_OF_KEY, None)
            del st.query_params[PARAM]
            return None
    moment = state.get(AS_OF_KEY)
    if moment is None:
        return None
    first, last = replay_bounds(selection.campaign, settings.now())
    if not first <= int(moment.timestamp()) <= last:  # another campaign was picked
        stop(selection)
        return None
    chosen = state.get(_SLIDER_KEY)
    if (isinstance(chosen, int) and state.get(_PENDING_KEY) is None
            and first <= chosen <= last and chosen != int(moment.timestamp())):
        # The slider was moved: the header, drawn before the slider, shows the new moment.
        moment = datetime.fromtimestamp(chosen, UTC)
    _set(selection, moment)  # into the address bar again after a page switch
    return moment


def _set(selection: Selection, moment: datetime | None) -> None:
    if moment is None:
        st.session_state.pop(AS_OF_KEY, None)
        st.query_params.pop(PARAM, None)
        st.session_state[_APPLIED_KEY] = None
        return
    st.session_state[AS_OF_KEY] = moment
    st.session_state[_ZONE_KEY] = selection.campaign.timezone
    text = as_of_text(moment, selection.campaign.timezone)
    if st.query_params.get(PARAM) != text:
        st.query_params[PARAM] = text
    st.session_state[_APPLIED_KEY] = text


def stop(selection: Selection) -> None:
    st.session_state[_PLAYING_KEY] = False
    _set(selection, None)


def controls(selection: Selection) -> datetime | None:
    """The replay bar: live, or the slider over the campaign's hours with play and "back
    to live". Returns the moment to show (None: live)."""
    moment = as_of(selection)
    zone = selection.campaign.timezone
    stops = _hours(selection)
    state = st.session_state
    if state.get(_PENDING_KEY) is not None:  # a play step of the last run
        state[_SLIDER_KEY] = state.pop(_PENDING_KEY)
    with st.container(border=True, key="replay_bar"):
        if moment is None:
            text, start = st.columns([4, 1], vertical_alignment="center")
            text.markdown(":material/history: **Replay**: see this page as it was at any "
                          "past moment of the campaign.")
            if start.button("Replay", icon=":material/history:", key="replay_start",
                            disabled=len(stops) < 2):
                _set(selection, datetime.fromtimestamp(stops[-2], UTC))
                state[_SLIDER_KEY] = stops[-2]
                st.rerun()
            return None
        instant = int(moment.timestamp())
        if state.get(_SLIDER_KEY) not in stops:
            state[_SLIDER_KEY] = min(stops, key=lambda stop_: abs(stop_ - instant))
        chosen = st.select_slider(
            "Replay as of", stops, key=_SLIDER_KEY,
            format_func=lambda stop_: plain(_label(stop_, zone)),
            help="Every figure on this page as it was then: orders paid by then and "
                 "files imported by then (the demo's files count as imported as they "
                 "happened). Statuses changed later show as they are now.")
        if chosen != instant:
            moment = datetime.fromtimestamp(chosen, UTC)
            _set(selection, moment)
        playing = state.get(_PLAYING_KEY, False)
        caption, play, live = st.columns([3, 1, 1], vertical_alignment="center")
        caption.markdown(f":orange-badge[:material/history: Replay] as of "
                         f"**{plain(_label(chosen, zone))}** ({plain(zone)})")
        if play.button("Pause" if playing else "Play",
                       icon=":material/pause:" if playing else ":material/play_arrow:",
                       key="replay_play"):
            state[_PLAYING_KEY] = not playing
            if not playing and chosen == stops[-1]:  # at the end: start over
                state[_PENDING_KEY] = stops[0]
                _set(selection, datetime.fromtimestamp(stops[0], UTC))
            st.rerun()
        if live.button("Back to live", icon=":material/sensors:", key="replay_live"):
            stop(selection)
            st.rerun()
    return moment


def keep_playing(selection: Selection) -> None:
    """At the end of the page: while playing, a timer that steps one hour on every
    ``PLAY_STEP_SECONDS`` and reruns the page (the first tick, within the page's own run,
    only arms it)."""
    state = st.session_state
    if not state.get(_PLAYING_KEY) or state.get(AS_OF_KEY) is None:
        return
    state[_ARMED_KEY] = False

    @st.fragment(run_every=PLAY_STEP_SECONDS)
    def timer() -> None:
        if not state.get(_ARMED_KEY):
            state[_ARMED_KEY] = True
            return
        if step(selection):
            st.rerun(scope="app")

    timer()


def step(selection: Selection) -> bool:
    """Move the replay one hour on; at the end, stop playing. Returns whether it moved."""
    state = st.session_state
    moment = state.get(AS_OF_KEY)
    later = [stop_ for stop_ in _hours(selection)
             if moment is not None and stop_ > int(moment.timestamp())]
    if not later:
        state[_PLAYING_KEY] = False
        return False
    state[_PENDING_KEY] = later[0]
    _set(selection, datetime.fromtimestamp(later[0], UTC))
    return True


def active() -> datetime | None:
    """The moment being replayed in this session (None: live). Pages without the header
    read it here; it was checked against the campaign when it was chosen."""
    try:
        return st.session_state.get(AS_OF_KEY)
    except Exception:  # outside a session (a download made after the run): live
        return None


def reading(db_path: Path) -> tuple[Path, datetime, bool]:
    """(store to read, "now", replaying) for a page without the header: the replay copy
    and the moment while replaying, else ``db_path`` and now. Writes keep ``db_path``
    (and are hidden while replaying: ``editing_off``)."""
    moment = active()
    if moment is None:
        return db_path, settings.now(), False
    return replay_store(db_path, moment), moment, True


def moment_text(moment: datetime, timezone: str | None = None) -> str:
    """"Nov 22, 6 PM" in the replayed campaign's timezone."""
    zone = timezone or st.session_state.get(_ZONE_KEY) or "UTC"
    return _label(int(moment.timestamp()), zone)


def bar(url_path: str) -> None:
    """On every page but the Overview, while replaying: "Replaying <moment> — back to
    live", and a link to the Overview's slider. Playing stops on another page."""
    moment = active()
    if moment is None or url_path == OVERVIEW:
        return
    state = st.session_state
    state[_PLAYING_KEY] = False
    zone = state.get(_ZONE_KEY) or "UTC"
    if st.query_params.get(PARAM) is None:  # a page switch dropped it from the address bar
        st.query_params[PARAM] = as_of_text(moment, zone)
    with st.container(border=True, key="replay_page_bar"):
        text, live = st.columns([4, 1], vertical_alignment="center")
        text.markdown(f":orange-badge[:material/history: Replay] Replaying "
                      f"**{plain(moment_text(moment, zone))}** ({plain(zone)}): every "
                      "figure on this page as it was then. The slider is on the Overview.")
        if live.button("Back to live", icon=":material/sensors:", key="replay_page_live"):
            state.pop(AS_OF_KEY, None)
            st.query_params.pop(PARAM, None)
            state[_APPLIED_KEY] = None
            st.rerun()


def editing_off(context: object | None = None) -> bool:
    """True while replaying (``context.replaying``, or the session's moment without a
    context), after a one-line note saying why the editor below is not shown."""
    replaying = (getattr(context, "replaying", False) if context is not None
                 else active() is not None)
    if replaying:
        st.caption(f":material/lock: {EDITING_OFF}")
    return replaying
