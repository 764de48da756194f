# Exports the local settings: .env.example's defaults, then .env's overrides, then whatever the
# caller's environment already sets. Sourced by the start and test scripts.
# shellcheck shell=bash
_env_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_env_load() {
  local file=$1 line key
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | \#*) continue ;; esac
    key=${line%%=*}
    # the caller's environment wins over both files
    if [ -z "${!key+x}" ] || [ -n "${_env_from_file[$key]+x}" ]; then
      export "$key=${line#*=}"
      _env_from_file[$key]=1
    fi
  done <"$file"
}
declare -A _env_from_file=()
_env_load "$_env_root/.env.example"
_env_load "$_env_root/.env"
export SUPABASE_DB_URL="postgresql://postgres:postgres@127.0.0.1:${SUPABASE_DB_PORT:-54322}/postgres"
unset -f _env_load
