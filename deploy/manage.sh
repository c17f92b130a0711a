#!/bin/sh
# manage.py with the installation's environment: the .env the services read and the production
# settings (docs/instalacion.md §4). For cron lines and the administrator's shell, which start
# with neither: without them a command silently runs on a fresh SQLite file in development mode.
#   /srv/compra/app/deploy/manage.sh revisar_plazos
set -e
cd "$(dirname "$0")/.."
set -a
. ./.env
set +a
export DJANGO_SETTINGS_MODULE=cms.settings_production
exec .venv/bin/python manage.py "$@"
