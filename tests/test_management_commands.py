"""Every management command of the project answers ``--help`` (issue 14).

Lazy translations in argparse help crashed ``--help`` with ``TypeError … '__proxy__'``; this runs
the help of each command the project ships, as ``manage.py <command> --help`` does.
"""

import pytest
from django.core.management import call_command, get_commands

PROJECT_APPS = {
    "cms",
    "ocds_pages",
    "workflows",
    "integraciones",
    "indicadores",
    "indicadores.market",
    "devtools",
}
PROJECT_COMMANDS = sorted(name for name, app in get_commands().items() if app in PROJECT_APPS)


def test_the_project_ships_commands_in_its_apps_and_devtools():
    assert {"importar_ocds", "sincronizar_registros", "cargar_demo", "bench_escala"} <= set(
        PROJECT_COMMANDS
    )


@pytest.mark.parametrize("name", PROJECT_COMMANDS)
def test_command_answers_help(name, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command(name, "--help")

    assert exit_info.value.code == 0
    usage, *rest = capsys.readouterr().out.splitlines()
    assert usage.startswith("usage:") and name in usage
    assert any(line.lstrip().startswith("-h, --help") for line in rest)
