"""Files built on click (export buttons with a callable) survive other sessions' runs until the browser has them.

With Streamlit's own bookkeeping, every script run of any session sweeps unreferenced files, and a file built on
click is referenced by nobody: with a few busy sessions it was deleted before the browser fetched it (3 of 20 PNG
downloads broke off in `make loadtest`). The real MediaFileManager and in-memory storage are used here.
"""

from __future__ import annotations

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from lagebild.app import state

SESSION = "dontcare"  # the session id Streamlit uses outside a script run


@pytest.fixture
def manager() -> tuple[MediaFileManager, MemoryMediaFileStorage]:
    state.keep_generated_downloads()
    storage = MemoryMediaFileStorage("/media")
    return MediaFileManager(storage), storage


def built_on_click(manager: MediaFileManager) -> str:
    placeholder = manager.add_deferred(lambda: b"\x89PNG Rangfolge", "image/png", "1.4.2", "rangfolge.png")
    url = manager.execute_deferred(placeholder)
    return url.rsplit("/", 1)[-1].split(".", 1)[0]


def test_a_file_built_on_click_is_still_there_after_other_sessions_have_run_twice(manager):
    mgr, storage = manager
    generated = built_on_click(mgr)
    mgr.remove_orphaned_files()  # another session's run ends
    mgr.remove_orphaned_files()  # and another's
    assert storage.get_file(generated).content == b"\x89PNG Rangfolge"


def test_the_file_goes_once_its_own_session_has_run_again(manager):
    mgr, storage = manager
    generated = built_on_click(mgr)
    mgr.clear_session_refs(SESSION)  # the clicking session reruns: its old buttons are gone
    mgr.remove_orphaned_files()
    mgr.remove_orphaned_files()
    with pytest.raises(MediaFileStorageError):
        storage.get_file(generated)


def test_a_second_click_replaces_the_first_file_and_the_button_still_works(manager):
    mgr, storage = manager
    first = built_on_click(mgr)
    placeholder = mgr.add_deferred(lambda: b"zweite", "image/png", "1.4.2", "rangfolge.png")
    second = mgr.execute_deferred(placeholder).rsplit("/", 1)[-1].split(".", 1)[0]
    mgr.remove_orphaned_files()
    mgr.remove_orphaned_files()
    assert storage.get_file(second).content == b"zweite"
    with pytest.raises(MediaFileStorageError):
        storage.get_file(first)
