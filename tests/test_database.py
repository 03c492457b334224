"""Databases handled, never damaged: each problem is one line with a non-zero exit, read
commands never create or change a file, and `--db` works before or after the subcommand."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from litkit.cli import cli
from litkit.migrations import known_migrations, migrations

from .conftest import CORPORA

READ_COMMANDS = [
    ("stats",),
    ("query", "pamidronate"),
    ("export",),
    ("export", "--format", "csv"),
    ("summarize", "--treatment", "pamidronate"),
    ("summarize", "--by", "treatment"),
    ("explain", "0000000000000000-0000"),
]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def litkit_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("db") / "review.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "ingest", str(CORPORA / "cno")])
    assert result.exit_code == 0, result.output
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    return lines[0]


def _other_program_db(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("CREATE TABLE segments (x)")  # a name that clashes with litkit's
    conn.execute("INSERT INTO users VALUES (1, 'ada')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_read_commands_refuse_a_missing_database_and_create_nothing(runner, tmp_path, args):
    path = tmp_path / "mistyped.db"
    line = _one_error_line(runner.invoke(cli, ["--db", str(path), *args]))
    assert f"no litkit database at {path}" in line and "litkit ingest" in line
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_read_commands_leave_another_programs_database_byte_identical(runner, tmp_path, args):
    path = _other_program_db(tmp_path / "app.db")
    before = _digest(path)
    line = _one_error_line(runner.invoke(cli, [*args, "--db", str(path)]))
    assert "not a litkit database" in line
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]  # no -wal, no -shm


def test_ingest_refuses_another_programs_database(runner, tmp_path):
    path = _other_program_db(tmp_path / "app.db")
    before = _digest(path)
    result = runner.invoke(cli, ["ingest", str(CORPORA / "cno"), "--db", str(path)])
    line = _one_error_line(result)
    assert "another program's tables" in line and "users" in line
    assert _digest(path) == before


@pytest.mark.parametrize("command", [("stats",), ("ingest", str(CORPORA / "cno"))], ids=str)
def test_a_file_that_is_not_sqlite_is_one_line_and_left_alone(runner, tmp_path, command):
    path = tmp_path / "notes.db"
    path.write_text("my notes, not a database\n", "utf-8")
    line = _one_error_line(runner.invoke(cli, ["--db", str(path), *command]))
    assert "not a SQLite database" in line
    assert path.read_text("utf-8") == "my notes, not a database\n"


@pytest.mark.parametrize("special", ["/dev/null", "fifo"])
def test_a_db_path_that_is_not_a_regular_file_is_one_line(runner, tmp_path, special):
    path = special
    if special == "fifo":
        path = str(tmp_path / "pipe.db")
        os.mkfifo(path)
    line = _one_error_line(runner.invoke(cli, ["--db", path, "ingest", str(CORPORA / "cno")]))
    assert "not a regular file" in line


def test_ingest_into_a_missing_directory_is_one_line(runner, tmp_path):
    path = tmp_path / "no" / "such" / "dir" / "review.db"
    line = _one_error_line(runner.invoke(cli, ["--db", str(path), "ingest", str(CORPORA / "cno")]))
    assert "does not exist" in line and str(path) in line
    assert not (tmp_path / "no").exists()


def test_db_works_after_the_subcommand_and_from_the_environment(runner, litkit_db, monkeypatch):
    before = runner.invoke(cli, ["--db", str(litkit_db), "stats", "--format", "json"])
    after = runner.invoke(cli, ["stats", "--format", "json", "--db", str(litkit_db)])
    monkeypatch.setenv("LITKIT_DB", str(litkit_db))
    env = runner.invoke(cli, ["stats", "--format", "json"])
    assert before.exit_code == after.exit_code == env.exit_code == 0
    assert before.output == after.output == env.output
    assert '"documents"' in before.output or '"lang"' in before.output
    sub = runner.invoke(cli, ["lexicon", "list", "--db", str(litkit_db), "--format", "json"])
    assert sub.exit_code == 0, sub.output


def test_read_commands_do_not_change_a_litkit_database(runner, litkit_db):
    before = _digest(litkit_db)
    for args in READ_COMMANDS[:-1]:
        assert runner.invoke(cli, ["--db", str(litkit_db), *args]).exit_code == 0
    assert _digest(litkit_db) == before


def test_an_older_database_is_not_migrated_by_a_read_command(runner, tmp_path):
    from sqlite_utils import Database

    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before=known_migrations()[-1])
    old.close()
    before = _digest(path)
    line = _one_error_line(runner.invoke(cli, ["--db", str(path), "stats"]))
    assert "older litkit" in line and "litkit migrate" in line
    assert _digest(path) == before
    result = runner.invoke(cli, ["--db", str(path), "migrate"])
    assert result.exit_code == 0, result.output
    assert known_migrations()[-1] in result.output
    assert runner.invoke(cli, ["--db", str(path), "stats"]).exit_code == 0


def test_a_corrupted_database_points_to_integrity_check(runner, tmp_path, litkit_db):
    path = tmp_path / "broken.db"
    with sqlite3.connect(litkit_db) as conn:  # everything into the main file, then copy it
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(litkit_db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page, len(data), page):  # every page's header after the first
        data[offset : offset + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    result = runner.invoke(cli, ["--db", str(path), "query", "pamidronate"])
    line = _one_error_line(result)
    assert "corrupted" in line and "integrity_check" in line and ".recover" in line


def test_export_to_an_unwritable_place_is_one_line(runner, litkit_db, tmp_path):
    target = tmp_path / "missing" / "claims.csv"
    result = runner.invoke(
        cli, ["--db", str(litkit_db), "export", "--format", "csv", "-o", str(target)]
    )
    line = _one_error_line(result)
    assert str(target) in line and "cannot write" in line


def test_a_failed_export_keeps_the_previous_file_and_leaves_no_partial_one(tmp_path):
    from litkit.output import atomic_output

    target = tmp_path / "claims.csv"
    target.write_text("previous export\n", "utf-8")
    with pytest.raises(RuntimeError), atomic_output(target) as fp:
        fp.write("half of a new export")
        raise RuntimeError("the export failed")
    assert target.read_text("utf-8") == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.csv"]
    with atomic_output(target) as fp:
        fp.write("new export\n")
    assert target.read_text("utf-8") == "new export\n"


def test_ctrl_c_is_one_line_and_exit_130(runner, litkit_db, monkeypatch):
    import litkit.stats

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(litkit.stats, "corpus_stats", interrupted)
    result = runner.invoke(cli, ["--db", str(litkit_db), "stats"])
    assert result.exit_code == 130
    assert result.output.strip().splitlines() == ["litkit: interrupted"]


def test_a_truncated_query_says_how_many_there_were(runner, litkit_db):
    full = runner.invoke(cli, ["query", "corticosteroids", "--format", "jsonl", "--limit", "500",
                               "--db", str(litkit_db)])  # fmt: skip
    total = len(full.stdout.splitlines())
    assert total > 3 and "showing" not in full.stderr
    cut = runner.invoke(cli, ["query", "corticosteroids", "--format", "jsonl", "--limit", "3",
                              "--db", str(litkit_db)])  # fmt: skip
    assert len(cut.stdout.splitlines()) == 3
    assert f"showing 3 of {total} matching sentences" in cut.stderr
    assert f"--limit {total}" in cut.stderr


def test_csv_bom_for_spreadsheets(runner, litkit_db, tmp_path):
    out = tmp_path / "claims.csv"
    args = ["export", "--format", "csv", "--db", str(litkit_db)]
    assert runner.invoke(cli, [*args, "--bom", "-o", str(out)]).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    plain = runner.invoke(cli, args).stdout_bytes
    assert not plain.startswith(b"\xef\xbb\xbf") and data[3:] == plain
    refused = runner.invoke(cli, ["export", "--format", "json", "--bom", "--db", str(litkit_db)])
    assert refused.exit_code == 2 and "--bom" in refused.output


@pytest.mark.parametrize("columns", [60, 100, 200])
def test_the_table_format_fits_the_terminal(runner, litkit_db, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    result = runner.invoke(cli, ["query", "pamidronate", "--db", str(litkit_db)])
    from litkit.output import _display_width

    lines = result.stdout.splitlines()
    assert len(lines) > 2
    assert max(_display_width(line) for line in lines) <= columns


def test_every_language_a_sentence_can_get_is_a_lang_choice():
    import langdetect

    from litkit.vocab import LANGUAGES

    profiles = Path(langdetect.__file__).parent / "profiles"
    codes = {p.name.split("-")[0] for p in profiles.iterdir()}
    assert codes | {"und"} == set(LANGUAGES)


@pytest.mark.parametrize("command", ["query", "studies"])
def test_an_unknown_lang_is_refused_by_the_option(runner, litkit_db, command):
    result = runner.invoke(cli, [command, "--treatment", "pamidronate", "--lang", "french",
                                 "--db", str(litkit_db)])  # fmt: skip
    assert result.exit_code == 2 and "'french' is not one of" in result.output


def test_an_unknown_treatment_suggests_names_and_both_lists(runner, litkit_db):
    result = runner.invoke(cli, ["query", "--treatment", "pamidronat", "--db", str(litkit_db)])
    line = _one_error_line(result)
    assert "did you mean" in line and "pamidronate" in line.split("did you mean")[1]
    assert "--category treatment" in line and "--category drug_class" in line
